/** The renewal rule and RenewingCredentials (fake clock), the GitHub token fetch, and oidcCredentials against the fakes. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ApiError } from '../../src/alicloud/api-error.js';
import { credentialSourceFor } from '../../src/connect.js';
import {
  githubIdToken,
  lifetimeOf,
  oidcCredentials,
  RenewingCredentials,
  type OidcSettings,
} from '../../src/alicloud/oidc.js';
import { OidcError, type StsCredentials } from '../../src/alicloud/sts.js';
import { FakeGitHubOidc } from '../../__fixtures__/github-oidc.js';
import { FakeSts, PROVIDER_ARN, ROLE_ARN } from '../../__fixtures__/sts.js';
import { FakeClock, RecordingLog } from '../helpers/fakes.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;

describe('lifetimeOf: renew 5 minutes before expiry, or after 80% of the lifetime when that comes first', () => {
  it.each([
    ['12h', 12 * H, 12 * H - 5 * M],
    ['1h', H, 55 * M],
    ['25m', 25 * M, 20 * M],
    ['15m', 15 * M, 12 * M],
    ['10s', 10 * S, 8 * S],
    ['4s', 4 * S, 3.2 * S],
  ])('a %s session renews %p ms after it starts', (_name, lifetime, renewAfter) => {
    const l = lifetimeOf(1000, lifetime, 1000 + lifetime);
    expect(l.expiresAt).toBe(1000 + lifetime);
    expect(l.renewAt).toBe(1000 + renewAfter);
    expect(l.usableUntil).toBeGreaterThan(l.renewAt);
    expect(l.usableUntil).toBeLessThan(l.expiresAt);
  });

  it('trusts neither a far Expiration (runner clock behind) nor one already past (runner clock ahead) beyond what was asked', () => {
    expect(lifetimeOf(0, H, 3 * H).expiresAt).toBe(H);
    expect(lifetimeOf(10 * M, H, 5 * M).expiresAt).toBe(70 * M);
    expect(lifetimeOf(0, H, undefined).expiresAt).toBe(H);
    // STS granting less than asked (the fakes do): the shorter Expiration wins.
    expect(lifetimeOf(0, H, 4 * S)).toEqual({ expiresAt: 4 * S, renewAt: 3.2 * S, usableUntil: 3.8 * S });
  });
});

/** An exchange whose answers the test controls. */
class ScriptedExchange {
  calls = 0;
  results: (StsCredentials | ApiError | (() => Promise<StsCredentials>))[] = [];
  constructor(
    private readonly clock: FakeClock,
    private readonly lifetimeMs: number,
  ) {}
  run = async (): Promise<StsCredentials> => {
    this.calls += 1;
    const next = this.results.shift();
    if (next instanceof ApiError) throw next;
    if (typeof next === 'function') return next();
    return next ?? this.fresh();
  };
  fresh(): StsCredentials {
    return {
      accessKeyId: `STS.${this.calls}`,
      accessKeySecret: `secret-${this.calls}`,
      securityToken: `token-${this.calls}`,
      expiration: this.clock.now() + this.lifetimeMs,
    };
  }
}

function renewing(lifetimeMs: number, requestedMs = H) {
  const clock = new FakeClock(0);
  const log = new RecordingLog();
  const exchange = new ScriptedExchange(clock, lifetimeMs);
  const source = new RenewingCredentials({
    label: 'role r (session s)',
    clock,
    log,
    requestedMs,
    exchange: exchange.run,
  });
  return { clock, log, exchange, source };
}

const stsDown = () => new OidcError('STS AssumeRoleWithOIDC', 'ServiceUnavailable', 'down', 'unavailable', 503);

