/** End-to-end: manual batches, approval, bake time and health checks, against the fake SAE/EDAS and a local health endpoint. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeCloud, type OrderScript } from '../../__fixtures__/cloud.js';
import { runAction } from '../../__fixtures__/action.js';
import { KEY_ID, SECRET, keyInputs, nextId } from './helpers.js';

let cloud: FakeCloud;
let health: http.Server;
let healthUrl = '';
/** What the health endpoint answers; tests flip it. */
let healthStatus = 200;
const probes: number[] = [];

beforeAll(async () => {
  cloud = await FakeCloud.start({ accessKeys: { [KEY_ID]: SECRET } });
  health = http.createServer((_req, res) => {
    probes.push(Date.now());
    res.writeHead(healthStatus, { 'content-type': 'text/plain' });
    res.end(healthStatus === 200 ? 'ok' : 'unhealthy');
  });
  await new Promise<void>((r) => health.listen(0, '127.0.0.1', r));
  healthUrl = `http://127.0.0.1:${(health.address() as AddressInfo).port}/healthz`;
});
afterAll(async () => {
  await cloud.close();
  health.closeAllConnections();
  await new Promise((r) => health.close(r));
});

const inputs = (id: string, over: Record<string, string> = {}) =>
  keyInputs(cloud.url, { 'change-order-id': id, timeout: '30s', ...over });

/** Three manual batches: each of batches 2 and 3 waits (status 8) until confirmed. */
function manual(id: string, over: Partial<OrderScript> = {}): OrderScript {
  return {
    id,
    batchType: 'manual',
    batches: [{ name: 'Batch 1 Change' }, { name: 'Batch 2 Change' }, { name: 'Batch 3 Change' }],
    timeline: [
      { status: 1, batches: [1, 0, 0], reads: 1 },
      { status: 8, batches: [2, 8, 0] },
      { status: 1, batches: [2, 1, 0], reads: 1 },
      { status: 8, batches: [2, 2, 8] },
      { status: 1, batches: [2, 2, 1], reads: 1 },
      { status: 2, batches: [2, 2, 2] },
    ],
    ...over,
  };
}
const confirms = (id: string) =>
  cloud.callsFor('ConfirmPipelineBatch').filter((c) => c.query.PipelineId?.startsWith(id));
const aborts = (id: string) =>
  cloud.calls.filter((c) => c.action === 'AbortChangeOrder' && c.query.ChangeOrderId === id);

describe('on-manual-batch: confirm', () => {
  it('releases batches 2 and 3 after their bake time with passing health checks', async () => {
    const id = nextId('confirm');
    cloud.addOrder(manual(id));
    healthStatus = 200;
    const run = await runAction({
      inputs: inputs(id, {
        'on-manual-batch': 'confirm',
        'bake-time': '2s',
        'health-check-url': `${healthUrl}\n${healthUrl}?second`,
      }),
    });
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ result: 'succeeded', 'batches-succeeded': '3' });
    const sent = confirms(id);
    expect(sent.map((c) => c.query.PipelineId)).toEqual([`${id}-b2`, `${id}-b3`]);
    expect(sent.every((c) => c.query.Confirm === 'true' && c.method === 'GET')).toBe(true);
    // Each release waited for the bake time after the batch was first seen waiting.
    const waits = cloud.callsFor('DescribeChangeOrder').filter((c) => c.query.ChangeOrderId === id);
    expect(sent[0]!.at - waits[1]!.at).toBeGreaterThanOrEqual(1900);
    expect(run.summary).toMatch(/\| Bake \| Health \|/);
    expect(run.summary).toMatch(/✅ \d+\/\d+ passed/);
    expect(run.summary).toContain('```mermaid\ngantt');
    expect(run.stdout).toMatch(/Released batch 2\/3 "Batch 2 Change"/);
  });

  it('stops and rolls back when a health check fails after batch 1, and releases nothing more', async () => {
    const id = nextId('unhealthy');
    cloud.addOrder(manual(id));
    healthStatus = 503;
    try {
      const run = await runAction({
        inputs: inputs(id, { 'on-manual-batch': 'confirm', 'bake-time': '5s', 'health-check-url': healthUrl }),
      });
      expect(run.code).toBe(1);
      expect(confirms(id)).toEqual([]);
      expect(aborts(id)).toHaveLength(1);
      expect(aborts(id)[0]!.query.Rollback).toBe('true');
      expect(run.outputs).toMatchObject({ result: 'failed', remedy: 'abort-and-rollback' });
      expect(run.outputs['error-message']).toMatch(
        /Health check http:\/\/127\.0\.0\.1:\d+\/healthz failed after batch 1\/3: HTTP 503/,
      );
      expect(run.summary).toContain('#### Failed health checks');
      expect(run.summary).toMatch(/\| HTTP 503 \| 1 \|/);
    } finally {
      healthStatus = 200;
    }
  });

  it('never sends a confirmation twice when the confirm call times out (it took effect anyway)', async () => {
    const id = nextId('slow-confirm');
    cloud.addOrder(manual(id));
    cloud.injectFault({ kind: 'slow', ms: 2500 }, { action: 'ConfirmPipelineBatch' });
    const run = await runAction({ inputs: inputs(id, { 'on-manual-batch': 'confirm', 'request-timeout': '1s' }) });
    expect(run.stdout).toMatch(/got no clear answer/);
    expect(run.code).toBe(0);
    expect(confirms(id).filter((c) => c.query.PipelineId === `${id}-b2`)).toHaveLength(1);
    expect(confirms(id)).toHaveLength(2);
  });

  it('re-reads and retries a confirmation that was refused by throttling, releasing each batch once', async () => {
    const id = nextId('throttled-confirm');
    cloud.addOrder(manual(id));
    cloud.injectFault({ kind: 'throttle' }, { action: 'ConfirmPipelineBatch' });
    const run = await runAction({ inputs: inputs(id, { 'on-manual-batch': 'confirm' }) });
    expect(run.code).toBe(0);
    const b2 = confirms(id).filter((c) => c.query.PipelineId === `${id}-b2`);
    expect(b2).toHaveLength(2);
    expect(b2.map((c) => c.status)).toEqual([400, 200]);
  });

  it('confirms EDAS batches with ContinuePipeline', async () => {
    const id = nextId('edas-confirm');
    cloud.addOrder(manual(id, { product: 'edas', batchType: 'Manual' }));
    const run = await runAction({ inputs: inputs(id, { product: 'edas', 'on-manual-batch': 'confirm' }) });
    expect(run.code).toBe(0);
    expect(cloud.callsFor('ContinuePipeline').filter((c) => c.query.PipelineId?.startsWith(id))).toHaveLength(2);
  });
});

