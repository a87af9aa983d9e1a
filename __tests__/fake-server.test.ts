import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import PopCore, { type ROAClient } from '@alicloud/pop-core';
import http from 'node:http';
import {
  DEFAULT_ACCESS_KEY_ID,
  DEFAULT_ACCESS_KEY_SECRET,
  EDAS_API_VERSION,
  FakeCloud,
  SAE_API_VERSION,
  clientConfig,
  release,
  signatureFor,
  stringToSign,
  threeBatchRelease,
  type Call,
} from './fake/cloud.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Json = any;

const SAE = '/pop/v1/sam/changeorder';
const EDAS = '/pop/v5/changeorder';
const EMPTY_MD5 = '1B2M2Y8AsgTpgAmY7PhCfg==';

/** pop-core's error fields (sae-api.md §1.5). */
interface PopError extends Error {
  code?: unknown;
  statusCode?: number;
  result?: Json;
  body?: string;
}

let cloud: FakeCloud;
let sae: ROAClient;
let edas: ROAClient;
let seq = 0;
const nextId = (p: string) => `${p}-${++seq}`;

beforeAll(async () => {
  cloud = await FakeCloud.start();
  sae = new PopCore.ROAClient(clientConfig(cloud, 'sae'));
  edas = new PopCore.ROAClient(clientConfig(cloud, 'edas'));
});
afterAll(async () => {
  await cloud.close();
});

/** json-bigint gives null-prototype objects: make them plain. */
const plain = (v: unknown): Json => (typeof v === 'string' ? v : JSON.parse(JSON.stringify(v)));

async function call(client: ROAClient, method: string, path: string, query: Record<string, string | number | boolean> = {}, opts = {}): Promise<Json> {
  return plain(await client.request(method, path, query, '', {}, opts));
}

async function failure(p: Promise<unknown>): Promise<PopError> {
  try {
    await p;
  } catch (err) {
    return err as PopError;
  }
  throw new Error('expected the call to fail');
}

const describeCo = (id: string, client = sae) => call(client, 'GET', `${SAE}/DescribeChangeOrder`, { ChangeOrderId: id });
const info = (id: string) => call(edas, 'POST', `${EDAS}/change_order_info`, { ChangeOrderId: id });
const lastCall = (): Call => cloud.calls[cloud.calls.length - 1];

/** Sends a raw HTTP request to the fake (used to replay a recorded, signed request). */
function raw(method: string, pathAndQuery: string, headers: Record<string, string>, body = ''): Promise<{ status: number; body: Json }> {
  const u = new URL(cloud.url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: u.hostname,
        port: u.port,
        method,
        path: pathAndQuery,
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)), connection: 'close' },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

// ───────────────────────────── (1) signature test vectors, sae-api.md §2.4 ─────────────────────────────

describe('signatureFor reproduces the sae-api.md §2.4 test vectors', () => {
  const date = 'Thu, 01 Jan 2026 00:00:00 GMT';
  const nonce = '0123456789abcdef0123456789abcdef';
  const base = (version: string) => ({
    accept: 'application/json',
    date,
    host: 'sae.cn-hangzhou.aliyuncs.com',
    'x-acs-signature-nonce': nonce,
    'x-acs-version': version,
    'user-agent': 'AlibabaCloud (linux; x64) Node.js/v20 Core/1.8.0',
    'x-sdk-client': 'Node.js(v20), @alicloud/pop-core: 1.8.0',
    'x-acs-signature-method': 'HMAC-SHA1',
    'x-acs-signature-version': '1.0',
    'content-md5': EMPTY_MD5,
    'content-length': '0',
  });

  it('#1 GET DescribeChangeOrder', () => {
    const path = `${SAE}/DescribeChangeOrder`;
    const query = { ChangeOrderId: 'co-1' };
    expect(stringToSign('GET', path, query, base(SAE_API_VERSION))).toBe(
      `GET\napplication/json\n${EMPTY_MD5}\n\n${date}\nx-acs-signature-method:HMAC-SHA1\nx-acs-signature-nonce:${nonce}\nx-acs-signature-version:1.0\nx-acs-version:2019-05-06\n${path}?ChangeOrderId=co-1`,
    );
    expect(signatureFor('GET', path, query, base(SAE_API_VERSION), 'testsecret')).toBe('3O5P2JWOHe4LjshtmPdoUN12CYc=');
  });

  it('#2 PUT AbortChangeOrder with STS headers and unsorted query', () => {
    const path = `${SAE}/AbortChangeOrder`;
    const headers = { ...base(SAE_API_VERSION), 'x-acs-accesskey-id': 'STS.testid', 'x-acs-security-token': 'tok123' };
    const query = { Rollback: 'true', ChangeOrderId: 'co-1' };
    expect(stringToSign('PUT', path, query, headers)).toBe(
      `PUT\napplication/json\n${EMPTY_MD5}\n\n${date}\nx-acs-accesskey-id:STS.testid\nx-acs-security-token:tok123\nx-acs-signature-method:HMAC-SHA1\nx-acs-signature-nonce:${nonce}\nx-acs-signature-version:1.0\nx-acs-version:2019-05-06\n${path}?ChangeOrderId=co-1&Rollback=true`,
    );
    expect(signatureFor('PUT', path, query, headers, 'testsecret')).toBe('GCqQRqEo5fsKnn2/gy/ZoCHJRV0=');
  });

  it('#3 POST EDAS change_order_info', () => {
    expect(signatureFor('POST', `${EDAS}/change_order_info`, { ChangeOrderId: 'co-9' }, base(EDAS_API_VERSION), 'testsecret')).toBe(
      '+G5KrlYInVAtFUJ4aHaAGsnjMJc=',
    );
  });

  it('header names are case-insensitive and x-acs values are trimmed with tabs/newlines turned into spaces', () => {
    const h = { ...base(SAE_API_VERSION), 'X-Acs-Custom': '\ta\nb ' };
    expect(stringToSign('GET', '/p', {}, h)).toContain('x-acs-custom:a b\n');
    expect(stringToSign('GET', '/p', {}, h).endsWith('\n/p')).toBe(true);
  });
});

