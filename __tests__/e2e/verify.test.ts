/**
 * End-to-end: after the change order, the app. Verify that the release landed, bake it after the last batch, and put
 * the app back on its previous version when a finished release failed; dist/ against the fake SAE/EDAS on 127.0.0.1.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { FakeCloud, release, type OrderScript } from '../../__fixtures__/cloud.js';
import { runAction, startAction, visibleLog } from '../../__fixtures__/action.js';
import { KEY_ID, SECRET, keyInputs, nextId, waitFor } from './helpers.js';

let cloud: FakeCloud;
let health: http.Server;
let healthUrl = '';
/** The health endpoint answers 200 this many times, then 503. */
let healthyAnswers = Infinity;

beforeAll(async () => {
  cloud = await FakeCloud.start({ accessKeys: { [KEY_ID]: SECRET } });
  health = http.createServer((_req, res) => {
    const ok = healthyAnswers-- > 0;
    res.writeHead(ok ? 200 : 503, { 'content-type': 'text/plain' });
    res.end(ok ? 'ok' : 'unhealthy');
  });
  await new Promise<void>((r) => health.listen(0, '127.0.0.1', r));
  healthUrl = `http://127.0.0.1:${(health.address() as AddressInfo).port}/healthz`;
});
afterEach(() => {
  cloud.clearFaults();
});
afterAll(async () => {
  health.closeAllConnections();
  await new Promise((r) => health.close(r));
  await cloud.close();
});

const inputs = (id: string, over: Record<string, string> = {}) =>
  keyInputs(cloud.url, { 'change-order-id': id, timeout: '30s', ...over });

function order(id: string, appId: string, end: 'success' | 'fail', over: Partial<OrderScript> = {}): OrderScript {
  return {
    id,
    appId,
    batches: [{ name: 'Batch 1 Change' }, { name: 'Batch 2 Change' }],
    timeline: [
      { status: 1, batches: [1, 0], reads: 1 },
      end === 'success'
        ? { status: 2, batches: [2, 2] }
        : { status: 3, batches: [2, 3], errorMessage: 'Readiness probe failed' },
    ],
    ...over,
  };
}

/** An app with an earlier, successful deploy (its version is the one to go back to) and the order under test. */
function appWithHistory(end: 'success' | 'fail'): { app: string; id: string; earlier: string } {
  const app = nextId('app');
  const earlier = nextId('earlier');
  cloud.addOrder({ id: earlier, appId: app, batches: [{ name: 'B' }], timeline: [{ status: 2, batches: [2] }] });
  const id = nextId(end === 'success' ? 'ok' : 'fail');
  cloud.addOrder(order(id, app, end));
  return { app, id, earlier };
}

const appCalls = (action: string, app: string) => cloud.callsFor(action).filter((c) => c.query.AppId === app);
/** Every call that could roll an app back or stop an order, for the given orders and app. */
const remedies = (app: string, ...ids: string[]) =>
  cloud.calls.filter(
    (c) =>
      (['AbortChangeOrder', 'AbortAndRollbackChangeOrder', 'RollbackChangeOrder'].includes(c.action) &&
        ids.includes(c.query.ChangeOrderId ?? '')) ||
      (c.action === 'RollbackApplication' && c.query.AppId === app),
  );

