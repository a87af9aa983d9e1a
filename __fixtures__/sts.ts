/**
 * A fake Alibaba Cloud STS (2015-04-01) on 127.0.0.1 that answers AssumeRoleWithOIDC as docs/api-notes.md#sts-and-oidc
 * says, and is strict about how it is asked: POST with a form body, nothing in the URL, the documented fields, no
 * signature. It checks the GitHub token (signature, issuer, audience, expiry; see github-oidc.ts), issues credentials
 * with a configurable (short) lifetime, and registers them with a FakeCloud, so the fake SAE accepts only currently
 * valid ones.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakeCloud } from './cloud.js';
import { verifyJwt } from './github-oidc.js';

export const ROLE_ARN = 'acs:ram::1234567890123456:role/github-deploy';
export const PROVIDER_ARN = 'acs:ram::1234567890123456:oidc-provider/github';

export interface IssuedCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken: string;
  /** ms epoch, whole seconds (as Expiration says). */
  expiresAt: number;
}

export interface Exchange {
  at: number;
  method: string;
  /** Path and query as received. */
  url: string;
  contentType: string;
  /** The decoded form body. */
  form: Record<string, string>;
  status: number;
  code?: string;
  issued?: IssuedCredentials;
}

export interface FakeStsOptions {
  /** The key the fake GitHub signs tokens with. */
  jwtKey: string;
  /** Gets every issued key pair (addStsKey). */
  cloud?: FakeCloud;
  /** Client IDs of the RAM OIDC provider; default ['sts.aliyuncs.com']. */
  clientIds?: string[];
  /** Credentials last this long; default: DurationSeconds, as asked. */
  lifetimeMs?: number;
  /** Trust policy: the token's sub must match; default: any. */
  allowedSubject?: RegExp;
  now?: () => number;
}

const FORM = 'application/x-www-form-urlencoded';

export class FakeSts {
  readonly url: string;
  readonly exchanges: Exchange[] = [];
  lifetimeMs?: number;
  private readonly faults: { status: number; code: string; message: string }[] = [];
  private readonly now: () => number;
  private seq = 0;

  private constructor(
    private readonly server: http.Server,
    private readonly options: FakeStsOptions,
  ) {
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    this.lifetimeMs = options.lifetimeMs;
    this.now = options.now ?? Date.now;
  }

  static async start(options: FakeStsOptions): Promise<FakeSts> {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const sts = new FakeSts(server, options);
    server.on('request', (req, res) => void sts.onRequest(req, res));
    return sts;
  }

  /** Credentials handed out, in order (their secrets and tokens must never be printed). */
  get issued(): IssuedCredentials[] {
    return this.exchanges.flatMap((e) => (e.issued ? [e.issued] : []));
  }

