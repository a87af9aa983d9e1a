/**
 * End to end, dist/ against a hostile network (issue 19): a HostileServer in front of the fake cloud, STS and GitHub
 * answers any call with anything. Each block is one class of the issue: 1 workflow-command injection, 2 secrets
 * echoed back, 5 hangs and crashes, 8 the summary's text.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createGzip } from 'node:zlib';
import { FakeCloud } from '../../__fixtures__/cloud.js';
import { FakeGitHub } from '../../__fixtures__/github.js';
import { FakeGitHubOidc } from '../../__fixtures__/github-oidc.js';
import { FakeSts, PROVIDER_ARN, ROLE_ARN } from '../../__fixtures__/sts.js';
import { HostileServer, operation } from '../../__fixtures__/hostile.js';
import { readableText, runAction, startAction, type ActionRun } from '../../__fixtures__/action.js';
import { KEY_ID, SECRET, keyInputs, nextId } from './helpers.js';

const JWT_KEY = 'hostile-test-jwt-key-0123456789abcdef';
let cloud: FakeCloud;
let hostile: HostileServer;
let github: FakeGitHub;
let hostileGitHub: HostileServer;
let oidc: FakeGitHubOidc;
let sts: FakeSts;
let hostileSts: HostileServer;

beforeAll(async () => {
  cloud = await FakeCloud.start({ accessKeys: { [KEY_ID]: SECRET } });
  hostile = await HostileServer.start(cloud.url);
  github = await FakeGitHub.start();
  hostileGitHub = await HostileServer.start(github.url);
  oidc = await FakeGitHubOidc.start({ key: JWT_KEY });
  sts = await FakeSts.start({ jwtKey: JWT_KEY, cloud, lifetimeMs: 15 * 60_000 });
  hostileSts = await HostileServer.start(sts.url);
});
afterAll(async () => {
  await Promise.all([hostile.close(), hostileGitHub.close(), hostileSts.close()]);
  await Promise.all([cloud.close(), github.close(), oidc.close(), sts.close()]);
});

/** A value for every text field: line breaks of every kind, workflow commands, ANSI escapes, C0 and C1 controls. */
const EVIL =
  'X\n::add-mask::leak\r::stop-commands::tok\r\n##[group]legacy\u0085::warning::nel\u2028::error::ls\u001b[31mred\u001b]0;title\u0007\u0000\u0007\u009b2J\tend';

