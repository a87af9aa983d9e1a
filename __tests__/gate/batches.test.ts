import { describe, expect, it } from '@jest/globals';
import { BatchGate } from '../../src/gate/batches.js';
import { HealthChecks, type Probe } from '../../src/gate/health.js';
import { FakeClock, RecordingLog, ScriptedService, apiError, order } from '../helpers/fakes.js';

const waiting = (statuses = [2, 8, 0]) => order(8, { batchStatuses: statuses });

function setup(policy: Partial<ConstructorParameters<typeof BatchGate>[1]> = {}, probe?: Probe, failures = 1) {
  const service = new ScriptedService([waiting()]);
  const clock = new FakeClock();
  const log = new RecordingLog();
  const health = probe
    ? new HealthChecks(['https://app.example/healthz'], failures, probe, 1000, () => clock.now())
    : undefined;
  const gate = new BatchGate(
    service,
    { onManualBatch: 'confirm', onApproval: 'wait', bakeTimeMs: 0, ...policy },
    clock,
    log,
    health,
  );
  return { service, clock, log, gate };
}

const healthy: Probe = async (url) => ({ url, ok: true, status: 200, ms: 3 });

describe('BatchGate', () => {
  it('leaves running orders and waits alone in wait mode', async () => {
    const { gate, service } = setup({ onManualBatch: 'wait' });
    expect(await gate.onRead(order(1))).toBeUndefined();
    expect(await gate.onRead(waiting())).toBeUndefined();
    expect(service.confirms).toEqual([]);
  });

  it('stops with paused at a manual batch in succeed and fail modes, naming the batch', async () => {
    for (const mode of ['succeed', 'fail'] as const) {
      const { gate } = setup({ onManualBatch: mode });
      const end = await gate.onRead(waiting());
      expect(end).toMatchObject({
        kind: 'paused',
        waiting: 'batch',
        passes: mode === 'succeed',
        batch: { name: 'Batch 2 Change' },
      });
    }
  });

  it('stops at approval only when on-approval says so', async () => {
    expect(await setup().gate.onRead(order(11))).toBeUndefined();
    expect(await setup({ onApproval: 'fail' }).gate.onRead(order(11))).toMatchObject({
      kind: 'paused',
      waiting: 'approval',
      passes: false,
    });
  });

  it('releases the next batch only after the bake time, and only once', async () => {
    const { gate, service, clock, log } = setup({ bakeTimeMs: 30_000 }, healthy);
    expect(await gate.onRead(waiting())).toBeUndefined();
    clock.t += 20_000;
    await gate.onRead(waiting());
    expect(service.confirms).toEqual([]);
    clock.t += 10_000;
    await gate.onRead(waiting());
    expect(service.confirms).toEqual(['p2']);
    await gate.onRead(waiting());
    expect(service.confirms).toEqual(['p2']);
    expect(log.text()).toMatch(
      /Baking batch 1\/3 for 30s before releasing batch 2\/3 "Batch 2 Change", with health checks/,
    );
    expect(log.text()).toMatch(/Released batch 2\/3 "Batch 2 Change" \(confirmed after 30s of bake time\)/);
    const bake = gate.bakes.get(0)!;
    expect(bake.probes).toHaveLength(3);
    expect(bake.confirmedAt! - bake.startedAt).toBe(30_000);
  });

  it('fails the gate when a probe fails health-check-failures times in a row, and never confirms', async () => {
    let n = 0;
    const flaky: Probe = async (url) =>
      ++n === 1 ? { url, ok: true, status: 200, ms: 1 } : { url, ok: false, status: 503, error: 'HTTP 503', ms: 1 };
    const { gate, service, clock } = setup({ bakeTimeMs: 60_000 }, flaky, 2);
    expect(await gate.onRead(waiting())).toBeUndefined();
    clock.t += 10_000;
    expect(await gate.onRead(waiting())).toBeUndefined(); // one failure: not yet
    clock.t += 10_000;
    const end = await gate.onRead(waiting());
    expect(end).toMatchObject({ kind: 'unhealthy', probe: { status: 503 }, afterBatch: 0 });
    expect(service.confirms).toEqual([]);
  });

  it('does not release while the last probe failed, even after the bake time', async () => {
    let ok = false;
    const probe: Probe = async (url) =>
      ok ? { url, ok: true, status: 200, ms: 1 } : { url, ok: false, status: 500, error: 'HTTP 500', ms: 1 };
    const { gate, service, clock } = setup({ bakeTimeMs: 0 }, probe, 3);
    await gate.onRead(waiting());
    expect(service.confirms).toEqual([]);
    ok = true;
    clock.t += 1000;
    await gate.onRead(waiting());
    expect(service.confirms).toEqual(['p2']);
  });

  it('never sends a confirmation twice after an ambiguous failure', async () => {
    const { gate, service, log } = setup();
    service.confirmErrors.push(apiError('RequestTimeout', 'timeout'));
    await gate.onRead(waiting());
    await gate.onRead(waiting());
    await gate.onRead(waiting());
    expect(service.confirms).toEqual([]);
    expect(log.text()).toMatch(/got no clear answer.*not sent again/);
  });

  it('tries again after a clear refusal, re-reading the order first', async () => {
    const { gate, service } = setup();
    service.confirmErrors.push(apiError('Throttling.User', 'throttled'));
    await gate.onRead(waiting());
    expect(service.confirms).toEqual(['p2']);
    expect(service.describes).toBe(1);
  });
});