  /** The next `times` exchanges fail with this error (checked after the request's shape). */
  failNext(status: number, code: string, message: string, times = 1): void {
    for (let i = 0; i < times; i++) this.faults.push({ status, code, message });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const contentType = String(req.headers['content-type'] ?? '');
    const form = contentType.startsWith(FORM) ? Object.fromEntries(new URLSearchParams(text)) : {};
    const exchange: Exchange = {
      at: Date.now(),
      method: req.method ?? '',
      url: req.url ?? '',
      contentType,
      form,
      status: 0,
    };
    this.exchanges.push(exchange);
    const requestId = `FAKE-STS-${String(++this.seq).padStart(4, '0')}`;
    const send = (status: number, body: Record<string, unknown>) => {
      exchange.status = status;
      const out = JSON.stringify({ RequestId: requestId, ...body });
      res.writeHead(status, {
        'content-type': 'application/json;charset=utf-8',
        'content-length': Buffer.byteLength(out),
      });
      res.end(out);
    };
    const fail = (status: number, code: string, message: string) => {
      exchange.code = code;
      send(status, {
        HostId: 'sts.aliyuncs.com',
        Code: code,
        Message: message,
        Recommend: `https://api.alibabacloud.com/troubleshoot?q=${code}&product=Sts`,
      });
    };

    // How it is asked: the token must travel in a POST form body, never in the URL.
    if (req.method !== 'POST')
      return fail(400, 'Fake.MethodNotPost', `AssumeRoleWithOIDC must be sent as POST, not ${req.method}`);
    if (req.url !== '/') return fail(400, 'Fake.QueryNotEmpty', 'nothing may be sent in the URL');
    if (!contentType.startsWith(FORM)) return fail(400, 'Fake.NotAForm', `the body must be ${FORM}`);
    if (form.Signature || form.AccessKeyId || form.SecurityToken)
      return fail(400, 'Fake.Signed', 'AssumeRoleWithOIDC is anonymous: no AccessKey, no signature');
    if (form.Action !== 'AssumeRoleWithOIDC')
      return fail(400, 'InvalidAction.NotFound', `Specified api is not found (${form.Action})`);
    if (form.Version !== '2015-04-01') return fail(400, 'InvalidVersion', 'Specified parameter Version is not valid.');
    if (form.Format !== 'JSON' || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(form.Timestamp ?? ''))
      return fail(400, 'MissingParameter', 'Format and Timestamp are required');
    if (!/^[A-Za-z0-9.@_-]{2,64}$/.test(form.RoleSessionName ?? ''))
      return fail(400, 'InvalidParameter.RoleSessionName', 'The parameter RoleSessionName is wrongly formed.');
    const duration = Number(form.DurationSeconds);
    if (!Number.isInteger(duration) || duration < 900 || duration > 43200)
      return fail(400, 'InvalidParameter.DurationSeconds', 'The Min/Max value of DurationSeconds is 15min/12hr.');
    if (form.RoleArn !== ROLE_ARN) return fail(404, 'EntityNotExist.Role', 'The role not exists.');
    if (form.OIDCProviderArn !== PROVIDER_ARN)
      return fail(401, 'AuthenticationFail.NoPermission', 'No such OIDC Provider registered.');
    const fault = this.faults.shift();
    if (fault) return fail(fault.status, fault.code, fault.message);
    const check = verifyJwt(
      form.OIDCToken ?? '',
      this.options.jwtKey,
      this.now(),
      this.options.clientIds ?? ['sts.aliyuncs.com'],
    );
    if (!check.ok) return fail(401, check.code, check.message);
    if (this.options.allowedSubject && !this.options.allowedSubject.test(check.claims.sub))
      return fail(401, 'AuthenticationFail.NoPermission', 'There is no permission');

    const lifetime = this.lifetimeMs ?? duration * 1000;
    const issued: IssuedCredentials = {
      accessKeyId: `STS.${randomBytes(10).toString('hex')}`,
      accessKeySecret: randomBytes(20).toString('base64url'),
      securityToken: `CAIS${randomBytes(40).toString('base64url')}`,
      expiresAt: Math.floor((this.now() + lifetime) / 1000) * 1000,
    };
    exchange.issued = issued;
    this.options.cloud?.addStsKey(issued.accessKeyId, {
      secret: issued.accessKeySecret,
      token: issued.securityToken,
      expiresAt: issued.expiresAt,
    });
    send(200, {
      Credentials: {
        AccessKeyId: issued.accessKeyId,
        AccessKeySecret: issued.accessKeySecret,
        SecurityToken: issued.securityToken,
        Expiration: new Date(issued.expiresAt).toISOString().replace('.000Z', 'Z'),
      },
      AssumedRoleUser: {
        AssumedRoleId: `33157794895460****:${form.RoleSessionName}`,
        Arn: `${ROLE_ARN}/${form.RoleSessionName}`,
      },
      OIDCTokenInfo: { Subject: check.claims.sub, Issuer: check.claims.iss, ClientIds: check.claims.aud },
    });
  }
}