// ───────────────────────────── (2) signature checking with real pop-core ─────────────────────────────

describe('signature checking', () => {
  it('accepts a good pop-core signature and records the call', async () => {
    const id = nextId('sig-ok');
    cloud.addOrder(release(id, { outcome: 'stuck' }));
    const body = await describeCo(id);
    expect(body).toMatchObject({ Code: '200', Success: true, Message: 'success', Data: { ChangeOrderId: id, Status: 0 } });
    expect(body.RequestId).toMatch(/^FAKE-\d{4}-/);
    const c = lastCall();
    expect(c).toMatchObject({
      method: 'GET',
      path: `${SAE}/DescribeChangeOrder`,
      action: 'DescribeChangeOrder',
      product: 'sae',
      query: { ChangeOrderId: id },
      signatureOk: true,
      status: 200,
      requestId: body.RequestId,
    });
    expect(c.headers['content-md5']).toBe(EMPTY_MD5);
    expect(c.headers.authorization).toMatch(/^acs LTAI-test-key:/);
  });

  it('every response has a unique RequestId', async () => {
    const id = nextId('rid');
    cloud.addOrder(release(id));
    const ids = new Set<string>();
    for (let i = 0; i < 5; i++) ids.add((await describeCo(id)).RequestId);
    expect(ids.size).toBe(5);
  });

  it('rejects a wrong secret with 400 SignatureDoesNotMatch and a standard error body', async () => {
    const bad = new PopCore.ROAClient({ ...clientConfig(cloud), accessKeySecret: 'wrong' });
    const err = await failure(bad.request('GET', `${SAE}/DescribeChangeOrder`, { ChangeOrderId: 'x' }));
    expect(err.code).toBe('SignatureDoesNotMatch');
    expect(err.statusCode).toBe(400);
    expect(err.name).toBe('SignatureDoesNotMatchError');
    expect(Object.keys(plain(err.result)).sort()).toEqual(['Code', 'HostId', 'Message', 'Recommend', 'RequestId']);
    expect(lastCall()).toMatchObject({ signatureOk: false, status: 400, action: 'DescribeChangeOrder' });
  });

  it('rejects an unknown AccessKey with 404 InvalidAccessKeyId.NotFound', async () => {
    const stranger = new PopCore.ROAClient({ ...clientConfig(cloud), accessKeyId: 'LTAI-nobody' });
    const err = await failure(stranger.request('GET', `${SAE}/DescribeChangeOrder`, { ChangeOrderId: 'x' }));
    expect([err.code, err.statusCode]).toEqual(['InvalidAccessKeyId.NotFound', 404]);
  });

  it('an undefined query value breaks the signature (pitfall §1.6.1)', async () => {
    const id = nextId('undef');
    cloud.addOrder(release(id, { outcome: 'stuck' }));
    const query = { ChangeOrderId: id, Rollback: undefined } as unknown as Record<string, string>;
    const err = await failure(sae.request('PUT', `${SAE}/AbortChangeOrder`, query));
    expect(err.code).toBe('SignatureDoesNotMatch');
    expect(lastCall().query).toEqual({ ChangeOrderId: id, Rollback: '' });
    expect(cloud.order(id).aborted).toBeUndefined();
  });

  it('checks x-acs-version against the product of the path', async () => {
    const wrong = new PopCore.ROAClient({ ...clientConfig(cloud, 'edas') });
    const err = await failure(wrong.request('GET', `${SAE}/DescribeChangeOrder`, { ChangeOrderId: 'x' }));
    expect([err.code, err.statusCode]).toEqual(['InvalidVersion', 400]);
  });

  it('rejects a replayed nonce, and a content-md5 that does not match the body', async () => {
    const id = nextId('replay');
    cloud.addOrder(release(id));
    await describeCo(id);
    const recorded = lastCall();
    const headers = Object.fromEntries(Object.entries(recorded.headers).filter(([k]) => !['connection', 'content-length', 'host'].includes(k)));
    const target = `${recorded.path}?ChangeOrderId=${encodeURIComponent(id)}`;
    const md5 = await raw('GET', target, headers, 'not empty');
    expect([md5.status, md5.body.Code]).toEqual([400, 'ContentMD5NotMatched']);
    const replay = await raw('GET', target, headers);
    expect([replay.status, replay.body.Code]).toEqual([400, 'SignatureNonceUsed']);
    expect(lastCall().signatureOk).toBe(true);
  });

  it('rejects an unsigned request with IncompleteSignature', async () => {
    const anon = new PopCore.ROAClient({ endpoint: cloud.url, apiVersion: SAE_API_VERSION, credentialsProvider: { getCredentials: async () => ({}) } });
    const err = await failure(anon.request('GET', `${SAE}/DescribeChangeOrder`, { ChangeOrderId: 'x' }));
    expect([err.code, err.statusCode]).toEqual(['IncompleteSignature', 400]);
  });

  it('answers an unknown path or a wrong method with 404 InvalidAction.NotFound', async () => {
    const e1 = await failure(sae.request('GET', `${SAE}/NoSuchThing`, {}));
    expect([e1.code, e1.statusCode]).toEqual(['InvalidAction.NotFound', 404]);
    expect(lastCall().action).toBe('unknown');
    const e2 = await failure(sae.request('POST', `${SAE}/DescribeChangeOrder`, { ChangeOrderId: 'x' }));
    expect(e2.code).toBe('InvalidAction.NotFound');
  });
});

