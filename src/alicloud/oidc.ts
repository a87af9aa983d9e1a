import { raceSignal } from '../time/cancel.js';
import * as core from '../runner/core.js';
import { ApiError } from './api-error.js';
import type { Clock } from '../time/clock.js';
import type { CredentialSource, Credentials } from './credentials.js';
import { formatDuration } from '../time/duration.js';
import type { Log } from '../runner/log.js';
import { OidcError, StsClient, type StsCredentials } from './sts.js';

/** Role assumption with a GitHub OIDC token: the inputs role-to-assume, oidc-provider-arn, audience, role-session-*, sts-endpoint. */
export interface OidcSettings {
  /** acs:ram::<account>:role/<name> */
  readonly roleArn: string;
  /** acs:ram::<account>:oidc-provider/<name> */
  readonly oidcProviderArn: string;
  /** The `aud` of the GitHub token: a client ID of the RAM OIDC provider. */
  readonly audience: string;
  readonly roleSessionName: string;
  /** The session length asked of STS (DurationSeconds), 15m or more. */
  readonly sessionMs: number;
  /** e.g. https://sts.aliyuncs.com */
  readonly stsEndpoint: string;
}

/** Fetches a GitHub ID token for an audience (core.getIDToken). */
export type IdTokenFetcher = (audience: string) => Promise<string>;

const TOKEN_OPERATION = 'GitHub OIDC token request';

/**
 * core.getIDToken, with the one failure users hit most said plainly: without `permissions: id-token: write` the runner
 * does not set ACTIONS_ID_TOKEN_REQUEST_URL / _TOKEN. Throws OidcError.
 */
