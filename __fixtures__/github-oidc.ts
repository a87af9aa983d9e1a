/**
 * A fake GitHub Actions OIDC token endpoint on 127.0.0.1: what ACTIONS_ID_TOKEN_REQUEST_URL points at. @actions/core's
 * getIDToken GETs `${ACTIONS_ID_TOKEN_REQUEST_URL}&audience=<aud>` with `Authorization: Bearer
 * ${ACTIONS_ID_TOKEN_REQUEST_TOKEN}` and expects `{"value": "<jwt>"}`.
 *
 * The tokens are JWT-shaped (header.payload.signature, HMAC-SHA256 with a key the fake STS shares, standing in for
 * GitHub's JWKS), with iss, sub, aud, iat and exp claims, so the fake STS can check them as STS would.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';

export interface JwtClaims {
  iss: string;
  sub: string;
  aud: string;
  iat: number;
  exp: number;
  jti: string;
  repository?: string;
}

const b64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');

export function signJwt(claims: JwtClaims, key: string): string {
  const head = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: 'fake' }));
  const body = b64url(JSON.stringify(claims));
  return `${head}.${body}.${createHmac('sha256', key).update(`${head}.${body}`).digest('base64url')}`;
}

export type JwtCheck = { ok: true; claims: JwtClaims } | { ok: false; code: string; message: string };

/** Checks a token as STS checks a GitHub token (codes from the STS error-code list). */
export function verifyJwt(token: string, key: string, nowMs: number, clientIds: readonly string[]): JwtCheck {
  const invalid = (message: string): JwtCheck => ({ ok: false, code: 'AuthenticationFail.OIDCToken.Invalid', message });
  if (!token) return invalid('The OIDCToken can not empty.');
  const parts = token.split('.');
  const [head = '', body = '', signature = ''] = parts;
  if (parts.length !== 3) return invalid("The number of Jwt field should be divided into 3 parts with '.' .");
  const expected = Buffer.from(createHmac('sha256', key).update(`${head}.${body}`).digest('base64url'));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given))
    return {
      ok: false,
      code: 'AuthenticationFail.OIDCToken.InvalidSignature',
      message: 'OIDC token validate failed: invalid signature.',
    };
  let claims: JwtClaims;
  try {
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as JwtClaims;
  } catch {
    return invalid('The Jwt content is invalid that cannot be recognized.');
  }
  if (claims.iss !== GITHUB_ISSUER) return invalid('The Jwt content is invalid that cannot be recognized.');
  if (!clientIds.includes(claims.aud))
    return { ok: false, code: 'AuthenticationFail.OIDCToken.AudienceNotMatch', message: 'Invalid audience.' };
  if (nowMs / 1000 >= claims.exp)
    return { ok: false, code: 'AuthenticationFail.OIDCToken.Expired', message: 'This JsonWebToken is expired.' };
  return { ok: true, claims };
}

export interface TokenRequest {
  at: number;
  /** The path and query as received. */
  url: string;
  audience?: string;
  authorized: boolean;
  status: number;
}

export interface FakeGitHubOidcOptions {
  /** Shared with the fake STS. */
  key: string;
  /** Default 'repo:acme/shop:ref:refs/heads/main'. */
  subject?: string;
  /** How long issued tokens last (GitHub's last minutes); negative issues tokens that are already expired. */
  tokenLifetimeMs?: number;
  now?: () => number;
}

export class FakeGitHubOidc {
  readonly url: string;
  /** The runner's bearer token for the token endpoint. */
  readonly requestToken = `ghs_fake_${randomBytes(12).toString('hex')}`;
  readonly requests: TokenRequest[] = [];
  /** Every token handed out, in order (secrets: tests check none is printed). */
  readonly issued: string[] = [];
  tokenLifetimeMs: number;
  subject: string;
  private readonly now: () => number;

  private constructor(
    private readonly server: http.Server,
    private readonly options: FakeGitHubOidcOptions,
  ) {
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    this.tokenLifetimeMs = options.tokenLifetimeMs ?? 5 * 60_000;
    this.subject = options.subject ?? 'repo:acme/shop:ref:refs/heads/main';
    this.now = options.now ?? Date.now;
  }

  static async start(options: FakeGitHubOidcOptions): Promise<FakeGitHubOidc> {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const fake = new FakeGitHubOidc(server, options);
    server.on('request', (req, res) => fake.onRequest(req, res));
    return fake;
  }

  /** The environment the runner gives a job with `permissions: id-token: write`. */
  env(): Record<string, string> {
    return {
      ACTIONS_ID_TOKEN_REQUEST_URL: `${this.url}/_apis/idtoken?api-version=2.0`,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: this.requestToken,
    };
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', this.url);
    const authorized = req.headers.authorization === `Bearer ${this.requestToken}`;
    const audience = url.searchParams.get('audience') ?? undefined;
    const reply = (status: number, body: unknown) => {
      this.requests.push({ at: Date.now(), url: req.url ?? '', audience, authorized, status });
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    };
    if (req.method !== 'GET' || url.pathname !== '/_apis/idtoken' || url.searchParams.get('api-version') !== '2.0')
      return reply(404, { message: 'not found' });
    if (!authorized) return reply(401, { message: 'Bad credentials' });
    const iat = Math.floor(this.now() / 1000);
    const token = signJwt(
      {
        iss: GITHUB_ISSUER,
        sub: this.subject,
        aud: audience ?? 'https://github.com/acme',
        iat,
        exp: iat + Math.round(this.tokenLifetimeMs / 1000),
        jti: randomBytes(8).toString('hex'),
        repository: 'acme/shop',
      },
      this.options.key,
    );
    this.issued.push(token);
    reply(200, { count: 1, value: token });
  }
}