// ───────────────────────────── (3) SAE DescribeChangeOrder and timelines ─────────────────────────────

describe('SAE DescribeChangeOrder', () => {
  it('returns the documented Data shape', async () => {
    const id = nextId('shape');
    cloud.addOrder({
      id,
      appId: 'app-shape',
      appName: 'shop',
      description: 'image: demo:1.2.3',
      createTime: '2026-01-01 10:00:00',
      batchType: 'Manual',
      batches: [{ name: 'Batch 1 Change' }, { name: 'Batch 2 Change', id: 'custom-p2' }],
      timeline: [{ status: 8, batches: [2, 8] }],
      extra: { ApplicationEnableGreyTagRoute: false },
    });
    const { Data } = await describeCo(id);
    expect(Data).toMatchObject({
      AppId: 'app-shape',
      AppName: 'shop',
      ChangeOrderId: id,
      CoType: 'Deploy Application',
      CoTypeCode: 'CoDeploy',
      CreateTime: '2026-01-01 10:00:00',
      Description: 'image: demo:1.2.3',
      Status: 8,
      SubStatus: 0,
      Auto: false,
      BatchType: 'Manual',
      BatchCount: 2,
      BatchWaitTime: 0,
      CurrentPipelineId: 'custom-p2',
      SupportRollback: true,
      ApprovalId: '',
      ErrorMessage: '',
      ApplicationEnableGreyTagRoute: false,
    });
    expect(Data.Pipelines).toHaveLength(2);
    expect(Data.Pipelines[0]).toMatchObject({ PipelineId: `${id}-b1`, PipelineName: 'Batch 1 Change', Status: 2, BatchType: 0, ParallelCount: 0 });
    expect(typeof Data.Pipelines[0].StartTime).toBe('number');
    expect(typeof Data.Pipelines[1].UpdateTime).toBe('number');
  });

  it('sets StartTime when a batch first leaves 0 and UpdateTime when its status changes; CurrentPipelineId follows', async () => {
    let t = 1_000_000;
    const own = await FakeCloud.start({ now: () => t });
    try {
      const id = 'times';
      own.addOrder(release(id, { ms: 100, batchCount: 2 }));
      const client = new PopCore.ROAClient(clientConfig(own));
      const read = async () => (await describeCo(id, client)).Data;
      let d = await read();
      expect(d.Pipelines[0].StartTime).toBeUndefined();
      expect(d.CurrentPipelineId).toBe(`${id}-b1`);
      t += 150; // step 1: batch 1 running since 1_000_100
      d = await read();
      expect(d.Pipelines[0]).toMatchObject({ Status: 1, StartTime: 1_000_100, UpdateTime: 1_000_100 });
      t += 100; // step 2: batch 1 done, batch 2 running since 1_000_200
      d = await read();
      expect(d.Pipelines[0]).toMatchObject({ Status: 2, StartTime: 1_000_100, UpdateTime: 1_000_200 });
      expect(d.Pipelines[1]).toMatchObject({ Status: 1, StartTime: 1_000_200 });
      expect(d.CurrentPipelineId).toBe(`${id}-b2`);
      t += 1000;
      d = await read();
      expect(d.Status).toBe(2);
      expect(d.CurrentPipelineId).toBe(`${id}-b2`); // all done: the last one
    } finally {
      await own.close();
    }
  });

  it('advances a timeline by reads', async () => {
    const id = nextId('reads');
    cloud.addOrder({
      id,
      batches: [{ name: 'B1' }],
      timeline: [
        { status: 0, reads: 1 },
        { status: 1, batches: [1], reads: 2 },
        { status: 2, batches: [2] },
      ],
    });
    const seen: number[] = [];
    for (let i = 0; i < 5; i++) seen.push((await describeCo(id)).Data.Status);
    expect(seen).toEqual([0, 1, 1, 2, 2]);
    expect(cloud.order(id)).toMatchObject({ status: 2, batches: [2], step: 2 });
  });

  it('advances a timeline by ms (fake clock), and order()/ListChangeOrders do not count as reads', async () => {
    let t = 5_000;
    const own = await FakeCloud.start({ now: () => t });
    try {
      own.addOrder({
        id: 'ms',
        batches: [{ name: 'B1' }],
        timeline: [
          { status: 0, ms: 100 },
          { status: 1, batches: [1], ms: 100, reads: 50 },
          { status: 2, batches: [2] },
        ],
      });
      const client = new PopCore.ROAClient(clientConfig(own));
      expect((await describeCo('ms', client)).Data.Status).toBe(0);
      t += 99;
      expect(own.order('ms').status).toBe(0);
      t += 1;
      expect((await describeCo('ms', client)).Data.Status).toBe(1);
      t += 250; // both remaining steps elapsed between two reads
      expect(own.order('ms')).toMatchObject({ status: 2, step: 2 });
      expect(own.callsFor('DescribeChangeOrder')).toHaveLength(2);
    } finally {
      await own.close();
    }
  });

  it('lets `extra` be a function that rewrites the whole body', async () => {
    const id = nextId('rewrite');
    cloud.addOrder({ ...release(id), extra: (b) => ({ ...b, Data: { ...(b.Data as object), Pipelines: { PipelineId: 'single-object' } } }) });
    const body = await describeCo(id);
    expect(body.Data.Pipelines).toEqual({ PipelineId: 'single-object' });
    expect(body.Data.ChangeOrderId).toBe(id);
  });

  it('answers InvalidParameter.NotEmpty without ChangeOrderId and InvalidChangeOrder.NotFound for an unknown one', async () => {
    const e1 = await failure(sae.request('GET', `${SAE}/DescribeChangeOrder`, {}));
    expect([e1.code, e1.statusCode]).toEqual(['InvalidParameter.NotEmpty', 400]);
    const e2 = await failure(sae.request('GET', `${SAE}/DescribeChangeOrder`, { ChangeOrderId: 'nope' }));
    expect([e2.code, e2.statusCode]).toEqual(['InvalidChangeOrder.NotFound', 400]);
  });

  it('refuses bad scripts', () => {
    const id = nextId('dup');
    cloud.addOrder(release(id));
    expect(() => cloud.addOrder(release(id))).toThrow(/already exists/);
    expect(() => cloud.addOrder({ id: nextId('empty'), batches: [], timeline: [] })).toThrow(/timeline/);
    expect(() => cloud.addOrder({ id: nextId('pid'), batches: [{ name: 'x', id: `${id}-b1` }], timeline: [{ status: 1 }] })).toThrow(/pipeline id/);
    expect(() => cloud.order('missing')).toThrow(/no order/);
  });
});