describe('verify', () => {
  it('passes only after reading the app: its last order, no error, instances ready, and says what it checked', async () => {
    const app = nextId('app');
    const id = nextId('ok');
    cloud.addOrder(order(id, app, 'success'));
    const run = await runAction({ inputs: inputs(id) });
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ result: 'succeeded', remedy: 'none', 'rollback-change-order-id': '' });
    expect(appCalls('DescribeApplicationStatus', app).length).toBe(1);
    const instances = appCalls('DescribeApplicationInstances', app);
    expect(instances.length).toBe(1);
    expect(instances[0]!.query.GroupId).toBe(`${app}-group`);
    expect(run.summary).toContain('### Verification: ✅ passed');
    expect(run.summary).toContain('the app&#39;s last change order is this one, with status SUCCESS');
    expect(run.summary).toContain('2 of 2 wanted instances are running and ready');
  });

  it('reports superseded, names the newer order and touches neither when a newer order replaced it', async () => {
    const app = nextId('app');
    const id = nextId('ok');
    cloud.addOrder(order(id, app, 'success'));
    const newer = nextId('newer');
    cloud.addOrder({ id: newer, appId: app, batches: [{ name: 'B' }], timeline: [{ status: 1, batches: [1] }] });
    const run = await runAction({ inputs: inputs(id) });
    expect(run.code).toBe(1);
    expect(run.outputs).toMatchObject({ result: 'superseded', remedy: 'none', 'rollback-change-order-id': '' });
    expect(visibleLog(run)).toContain(
      `::error::Result: superseded. The change order succeeded, but a newer change order ${newer} has replaced it`,
    );
    for (const action of ['AbortChangeOrder', 'AbortAndRollbackChangeOrder', 'ConfirmPipelineBatch'])
      expect(cloud.callsFor(action).filter((c) => [id, newer].includes(c.query.ChangeOrderId ?? ''))).toEqual([]);
    expect(appCalls('RollbackApplication', app)).toEqual([]);
    expect(run.summary).toContain('⏭️ Release superseded');
  });

  it('fails when the app reports an error although the order succeeded', async () => {
    const app = nextId('app');
    const id = nextId('ok');
    cloud.addOrder(order(id, app, 'success'));
    cloud.apps.script(app, { subStatus: 'RUNNING_BUT_HAS_ERROR' });
    const run = await runAction({ inputs: inputs(id, { 'on-failure': 'abort' }) });
    expect(run.code).toBe(1);
    expect(run.outputs).toMatchObject({ result: 'failed', status: '2', remedy: 'none' });
    expect(visibleLog(run)).toContain(
      '::error::Result: failed. The change order succeeded, but the app reports an error (SubStatus RUNNING_BUT_HAS_ERROR).',
    );
    expect(appCalls('RollbackApplication', app)).toEqual([]);
  });

  it('fails when fewer instances are running and ready than the app wants', async () => {
    const app = nextId('app');
    const id = nextId('ok');
    cloud.addOrder(order(id, app, 'success'));
    cloud.apps.script(app, {
      replicas: 3,
      instances: [{}, { id: 'i-sick', health: 'ReadinessUnhealthy', unhealthyMessage: 'HTTP 503 on /ready' }, {}],
    });
    const run = await runAction({ inputs: inputs(id, { 'on-failure': 'abort' }) });
    expect(run.code).toBe(1);
    expect(run.outputs.result).toBe('failed');
    expect(visibleLog(run)).toContain(
      'the app has 2 of 3 wanted instances running and ready (3 running); i-sick: Running / ReadinessUnhealthy (HTTP 503 on /ready)',
    );
    // The summary says what passed before what failed.
    expect(run.summary).toContain('### Verification: ❌ failed');
    const section = run.summary.slice(run.summary.indexOf('### Verification'));
    expect(section).toMatch(
      /- ✅ the app&#39;s last change order is this one, with status SUCCESS\n- ✅ the app reports no error/,
    );
    expect(section).toContain('- ❌ The change order succeeded, but the app has 2 of 3 wanted instances');
  });

  it('with verify: false, passes on the order alone and never reads the app', async () => {
    const app = nextId('app');
    const id = nextId('ok');
    cloud.addOrder(order(id, app, 'success'));
    cloud.apps.script(app, { instances: [{ container: 'CrashLoopBackOff' }] });
    const run = await runAction({ inputs: inputs(id, { verify: 'false' }) });
    expect(run.code).toBe(0);
    expect(run.outputs.result).toBe('succeeded');
    expect(appCalls('DescribeApplicationStatus', app)).toEqual([]);
    expect(appCalls('DescribeApplicationInstances', app)).toEqual([]);
    expect(run.summary).not.toContain('Verification');
  });

  it('rides out transient errors while reading the app, as the status reads do', async () => {
    const app = nextId('app');
    const id = nextId('ok');
    cloud.addOrder(order(id, app, 'success'));
    cloud.injectFault({ kind: 'throttle' }, { action: 'DescribeApplicationStatus', times: 2 });
    cloud.injectFault({ kind: 'http', status: 503 }, { action: 'DescribeApplicationInstances', times: 1 });
    const run = await runAction({ inputs: inputs(id) });
    expect(run.code).toBe(0);
    expect(run.outputs.result).toBe('succeeded');
    const statusAnswers = appCalls('DescribeApplicationStatus', app).map((c) => c.status);
    expect(statusAnswers).toEqual([400, 400, 200]);
    expect(appCalls('DescribeApplicationInstances', app).map((c) => c.status)).toEqual([503, 200]);
    expect(run.summary).toContain('### Verification: ✅ passed');
  });

  it('ends in error, never success and never a rollback, when transient errors while verifying run out', async () => {
    const { app, id } = appWithHistory('success');
    cloud.injectFault({ kind: 'http', status: 503 }, { action: 'DescribeApplicationInstances', times: Infinity });
    const run = await runAction({ inputs: inputs(id, { 'max-api-errors': '2' }) });
    cloud.clearFaults();
    expect(run.code).toBe(1);
    expect(run.outputs).toMatchObject({ result: 'error', status: '2', remedy: 'none', 'rollback-change-order-id': '' });
    // Each read with its retries (4), max-api-errors reads in a row.
    expect(appCalls('DescribeApplicationInstances', app).length).toBe(2 * 5);
    expect(visibleLog(run)).toContain(
      '::error::Result: error. The change order succeeded, but the app could not be verified',
    );
    expect(run.summary).toContain('### Verification: ⚠️ could not verify');
    expect(remedies(app, id)).toEqual([]);
  });

  it('refuses verify: false with verify-time before any API call', async () => {
    const before = cloud.calls.length;
    const run = await runAction({ inputs: inputs('co-never', { verify: 'false', 'verify-time': '1m' }) });
    expect(run.code).toBe(1);
    expect(run.outputs.result).toBe('error');
    expect(run.outputs['error-message']).toMatch(/^Invalid input "verify-time": "1m" needs verify: true/);
    expect(cloud.calls.length).toBe(before);
  });
});

