/**
 * End-to-end (dist/ against the fake cloud), issue 19: cancellation that cancels (class 4), the post step and its state
 * (class 7), honest words and inputs (class 8). Classes 3 and 6 are proved in the fault matrix (npm run test:faults)
 * and in the product and API-error unit tests.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FakeCloud } from '../../__fixtures__/cloud.js';
import { readableText, runAction, startAction, visibleLog } from '../../__fixtures__/action.js';
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
const stuck = (id: string) =>
  cloud.addOrder({
    id,
    appId: 'app-f',
    batches: [{ name: 'Batch 1 Change' }, { name: 'Batch 2 Change' }],
    timeline: [{ status: 1, subStatus: 1, batches: [1, 0], errorMessage: 'Readiness probe failed' }],
  });
const aborts = (id: string) =>
  cloud.calls.filter(
    (c) =>
      (c.action === 'AbortChangeOrder' || c.action === 'AbortAndRollbackChangeOrder') && c.query.ChangeOrderId === id,
  );

describe('cancellation that cancels (class 4)', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)(
    'an on-failure abort in flight gives way to %s: outputs and summary are written before the kill',
    async (signal) => {
      const id = nextId('abort-inflight');
      stuck(id);
      cloud.injectFault({ kind: 'slow', ms: 30_000 }, { action: 'AbortChangeOrder', times: 1 });
      const { child, done } = startAction({ inputs: inputs(id, { 'request-timeout': '60s' }) });
      await waitFor('the abort', () => aborts(id).length >= 1, 15_000);
      const signalledAt = Date.now();
      child.kill(signal);
      const run = await done;
      // The runner sends SIGTERM at 7.5 s and kills at 10 s.
      expect(Date.now() - signalledAt).toBeLessThan(7500);
      expect(run.signal).toBeNull();
      expect(run.outputs.result).toBe('failed');
      expect(run.summary).not.toBe('');
      // The reason the release failed survives the abort.
      expect(run.outputs['error-message']).toContain('Readiness probe failed');
    },
    30_000,
  );
});

describe('the post step and the state (class 7)', () => {
  it('applies the remedy main was applying (abort-and-rollback), not on-cancel', async () => {
    const id = nextId('post-remedy');
    stuck(id);
    cloud.injectFault({ kind: 'slow', ms: 20_000 }, { action: 'AbortChangeOrder', times: 1 });
    const { child, done } = startAction({ inputs: inputs(id, { 'on-cancel': 'abort', 'request-timeout': '60s' }) });
    await waitFor('the abort', () => aborts(id).length >= 1, 15_000);
    child.kill('SIGKILL');
    const main = await done;
    expect(main.state).toMatchObject({ 'change-order-id': id, done: 'false', remedy: 'abort-and-rollback' });
    const before = aborts(id).length;
    const post = await runAction({
      inputs: inputs(id, { 'on-cancel': 'abort' }),
      entry: 'dist/post/index.js',
      state: main.state,
    });
    expect(post.code).toBe(0);
    const sent = aborts(id).slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.query.Rollback).toBe('true');
    expect(post.ms).toBeLessThan(8000);
  }, 40_000);

  it('stays within its 8 s budget when the abort never answers', async () => {
    const id = nextId('post-budget');
    cloud.addOrder({ id, batches: [{ name: 'B1' }], timeline: [{ status: 1, batches: [1] }] });
    cloud.injectFault({ kind: 'slow', ms: 30_000 }, { action: 'AbortChangeOrder', times: 5 });
    const post = await runAction({
      inputs: inputs(id, { 'request-timeout': '60s' }),
      entry: 'dist/post/index.js',
      state: { 'change-order-id': id, done: 'false' },
    });
    expect(post.code).toBe(0);
    expect(post.ms).toBeLessThan(8000);
    expect(post.stdout).toMatch(/::warning::/);
  }, 30_000);

  it('leaves alone an order recorded by another run', async () => {
    const id = nextId('post-foreign');
    cloud.addOrder({ id, batches: [{ name: 'B1' }], timeline: [{ status: 1, batches: [1] }] });
    const post = await runAction({
      inputs: inputs(id),
      entry: 'dist/post/index.js',
      env: { GITHUB_RUN_ID: '2002', GITHUB_RUN_ATTEMPT: '1', GITHUB_ACTION: 'gate' },
      state: { 'change-order-id': id, done: 'false', run: '1001/1/gate' },
    });
    expect(post.code).toBe(0);
    expect(aborts(id)).toHaveLength(0);
    expect(post.stdout).toMatch(/::warning::Post step: left change order .* not recorded by the main step of this run/);
  });

  it('leaves alone an order recorded for another app', async () => {
    const id = nextId('post-app');
    cloud.addOrder({ id, batches: [{ name: 'B1' }], timeline: [{ status: 1, batches: [1] }] });
    const post = await runAction({
      inputs: inputs(id, { 'app-id': 'app-mine' }),
      entry: 'dist/post/index.js',
      state: { 'change-order-id': id, done: 'false', 'app-id': 'app-theirs' },
    });
    expect(post.code).toBe(0);
    expect(aborts(id)).toHaveLength(0);
  });

  it('refuses a health-check-url with credentials, naming the input and never printing them', async () => {
    const id = nextId('health-creds');
    cloud.addOrder({ id, batches: [{ name: 'B1' }], timeline: [{ status: 2, batches: [2] }] });
    const run = await runAction({
      inputs: inputs(id, {
        'health-check-url': 'https://admin:hunter2-pass@shop.example.com/healthz',
        'verify-time': '5s',
      }),
    });
    expect(run.code).toBe(1);
    expect(run.outputs.result).toBe('error');
    expect(run.outputs['error-message']).toMatch(/"health-check-url".*credentials/);
    expect(readableText(run)).not.toContain('hunter2-pass');
    expect(cloud.calls.filter((c) => c.query.ChangeOrderId === id)).toHaveLength(0);
  });
});

describe('honest words (class 8)', () => {
  it('accepts timeout: 7d, as action.yml says', async () => {
    const id = nextId('seven-days');
    cloud.addOrder({ id, batches: [{ name: 'B1' }], timeline: [{ status: 2, batches: [2] }] });
    const run = await runAction({ inputs: inputs(id, { timeout: '7d' }) });
    expect(run.outputs.result).toBe('succeeded');
    expect(run.code).toBe(0);
  });

  it('in confirm mode, posts no "a person must act" notice for a batch the gate releases itself', async () => {
    const id = nextId('confirm-quiet');
    cloud.addOrder({
      id,
      batches: [{ name: 'Batch 1' }, { name: 'Batch 2' }],
      timeline: [
        { status: 1, batches: [1, 0], reads: 1 },
        { status: 8, batches: [2, 8] },
        { status: 2, batches: [2, 2] },
      ],
    });
    const run = await runAction({ inputs: inputs(id, { 'on-manual-batch': 'confirm' }) });
    expect(run.outputs.result).toBe('succeeded');
    expect(cloud.calls.filter((c) => c.action === 'ConfirmPipelineBatch')).not.toHaveLength(0);
    expect(visibleLog(run)).not.toMatch(/A person must act/);
  });

  it('with a wrong secret, does not say the never-read order had settled', async () => {
    const id = nextId('wrong-secret');
    cloud.addOrder({ id, batches: [{ name: 'B1' }], timeline: [{ status: 1, batches: [1] }] });
    const run = await runAction({ inputs: inputs(id, { 'access-key-secret': 'not-the-secret' }) });
    expect(run.outputs.result).toBe('error');
    expect(run.summary).not.toMatch(/already settled/);
    expect(run.summary).toMatch(/never read/);
  });

  it('says a not-found order once, not once per read', async () => {
    const id = nextId('late');
    cloud.addOrder({ id, batches: [{ name: 'B1' }], timeline: [{ status: 2, batches: [2] }] });
    cloud.injectFault({ kind: 'not-found' }, { action: 'DescribeChangeOrder', times: 6 });
    const run = await runAction({ inputs: inputs(id) });
    expect(run.outputs.result).toBe('succeeded');
    const warnings = run.stdout.split('\n').filter((l) => l.startsWith('::warning::Could not read'));
    expect(warnings).toHaveLength(1);
  });
});