// ───────────────────────────── (4) abort ─────────────────────────────

describe('SAE abort', () => {
  it('accepts an abort while running (Rollback recorded), then answers Application.ChangerOrder.Not.Running', async () => {
    const id = nextId('abort');
    cloud.addOrder({ id, batches: [{ name: 'B1' }, { name: 'B2' }], timeline: [{ status: 1, batches: [2, 1] }] });
    const ok = await call(sae, 'PUT', `${SAE}/AbortChangeOrder`, { ChangeOrderId: id, Rollback: true });
    expect(ok).toMatchObject({ Success: true, Data: { ChangeOrderId: id } });
    const view = cloud.order(id);
    expect(view).toMatchObject({ status: 6, batches: [2, 6], aborted: { rollback: true } });
    expect((await describeCo(id)).Data.Status).toBe(6);
    const err = await failure(sae.request('PUT', `${SAE}/AbortChangeOrder`, { ChangeOrderId: id }));
    expect([err.code, err.statusCode]).toEqual(['Application.ChangerOrder.Not.Running', 400]);
    expect(err.message).toContain('The change order is not running and cannot be terminated.');
    expect(
      cloud
        .callsFor('AbortChangeOrder')
        .filter((c) => c.query.ChangeOrderId === id)
        .map((c) => c.status),
    ).toEqual([200, 400]);
  });

  it('records rollback=false for a plain abort and rejects an order that already finished', async () => {
    const a = nextId('plain');
    cloud.addOrder({ id: a, batches: [{ name: 'B1' }], timeline: [{ status: 9 }] });
    await call(sae, 'PUT', `${SAE}/AbortChangeOrder`, { ChangeOrderId: a });
    expect(cloud.order(a).aborted?.rollback).toBe(false);
    const b = nextId('done');
    cloud.addOrder({ id: b, batches: [{ name: 'B1' }], timeline: [{ status: 2, batches: [2] }] });
    expect((await failure(sae.request('PUT', `${SAE}/AbortChangeOrder`, { ChangeOrderId: b }))).code).toBe('Application.ChangerOrder.Not.Running');
    expect(cloud.order(b).aborted).toBeUndefined();
  });

  it('AbortAndRollbackChangeOrder records rollback, settles after abortSettleMs into onAbort and stops the timeline', async () => {
    let t = 0;
    const own = await FakeCloud.start({ now: () => t });
    try {
      own.addOrder({
        id: 'r',
        batches: [{ name: 'B1' }],
        timeline: [
          { status: 1, batches: [1], ms: 10 },
          { status: 2, batches: [2] },
        ],
        onAbort: { status: 3, batches: [3], errorMessage: 'rolled back' },
        abortSettleMs: 500,
      });
      const client = new PopCore.ROAClient(clientConfig(own));
      await call(client, 'PUT', `${SAE}/AbortAndRollbackChangeOrder`, { ChangeOrderId: 'r' });
      expect(own.order('r')).toMatchObject({ status: 1, aborted: { rollback: true, at: 0 } });
      t = 499;
      expect(own.order('r').status).toBe(1); // the timeline does not go on to 2
      t = 500;
      expect(own.order('r')).toMatchObject({ status: 3, batches: [3], errorMessage: 'rolled back' });
      t = 10_000;
      expect((await describeCo('r', client)).Data).toMatchObject({ Status: 3, ErrorMessage: 'rolled back' });
    } finally {
      await own.close();
    }
  });

  it('setSnapshot forces a state and pins it', async () => {
    const id = nextId('flip');
    cloud.addOrder(release(id, { outcome: 'stuck' }));
    cloud.setSnapshot(id, { status: 2, batches: [2, 2, 2] });
    expect((await describeCo(id)).Data.Status).toBe(2);
    expect((await describeCo(id)).Data.Status).toBe(2);
  });
});

// ───────────────────────────── (5) faults as pop-core sees them ─────────────────────────────

