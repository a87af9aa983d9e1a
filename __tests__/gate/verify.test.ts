import { describe, expect, it } from '@jest/globals';
import { ApiError } from '../../src/alicloud/api-error.js';
import { runGate } from '../../src/gate/gate.js';
import { HealthChecks } from '../../src/gate/health.js';
import { rollBack } from '../../src/gate/rollback.js';
import { judgeApp, verifyRelease, type VerifyOptions } from '../../src/gate/verify.js';
import type { AppInstance, AppService, AppStatus } from '../../src/products/app.js';
import { FakeClock, RecordingLog, ScriptedService, order } from '../helpers/fakes.js';

const healthy: AppStatus = {
  appId: 'app-1',
  lastChangeOrderId: 'co-1',
  lastChangeOrderPhase: 'succeeded',
  lastChangeOrderStatus: 'SUCCESS',
  lastChangeOrderRunning: false,
  hasError: false,
  wantedInstances: 2,
  runningInstances: 2,
};
const ready: AppInstance = { id: 'i-1', running: true, ready: true, state: 'Running / Healthy' };
const sick: AppInstance = { id: 'i-2', running: true, ready: false, state: 'Running / ReadinessUnhealthy' };

describe('judgeApp', () => {
  it.each<[string, Partial<AppStatus>, AppInstance[], string]>([
    ['healthy', {}, [ready, ready], 'healthy'],
    ['a newer order', { lastChangeOrderId: 'co-2' }, [ready, ready], 'superseded'],
    ['no last order', { lastChangeOrderId: undefined }, [ready, ready], 'unhealthy'],
    ['its order still running', { lastChangeOrderRunning: true }, [ready, ready], 'unhealthy'],
    [
      'its order failed',
      { lastChangeOrderPhase: 'failed', lastChangeOrderStatus: 'FAIL' },
      [ready, ready],
      'unhealthy',
    ],
    ['an error SubStatus', { hasError: true }, [ready, ready], 'unhealthy'],
    ['an instance not ready', {}, [ready, sick], 'unhealthy'],
    ['too few instances', {}, [ready], 'unhealthy'],
    ['too few running', { runningInstances: 1 }, [ready, ready], 'unhealthy'],
    ['scaled to zero', { wantedInstances: 0, runningInstances: 0 }, [], 'healthy'],
  ])('%s -> %s', (_what, over, instances, kind) => {
    expect(judgeApp('co-1', { ...healthy, ...over }, instances, true).kind).toBe(kind);
  });

  it('keeps what passed before the problem, for the summary', () => {
    expect(judgeApp('co-1', healthy, [ready, sick], true)).toEqual({
      kind: 'unhealthy',
      problem: 'has 1 of 2 wanted instances running and ready (2 running); i-2: Running / ReadinessUnhealthy',
      checks: [
        "the app's last change order is this one, with status SUCCESS",
        'the app reports no error (SubStatus NORMAL)',
      ],
    });
    expect(judgeApp('co-1', { ...healthy, hasError: true }, [ready, ready], true)).toMatchObject({
      kind: 'unhealthy',
      checks: ["the app's last change order is this one, with status SUCCESS"],
    });
  });

  it('without a last change order (EDAS), judges the instances only', () => {
    const edas = { appId: 'app-1', hasError: false, wantedInstances: 1, runningInstances: 1 };
    expect(judgeApp('co-1', edas, [ready], false)).toEqual({
      kind: 'healthy',
      checks: ['1 of 1 wanted instances are running and ready'],
    });
  });
});

/** An app whose status() and instances() answer from scripts; the last entry repeats. */
function fakeApp(statuses: (AppStatus | ApiError)[], instances: AppInstance[][] = [[ready, ready]]) {
  let s = 0;
  let i = 0;
  const rollbacks: unknown[] = [];
  const app: AppService & { rollbacks: unknown[] } = {
    product: 'SAE',
    knowsLastChangeOrder: true,
    rollsBackToVersion: true,
    rollbacks,
    async status() {
      const next = statuses[Math.min(s++, statuses.length - 1)];
      if (next === undefined) throw new Error('fake app: no statuses scripted');
      if (next instanceof ApiError) throw next;
      return next;
    },
    async instances() {
      const next = instances[Math.min(i++, instances.length - 1)];
      if (next === undefined) throw new Error('fake app: no instances scripted');
      return next;
    },
    async previousVersion() {
      return { id: 'v-1', createdAt: 1 };
    },
    async rollback(target) {
      rollbacks.push(target);
      return { changeOrderId: 'rb-1' };
    },
  };
  return app;
}