describe('RenewingCredentials', () => {
  it('exchanges once, hands out the same credentials until the renewal time, then renews', async () => {
    const { clock, log, exchange, source } = renewing(H);
    expect((await source.get()).accessKeyId).toBe('STS.1');
    clock.t = 55 * M - 1;
    expect((await source.get()).accessKeyId).toBe('STS.1');
    expect(exchange.calls).toBe(1);
    clock.t = 55 * M;
    expect((await source.get()).accessKeyId).toBe('STS.2');
    expect(exchange.calls).toBe(2);
    expect(log.text()).toMatch(
      /Assumed role r \(session s\) with a GitHub OIDC token: good until 01:00:00 UTC, renewed from 00:55:00 UTC/,
    );
    expect(log.text()).toMatch(/Renewed role r \(session s\) with a GitHub OIDC token: good until 01:55:00 UTC/);
    expect(log.text()).not.toMatch(/secret-|token-\d/);
  });

  it('keeps a 2-hour watch on 4-second credentials: never hands out expired ones, renews about every 80% of a lifetime', async () => {
    const { clock, exchange, source } = renewing(4 * S);
    const issuedAt = new Map<string, number>();
    for (let t = 0; t < 2 * H; t += 700) {
      clock.t = t;
      const c = await source.get();
      if (!issuedAt.has(c.accessKeyId)) issuedAt.set(c.accessKeyId, t);
      expect(t).toBeLessThan(issuedAt.get(c.accessKeyId)! + 4 * S);
    }
    expect(exchange.calls).toBeGreaterThan((2 * H) / (4 * S));
    expect(exchange.calls).toBeLessThan((2 * H) / (3 * S));
  });

  it('shares one exchange among concurrent requests during a renewal', async () => {
    const { clock, exchange, source } = renewing(H);
    await source.get();
    clock.t = 56 * M;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    exchange.results.push(async () => {
      await gate;
      return exchange.fresh();
    });
    const all = Promise.all([source.get(), source.get(), source.get()]);
    await Promise.resolve();
    expect(exchange.calls).toBe(2);
    release();
    expect(new Set((await all).map((c) => c.accessKeyId))).toEqual(new Set(['STS.2']));
    expect(exchange.calls).toBe(2);
    expect((await source.get()).accessKeyId).toBe('STS.2');
    expect(exchange.calls).toBe(2);
  });

  it('fails the first exchange loudly, and tries again on the next request', async () => {
    const { exchange, source } = renewing(H);
    exchange.results.push(
      new OidcError(
        'STS AssumeRoleWithOIDC',
        'AuthenticationFail.OIDCToken.Expired',
        'This JsonWebToken is expired.',
        'rejected',
        401,
      ),
    );
    await expect(source.get()).rejects.toMatchObject({ code: 'AuthenticationFail.OIDCToken.Expired' });
    expect((await source.get()).accessKeyId).toBe('STS.2');
  });

  it('rides out a failed renewal on the current credentials while they are good, then gives up with the error', async () => {
    const { clock, log, exchange, source } = renewing(H);
    await source.get();
    exchange.results.push(stsDown(), stsDown(), stsDown(), stsDown(), stsDown(), stsDown());
    clock.t = 55 * M;
    expect((await source.get()).accessKeyId).toBe('STS.1');
    expect(exchange.calls).toBe(2);
    expect(log.text(['warning'])).toMatch(
      /Could not renew the credentials of role r \(session s\): STS AssumeRoleWithOIDC failed: ServiceUnavailable \(HTTP 503\): down\. The current ones are good until 01:00:00 UTC; trying again in 30s\./,
    );
    clock.t = 55 * M + 10 * S; // backing off: no new exchange yet
    expect((await source.get()).accessKeyId).toBe('STS.1');
    expect(exchange.calls).toBe(2);
    clock.t = 55 * M + 30 * S;
    expect((await source.get()).accessKeyId).toBe('STS.1');
    expect(exchange.calls).toBe(3);
    clock.t = H - 75 * S; // usable until 1m15s before expiry (a quarter of the 5m margin)
    await expect(source.get()).rejects.toMatchObject({ code: 'ServiceUnavailable' });
    exchange.results.length = 0;
    expect((await source.get()).accessKeyId).toMatch(/^STS\./);
  });
});

describe('githubIdToken', () => {
  it('says to add `permissions: id-token: write` when the runner gave the job no token endpoint', async () => {
    let fetched = 0;
    const fetch = githubIdToken({ ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'x' }, async () => `${++fetched}`);
    const err = (await fetch('sts.aliyuncs.com').catch((e: unknown) => e)) as OidcError;
    expect(err).toBeInstanceOf(OidcError);
    expect(err.message).toContain('ACTIONS_ID_TOKEN_REQUEST_URL is not set');
    expect(err.hint).toContain('permissions: id-token: write');
    expect(err.transient).toBe(false);
    expect(fetched).toBe(0);
  });

  it('passes the audience through, and words a refusal or a fault of the endpoint', async () => {
    const env = {
      ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1:1/x?api-version=2.0',
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 't',
    };
    expect(await githubIdToken(env, async (aud) => `jwt-for-${aud}`)('sts.aliyuncs.com')).toBe(
      'jwt-for-sts.aliyuncs.com',
    );
    const denied = (await githubIdToken(env, async () =>
      Promise.reject(
        new Error(
          'Error message: Failed to get ID Token. \n \n        Error Code : 403\n \n        Error Message: Forbidden',
        ),
      ),
    )('a').catch((e: unknown) => e)) as OidcError;
    expect([denied.code, denied.transient]).toEqual(['IdTokenDenied', false]);
    expect(denied.message).toContain('Error Code : 403 Error Message: Forbidden');
    expect(denied.hint).toContain('id-token: write');
    const down = (await githubIdToken(env, async () =>
      Promise.reject(new Error('Error message: connect ECONNREFUSED')),
    )('a').catch((e: unknown) => e)) as OidcError;
    expect([down.code, down.transient]).toEqual(['IdTokenFailed', true]);
  });

  it('uses @actions/core getIDToken by default, against the token endpoint', async () => {
    const github = await FakeGitHubOidc.start({ key: 'k' });
    try {
      const env = github.env();
      Object.assign(process.env, env);
      const token = await githubIdToken(process.env)('sts.aliyuncs.com');
      expect(token).toBe(github.issued[0]);
      expect(github.requests).toEqual([
        expect.objectContaining({ authorized: true, audience: 'sts.aliyuncs.com', status: 200 }),
      ]);
      process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN = 'not-the-runner-token';
      const refused = (await githubIdToken(process.env)('sts.aliyuncs.com').catch((e: unknown) => e)) as OidcError;
      expect([refused.code, refused.transient]).toEqual(['IdTokenDenied', false]);
    } finally {
      delete process.env.ACTIONS_ID_TOKEN_REQUEST_URL;
      delete process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
      await github.close();
    }
  });
});

