import { describe, expect, it } from '@jest/globals';
import { InputError, parseDuration, readInputs } from '../src/inputs.js';

const base: Record<string, string> = {
  'change-order-id': 'co-123',
  'region-id': 'cn-hangzhou',
  'access-key-id': 'AKID',
  'access-key-secret': 'SECRET',
};
const read = (over: Record<string, string> = {}, env: NodeJS.ProcessEnv = {}) => readInputs((n) => ({ ...base, ...over })[n] ?? '', env);

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
    const { settings } = read({ 'region-id': '', 'access-key-id': '', 'access-key-secret': '' }, {
      ALIBABA_CLOUD_REGION_ID: 'ap-southeast-1',
      ALIBABA_CLOUD_ACCESS_KEY_ID: 'ENVID',
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'ENVSECRET',
      ALIBABA_CLOUD_SECURITY_TOKEN: 'ENVTOKEN',
    });
    expect(settings.endpoint).toBe('https://sae.ap-southeast-1.aliyuncs.com');
    expect(settings.credentials).toEqual({ accessKeyId: 'ENVID', accessKeySecret: 'ENVSECRET', securityToken: 'ENVTOKEN' });
    expect(settings.credentialsSource).toContain('environment');
  });

  it('prefers explicit key inputs over the environment', () => {
    const { settings } = read({}, { ALIBABA_CLOUD_ACCESS_KEY_ID: 'ENVID', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'ENVSECRET' });
    expect(settings.credentials.accessKeyId).toBe('AKID');
  });

  it('accepts loopback http endpoints and https anywhere', () => {
    expect(read({ endpoint: 'http://127.0.0.1:8080' }).settings.endpoint).toBe('http://127.0.0.1:8080');
    expect(read({ endpoint: 'http://localhost:9' }).settings.endpoint).toBe('http://localhost:9');
    expect(read({ endpoint: 'https://sae-vpc.cn-hangzhou.aliyuncs.com/' }).settings.endpoint).toBe('https://sae-vpc.cn-hangzhou.aliyuncs.com');
    expect(read({ endpoint: 'http://127.0.0.1:1', 'region-id': '' }).settings.regionId).toBeUndefined();
  });

  it('selects the product and its endpoint', () => {
    expect(read({ product: 'edas' }).settings).toMatchObject({ product: 'edas', endpoint: 'https://edas.cn-hangzhou.aliyuncs.com' });
    expect(read({ product: 'SAE' }).settings.product).toBe('sae');
    expect(() => read({ product: 'ecs' })).toThrow('Invalid input "product": "ecs" is not one of sae, edas');
    expect(() => read({ product: 'constructor' })).toThrow(/"product"/);
  });

  it('warns, but accepts, a poll interval under 5s', () => {
    const { settings, warnings } = read({ 'poll-interval': '1s' });
    expect(settings.pollIntervalMs).toBe(1000);
    expect(warnings.join()).toMatch(/throttl/);
  });

  it.each([
    ['3s', 3000],
    ['90s', 90_000],
    ['15m', 900_000],
    ['2h', 7_200_000],
    ['1h30m', 5_400_000],
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
    expect(() => read({ 'access-key-id': '', 'access-key-secret': '' }, { ALIBABA_CLOUD_ACCESS_KEY_ID: 'x' })).toThrow(/ALIBABA_CLOUD_ACCESS_KEY_SECRET is missing/);
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
