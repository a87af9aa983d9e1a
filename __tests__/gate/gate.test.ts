import { describe, expect, it } from '@jest/globals';
import type { ApiError } from '../../src/alicloud/api-error.js';
import type { ChangeOrder } from '../../src/products/change-order.js';
import { runGate, type GateSettings } from '../../src/gate/gate.js';
import { outputsFor } from '../../src/publish/outputs.js';
import { FakeClock, RecordingLog, ScriptedService, apiError, order } from '../helpers/fakes.js';

const settings: GateSettings = {
  changeOrderId: 'co-1',
  regionId: 'cn-hangzhou',
  timeoutMs: 60_000,
  pollIntervalMs: 10_000,
  maxApiErrors: 3,
  onFailure: 'abort-and-rollback',
  onTimeout: 'abort',
  onCancel: 'abort',
};
const fastRetry = { retries: 2, minDelayMs: 1, maxDelayMs: 1 };

async function gate(
  steps: (ChangeOrder | ApiError)[],
  over: Partial<GateSettings> = {},
  setup?: (s: ScriptedService) => void,
) {
  const service = new ScriptedService(steps);
  setup?.(service);
  const clock = new FakeClock();
  const log = new RecordingLog();
  const report = await runGate({
    settings: { ...settings, ...over },
    service,
    clock,
    log,
    retryPolicy: fastRetry,
    remedySettleMs: 30_000,
  });
  return { report, service, clock, log, outputs: outputsFor(report) };
}