describe('pauses', () => {
  it('passes with result paused at a manual batch with on-manual-batch: succeed', async () => {
    const id = nextId('pause-ok');
    cloud.addOrder(manual(id));
    const run = await runAction({ inputs: inputs(id, { 'on-manual-batch': 'succeed' }) });
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ result: 'paused', 'waiting-batch': 'Batch 2 Change', remedy: 'none' });
    expect(run.summary).toContain('⏸️ Release paused');
    expect(confirms(id)).toEqual([]);
  });

  it('fails with result paused with on-manual-batch: fail, and leaves the release alone', async () => {
    const id = nextId('pause-fail');
    cloud.addOrder(manual(id));
    const run = await runAction({ inputs: inputs(id, { 'on-manual-batch': 'fail' }) });
    expect(run.code).toBe(1);
    expect(run.outputs).toMatchObject({ result: 'paused', 'waiting-batch': 'Batch 2 Change' });
    expect(aborts(id)).toEqual([]);
  });

  it('waits at approval, says a person must act, then times out and aborts', async () => {
    const id = nextId('approval');
    cloud.addOrder({ id, batches: [{ name: 'Batch 1 Change' }], timeline: [{ status: 11, batches: [0] }] });
    const run = await runAction({ inputs: inputs(id, { timeout: '3s' }) });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/::notice::A person must act: change order .* waits for approval/);
    expect(run.outputs).toMatchObject({ result: 'timed-out', remedy: 'abort' });
    expect(aborts(id)).toHaveLength(1);
  });

  it('with on-manual-batch: wait, says which batch waits and links the console', async () => {
    const id = nextId('wait');
    cloud.addOrder(manual(id));
    const run = await runAction({ inputs: inputs(id, { timeout: '3s', 'on-timeout': 'none' }) });
    expect(run.outputs.result).toBe('timed-out');
    expect(run.stdout).toMatch(
      /::notice::A person must act: change order .* waits for someone to confirm the next batch \(Batch 2 Change\) in the console: https:\/\/sae\.console/,
    );
  });
});

describe('failed batch detail', () => {
  it('shows the failed stage and task from DescribePipeline', async () => {
    const id = nextId('detail');
    cloud.addOrder({
      id,
      batches: [{ name: 'Batch 1 Change' }, { name: 'Batch 2 Change' }],
      timeline: [
        { status: 1, batches: [2, 1], reads: 1 },
        { status: 3, batches: [2, 3], errorMessage: 'Back-off pulling image "shop:9.9"' },
      ],
    });
    const run = await runAction({ inputs: inputs(id) });
    expect(run.code).toBe(1);
    expect(cloud.callsFor('DescribePipeline').some((c) => c.query.PipelineId === `${id}-b2`)).toBe(true);
    expect(run.stdout).toMatch(/Batch 2\/2 "Batch 2 Change" failed at stage "Deploy instances"/);
    expect(run.summary).toContain('### Why batch "Batch 2 Change" failed');
  });
});