describe('faults', () => {
  let id: string;
  beforeAll(() => {
    id = nextId('faults');
    cloud.addOrder(release(id, { outcome: 'stuck' }));
  });

  it('throttle → err.code Throttling.User at HTTP 400', async () => {
    cloud.injectFault({ kind: 'throttle' });
    const err = await failure(describeCo(id));
    expect([err.code, err.statusCode]).toEqual(['Throttling.User', 400]);
    expect(err.message).toContain('Request was denied due to user flow control.');
    expect(lastCall()).toMatchObject({ fault: 'throttle', status: 400, signatureOk: true });
    expect((await describeCo(id)).Success).toBe(true); // used up
  });

  it('http → JSON error with default codes per status', async () => {
    cloud.injectFault({ kind: 'http', status: 503 });
    cloud.injectFault({ kind: 'http', status: 500 });
    cloud.injectFault({ kind: 'http', status: 403, code: 'Forbidden.RAM', message: 'no' });
    const e1 = await failure(describeCo(id));
    const e2 = await failure(describeCo(id));
    const e3 = await failure(describeCo(id));
    expect([e1.code, e1.statusCode, e2.code, e2.statusCode, e3.code, e3.statusCode]).toEqual([
      'ServiceUnavailable',
      503,
      'InternalError',
      500,
      'Forbidden.RAM',
      403,
    ]);
  });

  it('html → pop-core resolves with the page as a string', async () => {
    cloud.injectFault({ kind: 'html' });
    const res = await sae.request('GET', `${SAE}/DescribeChangeOrder`, { ChangeOrderId: id });
    expect(typeof res).toBe('string');
    expect(res).toContain('502 Bad Gateway');
    expect(lastCall().status).toBe(502);
  });

  it('malformed → FormatError carrying the raw body', async () => {
    cloud.injectFault({ kind: 'malformed' });
    const err = await failure(describeCo(id));
    expect(err.name).toBe('FormatError');
    expect(err.message).toBe('parse response to json error');
    expect(err.body).toMatch(/^\{"RequestId"/);
  });

  it('reset → a socket error (ECONNRESET), call recorded with status 0', async () => {
    cloud.injectFault({ kind: 'reset' });
    const err = await failure(describeCo(id));
    expect(err.code).toBe('ECONNRESET');
    expect(err.message).toContain('failed.');
    expect(lastCall()).toMatchObject({ status: 0, fault: 'reset' });
  });

  it('slow → the normal answer, late; with a short timeout pop-core gives RequestTimeoutError but the request still takes effect', async () => {
    cloud.injectFault({ kind: 'slow', ms: 60 });
    const started = Date.now();
    expect((await describeCo(id)).Success).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);

    const a = nextId('slow-abort');
    cloud.addOrder(release(a, { outcome: 'stuck' }));
    cloud.injectFault({ kind: 'slow', ms: 150 }, { action: 'AbortChangeOrder' });
    const err = await failure(sae.request('PUT', `${SAE}/AbortChangeOrder`, { ChangeOrderId: a }, '', {}, { timeout: 40 }));
    expect(err.name).toBe('RequestTimeoutError');
    expect(err.message).toMatch(/^ReadTimeout\(40\)/);
    expect(cloud.order(a).aborted).toBeUndefined();
    await new Promise((r) => setTimeout(r, 160));
    expect(cloud.order(a)).toMatchObject({ status: 6, aborted: { rollback: false } });
  });

  it('success-false → pop-core resolves (does not throw) with Success:false', async () => {
    cloud.injectFault({ kind: 'success-false', code: 'Application.InvalidStatus' });
    const body = await describeCo(id);
    expect(body).toMatchObject({ Success: false, Code: 'Application.InvalidStatus' });
    expect(body.Data).toBeUndefined();
  });

  it('body → anything; a text/xml <Error> becomes an error with a code and no statusCode', async () => {
    cloud.injectFault({ kind: 'body', body: { weird: [1, 2] } });
    expect(await describeCo(id)).toEqual({ weird: [1, 2] });
    cloud.injectFault({
      kind: 'body',
      status: 403,
      contentType: 'text/xml',
      body: '<Error><RequestId>R</RequestId><HostId>h</HostId><Code>Forbidden</Code><Message>denied</Message></Error>',
    });
    const err = await failure(describeCo(id));
    expect(err.code).toBe('Forbidden');
    expect(err.statusCode).toBeUndefined();
    expect(err.message).toBe('denied hostid: h, requestid: R');
    cloud.injectFault({ kind: 'body', status: 204, body: '' });
    expect(await describeCo(id)).toBe('');
  });

  it('not-found → 400 InvalidChangeOrder.NotFound on SAE, HTTP 200 Code 500 on EDAS', async () => {
    cloud.injectFault({ kind: 'not-found' }, { action: 'DescribeChangeOrder' });
    const err = await failure(describeCo(id));
    expect([err.code, err.statusCode]).toEqual(['InvalidChangeOrder.NotFound', 400]);
    const e = nextId('edas-nf');
    cloud.addOrder(release(e, { product: 'edas' }));
    cloud.injectFault({ kind: 'not-found' }, { action: 'GetChangeOrderInfo' });
    expect(await info(e)).toMatchObject({ Code: 500, Message: 'change order not found' });
  });

  it('matches faults by action, counts `times`, and never spends them on a badly signed request', async () => {
    cloud.injectFault({ kind: 'http', status: 500 }, { action: 'AbortChangeOrder', times: 2 });
    expect((await describeCo(id)).Success).toBe(true); // other action: untouched
    const bad = new PopCore.ROAClient({ ...clientConfig(cloud), accessKeySecret: 'wrong' });
    expect((await failure(bad.request('PUT', `${SAE}/AbortChangeOrder`, { ChangeOrderId: id }))).code).toBe('SignatureDoesNotMatch');
    for (let i = 0; i < 2; i++) expect((await failure(sae.request('PUT', `${SAE}/AbortChangeOrder`, { ChangeOrderId: 'nope' }))).code).toBe('InternalError');
    expect((await failure(sae.request('PUT', `${SAE}/AbortChangeOrder`, { ChangeOrderId: 'nope' }))).code).toBe('InvalidChangeOrder.NotFound');
    const faults = cloud
      .callsFor('AbortChangeOrder')
      .slice(-4)
      .map((c) => [c.signatureOk, c.fault ?? null]);
    expect(faults).toEqual([
      [false, null],
      [true, 'http'],
      [true, 'http'],
      [true, null],
    ]);
  });
});

// ───────────────────────────── (6) EDAS ─────────────────────────────

