/** StsClient (AssumeRoleWithOIDC over pop-core's RPC client) against the fake STS on 127.0.0.1. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { OidcError, StsClient, type AssumeRoleRequest } from '../../src/alicloud/sts.js';
import { GITHUB_ISSUER, signJwt } from '../../__fixtures__/github-oidc.js';
import { FakeSts, PROVIDER_ARN, ROLE_ARN } from '../../__fixtures__/sts.js';

const KEY = 'jwt-key-sts-test';
let sts: FakeSts;

beforeAll(async () => {
  sts = await FakeSts.start({ jwtKey: KEY });
});
afterAll(async () => {
  await sts.close();
});

function token(over: { aud?: string; expInS?: number; key?: string } = {}): string {
  const iat = Math.floor(Date.now() / 1000);
  return signJwt(
    {
      iss: GITHUB_ISSUER,
      sub: 'repo:acme/shop:ref:refs/heads/main',
      aud: over.aud ?? 'sts.aliyuncs.com',
      iat,
      exp: iat + (over.expInS ?? 300),
      jti: 'j',
    },
    over.key ?? KEY,
  );
}

const request = (over: Partial<AssumeRoleRequest> = {}): AssumeRoleRequest => ({
  roleArn: ROLE_ARN,
  oidcProviderArn: PROVIDER_ARN,
  roleSessionName: 'gh-42-acme.shop',
  durationSeconds: 3600,
  oidcToken: token(),
  ...over,
});

async function failure(p: Promise<unknown>): Promise<OidcError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(OidcError);
    return err as OidcError;
  }
  throw new Error('expected a failure');
}

describe('StsClient.assumeRoleWithOidc', () => {
  it('sends an unsigned POST form with the documented fields and nothing in the URL, and returns the credentials', async () => {
    const req = request();
    const before = Date.now();
    const creds = await new StsClient(sts.url, 5000).assumeRoleWithOidc(req);
    const ex = sts.exchanges.at(-1)!;
    expect(ex).toMatchObject({ method: 'POST', url: '/', status: 200 });
    expect(ex.contentType).toContain('application/x-www-form-urlencoded');
    expect(ex.form).toMatchObject({
      Action: 'AssumeRoleWithOIDC',
      Version: '2015-04-01',
      Format: 'JSON',
      RoleArn: ROLE_ARN,
      OIDCProviderArn: PROVIDER_ARN,
      OIDCToken: req.oidcToken,
      RoleSessionName: 'gh-42-acme.shop',
      DurationSeconds: '3600',
    });
    expect(ex.form).not.toHaveProperty('Signature');
    expect(ex.form).not.toHaveProperty('AccessKeyId');
    expect(ex.url).not.toContain(req.oidcToken);
    expect(creds).toEqual({
      accessKeyId: ex.issued!.accessKeyId,
      accessKeySecret: ex.issued!.accessKeySecret,
      securityToken: ex.issued!.securityToken,
      expiration: ex.issued!.expiresAt,
    });
    expect(creds.expiration! - before).toBeGreaterThan(3590_000);
  });

  it.each([
    [
      'an expired token',
      { oidcToken: token({ expInS: -10 }) },
      'AuthenticationFail.OIDCToken.Expired',
      /check the clock/,
    ],
    [
      'a token for another audience',
      { oidcToken: token({ aud: 'https://github.com/acme' }) },
      'AuthenticationFail.OIDCToken.AudienceNotMatch',
      /"audience"/,
    ],
    [
      'a token signed by someone else',
      { oidcToken: token({ key: 'other' }) },
      'AuthenticationFail.OIDCToken.InvalidSignature',
      /RAM OIDC provider/,
    ],
    [
      'something that is not a JWT',
      { oidcToken: 'not-a-jwt-at-all' },
      'AuthenticationFail.OIDCToken.Invalid',
      /RAM OIDC provider/,
    ],
    ['an unknown role', { roleArn: 'acs:ram::1234567890123456:role/nope' }, 'EntityNotExist.Role', /"role-to-assume"/],
    [
      'an unknown provider',
      { oidcProviderArn: 'acs:ram::1234567890123456:oidc-provider/nope' },
      'AuthenticationFail.NoPermission',
      /trust policy/,
    ],
    [
      'a session too long for the role',
      { durationSeconds: 50000 },
      'InvalidParameter.DurationSeconds',
      /role-session-expiration/,
    ],
  ])('explains %s, with the code, status and request id, and never the token', async (_what, over, code, hint) => {
    const req = request(over);
    const err = await failure(new StsClient(sts.url, 5000).assumeRoleWithOidc(req));
    expect(err.code).toBe(code);
    expect(err.kind).toBe('rejected');
    expect(err.httpStatus).toBe(sts.exchanges.at(-1)!.status);
    expect(err.requestId).toMatch(/^FAKE-STS-/);
    expect(err.message).toMatch(/^STS AssumeRoleWithOIDC failed: /);
    expect(err.hint).toMatch(hint);
    expect(`${err.message} ${err.hint} ${err.stack}`).not.toContain(req.oidcToken);
  });

  it('scrubs the token from a message that echoes it, and treats throttling and 5xx as worth retrying', async () => {
    const req = request();
    sts.failNext(400, 'InvalidParameter.OIDCToken', `The token ${req.oidcToken} is not acceptable`);
    const echoed = await failure(new StsClient(sts.url, 5000).assumeRoleWithOidc(req));
    expect(echoed.message).toContain('The token *** is not acceptable');
    expect(echoed.message).not.toContain(req.oidcToken);
    sts.failNext(400, 'Throttling.User', 'Request was denied due to user flow control.');
    expect((await failure(new StsClient(sts.url, 5000).assumeRoleWithOidc(request()))).kind).toBe('throttled');
    sts.failNext(503, 'ServiceUnavailable', 'The request has failed due to a temporary failure of the server.');
    expect((await failure(new StsClient(sts.url, 5000).assumeRoleWithOidc(request()))).transient).toBe(true);
  });

  it('turns a gateway page, an answer without credentials, a refused connection and a timeout into retryable errors', async () => {
    let mode: 'html' | 'empty' | 'hang' = 'html';
    const server = http.createServer((_req, res) => {
      if (mode === 'hang') return;
      const [type, body] =
        mode === 'html' ? ['text/html', '<html>502 Bad Gateway</html>'] : ['application/json', '{"RequestId":"R"}'];
      res.writeHead(mode === 'html' ? 502 : 200, { 'content-type': type });
      res.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const html = await failure(new StsClient(url, 2000).assumeRoleWithOidc(request()));
      expect([html.code, html.kind]).toEqual(['NonJsonResponse', 'unavailable']);
      expect(html.message).not.toContain('<html>');
      mode = 'empty';
      expect((await failure(new StsClient(url, 2000).assumeRoleWithOidc(request()))).code).toBe('MalformedResponse');
      mode = 'hang';
      const slow = await failure(new StsClient(url, 300).assumeRoleWithOidc(request()));
      expect([slow.code, slow.kind]).toEqual(['RequestTimeout', 'timeout']);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    const refused = await failure(new StsClient(url, 2000).assumeRoleWithOidc(request()));
    expect([refused.code, refused.kind]).toEqual(['ECONNREFUSED', 'network']);
  });
});