describe('runGate', () => {
  it('passes a release that succeeds, logging each batch transition once', async () => {
    const { report, service, log, outputs } = await gate([
      order(1, { batchStatuses: [1, 0, 0] }),
      order(1, { batchStatuses: [1, 0, 0] }),
      order(1, { batchStatuses: [2, 1, 0] }),
      order(9, { batchStatuses: [2, 2, 0] }),
      order(2, { batchStatuses: [2, 2, 2] }),
    ]);
    expect(report.result).toBe('succeeded');
    expect(service.aborts).toEqual([]);
    expect(service.describes).toBe(5);
    const text = log.text();
    expect(text.match(/Batch 1\/3 "Batch 1 Change" running/g)).toHaveLength(1);
    expect(text).toContain('Batch 2/3 "Batch 2 Change" running');
    expect(text).toMatch(/Batch 3\/3 "Batch 3 Change" succeeded \(took \d+s\)/);
    expect(text.match(/Console: /g)).toHaveLength(1);
    expect(outputs).toMatchObject({
      result: 'succeeded',
      status: '2',
      remedy: 'none',
      'batches-total': '3',
      'batches-succeeded': '3',
      'failed-batch': '',
      'error-message': '',
    });
  });

  it('aborts and rolls back a release stuck with SubStatus 1, then reports the final state', async () => {
    const { report, service, outputs } = await gate(
      [
        order(1, { batchStatuses: [2, 1] }),
        order(1, { subStatus: 1, batchStatuses: [2, 1], currentBatchId: 'p2', errorMessage: 'health check failed' }),
      ],
      {},
      (s) => {
        s.afterAbort = order(6, { batchStatuses: [2, 6] });
      },
    );
    expect(service.aborts).toEqual([{ id: 'co-1', rollback: true }]);
    expect(report.result).toBe('failed');
    expect(outputs).toMatchObject({
      result: 'failed',
      remedy: 'abort-and-rollback',
      status: '6',
      'failed-batch': 'Batch 2 Change',
    });
    expect(outputs['error-message']).toContain('health check failed');
  });

  it('does not touch a change order that failed on its own (status 3)', async () => {
    const { report, service } = await gate([
      order(1),
      order(3, { batchStatuses: [3], errorMessage: 'image pull failed' }),
    ]);
    expect(report.result).toBe('failed');
    expect(service.aborts).toEqual([]);
    expect(report.errorMessage).toContain('image pull failed');
  });

  it('reports a change order aborted by someone else as aborted', async () => {
    const { report, service } = await gate([order(1), order(6)]);
    expect(report.result).toBe('aborted');
    expect(service.aborts).toEqual([]);
  });

  it('aborts on timeout, after a last read at the deadline', async () => {
    const { report, service, clock, outputs } = await gate([order(1)], { timeoutMs: 25_000 }, (s) => {
      s.afterAbort = order(6);
    });
    expect(report.result).toBe('timed-out');
    expect(service.aborts).toEqual([{ id: 'co-1', rollback: false }]);
    // reads at 0, 10s, 20s, 25s (the deadline)
    expect(service.describes).toBe(4);
    expect(outputs.remedy).toBe('abort');
    expect(clock.t).toBeGreaterThan(0);
  });

  it('passes an order that succeeded exactly at the deadline read, without aborting', async () => {
    const { report, service } = await gate([order(1), order(1), order(2)], { timeoutMs: 15_000 });
    expect(report.result).toBe('succeeded');
    expect(service.aborts).toEqual([]);
  });

  it('leaves the release running when on-timeout is none', async () => {
    const { report, service, outputs } = await gate([order(1)], { timeoutMs: 10_000, onTimeout: 'none' });
    expect(report.result).toBe('timed-out');
    expect(service.aborts).toEqual([]);
    expect(outputs.remedy).toBe('none');
    expect(report.remedy?.detail).toMatch(/on-timeout is none/);
  });

  it('keeps waiting at status 8 and 11 and says a person must act', async () => {
    const { report, log } = await gate([
      order(8, { batchStatuses: [2, 8] }),
      order(8, { batchStatuses: [2, 8] }),
      order(11),
      order(2),
    ]);
    expect(report.result).toBe('succeeded');
    const notices = log.lines.filter((l) => l.level === 'notice').map((l) => l.message);
    expect(notices).toHaveLength(2);
    expect(notices[0]).toMatch(/A person must act.*confirm the next batch \(Batch 2 Change\)/);
    expect(notices[1]).toMatch(/approval/);
  });

  it('keeps polling an unknown status with a warning, never passing', async () => {
    const { report, log } = await gate([order(42)], { timeoutMs: 20_000, onTimeout: 'none' });
    expect(report.result).toBe('timed-out');
    expect(log.text(['warning'])).toMatch(/status 42, which this action does not know/);
  });

  it('retries transient read errors without failing the gate', async () => {
    const { report, service } = await gate([
      apiError('Throttling.User', 'throttled'),
      apiError('ServiceUnavailable', 'unavailable', 503),
      order(1),
      order(2),
    ]);
    expect(report.result).toBe('succeeded');
    expect(service.describes).toBe(4);
  });

  it('gives up after max-api-errors failed reads in a row, with result error and the on-timeout remedy', async () => {
    const e = apiError('InternalError', 'unavailable', 500);
    const { report, service, log } = await gate([order(1), e], {}, (s) => {
      s.afterAbort = order(6);
    });
    expect(report.result).toBe('error');
    expect(service.aborts).toHaveLength(1);
    expect(log.text(['warning'])).toMatch(/3\/3 failed reads in a row/);
    // 1 good read + 3 failed reads x (1 + 2 retries)
    expect(service.describes).toBe(10);
  });

  it('ends at once on a permanent error, with the hint, and does nothing to the release', async () => {
    const { report, service } = await gate([apiError('Resouce.no.permission', 'rejected')]);
    expect(report.result).toBe('error');
    expect(service.describes).toBe(1);
    expect(service.aborts).toEqual([]);
    expect(report.reason).toMatch(/RAM permission/);
  });

  it('tolerates InvalidChangeOrder.NotFound for a new order during the grace period', async () => {
    const nf = apiError('InvalidChangeOrder.NotFound', 'rejected');
    const { report } = await gate([nf, nf, order(1), order(2)], { maxApiErrors: 1 });
    expect(report.result).toBe('succeeded');
  });

  it('fails on NotFound once the grace period is over', async () => {
    const nf = apiError('InvalidChangeOrder.NotFound', 'rejected');
    const { report, service } = await gate([nf]);
    expect(report.result).toBe('error');
    expect(service.describes).toBe(4); // at 0, 10s, 20s in grace; 30s is past it
    expect(report.reason).toMatch(/check change-order-id and region-id/);
  });

  it('reports what really happened when the abort answers "not running"', async () => {
    const notRunning = apiError('Application.ChangerOrder.Not.Running', 'rejected');
    const { report, outputs } = await gate([order(1), order(1), order(2)], { timeoutMs: 10_000 }, (s) => {
      s.abortErrors.push(notRunning);
    });
    expect(report.result).toBe('succeeded');
    expect(outputs.remedy).toBe('none');
    expect(report.reason).toMatch(/settled by itself/);
  });

  it('retries a throttled abort and aborts exactly once', async () => {
    const { service, outputs } = await gate([order(1)], { timeoutMs: 10_000 }, (s) => {
      s.abortErrors.push(apiError('Throttling.User', 'throttled'));
      s.afterAbort = order(6);
    });
    expect(service.aborts).toHaveLength(1);
    expect(outputs.remedy).toBe('abort');
  });

  it('says so loudly when the abort fails, and does not claim a remedy', async () => {
    const { report, log, outputs } = await gate([order(1)], { timeoutMs: 10_000 }, (s) => {
      s.abortErrors.push(apiError('Resouce.no.permission', 'rejected'));
    });
    expect(report.result).toBe('timed-out');
    expect(outputs.remedy).toBe('none');
    expect(log.text(['warning'])).toMatch(/Failed to abort change order co-1.*RAM permission.*may still be running/);
  });

  it('aborts without rollback when the order does not support it, and warns', async () => {
    const { service, log } = await gate([order(1, { subStatus: 1, supportRollback: false })], {}, (s) => {
      s.afterAbort = order(6);
    });
    expect(service.aborts).toEqual([{ id: 'co-1', rollback: false }]);
    expect(log.text(['warning'])).toMatch(/does not support rollback/);
  });

  it('writes a heartbeat about once a minute with elapsed time and an estimate', async () => {
    const running = order(1, { batchStatuses: [2, 1, 0] });
    const { log } = await gate([running], { timeoutMs: 5 * 60_000, onTimeout: 'none' });
    const beats = log.lines.filter((l) => l.message.startsWith('Still waiting'));
    expect(beats.length).toBeGreaterThanOrEqual(4);
    expect(beats.length).toBeLessThanOrEqual(5);
    expect(beats[0]!.message).toMatch(
      /Still waiting after 1m: running, 1\/3 batches done, batch 2 running; .*timeout in 4m/,
    );
  });
});
