import { describe, expect, it } from '@jest/globals';
import { applyRemedy } from '../../src/gate/remedy.js';
import { graceAfter } from '../../src/time/cancel.js';
import { RecordingLog, ScriptedService, order } from '../helpers/fakes.js';

/** Issue 19, class 4: a remedy in flight when the run is cancelled gets a short grace, not its whole deadline. */
describe('a remedy in flight when the run is cancelled', () => {
  it('gives up cancelGraceMs after the signal, long before its own deadline', async () => {
    const service = new ScriptedService([order(1)]);
    service.abort = () => new Promise<void>(() => undefined);
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(new Error('received SIGINT')), 20);
    const outcome = await applyRemedy({
      service,
      changeOrderId: 'co-1',
      remedy: 'abort',
      input: 'on-failure',
      retry: { retries: 0, minDelayMs: 0, maxDelayMs: 0 },
      log: new RecordingLog(),
      deadlineMs: 60_000,
      signal: controller.signal,
      cancelGraceMs: 100,
    });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(outcome).toMatchObject({ state: 'failed', applied: 'none' });
    expect(outcome.detail).toMatch(/the run was cancelled and no answer came within/);
  });

  it('graceAfter fires only after the signal, and never without one', async () => {
    expect(graceAfter(undefined, 10)).toBeUndefined();
    const controller = new AbortController();
    const grace = graceAfter(controller.signal, 30)!;
    await new Promise((r) => setTimeout(r, 60));
    expect(grace.aborted).toBe(false);
    controller.abort();
    expect(grace.aborted).toBe(false);
    await new Promise((r) => setTimeout(r, 80));
    expect(grace.aborted).toBe(true);
  });
});
