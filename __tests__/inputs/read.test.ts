import { describe, expect, it } from '@jest/globals';
import { InputError, parseDuration } from '../../src/inputs/parse.js';
import { defaultSessionName, readInputs } from '../../src/inputs/read.js';

const base: Record<string, string> = {
  'change-order-id': 'co-123',
  'region-id': 'cn-hangzhou',
  'access-key-id': 'AKID',
  'access-key-secret': 'SECRET',
};
const read = (over: Record<string, string> = {}, env: NodeJS.ProcessEnv = {}) =>
  readInputs((n) => ({ ...base, ...over })[n] ?? '', env);

describe('readInputs', () => {
  it('applies the documented defaults', () => {
    const { settings, warnings } = read();
    expect(settings).toMatchObject({
      changeOrderId: 'co-123',
      regionId: 'cn-hangzhou',
      endpoint: 'https://sae.cn-hangzhou.aliyuncs.com',
      timeoutMs: 30 * 60_000,
      pollIntervalMs: 10_000,
      requestTimeoutMs: 15_000,
      maxApiErrors: 10,
      onFailure: 'abort-and-rollback',
      onTimeout: 'abort',
      summary: true,
      credentials: { accessKeyId: 'AKID', accessKeySecret: 'SECRET' },
    });
    expect(warnings).toEqual([]);
    expect(Object.isFrozen(settings)).toBe(true);
  });

  it('falls back to the ALIBABA_CLOUD_* environment', () => {
    const { settings } = read(
      { 'region-id': '', 'access-key-id': '', 'access-key-secret': '' },
      {
        ALIBABA_CLOUD_REGION_ID: 'ap-southeast-1',
        ALIBABA_CLOUD_ACCESS_KEY_ID: 'ENVID',
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'ENVSECRET',
        ALIBABA_CLOUD_SECURITY_TOKEN: 'ENVTOKEN',
      },
    );
    expect(settings.endpoint).toBe('https://sae.ap-southeast-1.aliyuncs.com');
    expect(settings.credentials).toEqual({
      accessKeyId: 'ENVID',
      accessKeySecret: 'ENVSECRET',
      securityToken: 'ENVTOKEN',
    });
    expect(settings.credentialsSource).toContain('environment');
  });

  it('prefers explicit key inputs over the environment', () => {
    const { settings } = read(
      {},
      { ALIBABA_CLOUD_ACCESS_KEY_ID: 'ENVID', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'ENVSECRET' },
    );
    expect(settings.credentials?.accessKeyId).toBe('AKID');
  });

  it('accepts loopback http endpoints and https anywhere', () => {
    expect(read({ endpoint: 'http://127.0.0.1:8080' }).settings.endpoint).toBe('http://127.0.0.1:8080');
    expect(read({ endpoint: 'http://localhost:9' }).settings.endpoint).toBe('http://localhost:9');
    expect(read({ endpoint: 'https://sae-vpc.cn-hangzhou.aliyuncs.com/' }).settings.endpoint).toBe(
      'https://sae-vpc.cn-hangzhou.aliyuncs.com',
    );
    expect(read({ endpoint: 'http://127.0.0.1:1', 'region-id': '' }).settings.regionId).toBeUndefined();
  });

  it('selects the product and its endpoint', () => {
    expect(read({ product: 'edas' }).settings).toMatchObject({
      product: 'edas',
      endpoint: 'https://edas.cn-hangzhou.aliyuncs.com',
    });
    expect(read({ product: 'SAE' }).settings.product).toBe('sae');
    expect(() => read({ product: 'ecs' })).toThrow('Invalid input "product": "ecs" is not one of sae, edas');
    expect(() => read({ product: 'constructor' })).toThrow(/"product"/);
  });

  it('warns, but accepts, a poll interval under 5s', () => {
    const { settings, warnings } = read({ 'poll-interval': '1s' });
    expect(settings.pollIntervalMs).toBe(1000);
    expect(warnings.join()).toMatch(/throttl/);
  });

  it('does not warn about throttling for a local http:// simulator, only for the real API', () => {
    expect(read({ 'poll-interval': '1s', endpoint: 'http://127.0.0.1:18080' }).warnings).toEqual([]);
    expect(read({ 'poll-interval': '1s', endpoint: 'https://127.0.0.1:18080' }).warnings.join()).toMatch(/throttl/);
    expect(
      read({ 'poll-interval': '1s', endpoint: 'https://sae-vpc.cn-hangzhou.aliyuncs.com' }).warnings.join(),
    ).toMatch(/throttl/);
  });

  it.each([
    ['3s', 3000],
    ['90s', 90_000],
    ['15m', 900_000],
    ['2h', 7_200_000],
    ['1h30m', 5_400_000],
    ['7d', 604_800_000],
    ['1d12h', 129_600_000],
    ['1H30M', 5_400_000],
    ['45', 45_000],
  ])('parses the duration %s', (text, ms) => {
    expect(parseDuration('timeout', text, 1000, 7 * 86400_000)).toBe(ms);
  });

  const bad: [string, string, RegExp][] = [
    ['app-id', 'my app', /"app-id".*not an ID/],
    ['change-order-type', 'Co;Deploy', /"change-order-type"/],
    ['deployment-id', 'abc', /"deployment-id".*whole number/],
    ['deployment-id', '0', /"deployment-id"/],
    ['environment-url', 'javascript:alert(1)', /"environment-url".*http\(s\) URL/],
    ['change-order-id', 'has space', /"change-order-id".*not an ID/],
    ['change-order-id', 'a?b=c&d', /"change-order-id".*not an ID/],
    ['region-id', 'cn/hangzhou', /"region-id".*not a region ID/],
    ['region-id', 'CN-HANGZHOU', /"region-id"/],
    ['endpoint', 'http://sae.cn-hangzhou.aliyuncs.com', /"endpoint".*https:\/\//],
    ['endpoint', 'http://10.0.0.1', /"endpoint".*https:\/\//],
    ['endpoint', 'ftp://x', /"endpoint"/],
    ['endpoint', 'https://x.com/path', /"endpoint".*no path/],
    ['endpoint', 'not a url', /"endpoint".*not a URL/],
    ['timeout', 'abc', /"timeout": "abc" is not a duration such as 10s, 2m or 1h30m/],
    ['timeout', '-5m', /"timeout"/],
    ['timeout', '0s', /"timeout".*out of range/],
    ['timeout', '0', /"timeout".*out of range/],
    ['timeout', '999999h', /"timeout".*out of range/],
    ['timeout', '1.5h', /"timeout"/],
    ['poll-interval', 'abc', /"poll-interval"/],
    ['poll-interval', '500ms', /"poll-interval"/],
    ['poll-interval', '2h', /"poll-interval".*out of range/],
    ['request-timeout', '10m', /"request-timeout".*out of range/],
    ['max-api-errors', '0', /"max-api-errors".*whole number from 1/],
    ['max-api-errors', '-1', /"max-api-errors"/],
    ['max-api-errors', '2.5', /"max-api-errors"/],
    ['max-api-errors', '99999999999999999999', /"max-api-errors"/],
    ['on-failure', 'rollback', /"on-failure": "rollback" is not one of abort-and-rollback, abort, none/],
    ['on-timeout', 'explode', /"on-timeout"/],
    ['summary', 'maybe', /"summary".*true or false/],
    ['access-key-secret', '', /"access-key-secret" is required/],
    ['access-key-id', '', /"access-key-id" is required/],
  ];
  it.each(bad)('rejects %s=%j naming the input', (name, value, message) => {
    expect(() => read({ [name]: value })).toThrow(InputError);
    expect(() => read({ [name]: value })).toThrow(message);
  });

  it('needs a region or an endpoint', () => {
    expect(() => read({ 'region-id': '' })).toThrow(/"region-id" is required/);
  });

  it('needs credentials, and says where they can come from', () => {
    expect(() => read({ 'access-key-id': '', 'access-key-secret': '' })).toThrow(/ALIBABA_CLOUD_ACCESS_KEY_ID/);
    expect(() => read({ 'access-key-id': '', 'access-key-secret': '' }, { ALIBABA_CLOUD_ACCESS_KEY_ID: 'x' })).toThrow(
      /ALIBABA_CLOUD_ACCESS_KEY_SECRET is missing/,
    );
  });

  it('never puts a secret value into an error message', () => {
    try {
      read({ 'access-key-id': '', 'access-key-secret': 'TOP-SECRET-VALUE' });
      throw new Error('no error');
    } catch (e) {
      expect(String(e)).not.toContain('TOP-SECRET-VALUE');
    }
  });

  it('shortens a huge bad value in the message', () => {
    try {
      read({ timeout: 'x'.repeat(10_000) });
      throw new Error('no error');
    } catch (e) {
      expect(String(e).length).toBeLessThan(300);
    }
  });
});

describe('readInputs: credentials from the environment', () => {
  const noKeys = { 'access-key-id': '', 'access-key-secret': '', 'region-id': '' };
  const fromEnv = (env: NodeJS.ProcessEnv, over: Record<string, string> = {}) => read({ ...noKeys, ...over }, env);
  const family = (prefix: string, tag: string, names = ['ACCESS_KEY_ID', 'ACCESS_KEY_SECRET', 'SECURITY_TOKEN']) => ({
    [`${prefix}${names[0]}`]: `${tag}-id`,
    [`${prefix}${names[1]}`]: `${tag}-secret`,
    [`${prefix}${names[2]}`]: `${tag}-token`,
    [`${prefix}REGION_ID`]: `cn-${tag}`,
  });

  it.each([
    ['ALIBABA_CLOUD_*', family('ALIBABA_CLOUD_', 'a')],
    ['ALIBABACLOUD_*', family('ALIBABACLOUD_', 'b')],
    ['ALICLOUD_*', family('ALICLOUD_', 'c')],
    ['ALICLOUD_*', family('ALICLOUD_', 'c', ['ACCESS_KEY', 'SECRET_KEY', 'SECURITY_TOKEN'])],
  ])('reads the %s names that aliyun/configure-aliyun-credentials-action and the CLI export', (name, env) => {
    const tag = Object.values(env)[0]!.slice(0, 1);
    const { settings } = fromEnv(env);
    expect(settings.credentials).toEqual({
      accessKeyId: `${tag}-id`,
      accessKeySecret: `${tag}-secret`,
      securityToken: `${tag}-token`,
    });
    expect(settings.regionId).toBe(`cn-${tag}`);
    expect(settings.credentialsSource).toBe(`the ${name} environment variables`);
  });

  it('prefers ALIBABA_CLOUD_*, then ALIBABACLOUD_*, then ALICLOUD_*, and never mixes a key of one with a token of another', () => {
    const all = { ...family('ALIBABA_CLOUD_', 'a'), ...family('ALIBABACLOUD_', 'b'), ...family('ALICLOUD_', 'c') };
    expect(fromEnv(all).settings.credentials?.accessKeyId).toBe('a-id');
    expect(fromEnv(all).settings.regionId).toBe('cn-a');
    const noFirst = { ...family('ALIBABACLOUD_', 'b'), ...family('ALICLOUD_', 'c') };
    expect(fromEnv(noFirst).settings.credentials?.accessKeyId).toBe('b-id');
    const { settings } = fromEnv({
      ALIBABA_CLOUD_ACCESS_KEY_ID: 'a-id',
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'a-secret',
      ALICLOUD_SECURITY_TOKEN: 'c-token',
      ALICLOUD_REGION: 'cn-shanghai',
    });
    expect(settings.credentials).toEqual({
      accessKeyId: 'a-id',
      accessKeySecret: 'a-secret',
      securityToken: undefined,
    });
    expect(settings.regionId).toBe('cn-shanghai');
  });

  it('still prefers the key inputs over every environment family', () => {
    const { settings } = fromEnv(family('ALICLOUD_', 'c'), { 'access-key-id': 'AKID', 'access-key-secret': 'SECRET' });
    expect(settings.credentials).toEqual({ accessKeyId: 'AKID', accessKeySecret: 'SECRET', securityToken: undefined });
    expect(settings.regionId).toBe('cn-c');
  });

  it('names the missing half of a pair in the family that has the other half', () => {
    expect(() =>
      fromEnv({ ALIBABACLOUD_ACCESS_KEY_ID: 'x', ALICLOUD_SECRET_KEY: 'y', ALICLOUD_REGION_ID: 'cn-hangzhou' }),
    ).toThrow(/only half a key pair: ALIBABACLOUD_ACCESS_KEY_SECRET is missing/);
    expect(() => fromEnv({ ALICLOUD_SECRET_KEY: 'y', ALICLOUD_REGION_ID: 'cn-hangzhou' })).toThrow(
      /ALICLOUD_ACCESS_KEY_ID or ALICLOUD_ACCESS_KEY is missing/,
    );
  });

  it('warns that exported STS keys may expire when the timeout is longer than 25 minutes, and points to role-to-assume', () => {
    const sts = family('ALICLOUD_', 'c', ['ACCESS_KEY', 'SECRET_KEY', 'SECURITY_TOKEN']);
    const { warnings } = fromEnv(sts);
    expect(warnings).toEqual([
      "timeout is 30m and the credentials are STS keys from the ALICLOUD_* environment variables: keys exported by an earlier step (aliyun/configure-aliyun-credentials-action lasts 1800 s by default) may expire before the release ends, and with them the gate's ability to read and abort it; use role-to-assume and oidc-provider-arn, which renew them",
    ]);
    expect(warnings.join(' ')).not.toContain('c-token');
    expect(fromEnv(sts, { timeout: '25m' }).warnings).toEqual([]);
    expect(fromEnv(sts, { timeout: '25m1s' }).warnings).toHaveLength(1);
  });

  it.each([
    [
      'long-lived keys in the environment',
      { ALIBABA_CLOUD_ACCESS_KEY_ID: 'a', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 's' },
      {},
    ],
    [
      'an STS token given as an input',
      {},
      { 'access-key-id': 'STS.a', 'access-key-secret': 's', 'security-token': 't', 'region-id': 'cn-hangzhou' },
    ],
  ])('does not warn about expiry for %s', (_what, env, over) => {
    expect(fromEnv({ ALIBABA_CLOUD_REGION_ID: 'cn-hangzhou', ...env }, { timeout: '2h', ...over }).warnings).toEqual(
      [],
    );
  });

  it('says which family is not used when the OIDC inputs win', () => {
    const { settings } = fromEnv(family('ALIBABACLOUD_', 'b'), {
      'role-to-assume': 'acs:ram::1234567890123456:role/github-deploy',
      'oidc-provider-arn': 'acs:ram::1234567890123456:oidc-provider/github',
    });
    expect(settings.credentials).toBeUndefined();
    expect(settings.credentialsSource).toContain('the ALIBABACLOUD_* keys in the environment are not used');
  });
});

describe('readInputs: OIDC role assumption', () => {
  const ROLE = 'acs:ram::1234567890123456:role/github-deploy';
  const PROVIDER = 'acs:ram::1234567890123456:oidc-provider/github';
  const noKeys = { 'access-key-id': '', 'access-key-secret': '' };
  const oidc = (
    over: Record<string, string> = {},
    env: NodeJS.ProcessEnv = { GITHUB_REPOSITORY: 'acme/shop', GITHUB_RUN_ID: '987654321' },
  ) => read({ ...noKeys, 'role-to-assume': ROLE, 'oidc-provider-arn': PROVIDER, ...over }, env);

  it('assumes the role with the documented defaults, and names the source without a value', () => {
    const { settings } = oidc();
    expect(settings.oidc).toEqual({
      roleArn: ROLE,
      oidcProviderArn: PROVIDER,
      audience: 'sts.aliyuncs.com',
      roleSessionName: 'gh-987654321-acme.shop',
      sessionMs: 3_600_000,
      stsEndpoint: 'https://sts.aliyuncs.com',
    });
    expect(settings.credentials).toBeUndefined();
    expect(settings.credentialsSource).toBe(
      'the role-to-assume and oidc-provider-arn inputs (GitHub OIDC, renewed before expiry)',
    );
    expect(Object.isFrozen(settings.oidc)).toBe(true);
  });

  it('takes audience, role-session-name, role-session-expiration and a loopback sts-endpoint', () => {
    const { settings } = oidc({
      audience: 'my-client',
      'role-session-name': 'deploy@shop_1.x-y',
      'role-session-expiration': '2h30m',
      'sts-endpoint': 'http://127.0.0.1:9000',
    });
    expect(settings.oidc).toMatchObject({
      audience: 'my-client',
      roleSessionName: 'deploy@shop_1.x-y',
      sessionMs: 9_000_000,
      stsEndpoint: 'http://127.0.0.1:9000',
    });
    expect(oidc({ 'sts-endpoint': 'https://sts-vpc.cn-hangzhou.aliyuncs.com/' }).settings.oidc?.stsEndpoint).toBe(
      'https://sts-vpc.cn-hangzhou.aliyuncs.com',
    );
  });

  it('comes first: OIDC inputs win over ALIBABA_CLOUD_* keys in the environment, and the log says those are not used', () => {
    const { settings } = read(
      { ...noKeys, 'role-to-assume': ROLE, 'oidc-provider-arn': PROVIDER },
      { ALIBABA_CLOUD_ACCESS_KEY_ID: 'ENVID', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'ENVSECRET' },
    );
    expect(settings.oidc?.roleArn).toBe(ROLE);
    expect(settings.credentials).toBeUndefined();
    expect(settings.credentialsSource).toContain('the ALIBABA_CLOUD_* keys in the environment are not used');
    expect(settings.credentialsSource).not.toContain('ENVID');
  });

  it.each([
    [
      { 'access-key-id': 'AKID', 'access-key-secret': 'SECRET' },
      /cannot be combined with "access-key-id", "access-key-secret": give either the role to assume or the keys, not both/,
    ],
    [{ 'security-token': 'TOKEN' }, /cannot be combined with "security-token"/],
  ])('refuses OIDC inputs together with key inputs (%p)', (keys, message) => {
    expect(() => oidc(keys)).toThrow(message);
    try {
      oidc(keys);
    } catch (e) {
      expect(String(e)).not.toMatch(/SECRET|TOKEN"/);
    }
  });

  it('refuses half of the pair', () => {
    expect(() => oidc({ 'role-to-assume': '' })).toThrow(
      'Input "role-to-assume" is required with "oidc-provider-arn": the ARN of the RAM role to assume',
    );
    expect(() => oidc({ 'oidc-provider-arn': '' })).toThrow(
      'Input "oidc-provider-arn" is required with "role-to-assume": the ARN of the RAM OIDC provider for GitHub',
    );
  });

  it.each([
    [
      'role-to-assume',
      'github-deploy',
      'Invalid input "role-to-assume": "github-deploy" is not a RAM role ARN such as acs:ram::1234567890123456:role/github-deploy',
    ],
    ['role-to-assume', PROVIDER, 'is not a RAM role ARN'],
    ['role-to-assume', 'acs:ram::12x:role/a', 'is not a RAM role ARN'],
    [
      'oidc-provider-arn',
      ROLE,
      'Invalid input "oidc-provider-arn": "acs:ram::1234567890123456:role/github-deploy" is not a RAM OIDC provider ARN such as acs:ram::1234567890123456:oidc-provider/github',
    ],
    ['oidc-provider-arn', 'acs:ram::1:oidc-provider/', 'is not a RAM OIDC provider ARN'],
    [
      'role-session-name',
      'a',
      'Invalid input "role-session-name": "a" is not a session name: use 2 to 64 letters, digits, ".", "@", "_" or "-"',
    ],
    ['role-session-name', 'has space', 'is not a session name'],
    ['role-session-name', 'x'.repeat(65), 'is not a session name'],
    [
      'role-session-expiration',
      '10m',
      'Invalid input "role-session-expiration": "10m" is shorter than STS allows: use 15m or more',
    ],
    ['role-session-expiration', '899', 'is shorter than STS allows'],
    ['role-session-expiration', '13h', 'is out of range: use a duration such as 10s, 2m or 1h30m, from 1s to 12h'],
    ['role-session-expiration', 'soon', 'is not a duration such as 10s, 2m or 1h30m'],
    ['audience', 'two words', 'Invalid input "audience": "two words" is not an audience such as sts.aliyuncs.com'],
    [
      'sts-endpoint',
      'http://sts.aliyuncs.com',
      'Invalid input "sts-endpoint": "http://sts.aliyuncs.com" must use https://',
    ],
    ['sts-endpoint', 'sts', 'Invalid input "sts-endpoint": "sts" is not a URL such as https://sts.aliyuncs.com'],
  ])('refuses %s %p', (name, value, message) => {
    expect(() => oidc({ [name]: value })).toThrow(message);
  });

  it('accepts exactly 15m, and the session name limits of STS', () => {
    expect(oidc({ 'role-session-expiration': '15m' }).settings.oidc?.sessionMs).toBe(900_000);
    expect(oidc({ 'role-session-expiration': '12h' }).settings.oidc?.sessionMs).toBe(43_200_000);
    expect(oidc({ 'role-session-name': 'ab' }).settings.oidc?.roleSessionName).toBe('ab');
    expect(oidc({ 'role-session-name': 'x'.repeat(64) }).settings.oidc?.roleSessionName).toHaveLength(64);
  });

  it('does not check the OIDC-only inputs without a role, but says when role-session-name is ignored', () => {
    const { settings, warnings } = read({
      audience: '',
      'role-session-expiration': '1m',
      'sts-endpoint': 'ftp://x',
      'role-session-name': 'x y',
    });
    expect(settings.oidc).toBeUndefined();
    expect(settings.credentials?.accessKeyId).toBe('AKID');
    expect(warnings).toEqual([
      'role-session-name is only used with role-to-assume and oidc-provider-arn; it is ignored',
    ]);
  });

  it('mentions OIDC when no credentials are given at all', () => {
    expect(() => read(noKeys)).toThrow(
      /"role-to-assume" and "oidc-provider-arn" \(a RAM role assumed with GitHub OIDC\), or inputs "access-key-id" and "access-key-secret"/,
    );
  });
});

describe('defaultSessionName', () => {
  it.each([
    [{ GITHUB_REPOSITORY: 'acme/shop', GITHUB_RUN_ID: '123' }, 'gh-123-acme.shop'],
    [{ GITHUB_REPOSITORY: 'Acme Corp/shop+web', GITHUB_RUN_ID: '1' }, 'gh-1-Acme_Corp.shop_web'],
    [{ GITHUB_RUN_ID: '42' }, 'gh-42'],
    [{ GITHUB_REPOSITORY: 'acme/shop' }, 'gh-acme.shop'],
    [{}, 'sae-release-gate'],
  ])('%p -> %s', (env, name) => {
    expect(defaultSessionName(env)).toBe(name);
  });

  it('keeps the run id when a long repository name is cut to 64 characters', () => {
    const name = defaultSessionName({ GITHUB_REPOSITORY: `acme/${'r'.repeat(100)}`, GITHUB_RUN_ID: '16000000001' });
    expect(name).toHaveLength(64);
    expect(name.startsWith('gh-16000000001-acme.rrr')).toBe(true);
    expect(name).toMatch(/^[A-Za-z0-9.@_-]{2,64}$/);
  });
});