describe('bake after the last batch', () => {
  it('keeps reading the app and probing for verify-time, and passes when all stays healthy', async () => {
    const app = nextId('app');
    const id = nextId('ok');
    cloud.addOrder(order(id, app, 'success'));
    healthyAnswers = Infinity;
    const run = await runAction({ inputs: inputs(id, { 'verify-time': '3s', 'health-check-url': healthUrl }) });
    expect(run.code).toBe(0);
    expect(appCalls('DescribeApplicationStatus', app).length).toBeGreaterThanOrEqual(3);
    expect(run.summary).toMatch(
      /stayed healthy for 3s after the last batch \(\d+ reads, (\d+)\/\1 health probes passed\)/,
    );
    expect(run.ms).toBeGreaterThanOrEqual(3000);
  });

  it('rides out transient errors during the bake, and ends in error without a rollback when they run out', async () => {
    const { app, id } = appWithHistory('success');
    const first = startAction({ inputs: inputs(id, { 'verify-time': '3s' }) });
    await waitFor('the first app read', () => appCalls('DescribeApplicationInstances', app).length >= 1, 20_000);
    cloud.injectFault({ kind: 'throttle' }, { action: 'DescribeApplicationStatus', times: 2 });
    const passed = await first.done;
    expect(passed.code).toBe(0);
    expect(appCalls('DescribeApplicationStatus', app).filter((c) => c.status === 400)).toHaveLength(2);
    expect(passed.summary).toMatch(/stayed healthy for 3s after the last batch/);

    const again = appWithHistory('success');
    const second = startAction({ inputs: inputs(again.id, { 'verify-time': '30s', 'max-api-errors': '1' }) });
    await waitFor('the first app read', () => appCalls('DescribeApplicationInstances', again.app).length >= 1, 20_000);
    cloud.injectFault({ kind: 'reset' }, { action: 'DescribeApplicationStatus', times: Infinity });
    const failed = await second.done;
    cloud.clearFaults();
    expect(failed.code).toBe(1);
    expect(failed.outputs).toMatchObject({ result: 'error', remedy: 'none', 'rollback-change-order-id': '' });
    expect(failed.ms).toBeLessThan(25_000);
    expect(remedies(again.app, again.id)).toEqual([]);
  });

  it.each([
    ['manual batches released by the gate', 'manual', { 'on-manual-batch': 'confirm', 'bake-time': '1s' }],
    ['automatic batches', 'success', {}],
  ] as const)('bakes after the last batch with %s too', async (_name, outcome, over) => {
    const app = nextId('app');
    const id = nextId('batches');
    cloud.addOrder(release(id, { appId: app, outcome, batchCount: 2 }));
    const run = await runAction({ inputs: inputs(id, { 'verify-time': '2s', ...over }) });
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ result: 'succeeded', 'batches-succeeded': '2' });
    if (outcome === 'manual')
      expect(cloud.callsFor('ConfirmPipelineBatch').filter((c) => c.query.PipelineId!.startsWith(id))).toHaveLength(1);
    expect(run.summary).toMatch(/stayed healthy for 2s after the last batch \((\d+) reads\)/);
    expect(appCalls('DescribeApplicationStatus', app).length).toBeGreaterThanOrEqual(2);
  });

  it('counts the bake against timeout: cut short, it ends timed-out and rolls nothing back', async () => {
    const { app, id } = appWithHistory('success');
    const run = await runAction({ inputs: inputs(id, { timeout: '5s', 'verify-time': '1m' }) });
    expect(run.code).toBe(1);
    expect(run.outputs).toMatchObject({
      result: 'timed-out',
      status: '2',
      remedy: 'none',
      'rollback-change-order-id': '',
    });
    expect(run.ms).toBeLessThan(12_000);
    const log = visibleLog(run);
    expect(log).toContain('::warning::verify-time (1m) is not shorter than timeout (5s)');
    expect(log).toMatch(
      /The timeout ran out \d+s into the 1m bake after the last batch; the app was healthy until then\./,
    );
    expect(run.summary).toContain('### Verification: ⏱️ timed out');
    expect(remedies(app, id)).toEqual([]);
  });

  it('ends superseded, touching neither order, when a newer order replaces it during the bake', async () => {
    const { app, id } = appWithHistory('success');
    const { done } = startAction({ inputs: inputs(id, { 'verify-time': '20s' }) });
    await waitFor('the first app read', () => appCalls('DescribeApplicationInstances', app).length >= 1, 20_000);
    const newer = nextId('newer');
    cloud.addOrder({ id: newer, appId: app, batches: [{ name: 'B' }], timeline: [{ status: 1, batches: [1] }] });
    const run = await done;
    expect(run.code).toBe(1);
    expect(run.outputs).toMatchObject({ result: 'superseded', remedy: 'none', 'rollback-change-order-id': '' });
    expect(run.ms).toBeLessThan(15_000);
    expect(visibleLog(run)).toContain(`a newer change order ${newer} has replaced it`);
    expect(remedies(app, id, newer)).toEqual([]);
  });

  it('fails the release when the app turns unhealthy during the bake, and rolls it back', async () => {
    const { app, id, earlier } = appWithHistory('success');
    const { done } = startAction({ inputs: inputs(id, { 'verify-time': '20s' }) });
    await waitFor('the first app read', () => appCalls('DescribeApplicationInstances', app).length >= 1, 20_000);
    cloud.apps.script(app, { instances: [{}, { id: 'i-oom', container: 'CrashLoopBackOff' }] });
    const run = await done;
    expect(run.code).toBe(1);
    expect(run.outputs).toMatchObject({ result: 'failed', remedy: 'rollback' });
    expect(visibleLog(run)).toMatch(
      /The change order succeeded, but \d+s into the bake the app has 1 of 2 wanted instances running and ready \(1 running\); i-oom: CrashLoopBackOff/,
    );
    expect(cloud.apps.rollbacks.filter((r) => r.appId === app).map((r) => r.versionId)).toEqual([`ver-${earlier}`]);
  });

  it('fails the release when a health probe fails during the bake, and rolls the app back', async () => {
    const { app, id, earlier } = appWithHistory('success');
    healthyAnswers = 1;
    const run = await runAction({ inputs: inputs(id, { 'verify-time': '20s', 'health-check-url': healthUrl }) });
    healthyAnswers = Infinity;
    expect(run.code).toBe(1);
    expect(run.outputs.result).toBe('failed');
    expect(visibleLog(run)).toMatch(
      /The change order succeeded, but health check http:\/\/127\.0\.0\.1:\d+\/healthz failed \d+s into the bake: HTTP 503/,
    );
    expect(run.ms).toBeLessThan(15_000);
    const rollbacks = appCalls('RollbackApplication', app);
    expect(rollbacks.map((c) => c.query.VersionId)).toEqual([`ver-${earlier}`]);
    expect(run.outputs.remedy).toBe('rollback');
  });
});

