/** End-to-end: cancelling a run (SIGINT/SIGTERM), killing main (SIGKILL), and the post step's safety net. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FakeCloud } from '../../__fixtures__/cloud.js';
import { readableText, runAction, startAction } from '../../__fixtures__/action.js';
import { KEY_ID, SECRET, keyInputs, nextId, waitFor } from './helpers.js';

let cloud: FakeCloud;

beforeAll(async () => {
  cloud = await FakeCloud.start({ accessKeys: { [KEY_ID]: SECRET } });
});
afterAll(async () => {
  await cloud.close();
});

const inputs = (id: string, over: Record<string, string> = {}) =>
  keyInputs(cloud.url, { 'change-order-id': id, timeout: '60s', ...over });
const running = (id: string) =>
  cloud.addOrder({
    id,
    appId: 'app-c',
    batches: [{ name: 'Batch 1 Change' }, { name: 'Batch 2 Change' }],
    timeline: [{ status: 1, batches: [1, 0] }],
  });
const aborts = (id: string) =>
  cloud.calls.filter(
    (c) =>
      (c.action === 'AbortChangeOrder' || c.action === 'AbortAndRollbackChangeOrder') && c.query.ChangeOrderId === id,
  );
const reads = (id: string) => cloud.callsFor('DescribeChangeOrder').filter((c) => c.query.ChangeOrderId === id);

describe('cancellation', () => {
  it('stops the release within 2 s of SIGINT and exits well before the kill', async () => {
    const id = nextId('sigint');
    running(id);
    const { child, done } = startAction({ inputs: inputs(id) });
    await waitFor('two reads', () => reads(id).length >= 2);
    const signalledAt = Date.now();
    child.kill('SIGINT');
    const run = await done;
    const exitedAfter = Date.now() - signalledAt;
    expect(aborts(id)).toHaveLength(1);
    expect(aborts(id)[0]!.at - signalledAt).toBeLessThan(2000);
    expect(exitedAfter).toBeLessThan(7000);
    expect(run.code).toBe(1);
    expect(run.outputs).toMatchObject({ result: 'cancelled', remedy: 'abort' });
    expect(run.summary).toContain('cancelled');
    expect(run.state.done).toBe('true');
  });

  it('does not wait for a request that is in flight when the signal comes', async () => {
    const id = nextId('inflight');
    running(id);
    const { child, done } = startAction({ inputs: inputs(id, { 'request-timeout': '30s' }) });
    await waitFor('a read', () => reads(id).length >= 1);
    cloud.injectFault({ kind: 'slow', ms: 20_000 }, { action: 'DescribeChangeOrder' });
    await waitFor('the slow read', () => reads(id).length >= 2, 5000);
    const signalledAt = Date.now();
    child.kill('SIGINT');
    const run = await done;
    expect(aborts(id)).toHaveLength(1);
    expect(aborts(id)[0]!.at - signalledAt).toBeLessThan(2000);
    expect(Date.now() - signalledAt).toBeLessThan(7000);
    expect(run.outputs.result).toBe('cancelled');
  });

  it('applies one remedy when SIGINT comes twice (and SIGTERM after it)', async () => {
    const id = nextId('twice');
    running(id);
    const { child, done } = startAction({ inputs: inputs(id, { 'on-cancel': 'abort-and-rollback' }) });
    await waitFor('a read', () => reads(id).length >= 1);
    // A slow abort keeps the first remedy in flight while the second and third signals arrive.
    cloud.injectFault({ kind: 'slow', ms: 1000 }, { action: 'AbortChangeOrder' });
    child.kill('SIGINT');
    await waitFor('the abort', () => aborts(id).length >= 1, 3000);
    child.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGTERM');
    const run = await done;
    expect(aborts(id)).toHaveLength(1);
    expect(aborts(id)[0]!.query.Rollback).toBe('true');
    expect(run.stdout).toMatch(/already stopping/);
    expect(run.outputs.remedy).toBe('abort-and-rollback');
  });

  it('leaves the release running with on-cancel: none', async () => {
    const id = nextId('none');
    running(id);
    const { child, done } = startAction({ inputs: inputs(id, { 'on-cancel': 'none' }) });
    await waitFor('a read', () => reads(id).length >= 1);
    child.kill('SIGINT');
    const run = await done;
    expect(aborts(id)).toHaveLength(0);
    expect(run.outputs).toMatchObject({ result: 'cancelled', remedy: 'none' });
  });
});

describe('post step', () => {
  it('aborts once when main was killed mid-release', async () => {
    const id = nextId('killed');
    running(id);
    const { child, done } = startAction({ inputs: inputs(id) });
    await waitFor('a read', () => reads(id).length >= 1);
    child.kill('SIGKILL');
    const main = await done;
    expect(main.signal).toBe('SIGKILL');
    expect(main.state).toMatchObject({ 'change-order-id': id, done: 'false' });
    expect(aborts(id)).toHaveLength(0);

    const post = await runAction({ inputs: inputs(id), entry: 'dist/post/index.js', state: main.state });
    expect(post.code).toBe(0);
    expect(aborts(id)).toHaveLength(1);
    expect(post.stdout).toMatch(/::warning::Post step: the main step ended before change order/);
    expect(post.summary).toContain('Post step');
    expect(readableText(post)).not.toContain(SECRET);
    expect(post.stderr).not.toContain('DeprecationWarning');
  });

  it('makes no call after a release that settled', async () => {
    const id = nextId('settled');
    cloud.addOrder({ id, batches: [{ name: 'B1' }], timeline: [{ status: 2, batches: [2] }] });
    const main = await runAction({ inputs: inputs(id) });
    expect(main.code).toBe(0);
    const before = cloud.calls.length;
    const post = await runAction({ inputs: inputs(id), entry: 'dist/post/index.js', state: main.state });
    expect(post.code).toBe(0);
    expect(cloud.calls.length).toBe(before);
    expect(post.stdout).toMatch(/::debug::Post step: nothing to do/);
  });

  it('warns, never fails, when it cannot reach the API', async () => {
    const post = await runAction({
      inputs: inputs('co-gone', { endpoint: 'http://127.0.0.1:9' }),
      entry: 'dist/post/index.js',
      state: { 'change-order-id': 'co-gone', done: 'false' },
    });
    expect(post.code).toBe(0);
    expect(post.stdout).toMatch(/::warning::/);
  });
});
