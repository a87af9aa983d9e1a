import { describe, expect, it } from '@jest/globals';
import {
  hasNotStarted,
  hasSucceeded,
  isRunning,
  isSettled,
  statusInfo,
  SUB_STATUS_ERROR,
  type Phase,
} from '../../src/products/status.js';

describe('statusInfo', () => {
  // Every code sae-api.md §3.1.1 and §4.2 document, with the words the log and the summary use.
  it.each<[number, string, Phase]>([
    [0, 'preparing', 'running'],
    [1, 'running', 'running'],
    [2, 'succeeded', 'succeeded'],
    [3, 'failed', 'failed'],
    [6, 'aborted', 'aborted'],
    [7, 'partially executed', 'failed'],
    [8, 'waiting for manual batch confirmation', 'waiting-batch'],
    [9, 'waiting for the next automatic batch', 'running'],
    [10, 'failed (system exception)', 'failed'],
    [11, 'waiting for approval', 'waiting-approval'],
    [12, 'approved, waiting to run', 'running'],
  ])('status %i is "%s" (%s)', (code, text, phase) => {
    expect(statusInfo(code)).toEqual({ code, text, phase });
  });

  it.each([4, 5, 13, 99, -1, 2.5, Number.NaN])('status %p is unknown, never terminal', (code) => {
    const info = statusInfo(code);
    expect(info).toEqual({ code, text: `unknown status ${code}`, phase: 'unknown' });
    expect(isSettled(info.phase)).toBe(false);
  });

  it('hands out copies: changing one does not change the table', () => {
    const info = statusInfo(2) as { text: string };
    info.text = 'tampered';
    expect(statusInfo(2).text).toBe('succeeded');
  });
});

describe('isSettled', () => {
  it.each<[Phase, boolean]>([
    ['succeeded', true],
    ['failed', true],
    ['aborted', true],
    ['running', false],
    ['waiting-batch', false],
    ['waiting-approval', false],
    ['unknown', false],
  ])('%s: %p', (phase, settled) => {
    expect(isSettled(phase)).toBe(settled);
  });
});

describe('hasSucceeded, hasNotStarted, isRunning', () => {
  // The codes a batch or an order can carry, and the three questions asked of them.
  it.each<[number, boolean, boolean, boolean]>([
    [0, false, true, false],
    [1, false, false, true],
    [2, true, false, false],
    [3, false, false, false],
    [6, false, false, false],
    [7, false, false, false],
    [8, false, false, false],
    [9, false, false, false],
    [10, false, false, false],
    [11, false, false, false],
    [12, false, false, false],
    [4, false, false, false],
    [99, false, false, false],
  ])('status %i: succeeded %p, not started %p, running %p', (code, succeeded, notStarted, running) => {
    expect([hasSucceeded(code), hasNotStarted(code), isRunning(code)]).toEqual([succeeded, notStarted, running]);
  });
});

describe('SUB_STATUS_ERROR', () => {
  it('is SubStatus 1, the documented "hit an error" value', () => {
    expect(SUB_STATUS_ERROR).toBe(1);
  });
});
