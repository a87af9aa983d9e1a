/**
 * End-to-end: the bundled dist/index.js (and dist/post/index.js) run as child processes exactly as the runner runs
 * them, against the fake SAE/EDAS server on 127.0.0.1.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FakeCloud, type OrderScript } from '../../__fixtures__/cloud.js';
import { readableText, runAction, visibleLog, type ActionRun } from '../../__fixtures__/action.js';
import { KEY_ID, SECRET, keyInputs, nextId } from './helpers.js';

let cloud: FakeCloud;

beforeAll(async () => {
  cloud = await FakeCloud.start({ accessKeys: { [KEY_ID]: SECRET } });
});
afterAll(async () => {
  await cloud.close();
});

const inputs = (id: string, over: Record<string, string> = {}) =>
  keyInputs(cloud.url, { 'change-order-id': id, timeout: '20s', ...over });

const three = [{ name: 'Batch 1 Change' }, { name: 'Batch 2 Change' }, { name: 'Batch 3 Change' }];

function release(id: string, over: Partial<OrderScript> = {}): OrderScript {
  return {
    id,
    appId: 'app-e2e',
    appName: 'demo-app',
    batches: three,
    timeline: [
      { status: 1, batches: [1, 0, 0], reads: 1 },
      { status: 9, batches: [2, 0, 0], reads: 1 },
      { status: 1, batches: [2, 1, 0], reads: 1 },
      { status: 1, batches: [2, 2, 1], reads: 1 },
      { status: 2, batches: [2, 2, 2] },
    ],
    ...over,
  };
}

function expectNoSecret(run: ActionRun): void {
  expect(run.stdout).toContain(`::add-mask::${SECRET}`);
  expect(readableText(run)).not.toContain(SECRET);
}

describe('SAE end to end', () => {
  it('passes a three-batch release, logs each batch, writes the summary and every output', async () => {
    const id = nextId('ok');
    cloud.addOrder(release(id));
    const run = await runAction({ inputs: inputs(id) });
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({
      result: 'succeeded',
      status: '2',
      remedy: 'none',
      'batches-total': '3',
      'batches-succeeded': '3',
      'app-id': 'app-e2e',
      'change-order-id': id,
    });
    expect(JSON.parse(run.outputs['change-order']!)).toMatchObject({ ChangeOrderId: id, Status: 2 });
    const log = visibleLog(run);
    expect(log).toContain('Batch 1/3 "Batch 1 Change" running');
    expect(log).toMatch(/Batch 3\/3 "Batch 3 Change" succeeded/);
    expect(run.summary).toContain('✅ Release succeeded');
    expect(run.summary).toContain('| 3 | Batch 3 Change | ✅ succeeded |');
    expect(cloud.callsFor('AbortChangeOrder').filter((c) => c.query.ChangeOrderId === id)).toEqual([]);
    const reads = cloud.callsFor('DescribeChangeOrder').filter((c) => c.query.ChangeOrderId === id);
    expect(reads.every((c) => c.signatureOk)).toBe(true);
    expect(reads.length).toBe(5);
    expectNoSecret(run);
    // Node 24 deprecates url.parse(), which pop-core calls; its warning must not reach the job log (CI runs this on 24).
    expect(run.stderr).not.toContain('DeprecationWarning');
  });

  it('aborts and rolls back a release whose batch hits an error (SubStatus 1)', async () => {
    const id = nextId('stuck');
    cloud.addOrder(
      release(id, {
        timeline: [
          { status: 1, batches: [1, 0, 0], reads: 1 },
          { status: 1, batches: [2, 1, 0], reads: 1 },
          { status: 1, subStatus: 1, batches: [2, 1, 0], errorMessage: 'Readiness probe failed: HTTP 503' },
        ],
      }),
    );
    const run = await runAction({ inputs: inputs(id) });
    expect(run.code).toBe(1);
    const aborts = cloud.callsFor('AbortChangeOrder').filter((c) => c.query.ChangeOrderId === id);
    expect(aborts).toHaveLength(1);
    expect(aborts[0]!.query.Rollback).toBe('true');
    expect(aborts[0]!.method).toBe('PUT');
    expect(run.outputs).toMatchObject({
      result: 'failed',
      remedy: 'abort-and-rollback',
      status: '6',
      'failed-batch': 'Batch 2 Change',
    });
    expect(run.outputs['error-message']).toContain('Readiness probe failed');
    expect(run.stdout).toMatch(/::error::Result: failed\./);
    expect(run.summary).toContain('❌ Release failed');
    expect(run.summary).toContain('roll it back (on-failure)');
    expectNoSecret(run);
  });

  it('aborts (without rollback) a release that outlives the timeout', async () => {
    const id = nextId('slow');
    cloud.addOrder(release(id, { timeline: [{ status: 1, batches: [1, 0, 0] }] }));
    const run = await runAction({ inputs: inputs(id, { timeout: '3s' }) });
    expect(run.code).toBe(1);
    const aborts = cloud.callsFor('AbortChangeOrder').filter((c) => c.query.ChangeOrderId === id);
    expect(aborts).toHaveLength(1);
    expect(aborts[0]!.query.Rollback).toBeUndefined();
    expect(run.outputs).toMatchObject({ result: 'timed-out', remedy: 'abort', status: '6' });
    expect(run.summary).toContain('⏱️ Release timed out');
  });

  it('reports a terminal failure without trying to stop it', async () => {
    const id = nextId('fail');
    cloud.addOrder(
      release(id, {
        timeline: [
          { status: 1, batches: [1, 0, 0], reads: 1 },
          { status: 3, batches: [3, 0, 0], errorMessage: 'image pull failed' },
        ],
      }),
    );
    // on-failure abort leaves a finished order alone; abort-and-rollback (the default) would roll the app back.
    const run = await runAction({ inputs: inputs(id, { 'on-failure': 'abort' }) });
    expect(run.code).toBe(1);
    expect(cloud.callsFor('AbortChangeOrder').filter((c) => c.query.ChangeOrderId === id)).toEqual([]);
    expect(run.outputs).toMatchObject({
      result: 'failed',
      remedy: 'none',
      status: '3',
      'failed-batch': 'Batch 1 Change',
    });
    expect(run.outputs['error-message']).toContain('image pull failed');
  });

  it('rides out a throttling burst and still passes', async () => {
    const id = nextId('throttle');
    cloud.addOrder(release(id));
    cloud.injectFault({ kind: 'throttle' }, { action: 'DescribeChangeOrder', times: 3 });
    const run = await runAction({ inputs: inputs(id) });
    expect(run.code).toBe(0);
    expect(run.outputs.result).toBe('succeeded');
  });

  it('logs raw API responses only with step debugging on (RUNNER_DEBUG=1)', async () => {
    const id = nextId('debug');
    cloud.addOrder(release(id, { timeline: [{ status: 2, batches: [2, 2, 2] }] }));
    const quiet = await runAction({ inputs: inputs(id) });
    expect(quiet.stdout).not.toMatch(/::debug::DescribeChangeOrder response/);
    const loud = await runAction({ inputs: inputs(id), env: { RUNNER_DEBUG: '1' } });
    expect(loud.stdout).toMatch(/::debug::DescribeChangeOrder response: \{.*"Status":2/);
    expect(readableText(loud)).not.toContain(SECRET);
  });

  it('refuses bad input before any API call', async () => {
    const before = cloud.calls.length;
    const run = await runAction({ inputs: inputs('co-x', { 'poll-interval': 'abc' }) });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      '::error::Invalid input "poll-interval": "abc" is not a duration such as 10s, 2m or 1h30m',
    );
    expect(run.outputs.result).toBe('error');
    expect(cloud.calls.length).toBe(before);
  });

  it('explains a wrong secret and touches nothing', async () => {
    const id = nextId('sig');
    cloud.addOrder(release(id));
    const run = await runAction({ inputs: inputs(id, { 'access-key-secret': 'wrong-secret-123' }) });
    expect(run.code).toBe(1);
    expect(run.outputs.result).toBe('error');
    expect(run.stdout).toMatch(/SignatureDoesNotMatch.*check access-key-secret/);
    expect(readableText(run)).not.toContain('wrong-secret-123');
    expect(cloud.callsFor('AbortChangeOrder').filter((c) => c.query.ChangeOrderId === id)).toEqual([]);
  });
});

describe('EDAS end to end', () => {
  const edasInputs = (id: string, over: Record<string, string> = {}) => inputs(id, { product: 'edas', ...over });

  it('passes a successful EDAS release', async () => {
    const id = nextId('edas-ok');
    cloud.addOrder(release(id, { product: 'edas' }));
    const run = await runAction({ inputs: edasInputs(id) });
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({
      result: 'succeeded',
      status: '2',
      'batches-total': '3',
      'batches-succeeded': '3',
    });
    expect(run.summary).toContain('EDAS change order');
    const reads = cloud.callsFor('GetChangeOrderInfo').filter((c) => c.query.ChangeOrderId === id);
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.every((c) => c.method === 'POST' && c.signatureOk)).toBe(true);
  });

  it('aborts and rolls back a failing EDAS release through AbortAndRollbackChangeOrder', async () => {
    const id = nextId('edas-timeout-rb');
    cloud.addOrder(release(id, { product: 'edas', timeline: [{ status: 1, batches: [2, 1, 0] }] }));
    const run = await runAction({ inputs: edasInputs(id, { timeout: '2s', 'on-timeout': 'abort-and-rollback' }) });
    expect(run.code).toBe(1);
    expect(cloud.callsFor('AbortAndRollbackChangeOrder').filter((c) => c.query.ChangeOrderId === id)).toHaveLength(1);
    expect(cloud.callsFor('AbortChangeOrder').filter((c) => c.query.ChangeOrderId === id)).toHaveLength(0);
    expect(run.outputs).toMatchObject({ result: 'timed-out', remedy: 'abort-and-rollback' });
  });

  it('aborts an EDAS release on timeout with AbortChangeOrder', async () => {
    const id = nextId('edas-slow');
    cloud.addOrder(release(id, { product: 'edas', timeline: [{ status: 1, batches: [1, 0, 0] }] }));
    const run = await runAction({ inputs: edasInputs(id, { timeout: '2s' }) });
    expect(run.code).toBe(1);
    const aborts = cloud.callsFor('AbortChangeOrder').filter((c) => c.query.ChangeOrderId === id);
    expect(aborts).toHaveLength(1);
    expect(aborts[0]!.path).toBe('/pop/v5/changeorder/change_order_abort');
    expect(run.outputs).toMatchObject({ result: 'timed-out', remedy: 'abort', status: '6' });
  });

  it('treats a Code 500 body at HTTP 200 as an error, never a success', async () => {
    // Its own server: the fault repeats for every read, and must not leak into other tests.
    const own = await FakeCloud.start({ accessKeys: { [KEY_ID]: SECRET } });
    try {
      const id = nextId('edas-500');
      own.addOrder(release(id, { product: 'edas' }));
      own.injectFault(
        { kind: 'body', status: 200, body: { Code: 500, Message: 'internal error', RequestId: 'R-500' } },
        { action: 'GetChangeOrderInfo', times: 1000 },
      );
      const run = await runAction({
        inputs: { ...edasInputs(id, { 'max-api-errors': '1', 'on-timeout': 'none' }), endpoint: own.url },
      });
      expect(run.code).toBe(1);
      expect(run.outputs.result).toBe('error');
      expect(run.stdout).toMatch(/GetChangeOrderInfo failed: 500/);
      expect(own.callsFor('GetChangeOrderInfo').length).toBeGreaterThan(2);
    } finally {
      await own.close();
    }
  });
});
