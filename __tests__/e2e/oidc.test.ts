/**
 * End-to-end with a role assumed through GitHub OIDC: dist/ runs as the runner runs it, against a fake GitHub token
 * endpoint, a fake STS that hands out credentials lasting 4 seconds, and a fake SAE that accepts nothing else (it has
 * no AccessKeys at all) and refuses STS credentials once they expire.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FakeCloud, type Call, type OrderScript } from '../../__fixtures__/cloud.js';
import { FakeGitHubOidc } from '../../__fixtures__/github-oidc.js';
import { FakeSts, PROVIDER_ARN, ROLE_ARN, type Exchange } from '../../__fixtures__/sts.js';
import { readableText, runAction, startAction, visibleLog, type ActionRun } from '../../__fixtures__/action.js';

const JWT_KEY = 'fake-github-jwks';
const LIFETIME_MS = 4000;
let cloud: FakeCloud;
let github: FakeGitHubOidc;
let sts: FakeSts;

beforeAll(async () => {
  cloud = await FakeCloud.start({ accessKeys: {} });
  github = await FakeGitHubOidc.start({ key: JWT_KEY });
  sts = await FakeSts.start({ jwtKey: JWT_KEY, cloud, lifetimeMs: LIFETIME_MS });
});
afterAll(async () => {
  await Promise.all([cloud.close(), github.close(), sts.close()]);
});

let n = 0;
const nextId = (prefix: string) => `${prefix}-${++n}-${Date.now().toString(36)}`;
const RUN_ENV = { GITHUB_REPOSITORY: 'acme/shop', GITHUB_RUN_ID: '4242' };

function inputs(id: string, over: Record<string, string> = {}): Record<string, string> {
  return {
    'change-order-id': id,
    'region-id': 'cn-hangzhou',
    endpoint: cloud.url,
    'role-to-assume': ROLE_ARN,
    'oidc-provider-arn': PROVIDER_ARN,
    'sts-endpoint': sts.url,
    'poll-interval': '1s',
    timeout: '40s',
    ...over,
  };
}
const env = (over: Record<string, string> = {}) => ({ ...github.env(), ...RUN_ENV, ...over });

const three = [{ name: 'Batch 1 Change' }, { name: 'Batch 2 Change' }, { name: 'Batch 3 Change' }];
const running = (id: string): OrderScript => ({
  id,
  appId: `app-oidc-${id}`,
  batches: three,
  timeline: [{ status: 1, batches: [1, 0, 0] }],
});
const callsOf = (id: string): Call[] => cloud.calls.filter((c) => c.query.ChangeOrderId === id);
const aborts = (id: string): Call[] => cloud.callsFor('AbortChangeOrder').filter((c) => c.query.ChangeOrderId === id);
const keyOf = (c: Call): string => /^acs ([^:]+):/.exec(c.headers.authorization ?? '')?.[1] ?? '';

/** What the fakes saw from one run. */
function mark() {
  const e = sts.exchanges.length;
  const t = github.requests.length;
  const i = github.issued.length;
  return () => ({
    exchanges: sts.exchanges.slice(e),
    tokenRequests: github.requests.slice(t),
    tokens: github.issued.slice(i),
  });
}

/** Nothing secret is readable: no ID token, no STS secret or token, no runner token; and each was masked. */
function expectNoSecret(run: ActionRun, tokens: string[], exchanges: Exchange[]): void {
  const text = readableText(run);
  const secrets = [
    github.requestToken,
    ...tokens,
    ...exchanges.flatMap((e) => (e.issued ? [e.issued.accessKeySecret, e.issued.securityToken] : [])),
  ];
  expect(secrets.length).toBeGreaterThan(1);
  for (const s of secrets) expect(text).not.toContain(s);
  for (const s of secrets.slice(1)) expect(run.stdout).toContain(`::add-mask::${s}`);
}

