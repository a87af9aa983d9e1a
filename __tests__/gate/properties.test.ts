/**
 * Property-based: random change-order timelines with random API faults and random settings, through the real gate
 * (fake clock, scripted service). The verdict is checked against a small model of what it must be, given the last
 * state the gate managed to read: no false success, no remedy on a settled release, at most one remedy, never a crash.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { ApiError } from '../../src/alicloud/api-error.js';
import type { ChangeOrder } from '../../src/products/change-order.js';
import { runGate } from '../../src/gate/gate.js';
import type { Remedy } from '../../src/inputs/settings.js';
import { FakeClock, RecordingLog, ScriptedService, apiError, order } from '../helpers/fakes.js';

/** Remembers what the gate saw before it first acted. */
class ObservedService extends ScriptedService {
  lastSeen?: ChangeOrder;
  override async describe(id: string): Promise<ChangeOrder> {
    const o = await super.describe(id);
    if (!this.aborts.length) this.lastSeen = o;
    return o;
  }
}

const statusArb = fc.constantFrom(0, 1, 1, 1, 9, 12, 8, 11, 42, 2, 3, 6, 10);
const stepArb: fc.Arbitrary<ChangeOrder | ApiError> = fc.oneof(
  {
    weight: 60,
    arbitrary: fc
      .record({ status: statusArb, sub: fc.constantFrom(0, 0, 0, 1), rollback: fc.boolean() })
      .map(({ status, sub, rollback }) =>
        order(status, { subStatus: sub, supportRollback: rollback, batchStatuses: [2, status === 2 ? 2 : 1] }),
      ),
  },
  {
    weight: 10,
    arbitrary: fc.constantFrom(
      apiError('Throttling.User', 'throttled'),
      apiError('InternalError', 'unavailable', 500),
      apiError('RequestTimeout', 'timeout', 0),
      apiError('MalformedResponse', 'malformed', 200),
    ),
  },
  { weight: 1, arbitrary: fc.constant(apiError('Resouce.no.permission', 'rejected')) },
);
const remedyArb = fc.constantFrom<Remedy>('abort-and-rollback', 'abort', 'none');

describe('gate properties', () => {
  it('gives the verdict the model expects from what it read, for any timeline and faults', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(stepArb, { minLength: 1, maxLength: 25 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 5 }),
        remedyArb,
        remedyArb,
        fc.option(fc.constantFrom(order(6), order(2), order(1)), { nil: undefined }),
        async (steps, timeoutPolls, maxApiErrors, onFailure, onTimeout, afterAbort) => {
          const service = new ObservedService(steps);
          service.afterAbort = afterAbort;
          const report = await runGate({
            settings: {
              changeOrderId: 'co-1',
              timeoutMs: timeoutPolls * 10_000,
              pollIntervalMs: 10_000,
              maxApiErrors,
              onFailure,
              onTimeout,
              onCancel: 'abort',
            },
            service,
            clock: new FakeClock(),
            log: new RecordingLog(),
            retryPolicy: { retries: 1, minDelayMs: 1, maxDelayMs: 1 },
            remedySettleMs: 30_000,
          });
          const seen = service.lastSeen;
          // No false success: only a read of status 2 can pass the gate.
          if (report.result === 'succeeded') expect(seen?.status === 2 || report.order?.status === 2).toBe(true);
          expect(report.passes).toBe(report.result === 'succeeded');
          // At most one remedy, and none on a release that was seen settled.
          expect(service.aborts.length).toBeLessThanOrEqual(1);
          if (seen && [2, 3, 6, 10].includes(seen.status)) {
            expect(service.aborts).toEqual([]);
            expect(report.result).toBe({ 2: 'succeeded', 3: 'failed', 6: 'aborted', 10: 'failed' }[seen.status]);
          }
          // A stuck release is a failure, remedied as on-failure says (rollback only where supported).
          if (
            seen &&
            seen.status !== 2 &&
            seen.subStatus === 1 &&
            ![3, 6, 10].includes(seen.status) &&
            report.result === 'failed'
          ) {
            const want = onFailure === 'abort-and-rollback' && seen.supportRollback === false ? 'abort' : onFailure;
            expect(service.aborts.length).toBe(want === 'none' ? 0 : 1);
            if (want !== 'none') expect(service.aborts[0]!.rollback).toBe(want === 'abort-and-rollback');
          }
          // A timeout never passes, and is remedied only as on-timeout says.
          if (report.result === 'timed-out') expect(service.aborts.length).toBe(onTimeout === 'none' ? 0 : 1);
          if (report.remedy?.applied && report.remedy.applied !== 'none') expect(service.aborts).toHaveLength(1);
          expect(['succeeded', 'failed', 'aborted', 'timed-out', 'error']).toContain(report.result);
        },
      ),
      { numRuns: 300 },
    );
  });
});