function options(app: AppService, over: Partial<VerifyOptions> = {}): VerifyOptions {
  const clock = new FakeClock();
  return {
    app,
    appId: 'app-1',
    changeOrderId: 'co-1',
    clock,
    log: new RecordingLog(),
    retry: { retries: 1, minDelayMs: 1, maxDelayMs: 1 },
    pollIntervalMs: 1000,
    maxApiErrors: 3,
    verifyTimeMs: 0,
    deadline: clock.now() + 60_000,
    ...over,
  };
}

const throttled = new ApiError('DescribeApplicationStatus', 'Throttling.User', 'slow down', 'throttled', 400);

describe('verifyRelease', () => {
  it('rides out transient errors like the reads do', async () => {
    const v = await verifyRelease(options(fakeApp([throttled, throttled, healthy])));
    expect(v.state).toBe('passed');
  });

  it('ends in error, never success, when transient errors run out', async () => {
    const v = await verifyRelease(options(fakeApp([throttled])));
    expect(v.state).toBe('error');
    expect(v.detail).toContain('the app could not be verified');
    expect(v.detail).toContain('Throttling.User');
  });

  it('stops retrying failed reads at the timeout, before max-api-errors', async () => {
    const clock = new FakeClock();
    const app = fakeApp([throttled]);
    let statusReads = 0;
    const status = app.status.bind(app);
    app.status = (id) => (statusReads++, status(id));
    const v = await verifyRelease({
      ...options(app, { maxApiErrors: 100 }),
      clock,
      deadline: clock.now() + 5_500,
    });
    expect(v.state).toBe('error');
    expect(v.detail).toMatch(/^The change order succeeded, but the app could not be verified before the timeout: /);
    // Reads at 0s, 1s, … 5s (the next would start after the deadline), each tried twice (retries: 1).
    expect(statusReads).toBe(6 * 2);
    expect(clock.now()).toBeLessThanOrEqual(1_700_000_000_000 + 5_500);
  });

  it('ends in error at once on a refusal', async () => {
    const denied = new ApiError('DescribeApplicationStatus', 'Forbidden.RAM', 'no', 'rejected', 403);
    const app = fakeApp([denied]);
    const v = await verifyRelease(options(app));
    expect(v.state).toBe('error');
  });

  it('bakes for verify-time and fails when the app turns unhealthy', async () => {
    const v = await verifyRelease(
      options(
        fakeApp(
          [healthy],
          [
            [ready, ready],
            [ready, ready],
            [ready, sick],
          ],
        ),
        { verifyTimeMs: 10_000 },
      ),
    );
    expect(v.state).toBe('failed');
    expect(v.detail).toBe(
      'The change order succeeded, but 2s into the bake the app has 1 of 2 wanted instances running and ready (2 running); i-2: Running / ReadinessUnhealthy.',
    );
    expect(v.bake).toMatchObject({ wantedMs: 10_000, ranMs: 2000, reads: 3 });
  });

  it('passes a bake that stays healthy, and counts it against the timeout', async () => {
    const passed = await verifyRelease(options(fakeApp([healthy]), { verifyTimeMs: 5000 }));
    expect(passed.state).toBe('passed');
    expect(passed.checks.at(-1)).toBe('stayed healthy for 5s after the last batch (6 reads)');
    const o = options(fakeApp([healthy]), { verifyTimeMs: 60_000 });
    const late = await verifyRelease({ ...o, deadline: o.clock.now() + 3000 });
    expect(late.state).toBe('timed-out');
  });

  it('fails the bake on a health probe', async () => {
    const o = options(fakeApp([healthy]), { verifyTimeMs: 5000 });
    let n = 0;
    const health = new HealthChecks(
      ['https://shop.example/healthz'],
      2,
      async (url) =>
        n++ < 1 ? { url, ok: true, status: 200, ms: 1 } : { url, ok: false, status: 503, error: 'HTTP 503', ms: 1 },
      1000,
      () => o.clock.now(),
    );
    const v = await verifyRelease({ ...o, health });
    expect(v.state).toBe('failed');
    expect(v.detail).toBe(
      'The change order succeeded, but health check https://shop.example/healthz failed 3s into the bake: HTTP 503.',
    );
    expect(v.probes.map((p) => p.ok)).toEqual([true, false, false]);
  });

  it('calls a newer order superseded', async () => {
    const v = await verifyRelease(options(fakeApp([{ ...healthy, lastChangeOrderId: 'co-9' }])));
    expect(v).toMatchObject({ state: 'superseded', newerChangeOrderId: 'co-9' });
  });
});

