import PopCore, { type RPCClient } from '@alicloud/pop-core';
import { ApiError, fromPopCoreError, kindForCode } from './api-error.js';
import type { Credentials } from './credentials.js';
import './http-limits.js';

export const STS_API_VERSION = '2015-04-01';
export const ASSUME_ROLE = 'STS AssumeRoleWithOIDC';

/** Temporary credentials from STS. */
export interface StsCredentials extends Credentials {
  readonly securityToken: string;
  /** When STS says they expire (ms epoch, by STS's clock); absent when the answer had no readable Expiration. */
  readonly expiration?: number;
}

export interface AssumeRoleRequest {
  readonly roleArn: string;
  readonly oidcProviderArn: string;
  readonly roleSessionName: string;
  readonly durationSeconds: number;
  /** The GitHub ID token (a JWT): a secret. */
  readonly oidcToken: string;
}

/**
 * A failure to get role credentials, from GitHub's token endpoint or from STS, with what to fix. Its message never holds
 * the token or a credential.
 */
export class OidcError extends ApiError {
  override get hint(): string | undefined {
    return oidcHint(this.code) ?? super.hint;
  }
}

function oidcHint(code: string): string | undefined {
  if (code === 'IdTokenUnavailable')
    return 'add `permissions: id-token: write` (with `contents: read`) to the workflow or the job: without it GitHub gives the job no OIDC token (pull requests from forks never get one)';
  if (code === 'IdTokenDenied')
    return 'GitHub refused to issue an OIDC token to this job: check that the workflow or the job has `permissions: id-token: write`';
  if (code === 'AuthenticationFail.OIDCToken.Expired')
    return 'STS found the GitHub OIDC token expired (a fresh one is fetched for every exchange): check the clock of the runner';
  if (code === 'AuthenticationFail.OIDCToken.AudienceNotMatch')
    return 'set "audience" to a client ID of the RAM OIDC provider (default sts.aliyuncs.com), or add it to the provider';
  if (code === 'AuthenticationFail.OIDCToken.PublicKeyFingerprintMismatch')
    return 'update the fingerprint of the RAM OIDC provider for https://token.actions.githubusercontent.com (see "OIDC" in the README)';
  if (code.startsWith('AuthenticationFail.OIDCToken'))
    return 'STS did not accept the GitHub OIDC token: check the RAM OIDC provider of "oidc-provider-arn" (issuer https://token.actions.githubusercontent.com, client ID equal to "audience", current fingerprint)';
  if (code === 'AuthenticationFail.NoPermission' || code === 'NoPermission')
    return 'check "oidc-provider-arn", and that the trust policy of "role-to-assume" lets this repository in (its oidc:sub and oidc:aud conditions; see "OIDC" in the README)';
  if (code.startsWith('EntityNotExist'))
    return 'check "role-to-assume" and "oidc-provider-arn": the role or the OIDC provider does not exist';
  if (code === 'InvalidParameter.DurationSeconds')
    return '"role-session-expiration" is longer than the maximum session duration of the role: lower it, or raise the role\'s MaxSessionDuration';
  if (code === 'InvalidParameter.RoleSessionName')
    return 'check "role-session-name": 2 to 64 letters, digits or . @ _ -';
  return undefined;
}

/**
 * AssumeRoleWithOIDC through pop-core's RPCClient (docs/api-notes.md#sts-and-oidc): an anonymous call (no AccessKey, no
 * signature) sent as a POST form, so the token never sits in a URL, and pop-core's error messages (which carry the URL)
 * cannot reveal it either.
 */
export class StsClient {
  private readonly client: RPCClient;

  constructor(
    readonly endpoint: string,
    private readonly timeoutMs: number,
  ) {
    this.client = new PopCore.RPCClient({
      endpoint,
      apiVersion: STS_API_VERSION,
      // No AccessKey: pop-core then sends the request unsigned.
      credentialsProvider: { getCredentials: () => Promise.resolve({}) },
      opts: { timeout: timeoutMs },
    });
  }

  /** Exchanges the token for role credentials. Throws OidcError, whose message never holds the token. */
  async assumeRoleWithOidc(request: AssumeRoleRequest): Promise<StsCredentials> {
    let body: unknown;
    try {
      body = await this.client.request(
        'AssumeRoleWithOIDC',
        {
          RoleArn: request.roleArn,
          OIDCProviderArn: request.oidcProviderArn,
          OIDCToken: request.oidcToken,
          RoleSessionName: request.roleSessionName,
          DurationSeconds: request.durationSeconds,
        },
        // pop-core compares the method with 'POST' exactly; anything else puts every parameter in the URL.
        { method: 'POST', timeout: this.timeoutMs },
      );
    } catch (err) {
      throw stsError(err, request.oidcToken);
    }
    const c = (body && typeof body === 'object' ? (body as Record<string, unknown>).Credentials : undefined) as
      Record<string, unknown> | undefined;
    const field = (k: string): string | undefined => {
      const v = c?.[k];
      return typeof v === 'string' && v !== '' ? v : undefined;
    };
    const accessKeyId = field('AccessKeyId');
    const accessKeySecret = field('AccessKeySecret');
    const securityToken = field('SecurityToken');
    if (!accessKeyId || !accessKeySecret || !securityToken) {
      throw new OidcError(
        ASSUME_ROLE,
        'MalformedResponse',
        'the answer has no Credentials (AccessKeyId, AccessKeySecret, SecurityToken)',
        'malformed',
      );
    }
    const expiration = Date.parse(field('Expiration') ?? '');
    return {
      accessKeyId,
      accessKeySecret,
      securityToken,
      expiration: Number.isFinite(expiration) ? expiration : undefined,
    };
  }
}

/** What pop-core's RPC client threw, as an OidcError with the token scrubbed from anything the server echoed. */
function stsError(err: unknown, token: string): OidcError {
  const scrub = (text: string): string => (token ? text.split(token).join('***') : text).slice(0, 500);
  const e = (err ?? {}) as {
    name?: unknown;
    code?: unknown;
    data?: unknown;
    entry?: { response?: { statusCode?: unknown } };
  };
  if (e.data && typeof e.data === 'object') {
    // A JSON answer with an error Code (pop-core checks the body, not the HTTP status). Its message ends with the URL,
    // so build ours from the body instead.
    const data = e.data as Record<string, unknown>;
    const raw = data.Code ?? e.code;
    const code = typeof raw === 'string' || typeof raw === 'number' ? String(raw) : 'UnknownError';
    const status = typeof e.entry?.response?.statusCode === 'number' ? e.entry.response.statusCode : undefined;
    const requestId = typeof data.RequestId === 'string' ? data.RequestId : undefined;
    return new OidcError(
      ASSUME_ROLE,
      scrub(code),
      scrub(typeof data.Message === 'string' ? data.Message : ''),
      kindForCode(code, status),
      status,
      requestId,
    );
  }
  if (e.name === 'SyntaxError') {
    // json-bigint's parse error carries the whole page in `text`: say what it was, not what it said.
    return new OidcError(
      ASSUME_ROLE,
      'NonJsonResponse',
      'STS answered with a page that is not JSON (a gateway error?)',
      'unavailable',
    );
  }
  const base = fromPopCoreError(ASSUME_ROLE, err);
  return new OidcError(ASSUME_ROLE, scrub(base.code), scrub(base.detail), base.kind, base.httpStatus, base.requestId);
}