describe('EDAS', () => {
  it('GetChangeOrderInfo returns changeOrderInfo with PipelineInfoList.PipelineInfo and string times', async () => {
    const id = nextId('edas');
    cloud.addOrder({
      id,
      product: 'edas',
      description: 'v2',
      batches: [{ name: 'Batch: 1' }, { name: 'Batch: 2' }],
      timeline: [{ status: 8, batches: [2, 8] }],
    });
    const body = await info(id);
    expect(body).toMatchObject({ Code: 200, Message: 'success' });
    expect(body.changeOrderInfo).toMatchObject({
      ChangeOrderId: id,
      CoType: 'Deploy Application',
      Desc: 'v2',
      BatchCount: 2,
      BatchType: 'Automatic',
      SupportRollback: true,
      Status: 8,
      CreateUserId: '1234567890123456',
    });
    expect(body.changeOrderInfo.CreateTime).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    const [p1, p2] = body.changeOrderInfo.PipelineInfoList.PipelineInfo;
    expect(p1).toMatchObject({ PipelineId: `${id}-b1`, PipelineName: 'Batch: 1', PipelineStatus: 2 });
    expect(p1.StartTime).toMatch(/^\d+$/);
    expect(p2.UpdateTime).toMatch(/^\d+$/);
    expect(lastCall()).toMatchObject({ action: 'GetChangeOrderInfo', product: 'edas', method: 'POST' });
  });

  it('an unknown id is Code 500 at HTTP 200 (pop-core does not throw)', async () => {
    const body = await info('nope');
    expect(body).toMatchObject({ Code: 500, Message: 'change order not found' });
    expect(lastCall().status).toBe(200);
  });

  it('abort and abort-and-rollback: accepted while running, Code 500 at HTTP 200 when not running', async () => {
    const a = nextId('edas-abort');
    const b = nextId('edas-rb');
    cloud.addOrder({ id: a, product: 'edas', batches: [{ name: 'B1' }], timeline: [{ status: 1, batches: [1] }] });
    cloud.addOrder({ id: b, product: 'edas', batches: [{ name: 'B1' }], timeline: [{ status: 9, batches: [0] }] });
    expect(await call(edas, 'PUT', `${EDAS}/change_order_abort`, { ChangeOrderId: a })).toMatchObject({
      Code: 200,
      Message: 'success',
      Data: { ChangeOrderId: a },
    });
    expect(cloud.order(a)).toMatchObject({ status: 6, batches: [6], aborted: { rollback: false } });
    expect(await call(edas, 'PUT', `${EDAS}/change_order_abort_and_rollback`, { ChangeOrderId: b })).toMatchObject({ Code: 200 });
    expect(cloud.order(b).aborted?.rollback).toBe(true);
    const again = await call(edas, 'PUT', `${EDAS}/change_order_abort`, { ChangeOrderId: a });
    expect(again.Code).toBe(500);
    expect(again.Message).toMatch(/not running/);
    expect((await info(a)).changeOrderInfo.Status).toBe(6);
  });

  it('keeps SAE and EDAS orders apart', async () => {
    const s = nextId('only-sae');
    const e = nextId('only-edas');
    cloud.addOrder(release(s));
    cloud.addOrder(release(e, { product: 'edas' }));
    expect((await info(s)).Code).toBe(500);
    expect((await failure(describeCo(e))).code).toBe('InvalidChangeOrder.NotFound');
    expect((await call(edas, 'PUT', `${EDAS}/change_order_abort`, { ChangeOrderId: s })).Code).toBe(500);
    expect(cloud.order(s).aborted).toBeUndefined();
  });

  it('ListRecentChangeOrder and ContinuePipeline', async () => {
    const id = nextId('edas-manual');
    cloud.addOrder(release(id, { product: 'edas', appId: 'edas-app', outcome: 'manual', batchCount: 2 }));
    expect([(await info(id)).changeOrderInfo.Status, (await info(id)).changeOrderInfo.Status, (await info(id)).changeOrderInfo.Status]).toEqual([0, 1, 8]);
    const list = await call(edas, 'POST', `${EDAS}/change_order_list`, { AppId: 'edas-app' });
    expect(list).toMatchObject({ Code: 200, ChangeOrderList: { ChangeOrder: [{ ChangeOrderId: id, Status: 8, CoType: 'Deploy Application' }] } });
    const ok = await call(edas, 'GET', `${EDAS}/pipeline_batch_confirm`, { PipelineId: `${id}-b2`, Confirm: true });
    expect(ok).toMatchObject({ Code: 200, Message: 'success' });
    expect(cloud.order(id).status).toBe(1);
    const again = await call(edas, 'GET', `${EDAS}/pipeline_batch_confirm`, { PipelineId: `${id}-b2`, Confirm: true });
    expect(again.Code).toBe(500);
    expect(cloud.callsFor('ContinuePipeline')).toHaveLength(2);
  });
});

// ───────────────────────────── (7) ListChangeOrders ─────────────────────────────