describe('oidcCredentials against the fake GitHub and STS', () => {
  const KEY = 'jwt-key-oidc-test';
  let github: FakeGitHubOidc;
  let sts: FakeSts;
  beforeAll(async () => {
    github = await FakeGitHubOidc.start({ key: KEY });
    sts = await FakeSts.start({ jwtKey: KEY, lifetimeMs: 20 * S });
    Object.assign(process.env, github.env()); // @actions/core reads them from process.env
  });
  afterAll(async () => {
    delete process.env.ACTIONS_ID_TOKEN_REQUEST_URL;
    delete process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
    await Promise.all([github.close(), sts.close()]);
  });

  const settings = (): OidcSettings => ({
    roleArn: ROLE_ARN,
    oidcProviderArn: PROVIDER_ARN,
    audience: 'sts.aliyuncs.com',
    roleSessionName: 'gh-7-acme.shop',
    sessionMs: 15 * M,
    stsEndpoint: sts.url,
  });

  it('fetches a fresh ID token for every exchange, asks for the session length, and masks the token and the credentials first', async () => {
    const clock = new FakeClock(Date.now());
    const log = new RecordingLog();
    const masked: string[] = [];
    const source = oidcCredentials(settings(), {
      clock,
      log,
      mask: (s) => masked.push(s),
      getIDToken: githubIdToken(process.env),
      requestTimeoutMs: 5000,
    });
    const tokensBefore = github.issued.length;
    const exchangesBefore = sts.exchanges.length;
    const first = await source.get();
    // Past 80% of the 20 s the fake STS grants; its Expiration is in whole seconds of real time, so up to 1 s later.
    clock.t += 17 * S;
    const second = await source.get();
    expect(second.accessKeyId).not.toBe(first.accessKeyId);
    const tokens = github.issued.slice(tokensBefore);
    const exchanges = sts.exchanges.slice(exchangesBefore);
    expect(tokens).toHaveLength(2);
    expect(new Set(tokens).size).toBe(2);
    expect(exchanges.map((e) => e.form.OIDCToken)).toEqual(tokens);
    expect(exchanges.map((e) => e.form.DurationSeconds)).toEqual(['900', '900']);
    expect(exchanges.map((e) => e.form.RoleSessionName)).toEqual(['gh-7-acme.shop', 'gh-7-acme.shop']);
    for (const [i, e] of exchanges.entries()) {
      expect(masked).toEqual(
        expect.arrayContaining([tokens[i], e.issued!.accessKeySecret, e.issued!.securityToken, e.issued!.accessKeyId]),
      );
    }
    expect(log.lines.map((l) => l.message).join('\n')).not.toMatch(
      new RegExp([...tokens, ...exchanges.map((e) => e.issued!.accessKeySecret)].join('|')),
    );
  });

  it('is what credentialSourceFor builds for OIDC settings; fixed keys stay as they are', async () => {
    const deps = {
      clock: new FakeClock(),
      log: new RecordingLog(),
      mask: () => undefined,
      getIDToken: async () => 'x',
      requestTimeoutMs: 1000,
    };
    expect(
      credentialSourceFor({ oidc: settings(), credentialsSource: 'oidc', requestTimeoutMs: 1000 }, deps),
    ).toBeInstanceOf(RenewingCredentials);
    const fixed = credentialSourceFor(
      {
        credentials: { accessKeyId: 'AK', accessKeySecret: 'SK' },
        credentialsSource: 'the inputs',
        requestTimeoutMs: 1000,
      },
      deps,
    );
    expect(fixed.description).toBe('the inputs');
    expect(await fixed.get()).toEqual({ accessKeyId: 'AK', accessKeySecret: 'SK' });
  });

  it('bounds a token request that never answers by the request timeout', async () => {
    const source = oidcCredentials(settings(), {
      clock: new FakeClock(),
      log: new RecordingLog(),
      mask: () => undefined,
      getIDToken: () => new Promise<string>(() => undefined),
      requestTimeoutMs: 200,
    });
    await expect(source.get()).rejects.toMatchObject({ code: 'RequestTimeout', kind: 'timeout' });
  });
});