describe('put it back', () => {
  it('rolls a failed order back to the previous version and gates the rollback to its end', async () => {
    const { app, id, earlier } = appWithHistory('fail');
    const run = await runAction({ inputs: inputs(id) });
    expect(run.code).toBe(1);
    const rollbacks = cloud.apps.rollbacks.filter((r) => r.appId === app);
    expect(rollbacks).toEqual([
      { product: 'sae', appId: app, versionId: `ver-${earlier}`, changeOrderId: expect.any(String) },
    ]);
    const rb = rollbacks[0]!.changeOrderId;
    expect(run.outputs).toMatchObject({
      result: 'failed',
      status: '3',
      remedy: 'rollback',
      'rollback-change-order-id': rb,
      'change-order-id': id,
    });
    expect(cloud.order(rb).status).toBe(2);
    expect(
      cloud.callsFor('DescribeChangeOrder').filter((c) => c.query.ChangeOrderId === rb).length,
    ).toBeGreaterThanOrEqual(2);
    expect(cloud.callsFor('AbortChangeOrder').filter((c) => c.query.ChangeOrderId === id)).toEqual([]);
    const log = visibleLog(run);
    expect(log).toContain(
      `Rolled SAE app ${app} back to version ver-${earlier}: rollback change order ${rb} succeeded.`,
    );
    expect(log).not.toContain('nothing was done to it');
    // Both orders, one after the other.
    const first = run.summary.indexOf('### Batches');
    const second = run.summary.indexOf(`### Rollback: SAE change order`);
    expect(first).toBeGreaterThan(0);
    expect(second).toBeGreaterThan(first);
    expect(run.summary.slice(second)).toContain(rb);
    expect(run.summary.slice(second)).toContain('| **Result** | succeeded |');
  });

  it('retries the reads before the rollback like every read, and reports it when they run out', async () => {
    const { app, id, earlier } = appWithHistory('fail');
    cloud.injectFault({ kind: 'throttle' }, { action: 'ListAppVersions', times: 2 });
    const run = await runAction({ inputs: inputs(id) });
    expect(appCalls('ListAppVersions', app).map((c) => c.status)).toEqual([400, 400, 200]);
    expect(appCalls('RollbackApplication', app).map((c) => c.query.VersionId)).toEqual([`ver-${earlier}`]);
    expect(run.outputs.remedy).toBe('rollback');

    const again = appWithHistory('fail');
    cloud.injectFault({ kind: 'http', status: 503 }, { action: 'ListAppVersions', times: Infinity });
    const failed = await runAction({ inputs: inputs(again.id) });
    cloud.clearFaults();
    expect(failed.code).toBe(1);
    expect(failed.outputs).toMatchObject({ result: 'failed', remedy: 'none', 'rollback-change-order-id': '' });
    expect(appCalls('ListAppVersions', again.app)).toHaveLength(5);
    expect(appCalls('RollbackApplication', again.app)).toEqual([]);
    expect(visibleLog(failed)).toContain(`Could not prepare the rollback of SAE app ${again.app}`);
  });

  it('reports a refused rollback with its code', async () => {
    const { app, id } = appWithHistory('fail');
    cloud.apps.script(app, {
      refuseRollback: {
        code: 'Forbidden.NoPermission',
        message: 'You are not authorized to operate on this application.',
      },
    });
    const run = await runAction({ inputs: inputs(id) });
    expect(run.code).toBe(1);
    expect(run.outputs).toMatchObject({ result: 'failed', remedy: 'none', 'rollback-change-order-id': '' });
    expect(appCalls('RollbackApplication', app).length).toBe(1);
    expect(visibleLog(run)).toContain(`SAE refused to roll app ${app} back to version`);
    expect(run.outputs['error-message'] + visibleLog(run)).toContain('(Forbidden.NoPermission)');
  });

  it('says so and rolls nothing back when the app has no earlier version', async () => {
    const app = nextId('app');
    const id = nextId('fail');
    cloud.addOrder(order(id, app, 'fail'));
    cloud.apps.script(app, { versions: [{ id: 'only-version', createTime: 1_800_000_000_000 }] });
    const run = await runAction({ inputs: inputs(id) });
    expect(run.code).toBe(1);
    expect(run.outputs).toMatchObject({ result: 'failed', remedy: 'none', 'rollback-change-order-id': '' });
    expect(appCalls('RollbackApplication', app)).toEqual([]);
    expect(visibleLog(run)).toContain(
      `Did not roll back: SAE app ${app} has no version earlier than the one change order ${id} deployed`,
    );
  });

  it('reports a rollback whose own change order fails as a failed rollback', async () => {
    const { app, id } = appWithHistory('fail');
    cloud.apps.script(app, { rollbackOutcome: 'fail' });
    const run = await runAction({ inputs: inputs(id) });
    expect(run.code).toBe(1);
    const rb = run.outputs['rollback-change-order-id'];
    expect(rb).toMatch(/^rollback-/);
    expect(cloud.order(rb!).status).toBe(3);
    expect(run.outputs.remedy).toBe('rollback');
    const log = visibleLog(run);
    expect(log).toContain(`The rollback failed: rollback change order ${rb} failed (status 3)`);
    expect(log).not.toMatch(/Rolled SAE app .* back/);
    expect(run.summary).toContain('| **Result** | failed |');
  });

  it('reports a rollback that does not finish within timeout as timed out, never as a success', async () => {
    const { app, id } = appWithHistory('fail');
    cloud.apps.script(app, { rollbackOutcome: 'hang' });
    const run = await runAction({ inputs: inputs(id, { timeout: '4s' }) });
    expect(run.code).toBe(1);
    const rb = run.outputs['rollback-change-order-id'];
    expect(rb).toMatch(/^rollback-/);
    expect(cloud.order(rb!).status).toBe(1);
    expect(run.outputs).toMatchObject({ result: 'failed', status: '3', remedy: 'rollback' });
    const log = visibleLog(run);
    expect(log).toContain(`The rollback timed out: rollback change order ${rb} had not finished after 4s`);
    expect(log).not.toMatch(/Rolled SAE app .* back/);
    expect(run.summary).toContain('| **Result** | timed-out |');
  });

  it('never rolls back a failed order that a newer order has already replaced, and says so', async () => {
    const { app, id } = appWithHistory('fail');
    const newer = nextId('newer');
    cloud.addOrder({ id: newer, appId: app, batches: [{ name: 'B' }], timeline: [{ status: 1, batches: [1] }] });
    const run = await runAction({ inputs: inputs(id) });
    expect(run.code).toBe(1);
    expect(run.outputs).toMatchObject({ result: 'failed', remedy: 'none', 'rollback-change-order-id': '' });
    expect(visibleLog(run)).toContain(`Did not roll back: a newer change order ${newer} has replaced ${id}`);
    expect(remedies(app, id, newer)).toEqual([]);
  });

  it('never rolls back a failed order that deployed no version (a scale-out), and says so', async () => {
    const app = nextId('app');
    const earlier = nextId('earlier');
    cloud.addOrder({ id: earlier, appId: app, batches: [{ name: 'B' }], timeline: [{ status: 2, batches: [2] }] });
    const id = nextId('scale');
    cloud.addOrder(order(id, app, 'fail', { coType: 'Scale Out Application', coTypeCode: 'CoScaleOut' }));
    const run = await runAction({ inputs: inputs(id) });
    expect(run.code).toBe(1);
    expect(run.outputs).toMatchObject({ result: 'failed', remedy: 'none', 'rollback-change-order-id': '' });
    expect(visibleLog(run)).toContain(
      `Did not roll back: change order ${id} is a CoScaleOut, which deploys no new version`,
    );
    expect(remedies(app, id)).toEqual([]);
  });

  it('never rolls back with on-failure: abort', async () => {
    const { app, id } = appWithHistory('fail');
    const run = await runAction({ inputs: inputs(id, { 'on-failure': 'abort' }) });
    expect(run.code).toBe(1);
    expect(run.outputs.remedy).toBe('none');
    expect(appCalls('RollbackApplication', app)).toEqual([]);
  });

  it('on EDAS, rolls a failed order back with RollbackChangeOrder and gates the rollback', async () => {
    const app = nextId('edas-app');
    const id = nextId('edas-fail');
    cloud.addOrder(order(id, app, 'fail', { product: 'edas' }));
    const run = await runAction({ inputs: inputs(id, { product: 'edas', 'app-id': app }) });
    expect(run.code).toBe(1);
    const calls = cloud.callsFor('RollbackChangeOrder').filter((c) => c.query.ChangeOrderId === id);
    expect(calls.length).toBe(1);
    const rb = run.outputs['rollback-change-order-id'];
    expect(cloud.apps.rollbacks.find((r) => r.rolledBackOrderId === id)?.changeOrderId).toBe(rb);
    expect(cloud.order(rb!).status).toBe(2);
    expect(run.outputs.remedy).toBe('rollback');
  });

  it('on EDAS, reports a refused rollback with its code', async () => {
    const app = nextId('edas-app');
    const id = nextId('edas-fail');
    cloud.addOrder(order(id, app, 'fail', { product: 'edas' }));
    cloud.apps.script(
      app,
      { refuseRollback: { code: 'Edas.Rollback.Unsupported', message: 'this change order cannot be rolled back' } },
      'edas',
    );
    const run = await runAction({ inputs: inputs(id, { product: 'edas', 'app-id': app }) });
    expect(run.code).toBe(1);
    expect(run.outputs).toMatchObject({ result: 'failed', remedy: 'none', 'rollback-change-order-id': '' });
    expect(cloud.callsFor('RollbackChangeOrder').filter((c) => c.query.ChangeOrderId === id)).toHaveLength(1);
    expect(visibleLog(run)).toContain(`EDAS refused to roll app ${app} back (Edas.Rollback.Unsupported)`);
  });

  it('on EDAS, verifies the instances of a successful order', async () => {
    const app = nextId('edas-app');
    const id = nextId('edas-ok');
    cloud.addOrder(order(id, app, 'success', { product: 'edas' }));
    cloud.apps.script(app, { instances: [{ appState: 7 }, { appState: 3 }] }, 'edas');
    const run = await runAction({ inputs: inputs(id, { product: 'edas', 'app-id': app, 'on-failure': 'abort' }) });
    expect(run.code).toBe(1);
    expect(visibleLog(run)).toContain('the app has 1 of 2 wanted instances running and ready (2 running)');
    expect(cloud.callsFor('QueryApplicationStatus').filter((c) => c.query.AppId === app).length).toBe(1);
  });
});