export function githubIdToken(
  env: NodeJS.ProcessEnv,
  fetch: IdTokenFetcher = (audience) => core.getIDToken(audience),
): IdTokenFetcher {
  return async (audience) => {
    const missing = ['ACTIONS_ID_TOKEN_REQUEST_URL', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN'].filter((name) => !env[name]);
    if (missing.length) {
      throw new OidcError(
        TOKEN_OPERATION,
        'IdTokenUnavailable',
        `this job cannot request a GitHub OIDC token (${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set)`,
        'rejected',
      );
    }
    try {
      return await fetch(audience);
    } catch (err) {
      // @actions/core's message spans lines ("Failed to get ID Token.\n Error Code: ...") and may be retried.
      const detail = (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ').trim().slice(0, 300);
      const denied = /Error Code : 40[13]\b/.test(detail);
      throw new OidcError(
        TOKEN_OPERATION,
        denied ? 'IdTokenDenied' : 'IdTokenFailed',
        detail,
        denied ? 'rejected' : 'network',
      );
    }
  };
}

const MINUTE = 60_000;
/** Renew this long before expiry at most; shorter sessions renew after 80% of their life. */
export const RENEW_MARGIN_MS = 5 * MINUTE;

/** When a set of credentials expires, and when to renew it. */
export interface Lifetime {
  readonly expiresAt: number;
  /** From then on the next get() renews. */
  readonly renewAt: number;
  /** If renewing fails, the old credentials are still handed out until then. */
  readonly usableUntil: number;
}

/**
 * The renewal rule, relative to the lifetime so it holds for any session length: renew 5 minutes before expiry, or after
 * 80% of the lifetime when that comes first (a 1h session renews at 55m, a 15m one at 12m, a 5s one at 4s).
 *
 * The lifetime is counted on the local clock from when the exchange started, capped by what was asked for: STS's
 * Expiration is by its own clock, and a runner clock that is off by minutes must not make credentials look valid
 * longer than they are (or already expired, which would renew on every request).
 */
export function lifetimeOf(startedAt: number, requestedMs: number, expiration?: number): Lifetime {
  let expiresAt = startedAt + requestedMs;
  if (expiration !== undefined && expiration > startedAt) expiresAt = Math.min(expiresAt, expiration);
  const margin = Math.min(RENEW_MARGIN_MS, (expiresAt - startedAt) / 5);
  return { expiresAt, renewAt: expiresAt - margin, usableUntil: expiresAt - margin / 4 };
}

export interface RenewingOptions {
  /** For the log: which role and session, never a secret. */
  readonly label: string;
  readonly clock: Clock;
  readonly log: Log;
  /** The session length asked for. */
  readonly requestedMs: number;
  /** Fetches a fresh ID token and exchanges it for credentials; masks every secret it sees. Throws ApiError. */
  readonly exchange: () => Promise<StsCredentials>;
}

/**
 * Role credentials that renew themselves before they expire, so a release of several hours is watched (and stopped)
 * to the end. pop-core asks for credentials before every request (roa.ts), which is when this renews. Concurrent
 * requests during a renewal share one exchange. A failed renewal keeps the current credentials while they are still
 * good, and tries again later; only when none are left does get() throw.
 */
export class RenewingCredentials implements CredentialSource {
  readonly description: string;
  private current?: { credentials: Credentials; lifetime: Lifetime };
  private pending?: Promise<Credentials>;
  private retryAt = 0;
  /** How many exchanges were started (for tests and the log). */
  exchanges = 0;

  constructor(private readonly options: RenewingOptions) {
    this.description = options.label;
  }

  get(): Promise<Credentials> {
    const now = this.options.clock.now();
    const cur = this.current;
    if (cur && (now < cur.lifetime.renewAt || (now < this.retryAt && now < cur.lifetime.usableUntil)))
      return Promise.resolve(cur.credentials);
    this.pending ??= this.renew().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async renew(): Promise<Credentials> {
    const { clock, log } = this.options;
    const startedAt = clock.now();
    const first = this.exchanges === 0;
    this.exchanges += 1;
    let issued: StsCredentials;
    try {
      issued = await this.options.exchange();
    } catch (err) {
      const error =
        err instanceof ApiError
          ? err
          : new OidcError(
              'Role assumption',
              'ClientError',
              err instanceof Error ? err.message : String(err),
              'network',
            );
      const cur = this.current;
      const now = clock.now();
      if (!cur || now >= cur.lifetime.usableUntil) throw error;
      const waitMs = Math.min(30_000, Math.max(0, (cur.lifetime.usableUntil - now) / 4));
      this.retryAt = now + waitMs;
      log.warning(
        `Could not renew the credentials of ${this.options.label}: ${error.explained}. The current ones are good until ${clockTime(cur.lifetime.expiresAt)}; trying again in ${formatDuration(waitMs)}.`,
      );
      return cur.credentials;
    }
    const lifetime = lifetimeOf(startedAt, this.options.requestedMs, issued.expiration);
    const credentials: Credentials = Object.freeze({
      accessKeyId: issued.accessKeyId,
      accessKeySecret: issued.accessKeySecret,
      securityToken: issued.securityToken,
    });
    this.current = { credentials, lifetime };
    this.retryAt = 0;
    log.info(
      `${first ? 'Assumed' : 'Renewed'} ${this.options.label} with a GitHub OIDC token: good until ${clockTime(lifetime.expiresAt)}, renewed from ${clockTime(lifetime.renewAt)}.`,
    );
    return credentials;
  }
}

function clockTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(11, 19)} UTC`;
}

export interface OidcDeps {
  readonly clock: Clock;
  readonly log: Log;
  /** core.setSecret: every secret passes through it before anything could print it. */
  readonly mask: (secret: string) => void;
  readonly getIDToken: IdTokenFetcher;
  /** Bounds the token request and the exchange. */
  readonly requestTimeoutMs: number;
  /** The run's signal: a cancelled run stops waiting for GitHub and STS at once. */
  readonly signal?: AbortSignal;
}

/** Credentials of the role in `settings`, from a fresh GitHub ID token for each exchange. */
export function oidcCredentials(settings: OidcSettings, deps: OidcDeps): RenewingCredentials {
  const sts = new StsClient(settings.stsEndpoint, deps.requestTimeoutMs);
  return new RenewingCredentials({
    label: `role ${settings.roleArn} (session ${settings.roleSessionName})`,
    clock: deps.clock,
    log: deps.log,
    requestedMs: settings.sessionMs,
    exchange: async () => {
      const token = await raceSignal(
        withTimeout(deps.getIDToken(settings.audience), deps.requestTimeoutMs),
        deps.signal,
      );
      if (!token)
        throw new OidcError(TOKEN_OPERATION, 'IdTokenFailed', 'GitHub answered with an empty token', 'network');
      deps.mask(token);
      const issued = await raceSignal(
        sts.assumeRoleWithOidc({
          roleArn: settings.roleArn,
          oidcProviderArn: settings.oidcProviderArn,
          roleSessionName: settings.roleSessionName,
          durationSeconds: Math.round(settings.sessionMs / 1000),
          oidcToken: token,
        }),
        deps.signal,
      );
      for (const secret of [issued.accessKeySecret, issued.securityToken, issued.accessKeyId]) deps.mask(secret);
      return issued;
    },
  });
}

/** The token request has its own retries and no deadline of ours; give it the request timeout. */
async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new OidcError(
            TOKEN_OPERATION,
            'RequestTimeout',
            `GitHub did not answer within ${formatDuration(ms)}`,
            'timeout',
          ),
        ),
      ms,
    );
    timer.unref();
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