/** Lines on stdout that start like a workflow command (after the blanks the runner skips) and are not one of ours. */
function injected(run: ActionRun): string[] {
  const ours = /^::(debug|error|warning|notice|add-mask|set-output|save-state)( [^:]*)?::/;
  return run.stdout.split('\n').filter((l) => /^\s*(::|##\[)/.test(l) && !ours.test(l));
}

/** Control characters other than the LF that ends each line. */
function controls(text: string): string[] {
  // eslint-disable-next-line no-control-regex
  return [...text.matchAll(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/g)].map((m) => m[0]);
}

/** Every line our commands carry must hold no unescaped stop-commands or add-mask of the attacker's. */
function expectClean(run: ActionRun): void {
  expect(injected(run)).toEqual([]);
  expect(controls(run.stdout)).toEqual([]);
  expect(run.stdout).not.toMatch(/^\s*::(stop-commands|add-mask::leak)/m);
}

describe('class 1: workflow-command injection', () => {
  it('walks every field of a failed release (names, types, batches, pipeline texts, refused abort) and injects nothing', async () => {
    const id = nextId('inj');
    cloud.addOrder({
      id,
      appName: EVIL,
      coType: EVIL,
      batchType: EVIL,
      description: EVIL,
      batches: [{ name: `${EVIL}-1` }, { name: `${EVIL}-2` }],
      timeline: [
        { status: 1, batches: [1, 0], reads: 1 },
        { status: 3, batches: [3, 0], errorMessage: EVIL },
      ],
    });
    cloud.injectFault({ kind: 'error-code', errorCode: EVIL, message: EVIL }, { action: 'AbortChangeOrder', times: 9 });
    cloud.injectFault(
      { kind: 'error-code', errorCode: EVIL, message: EVIL },
      { action: 'AbortAndRollbackChangeOrder', times: 9 },
    );
    const run = await runAction({ inputs: keyInputs(cloud.url, { 'change-order-id': id, timeout: '20s' }) });
    // BatchType is an enum in the model: a hostile value breaks it on purpose.
    cloud.takeViolations();
    expect(run.code).toBe(1);
    expectClean(run);
    expect(run.stdout).toContain('stop-commands');
  });

  it("a stuck order whose ErrorMessage carries commands (the issue's example), in info and debug lines", async () => {
    const id = nextId('inj');
    cloud.addOrder({
      id,
      appName: EVIL,
      batches: [{ name: EVIL }],
      timeline: [{ status: 1, batches: [1], errorMessage: 'X\n::add-mask::abc\n::stop-commands::tok' }],
    });
    const run = await runAction({
      inputs: keyInputs(cloud.url, { 'change-order-id': id, timeout: '3s', 'on-timeout': 'none' }),
      env: { RUNNER_DEBUG: '1' },
    });
    expect(run.outputs.result).toBe('timed-out');
    expectClean(run);
  });

  it('an answer that echoes another ChangeOrderId, and ListChangeOrders fields, when the gate finds the order', async () => {
    const id = nextId('inj');
    cloud.addOrder({
      id,
      appId: `app-${id}`,
      appName: EVIL,
      description: EVIL,
      coType: EVIL,
      batches: [{ name: EVIL }],
      timeline: [{ status: 2, batches: [2] }],
      extra: (body) => {
        const data = body.Data as Record<string, unknown> | undefined;
        if (data) data.ChangeOrderId = `${id}${EVIL}`;
      },
    });
    const run = await runAction({ inputs: keyInputs(cloud.url, { 'app-id': `app-${id}`, timeout: '6s' }) });
    expect(run.outputs.result).toBeTruthy();
    expectClean(run);
  });

  it('a GitHub answer and a deployment-status description built from API text', async () => {
    const id = nextId('inj');
    cloud.addOrder({ id, batches: [{ name: EVIL }], timeline: [{ status: 3, batches: [3], errorMessage: EVIL }] });
    hostileGitHub.on({
      match: (r) => r.url.includes('/deployments/77/'),
      answer: { status: 422, body: { message: EVIL } },
      times: 1,
    });
    const run = await runAction({
      inputs: keyInputs(cloud.url, {
        'change-order-id': id,
        'deployment-id': '77',
        'github-token': 'ghs_injection_token_1',
      }),
      env: { GITHUB_API_URL: hostileGitHub.url, GITHUB_REPOSITORY: 'acme/shop', GITHUB_RUN_ID: '1' },
    });
    expect(run.code).toBe(1);
    expectClean(run);
  });

  it('the post step, with a refused abort', async () => {
    const id = nextId('inj');
    cloud.addOrder({ id, batches: [{ name: EVIL }], timeline: [{ status: 1, batches: [1], errorMessage: EVIL }] });
    cloud.injectFault({ kind: 'error-code', errorCode: EVIL, message: EVIL }, { action: 'AbortChangeOrder', times: 9 });
    const run = await runAction({
      entry: 'dist/post/index.js',
      inputs: keyInputs(cloud.url, { 'on-cancel': 'abort' }),
      state: { 'change-order-id': id, done: 'false' },
    });
    expect(run.stdout).toContain('Post step');
    expectClean(run);
  });
});

const TOKEN = 'CAIS-hostile-security-token-9f8e7d6c5b4a';
const SIGNED_SECRET = 'hostile-secret-0a1b2c3d4e5f';

describe('class 2: secrets echoed back', () => {
  it('a SignatureDoesNotMatch that echoes the string-to-sign with x-acs-security-token and the secret', async () => {
    hostile.on({
      match: operation('DescribeChangeOrder'),
      answer: (req) => ({
        status: 400,
        body: {
          Code: 'SignatureDoesNotMatch',
          Message: `server string to sign is:GET\naccept:application/json\nx-acs-security-token:${TOKEN}\nkey ${SIGNED_SECRET} ${encodeURIComponent(TOKEN)} ${String(req.headers.authorization)}`,
          RequestId: `${TOKEN}-req`,
        },
      }),
      times: 1,
    });
    const run = await runAction({
      inputs: keyInputs(hostile.url, {
        'change-order-id': nextId('sig'),
        'access-key-id': 'LTAI-hostile-key-id',
        'access-key-secret': SIGNED_SECRET,
        'security-token': TOKEN,
      }),
    });
    expect(run.code).toBe(1);
    expect(run.outputs['error-message']).toContain('SignatureDoesNotMatch');
    const text = readableText(run);
    for (const s of [TOKEN, SIGNED_SECRET, encodeURIComponent(TOKEN)]) expect(text).not.toContain(s);
  });

  const oidcInputs = (id: string, over: Record<string, string> = {}) => ({
    'change-order-id': id,
    'region-id': 'cn-hangzhou',
    endpoint: cloud.url,
    'role-to-assume': ROLE_ARN,
    'oidc-provider-arn': PROVIDER_ARN,
    'sts-endpoint': hostileSts.url,
    'poll-interval': '1s',
    timeout: '20s',
    ...over,
  });

  it('an STS error that echoes the OIDC token in its Message and RequestId', async () => {
    const before = oidc.issued.length;
    hostileSts.on({
      match: operation('AssumeRoleWithOIDC'),
      answer: (req) => {
        const token = new URLSearchParams(req.body).get('OIDCToken') ?? '';
        return {
          status: 400,
          body: { Code: 'AuthenticationFail.OIDCToken.Invalid', Message: `bad token ${token}`, RequestId: token },
        };
      },
      times: 1,
    });
    const run = await runAction({
      inputs: oidcInputs(nextId('sts')),
      env: { ...oidc.env(), GITHUB_REPOSITORY: 'acme/shop', GITHUB_RUN_ID: '7' },
    });
    expect(run.code).toBe(1);
    const tokens = oidc.issued.slice(before);
    expect(tokens.length).toBeGreaterThan(0);
    const text = readableText(run);
    for (const t of [...tokens, oidc.requestToken]) expect(text).not.toContain(t);
  });

  it('with DEBUG=* the bundled HTTP client prints no credential (string-to-sign, STS answer)', async () => {
    const id = nextId('dbg');
    cloud.addOrder({
      id,
      batches: [{ name: 'B1' }],
      timeline: [
        { status: 1, batches: [1], reads: 1 },
        { status: 2, batches: [2] },
      ],
    });
    const before = sts.exchanges.length;
    const run = await runAction({
      inputs: oidcInputs(id),
      env: { ...oidc.env(), GITHUB_REPOSITORY: 'acme/shop', GITHUB_RUN_ID: '8', DEBUG: '*' },
    });
    expect(run.code).toBe(0);
    const issued = sts.exchanges
      .slice(before)
      .flatMap((e) => (e.issued ? [e.issued.accessKeySecret, e.issued.securityToken] : []));
    expect(issued.length).toBeGreaterThan(1);
    const text = readableText(run);
    for (const s of issued) expect(text).not.toContain(s);
    expect(run.stderr).not.toMatch(/stringToSign|httpx:/);
  });

  it('a GitHub API error that echoes the token', async () => {
    const id = nextId('gh');
    cloud.addOrder({ id, batches: [{ name: 'B1' }], timeline: [{ status: 2, batches: [2] }] });
    const gh = 'ghs_hostileEchoToken0123456789';
    hostileGitHub.on({
      match: (r) => r.url.includes('/deployments/78/'),
      answer: (req) => ({
        status: 401,
        body: { message: `Bad credentials: ${String(req.headers.authorization)} ${gh}` },
      }),
    });
    const run = await runAction({
      inputs: keyInputs(cloud.url, { 'change-order-id': id, 'deployment-id': '78', 'github-token': gh }),
      env: { GITHUB_API_URL: hostileGitHub.url, GITHUB_REPOSITORY: 'acme/shop', GITHUB_RUN_ID: '1' },
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Could not set the status of deployment 78');
    expect(readableText(run)).not.toContain(gh);
  });
});

/** A gzip body that inflates to `mib` MiB of zeros (about 1/1000 of that on the wire). */
async function gzipBomb(mib: number): Promise<Buffer> {
  const gz = createGzip({ level: 9 });
  const out: Buffer[] = [];
  gz.on('data', (c: Buffer) => out.push(c));
  const done = new Promise((resolve) => gz.on('end', resolve));
  const mb = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < mib; i++) if (!gz.write(mb)) await new Promise((r) => gz.once('drain', r));
  gz.end();
  await done;
  return Buffer.concat(out);
}

describe('class 5: hangs and crashes', () => {
  it('a body that trickles does not keep the process alive after the result is written', async () => {
    const id = nextId('trk');
    cloud.addOrder({ id, batches: [{ name: 'B1' }], timeline: [{ status: 2, batches: [2] }] });
    hostile.on({
      match: (r) => operation('DescribeChangeOrder')(r) && r.url.includes(id),
      answer: { body: '{"RequestId":"x", ', trickle: { chunk: ' ', everyMs: 200, count: 250 } },
      times: 1,
    });
    const run = await runAction({
      inputs: keyInputs(hostile.url, { 'change-order-id': id, 'request-timeout': '2s', timeout: '30s' }),
    });
    expect(run.outputs.result).toBe('succeeded');
    expect(run.code).toBe(0);
    expect(run.ms).toBeLessThan(15_000);
  }, 90_000);

  it('a GitHub Deployments API that never answers neither blocks the first read nor the end', async () => {
    const id = nextId('hang');
    cloud.addOrder({
      id,
      batches: [{ name: 'B1' }],
      timeline: [
        { status: 1, batches: [1], reads: 1 },
        { status: 2, batches: [2] },
      ],
    });
    hostileGitHub.on({ match: (r) => r.url.includes('/deployments/79/'), answer: { hang: true } });
    const started = Date.now();
    const { child, done } = startAction({
      inputs: keyInputs(cloud.url, {
        'change-order-id': id,
        'deployment-id': '79',
        'github-token': 'ghs_hang_token_000',
      }),
      env: { GITHUB_API_URL: hostileGitHub.url, GITHUB_REPOSITORY: 'acme/shop', GITHUB_RUN_ID: '1' },
    });
    const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const run = await done;
    clearTimeout(killer);
    const first = cloud.calls.find((c) => c.query.ChangeOrderId === id);
    expect(first).toBeDefined();
    expect(first!.at - started).toBeLessThan(3000);
    expect(run.outputs.result).toBe('succeeded');
    expect(run.ms).toBeLessThan(40_000);
  }, 90_000);

  it('a gzip bomb is a malformed response, not a crash', async () => {
    const id = nextId('bomb');
    const bomb = await gzipBomb(600);
    hostile.on({
      match: (r) => operation('DescribeChangeOrder')(r) && r.url.includes(id),
      answer: { headers: { 'content-encoding': 'gzip' }, body: bomb },
    });
    const run = await runAction({
      inputs: keyInputs(hostile.url, { 'change-order-id': id, timeout: '5s', 'on-timeout': 'none' }),
    });
    expect(run.signal).toBeNull();
    expect(run.outputs.result).toMatch(/^(error|timed-out)$/);
    expect(run.stdout).toContain('ResponseTooLarge');
    expect(run.stderr).not.toMatch(/FATAL|heap|RangeError/);
  }, 90_000);

  it('a 1.5 MB Description and ErrorMessage give bounded outputs, log lines and summary, saying where they were cut', async () => {
    const id = nextId('big');
    // Under the 4 MiB body cap together (a larger answer is a malformed response, see the gzip bomb).
    const huge = 'D'.repeat(1_500_000);
    cloud.addOrder({
      id,
      description: huge,
      batches: [{ name: huge.slice(0, 50_000) }],
      timeline: [{ status: 3, batches: [3], errorMessage: huge }],
    });
    const run = await runAction({ inputs: keyInputs(cloud.url, { 'change-order-id': id, 'on-failure': 'none' }) });
    expect(run.code).toBe(1);
    expect(run.outputs['change-order']!.length).toBeLessThan(64 * 1024);
    expect(JSON.parse(run.outputs['change-order']!)).toBeTruthy();
    expect(run.outputs['change-order']).toMatch(/cut at \d+ of 1500000 characters/);
    for (const v of Object.values(run.outputs)) expect(v.length).toBeLessThanOrEqual(64 * 1024);
    expect(run.stdout.length).toBeLessThan(512 * 1024);
    for (const line of run.stdout.split('\n')) expect(line.length).toBeLessThan(8300);
    expect(Buffer.byteLength(run.summary)).toBeLessThan(64 * 1024);
  }, 60_000);
});

describe('class 8: the summary text', () => {
  it('neutralises @mentions, auto-linked URLs, bidi and zero-width characters, and absurd chart times', async () => {
    const id = nextId('sum');
    const text = '@octocat see https://evil.example/x and www.evil.example \u202Egnp.exe\u202C z\u200Bw\uFEFF';
    cloud.addOrder({
      id,
      appName: text,
      description: text,
      batches: [{ name: text }, { name: 'B2' }],
      timeline: [{ status: 3, batches: [3, 2], errorMessage: text }],
      extra: (body) => {
        const data = body.Data as { Pipelines?: Record<string, unknown>[] } | undefined;
        if (data?.Pipelines?.[1]) {
          data.Pipelines[1].StartTime = 253402300799000 * 10;
          data.Pipelines[1].UpdateTime = 1;
        }
      },
    });
    const run = await runAction({ inputs: keyInputs(cloud.url, { 'change-order-id': id, 'on-failure': 'none' }) });
    // The Mermaid block is code: GitHub links nothing in it (its task names are stripped to letters anyway).
    const [md, chart] = run.summary.split('```mermaid');
    expect(md!.length).toBeGreaterThan(100);
    expect(md).not.toMatch(/@octocat|https:\/\/evil|www\.evil/);
    expect(md).not.toMatch(/[\u202a-\u202e\u200b-\u200f\u2060-\u2069\ufeff]/);
    expect(chart).toContain('gantt');
    expect(chart).not.toContain('2534023007990000');
    for (const m of chart!.matchAll(/, (\d{10,}), (\d{10,})/g)) {
      expect(Number(m[1])).toBeGreaterThan(Date.UTC(2000, 0, 1));
      expect(Number(m[2])).toBeLessThan(Date.now() + 86_400_000);
    }
  });
});

describe('class 6: a server that asks us to wait', () => {
  it('waits as long as Retry-After says on an HTTP 429 without a Throttling code, then goes on to a pass', async () => {
    const id = nextId('retry-after');
    cloud.addOrder({ id, batches: [{ name: 'B1' }], timeline: [{ status: 2, batches: [2] }] });
    let refusedAt = 0;
    hostile.on({
      match: (r) => operation('DescribeChangeOrder')(r) && r.url.includes(id),
      answer: () => {
        refusedAt = Date.now();
        return {
          status: 429,
          headers: { 'retry-after': '2' },
          body: { Code: 'TooManyRequests', Message: 'slow down', RequestId: 'ra-1' },
        };
      },
      times: 1,
    });
    // With a 1 s poll interval a retry comes 0.25 to 3 s later, at random; the server's 2 s is the least it may wait.
    const run = await runAction({ inputs: keyInputs(hostile.url, { 'change-order-id': id, 'poll-interval': '1s' }) });
    expect(run.outputs.result).toBe('succeeded');
    const next = cloud.calls.find((c) => c.action === 'DescribeChangeOrder' && c.query.ChangeOrderId === id);
    expect(refusedAt).toBeGreaterThan(0);
    expect(next!.at - refusedAt).toBeGreaterThanOrEqual(1900);
  }, 60_000);
});

describe('class 6: broken HTTP is a transport fault', () => {
  it.each([
    ['a status line that is not HTTP (HPE_INVALID_CONSTANT)', 'HTTX/1.1 200 OK\r\n\r\n'],
    [
      'a header larger than the parser takes (HPE_HEADER_OVERFLOW)',
      `HTTP/1.1 200 OK\r\nx-big: ${'a'.repeat(20_000)}\r\n\r\n`,
    ],
  ])(
    '%s is retried like any transport fault, and the release is gated to its end',
    async (_name, raw) => {
      const id = nextId('hpe');
      cloud.addOrder({ id, batches: [{ name: 'B1' }], timeline: [{ status: 2, batches: [2] }] });
      hostile.on({
        match: (r) => operation('DescribeChangeOrder')(r) && r.url.includes(id),
        answer: { raw },
        times: 1,
      });
      const run = await runAction({ inputs: keyInputs(hostile.url, { 'change-order-id': id, 'poll-interval': '1s' }) });
      expect(run.outputs.result).toBe('succeeded');
      expect(cloud.calls.filter((c) => c.action === 'DescribeChangeOrder' && c.query.ChangeOrderId === id).length).toBe(
        1,
      );
    },
    60_000,
  );
});