describe('the post step', () => {
  it('never rolls back on its own: after a finished, failed order it only applies on-cancel, which finds nothing to stop', async () => {
    const app = nextId('app');
    const earlier = nextId('earlier');
    cloud.addOrder({ id: earlier, appId: app, batches: [{ name: 'B' }], timeline: [{ status: 2, batches: [2] }] });
    const id = nextId('failed');
    cloud.addOrder(
      order(id, app, 'fail', {
        timeline: [{ status: 3, batches: [2, 3], errorMessage: 'Readiness probe failed' }],
      }),
    );
    // As if main was killed before it saw the order settle; the order failed meanwhile.
    const post = await runAction({
      inputs: inputs(id, { 'on-failure': 'abort-and-rollback', 'on-cancel': 'abort-and-rollback' }),
      entry: 'dist/post/index.js',
      state: { 'change-order-id': id, done: 'false' },
    });
    expect(post.code).toBe(0);
    expect(cloud.callsFor('AbortChangeOrder').filter((c) => c.query.ChangeOrderId === id)).toHaveLength(1);
    expect(cloud.order(id).status).toBe(3);
    expect(post.stdout).toMatch(/not running|already (settled|finished)/i);
    expect(appCalls('RollbackApplication', app)).toEqual([]);
    expect(appCalls('ListAppVersions', app)).toEqual([]);
    expect(cloud.apps.rollbacks.filter((r) => r.appId === app)).toEqual([]);
  });

  it('does nothing after main rolled a failed order back', async () => {
    const { app, id } = appWithHistory('fail');
    const main = await runAction({ inputs: inputs(id) });
    expect(main.outputs.remedy).toBe('rollback');
    expect(main.state.done).toBe('true');
    const before = cloud.calls.length;
    const post = await runAction({ inputs: inputs(id), entry: 'dist/post/index.js', state: main.state });
    expect(post.code).toBe(0);
    expect(cloud.calls.length).toBe(before);
    expect(cloud.apps.rollbacks.filter((r) => r.appId === app)).toHaveLength(1);
  });
});