describe('SAE ListChangeOrders', () => {
  const app = 'list-app';
  beforeAll(() => {
    for (let i = 1; i <= 5; i++) {
      cloud.addOrder({
        ...release(`list-${i}`, { outcome: i === 3 ? 'fail-batch-1' : 'stuck', reads: 0, appId: app, description: `v${i}` }),
        createTime: `2026-01-0${i} 10:00:00`,
        coTypeCode: i === 5 ? 'CoRestartApplication' : 'CoDeploy',
        coType: i === 5 ? 'Restart Application' : 'Deploy Application',
      });
    }
  });
  const list = (q: Record<string, string | number>) => call(sae, 'GET', `${SAE}/ListChangeOrders`, { AppId: app, ...q });

  it('pages (PageSize default 10) and never answers newest-first', async () => {
    const all = (await list({})).Data;
    expect(all).toMatchObject({ CurrentPage: 1, PageSize: 10, TotalSize: 5 });
    const ids = all.ChangeOrderList.map((o: Json) => o.ChangeOrderId);
    expect([...ids].sort()).toEqual(['list-1', 'list-2', 'list-3', 'list-4', 'list-5']);
    const newestFirst = [...all.ChangeOrderList].sort((a: Json, b: Json) => b.CreateTime.localeCompare(a.CreateTime)).map((o: Json) => o.ChangeOrderId);
    expect(ids).not.toEqual(newestFirst);
    expect(ids[0]).not.toBe('list-5');
    const p1 = (await list({ PageSize: 2, CurrentPage: 1 })).Data;
    const p3 = (await list({ PageSize: 2, CurrentPage: 3 })).Data;
    expect(p1).toMatchObject({ CurrentPage: 1, PageSize: 2, TotalSize: 5 });
    expect(p1.ChangeOrderList.map((o: Json) => o.ChangeOrderId)).toEqual(ids.slice(0, 2));
    expect(p3.ChangeOrderList.map((o: Json) => o.ChangeOrderId)).toEqual(ids.slice(4));
    expect((await list({ PageSize: 2, CurrentPage: 9 })).Data.ChangeOrderList).toEqual([]);
  });

  it('items carry the documented fields', async () => {
    const item = (await list({ CoStatus: '3' })).Data.ChangeOrderList[0];
    expect(item).toMatchObject({
      ChangeOrderId: 'list-3',
      AppId: app,
      Status: 3,
      CoType: 'Deploy Application',
      CoTypeCode: 'CoDeploy',
      CreateTime: '2026-01-03 10:00:00',
      BatchCount: 3,
      BatchType: 'auto',
      Description: 'v3',
      Source: 'console',
      UserId: '1234567890123456',
      CreateUserId: '1234567890123456',
    });
    expect(item.FinishTime).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  });

  it('filters by CoType and CoStatus; an unknown AppId gives an empty list; AppId is required', async () => {
    expect((await list({ CoType: 'CoRestartApplication' })).Data.ChangeOrderList.map((o: Json) => o.ChangeOrderId)).toEqual(['list-5']);
    expect((await list({ CoStatus: '1' })).Data.TotalSize).toBe(4);
    expect((await list({ CoStatus: '1', CoType: 'CoDeploy' })).Data.TotalSize).toBe(3);
    expect((await list({ CoStatus: '2' })).Data.TotalSize).toBe(0);
    expect((await call(sae, 'GET', `${SAE}/ListChangeOrders`, { AppId: 'ghost' })).Data).toMatchObject({ TotalSize: 0, ChangeOrderList: [] });
    expect((await failure(sae.request('GET', `${SAE}/ListChangeOrders`, {}))).code).toBe('InvalidParameter.NotEmpty');
  });
});

// ───────────────────────────── (8) ConfirmPipelineBatch / DescribePipeline ─────────────────────────────

describe('SAE ConfirmPipelineBatch and DescribePipeline', () => {
  const confirm = (pipelineId: string, c: boolean) => call(sae, 'GET', `${SAE}/ConfirmPipelineBatch`, { PipelineId: pipelineId, Confirm: c });

  it('releases the waiting batch once; a second confirm of the same batch is Application.InvalidStatus', async () => {
    const id = nextId('manual');
    cloud.addOrder(threeBatchRelease(id, { outcome: 'manual' }));
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await describeCo(id)).Data.Status);
    expect(statuses).toEqual([0, 1, 8]);
    expect((await describeCo(id)).Data).toMatchObject({ Status: 8, CurrentPipelineId: `${id}-b2`, BatchType: 'Manual', Auto: false });
    expect(await confirm(`${id}-b2`, true)).toMatchObject({ Success: true, Data: { PipelineId: `${id}-b2` } });
    expect(cloud.order(id)).toMatchObject({ status: 1, batches: [2, 1, 0] });
    const again = await failure(confirm(`${id}-b2`, true));
    expect([again.code, again.statusCode]).toEqual(['Application.InvalidStatus', 400]);
    expect((await failure(confirm(`${id}-b3`, true))).code).toBe('Application.InvalidStatus'); // not waiting yet
    await describeCo(id); // step "batch 2 running" lasts one read
    expect((await describeCo(id)).Data.Status).toBe(8);
    await confirm(`${id}-b3`, true);
    await describeCo(id);
    expect((await describeCo(id)).Data).toMatchObject({ Status: 2 });
    const accepted = cloud.callsFor('ConfirmPipelineBatch').filter((c) => c.query.PipelineId.startsWith(id) && c.status === 200);
    expect(accepted.map((c) => c.query.PipelineId)).toEqual([`${id}-b2`, `${id}-b3`]);
  });

  it('Confirm=false ends the order with status 6', async () => {
    const id = nextId('refuse');
    cloud.addOrder({
      id,
      batches: [{ name: 'B1' }, { name: 'B2' }],
      timeline: [
        { status: 8, batches: [2, 8] },
        { status: 2, batches: [2, 2] },
      ],
    });
    await confirm(`${id}-b2`, false);
    expect(cloud.order(id)).toMatchObject({ status: 6, batches: [2, 6] });
    expect((await failure(confirm(`${id}-b2`, true))).code).toBe('Application.InvalidStatus');
  });

  it('DescribePipeline shows a failed stage and task with the error message', async () => {
    const id = nextId('failed');
    cloud.addOrder(threeBatchRelease(id, { outcome: 'fail-batch-2', reads: 0, errorMessage: 'image pull failed' }));
    const co = (await describeCo(id)).Data;
    expect(co).toMatchObject({ Status: 3, ErrorMessage: 'image pull failed', CurrentPipelineId: `${id}-b2` });
    const p = (await call(sae, 'GET', `${SAE}/DescribePipeline`, { PipelineId: `${id}-b2` })).Data;
    expect(p).toMatchObject({
      PipelineId: `${id}-b2`,
      PipelineName: 'Batch 2 Change',
      PipelineStatus: 3,
      CoStatus: 'Failed',
      NextPipelineId: `${id}-b3`,
      ShowBatch: false,
    });
    const stage = p.StageList.find((s: Json) => s.Status === 3);
    expect(stage).toMatchObject({ StageName: 'Deploy instances', ExecutorType: 0 });
    expect(p.CurrentStageId).toBe(stage.StageId);
    expect(stage.TaskList[0]).toMatchObject({ Status: 3, ErrorMessage: 'image pull failed', ErrorIgnore: 0, ShowManualIgnore: false, StageId: stage.StageId });
    const ok = (await call(sae, 'GET', `${SAE}/DescribePipeline`, { PipelineId: `${id}-b1` })).Data;
    expect(ok.StageList.every((s: Json) => s.Status === 2)).toBe(true);
    expect((await failure(sae.request('GET', `${SAE}/DescribePipeline`, { PipelineId: 'nope' }))).statusCode).toBe(400);
  });
});