describe('runGate with an app', () => {
  const settings = {
    changeOrderId: 'co-1',
    timeoutMs: 60_000,
    pollIntervalMs: 1000,
    maxApiErrors: 3,
    onFailure: 'abort-and-rollback' as const,
    onTimeout: 'abort' as const,
    onCancel: 'abort' as const,
  };

  it('rolls a failed order back and gates the rollback order', async () => {
    const app = fakeApp([{ ...healthy, lastChangeOrderPhase: 'failed', lastChangeOrderStatus: 'FAIL' }]);
    const service = new ScriptedService([order(3, { batchStatuses: [3] })]);
    // After the first read, the service answers for the rollback order.
    const rollbackOrder = order(2, { id: 'rb-1', batchStatuses: [2] });
    const describe = service.describe.bind(service);
    service.describe = async (id) => (id === 'rb-1' ? rollbackOrder : describe(id));
    const report = await runGate({ settings, service, app, clock: new FakeClock(), log: new RecordingLog() });
    expect(report.result).toBe('failed');
    expect(report.rollback).toMatchObject({ state: 'succeeded', changeOrderId: 'rb-1', versionId: 'v-1' });
    expect(app.rollbacks).toEqual([{ appId: 'app-1', changeOrderId: 'co-1', versionId: 'v-1' }]);
    expect(report.reason).not.toContain('nothing was done to it');
  });

  it('never rolls back a superseded order, nor with on-failure abort', async () => {
    const superseded = fakeApp([{ ...healthy, lastChangeOrderId: 'co-2' }]);
    const ok = new ScriptedService([order(2, { batchStatuses: [2] })]);
    const report = await runGate({
      settings,
      service: ok,
      app: superseded,
      clock: new FakeClock(),
      log: new RecordingLog(),
    });
    expect(report).toMatchObject({ result: 'superseded', passes: false });
    expect(report.rollback).toBeUndefined();
    expect(superseded.rollbacks).toEqual([]);

    const app = fakeApp([healthy]);
    const failed = new ScriptedService([order(3, { batchStatuses: [3] })]);
    const abort = await runGate({
      settings: { ...settings, onFailure: 'abort' },
      service: failed,
      app,
      clock: new FakeClock(),
      log: new RecordingLog(),
    });
    expect(abort.rollback).toBeUndefined();
    expect(app.rollbacks).toEqual([]);
  });

  it('rolls back only an order that deployed a version (SAE): never one version back after a scale-out', async () => {
    const options = {
      service: new ScriptedService([order(2, { id: 'rb-1', batchStatuses: [2] })]),
      appId: 'app-1',
      changeOrderId: 'co-1',
      clock: new FakeClock(),
      log: new RecordingLog(),
      retry: { retries: 0, minDelayMs: 1, maxDelayMs: 1 },
      pollIntervalMs: 1000,
      maxApiErrors: 3,
      timeoutMs: 60_000,
    };
    const failed = { ...healthy, lastChangeOrderPhase: 'failed' as const, lastChangeOrderStatus: 'FAIL' };
    const scaled = fakeApp([failed]);
    const outcome = await rollBack({ ...options, app: scaled, typeCode: 'CoScaleOut' });
    expect(outcome).toMatchObject({ state: 'not-rolled-back' });
    expect(outcome.detail).toBe(
      'Did not roll back: change order co-1 is a CoScaleOut, which deploys no new version of SAE app app-1, so there is no earlier version to go back to.',
    );
    expect(scaled.rollbacks).toEqual([]);
    const deployed = fakeApp([failed]);
    expect(await rollBack({ ...options, app: deployed, typeCode: 'CoDeploy' })).toMatchObject({ state: 'succeeded' });
    expect(deployed.rollbacks).toHaveLength(1);
  });

  it('does not roll back when a newer order replaced the failed one', async () => {
    const app = fakeApp([{ ...healthy, lastChangeOrderId: 'co-2' }]);
    const outcome = await rollBack({
      app,
      service: new ScriptedService([order(3)]),
      appId: 'app-1',
      changeOrderId: 'co-1',
      clock: new FakeClock(),
      log: new RecordingLog(),
      retry: { retries: 0, minDelayMs: 1, maxDelayMs: 1 },
      pollIntervalMs: 1000,
      maxApiErrors: 3,
      timeoutMs: 60_000,
    });
    expect(outcome.state).toBe('not-rolled-back');
    expect(outcome.detail).toContain('a newer change order co-2 has replaced co-1');
    expect(app.rollbacks).toEqual([]);
  });
});
