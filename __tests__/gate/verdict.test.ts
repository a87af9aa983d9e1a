import { describe, expect, it } from '@jest/globals';
import { decide, type RemedyPolicy } from '../../src/gate/verdict.js';
import type { WatchEnd } from '../../src/gate/watch.js';
import { apiError, order } from '../helpers/fakes.js';

const policy: RemedyPolicy = {
  onFailure: 'abort-and-rollback',
  onTimeout: 'abort',
  onCancel: 'abort',
  timeoutMs: 1_800_000,
};

describe('decide', () => {
  const cases: [
    string,
    WatchEnd,
    Partial<RemedyPolicy>,
    { result: string; remedy: string; remedyInput?: string; warning?: RegExp },
  ][] = [
    ['success', { kind: 'settled', order: order(2) }, {}, { result: 'succeeded', remedy: 'none' }],
    ['terminal failure 3', { kind: 'settled', order: order(3) }, {}, { result: 'failed', remedy: 'none' }],
    ['system failure 10', { kind: 'settled', order: order(10) }, {}, { result: 'failed', remedy: 'none' }],
    ['EDAS partial 7', { kind: 'settled', order: order(7) }, {}, { result: 'failed', remedy: 'none' }],
    ['aborted by someone else', { kind: 'settled', order: order(6) }, {}, { result: 'aborted', remedy: 'none' }],
    [
      'stuck with rollback',
      { kind: 'stuck', order: order(1, { subStatus: 1 }) },
      {},
      { result: 'failed', remedy: 'abort-and-rollback', remedyInput: 'on-failure' },
    ],
    [
      'stuck, on-failure abort',
      { kind: 'stuck', order: order(1, { subStatus: 1 }) },
      { onFailure: 'abort' },
      { result: 'failed', remedy: 'abort', remedyInput: 'on-failure' },
    ],
    [
      'stuck, on-failure none',
      { kind: 'stuck', order: order(1, { subStatus: 1 }) },
      { onFailure: 'none' },
      { result: 'failed', remedy: 'none', remedyInput: 'on-failure' },
    ],
    [
      'stuck, rollback unsupported',
      { kind: 'stuck', order: order(1, { subStatus: 1, supportRollback: false }) },
      {},
      { result: 'failed', remedy: 'abort', remedyInput: 'on-failure', warning: /does not support rollback/ },
    ],
    [
      'timeout',
      { kind: 'timeout', order: order(1) },
      {},
      { result: 'timed-out', remedy: 'abort', remedyInput: 'on-timeout' },
    ],
    [
      'timeout, never read',
      { kind: 'timeout' },
      {},
      { result: 'timed-out', remedy: 'abort', remedyInput: 'on-timeout' },
    ],
    [
      'timeout with rollback',
      { kind: 'timeout', order: order(8) },
      { onTimeout: 'abort-and-rollback' },
      { result: 'timed-out', remedy: 'abort-and-rollback', remedyInput: 'on-timeout' },
    ],
    [
      'timeout, rollback unsupported',
      { kind: 'timeout', order: order(1, { supportRollback: false }) },
      { onTimeout: 'abort-and-rollback' },
      { result: 'timed-out', remedy: 'abort', remedyInput: 'on-timeout', warning: /rollback/ },
    ],
    [
      'read errors exhausted',
      { kind: 'api-error', error: apiError('Throttling.User', 'throttled'), exhausted: true, order: order(1) },
      {},
      { result: 'error', remedy: 'abort', remedyInput: 'on-timeout' },
    ],
    [
      'refused read',
      { kind: 'api-error', error: apiError('Resouce.no.permission', 'rejected'), exhausted: false },
      {},
      { result: 'error', remedy: 'none' },
    ],
    [
      'cancelled',
      { kind: 'cancelled', order: order(1) },
      {},
      { result: 'cancelled', remedy: 'abort', remedyInput: 'on-cancel' },
    ],
  ];
  it.each(cases)('%s', (_name, end, over, expected) => {
    const v = decide(end, { ...policy, ...over });
    expect(v.result).toBe(expected.result);
    expect(v.remedy).toBe(expected.remedy);
    expect(v.remedyInput).toBe(expected.remedyInput);
    if (expected.warning) expect(v.warning).toMatch(expected.warning);
    else expect(v.warning).toBeUndefined();
    expect(v.reason.length).toBeGreaterThan(10);
  });

  it('names the failed batch and the error message', () => {
    const v = decide(
      {
        kind: 'stuck',
        order: order(1, {
          subStatus: 1,
          batchStatuses: [2, 1, 0],
          currentBatchId: 'p2',
          errorMessage: 'Readiness probe failed',
        }),
      },
      policy,
    );
    expect(v.reason).toContain('batch 2/3 "Batch 2 Change" hit an error: Readiness probe failed');
    const f = decide({ kind: 'settled', order: order(3, { batchStatuses: [2, 3] }) }, policy);
    expect(f.reason).toContain('batch 2/2 "Batch 2 Change" failed');
  });

  it('gives the hint for a refused read', () => {
    const v = decide(
      { kind: 'api-error', error: apiError('Resouce.no.permission', 'rejected'), exhausted: false },
      policy,
    );
    expect(v.reason).toMatch(/RAM permission/);
  });
});

describe('a success its own batches contradict (issue 19)', () => {
  it.each([
    [[2, 3], 'failed'],
    [[6, 2], 'aborted'],
    [[2, 10], 'failed (system exception)'],
  ])('status 2 with batches %j is failed, not succeeded, and says why', (batchStatuses, words) => {
    const v = decide({ kind: 'settled', order: order(2, { batchStatuses }) }, policy);
    expect(v).toMatchObject({ result: 'failed', passes: false, remedy: 'none' });
    expect(v.reason).toContain(`says ${words}`);
    expect(v.warning).toMatch(/reports success while batch \d\/2/);
  });
  it('status 2 with all batches succeeded still passes', () => {
    expect(decide({ kind: 'settled', order: order(2, { batchStatuses: [2, 2] }) }, policy).passes).toBe(true);
  });
});