// ───────────────────────────── (9) STS ─────────────────────────────

describe('STS credentials', () => {
  it('accepts a valid token, rejects an expired one and a token that does not belong to the key', async () => {
    const id = nextId('sts');
    cloud.addOrder(release(id));
    cloud.addStsKey('STS.good', { secret: 'sts-secret', token: 'tok-good', expiresAt: Date.now() + 3600_000 });
    cloud.addStsKey('STS.old', { secret: 'sts-secret', token: 'tok-old', expiresAt: Date.now() - 1 });
    const client = (ak: string, token: string) =>
      new PopCore.ROAClient({ endpoint: cloud.url, apiVersion: SAE_API_VERSION, accessKeyId: ak, accessKeySecret: 'sts-secret', securityToken: token });
    expect((await describeCo(id, client('STS.good', 'tok-good'))).Success).toBe(true);
    expect(lastCall().headers['x-acs-security-token']).toBe('tok-good');
    const expired = await failure(describeCo(id, client('STS.old', 'tok-old')));
    expect([expired.code, expired.statusCode]).toEqual(['InvalidSecurityToken.Expired', 400]);
    const mismatch = await failure(describeCo(id, client('STS.good', 'tok-old')));
    expect([mismatch.code, mismatch.statusCode]).toEqual(['InvalidSecurityToken.MismatchWithAccessKey', 400]);
    const noToken = new PopCore.ROAClient({ endpoint: cloud.url, apiVersion: SAE_API_VERSION, accessKeyId: 'STS.good', accessKeySecret: 'sts-secret' });
    expect((await failure(describeCo(id, noToken))).code).toBe('InvalidSecurityToken.MismatchWithAccessKey');
  });

  it('expiry follows the fake clock, and STS keys can be given at start', async () => {
    let t = 1_000;
    const own = await FakeCloud.start({ now: () => t, accessKeys: {}, stsKeys: { 'STS.k': { secret: 's', token: 'tk', expiresAt: 2_000 } } });
    try {
      own.addOrder(release('o'));
      const client = new PopCore.ROAClient({ endpoint: own.url, apiVersion: SAE_API_VERSION, accessKeyId: 'STS.k', accessKeySecret: 's', securityToken: 'tk' });
      expect((await describeCo('o', client)).Success).toBe(true);
      t = 2_000;
      expect((await failure(describeCo('o', client))).code).toBe('InvalidSecurityToken.Expired');
      const plainKey = new PopCore.ROAClient({
        endpoint: own.url,
        apiVersion: SAE_API_VERSION,
        accessKeyId: DEFAULT_ACCESS_KEY_ID,
        accessKeySecret: DEFAULT_ACCESS_KEY_SECRET,
      });
      expect((await failure(describeCo('o', plainKey))).code).toBe('InvalidAccessKeyId.NotFound'); // accessKeys: {} replaces the default
    } finally {
      await own.close();
    }
  });
});

// ───────────────────────────── builders and lifecycle ─────────────────────────────

describe('builders and lifecycle', () => {
  it('release() outcomes walk the documented paths', async () => {
    let t = 0;
    const own = await FakeCloud.start({ now: () => t });
    try {
      const outcomes = ['success', 'fail-batch-2', 'stuck', 'stuck-with-error', 'approval'] as const;
      for (const o of outcomes) own.addOrder(threeBatchRelease(o, { outcome: o, ms: 10 }));
      t = 1_000;
      expect(outcomes.map((o) => own.order(o).status)).toEqual([2, 3, 1, 1, 11]);
      expect(own.order('success').batches).toEqual([2, 2, 2]);
      expect(own.order('fail-batch-2')).toMatchObject({ batches: [2, 3, 0], errorMessage: 'Readiness probe failed' });
      expect(own.order('stuck-with-error')).toMatchObject({ subStatus: 1, batches: [3, 0, 0] });
      own.addOrder(release('manual', { outcome: 'manual', ms: 10, batchCount: 2 }));
      t = 5_000;
      expect(own.order('manual')).toMatchObject({ status: 8, batches: [2, 8] }); // only a confirm ends a manual wait
    } finally {
      await own.close();
    }
  });

  it('close() ends keep-alive sockets and a pending slow answer, and is idempotent', async () => {
    const own = await FakeCloud.start();
    own.addOrder(release('o'));
    const client = new PopCore.ROAClient(clientConfig(own));
    await describeCo('o', client); // leaves a keep-alive socket
    own.injectFault({ kind: 'slow', ms: 60_000 });
    const pending = failure(client.request('GET', `${SAE}/DescribeChangeOrder`, { ChangeOrderId: 'o' }));
    while (own.calls.length < 2) await new Promise((r) => setTimeout(r, 5));
    const started = Date.now();
    await Promise.all([own.close(), own.close()]);
    expect(Date.now() - started).toBeLessThan(1000);
    expect((await pending).message).toMatch(/socket hang up|ECONNRESET/);
  });
});