describe('OIDC end to end', () => {
  it('watches a release across several credential expiries to a pass, renewing with a fresh ID token each time', async () => {
    const id = nextId('long');
    cloud.addOrder({
      id,
      appId: `app-oidc-${id}`,
      batches: three,
      timeline: [
        { status: 1, batches: [1, 0, 0], ms: 3000 },
        { status: 9, batches: [2, 0, 0], ms: 3000 },
        { status: 1, batches: [2, 1, 0], ms: 3000 },
        { status: 1, batches: [2, 2, 1], ms: 4000 },
        { status: 2, batches: [2, 2, 2] },
      ],
    });
    const seen = mark();
    const run = await runAction({ inputs: inputs(id), env: env() });
    const { exchanges, tokenRequests, tokens } = seen();

    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ result: 'succeeded', status: '2', 'batches-succeeded': '3' });
    // 13 s of release on 4 s credentials: at least three renewals, each with its own ID token.
    expect(exchanges.length).toBeGreaterThanOrEqual(4);
    expect(exchanges.every((e) => e.status === 200 && e.method === 'POST' && e.url === '/')).toBe(true);
    expect(tokenRequests).toHaveLength(exchanges.length);
    expect(tokenRequests.every((r) => r.authorized && r.audience === 'sts.aliyuncs.com')).toBe(true);
    expect(new Set(tokens).size).toBe(tokens.length);
    expect(exchanges.map((e) => e.form.OIDCToken)).toEqual(tokens);
    expect(exchanges[0]!.form).toMatchObject({
      RoleArn: ROLE_ARN,
      OIDCProviderArn: PROVIDER_ARN,
      RoleSessionName: 'gh-4242-acme.shop',
      DurationSeconds: '3600',
    });
    // Every SAE call carried STS credentials that were valid when it arrived; the fake refuses anything else.
    const calls = callsOf(id);
    expect(calls.length).toBeGreaterThanOrEqual(10);
    expect(calls.every((c) => c.status === 200 && c.signatureOk && keyOf(c).startsWith('STS.'))).toBe(true);
    expect(new Set(calls.map(keyOf)).size).toBeGreaterThanOrEqual(3);
    const expiry = new Map(exchanges.map((e) => [e.issued!.accessKeyId, e.issued!.expiresAt]));
    expect(calls.every((c) => c.at < expiry.get(keyOf(c))!)).toBe(true);

    const log = visibleLog(run);
    expect(log).toContain(
      'Credentials: from the role-to-assume and oidc-provider-arn inputs (GitHub OIDC, renewed before expiry).',
    );
    expect(log).toContain(`Assumed role ${ROLE_ARN} (session gh-4242-acme.shop) with a GitHub OIDC token`);
    expect(log).toMatch(/Renewed role .* with a GitHub OIDC token: good until \d\d:\d\d:\d\d UTC/);
    expectNoSecret(run, tokens, exchanges);
  });

  it('aborts a release that times out just after its credentials expired, with renewed ones', async () => {
    const id = nextId('late');
    cloud.addOrder(running(id));
    const seen = mark();
    const run = await runAction({ inputs: inputs(id, { timeout: '5s' }), env: env() });
    const { exchanges, tokens } = seen();

    expect(run.code).toBe(1);
    expect(run.outputs).toMatchObject({ result: 'timed-out', remedy: 'abort', status: '6' });
    const abort = aborts(id)[0]!;
    expect(aborts(id)).toHaveLength(1);
    expect(abort.status).toBe(200);
    const first = exchanges[0]!.issued!;
    expect(abort.at).toBeGreaterThan(first.expiresAt);
    expect(keyOf(abort)).not.toBe(first.accessKeyId);
    expectNoSecret(run, tokens, exchanges);
  });

  it('stops the release on SIGINT right after the credentials expired: the cancel remedy renews them first', async () => {
    const id = nextId('cancel');
    cloud.addOrder(running(id));
    const seen = mark();
    // With 8 s credentials (Expiration is in whole seconds, so 7 to 8 s) renewal is due after 5.6 s or more. Reads at
    // 0 s and 5 s use the first credentials; the signal comes half a second after they expired, before the read at
    // 10 s, so the abort is the request that has to renew them.
    sts.lifetimeMs = 8000;
    const { child, done } = startAction({ inputs: inputs(id, { 'poll-interval': '5s' }), env: env() });
    let run: ActionRun;
    let firstExpiry = 0;
    try {
      const start = Date.now();
      while (seen().exchanges.length === 0 && Date.now() - start < 10_000) await new Promise((r) => setTimeout(r, 20));
      firstExpiry = seen().exchanges[0]!.issued!.expiresAt;
      await new Promise((r) => setTimeout(r, Math.max(0, firstExpiry + 500 - Date.now())));
      expect(seen().exchanges).toHaveLength(1);
      expect(callsOf(id).length).toBe(2);
    } finally {
      sts.lifetimeMs = LIFETIME_MS;
      child.kill('SIGINT');
      run = await done;
    }
    const { exchanges, tokens } = seen();

    expect(run.outputs).toMatchObject({ result: 'cancelled', remedy: 'abort' });
    expect(aborts(id)).toHaveLength(1);
    expect(aborts(id)[0]!.status).toBe(200);
    expect(exchanges.length).toBeGreaterThanOrEqual(2);
    expect(exchanges[1]!.at).toBeGreaterThan(firstExpiry);
    expect(keyOf(aborts(id)[0]!)).toBe(exchanges[1]!.issued!.accessKeyId);
    expectNoSecret(run, tokens, exchanges);
  });

  it('lets the post step assume the role afresh and apply on-cancel', async () => {
    const id = nextId('post');
    cloud.addOrder(running(id));
    const seen = mark();
    const run = await runAction({
      entry: 'dist/post/index.js',
      inputs: inputs(id),
      env: env(),
      // What main records: the order, and the run that recorded it (run ID, attempt, step; issue 19).
      state: { 'change-order-id': id, done: 'false', run: '4242//' },
    });
    const { exchanges, tokens } = seen();

    expect(run.code).toBe(0);
    expect(visibleLog(run)).toContain('Post step: the main step ended before change order');
    expect(exchanges).toHaveLength(1);
    expect(aborts(id)).toHaveLength(1);
    expect(aborts(id)[0]!.status).toBe(200);
    expect(cloud.order(id).status).toBe(6);
    expectNoSecret(run, tokens, exchanges);
  });

  it.each([
    [
      'an expired token',
      () => (github.tokenLifetimeMs = -60_000),
      {},
      'AuthenticationFail.OIDCToken.Expired',
      'check the clock of the runner',
    ],
    [
      'a token for another audience',
      () => undefined,
      { audience: 'https://github.com/acme' },
      'AuthenticationFail.OIDCToken.AudienceNotMatch',
      'set "audience" to a client ID of the RAM OIDC provider',
    ],
    [
      'a provider with a stale fingerprint',
      () =>
        sts.failNext(
          401,
          'AuthenticationFail.OIDCToken.PublicKeyFingerprintMismatch',
          'The public key fingerprint does not match.',
        ),
      {},
      'AuthenticationFail.OIDCToken.PublicKeyFingerprintMismatch',
      'update the fingerprint',
    ],
  ])('explains %s and touches nothing', async (_what, arrange, over, code, hint) => {
    const id = nextId('bad-token');
    cloud.addOrder(running(id));
    arrange();
    const seen = mark();
    let run: ActionRun;
    try {
      run = await runAction({ inputs: inputs(id, over), env: env() });
    } finally {
      github.tokenLifetimeMs = 5 * 60_000;
    }
    const { exchanges, tokens } = seen();

    expect(run.code).toBe(1);
    expect(run.outputs.result).toBe('error');
    expect(run.outputs['error-message']).toContain(
      `STS AssumeRoleWithOIDC failed: ${code} (HTTP 401, request FAKE-STS-`,
    );
    expect(run.outputs['error-message']).toContain(hint);
    expect(run.stdout).toContain(`::error::Result: error. STS AssumeRoleWithOIDC failed: ${code}`);
    expect(exchanges).toHaveLength(1);
    expect(callsOf(id)).toEqual([]);
    expect(tokens).toHaveLength(1);
    expect(readableText(run)).not.toContain(tokens[0]);
  });

  it('without `permissions: id-token: write` says to add it, and calls nothing', async () => {
    const id = nextId('no-permission');
    cloud.addOrder(running(id));
    const seen = mark();
    const run = await runAction({ inputs: inputs(id), env: RUN_ENV });
    const { exchanges, tokenRequests } = seen();

    expect(run.code).toBe(1);
    expect(run.outputs.result).toBe('error');
    expect(run.stdout).toContain(
      '::error::Result: error. GitHub OIDC token request failed: IdTokenUnavailable: this job cannot request a GitHub OIDC token (ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set) (add `permissions: id-token: write`',
    );
    expect([exchanges.length, tokenRequests.length, callsOf(id).length]).toEqual([0, 0, 0]);
  });

  it('refuses OIDC inputs together with key inputs before any call, and keeps the key secret out of the log', async () => {
    const seen = mark();
    const before = cloud.calls.length;
    const run = await runAction({
      inputs: inputs('co-x', { 'access-key-id': 'LTAI-mixed', 'access-key-secret': 'mixed-secret-value' }),
      env: env(),
    });
    const { exchanges, tokenRequests } = seen();

    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      '::error::Inputs "role-to-assume" and "oidc-provider-arn" (OIDC) cannot be combined with "access-key-id", "access-key-secret": give either the role to assume or the keys, not both',
    );
    expect([exchanges.length, tokenRequests.length, cloud.calls.length - before]).toEqual([0, 0, 0]);
    expect(readableText(run)).not.toContain('mixed-secret-value');
  });

  it('prefers the role over ALIBABA_CLOUD_* keys in the environment, and says so', async () => {
    const id = nextId('precedence');
    cloud.addOrder({ ...running(id), timeline: [{ status: 2, batches: [2, 2, 2] }] });
    const seen = mark();
    const run = await runAction({
      inputs: inputs(id),
      env: env({ ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI-env', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'env-secret-value' }),
    });
    const { exchanges } = seen();

    expect(run.code).toBe(0);
    expect(exchanges).toHaveLength(1);
    expect(callsOf(id).every((c) => keyOf(c) === exchanges[0]!.issued!.accessKeyId)).toBe(true);
    expect(visibleLog(run)).toContain(
      '(GitHub OIDC, renewed before expiry); the ALIBABA_CLOUD_* keys in the environment are not used.',
    );
  });
});
