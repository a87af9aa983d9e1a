import { describe, expect, it } from '@jest/globals';
import { batchLabel, estimateLeftMs, ProgressLog } from '../../src/gate/progress.js';
import type { Batch } from '../../src/products/change-order.js';
import { order, RecordingLog } from '../helpers/fakes.js';

const T = 1_700_000_000_000;
const MIN = 60_000;

/** A batch with explicit times (ms after T); `undefined` leaves a time unset. */
const batch = (status: number, start?: number, end?: number): Batch => ({
  id: `b-${start ?? 'x'}-${end ?? 'x'}-${status}`,
  name: 'Batch',
  status,
  startTime: start === undefined ? undefined : T + start,
  updateTime: end === undefined ? undefined : T + end,
});

describe('estimateLeftMs', () => {
  // Finished batches took 1 min and 3 min: an average of 2 min a batch.
  const done = [batch(2, 0, 1 * MIN), batch(2, 1 * MIN, 4 * MIN)];
  const cases: [string, Batch[], number, number | undefined][] = [
    ['no batches', [], 0, undefined],
    ['nothing finished yet', [batch(1, 0), batch(0)], 5 * MIN, undefined],
    ['everything finished', done, 10 * MIN, undefined],
    ['two to go, the current one 30 s in', [...done, batch(1, 4 * MIN), batch(0)], 4.5 * MIN, 3.5 * MIN],
    ['two to go, the current one over its average', [...done, batch(1, 4 * MIN), batch(0)], 9 * MIN, 2 * MIN],
    ['two to go, none started', [...done, batch(0), batch(0)], 20 * MIN, 4 * MIN],
    ['the clock behind the batch start', [...done, batch(1, 4 * MIN), batch(0)], 3 * MIN, 4 * MIN],
    ['the started batch is not the first to go', [...done, batch(0), batch(1, 4 * MIN)], 5 * MIN, 3 * MIN],
    ['a failed batch still counts as to go', [...done, batch(3, 4 * MIN, 5 * MIN)], 4 * MIN, 2 * MIN],
    ['a waiting batch (8) counts as to go', [...done, batch(8, 4 * MIN)], 5 * MIN, 1 * MIN],
    // Finished batches whose times are missing or run backwards say nothing about the pace.
    ['a finished batch without times', [batch(2), batch(1, 0)], 1 * MIN, undefined],
    ['a finished batch without an end', [batch(2, 0), batch(1, 0)], 1 * MIN, undefined],
    ['a finished batch that ends before it starts', [batch(2, 2 * MIN, 1 * MIN), batch(0)], 3 * MIN, undefined],
    [
      'only well-timed batches set the pace',
      [batch(2, 0, 1 * MIN), batch(2, 3 * MIN, 1 * MIN), batch(2), batch(0)],
      3 * MIN,
      1 * MIN,
    ],
    ['a batch that took no time', [batch(2, 1 * MIN, 1 * MIN), batch(0)], 2 * MIN, 0],
  ];
  it.each(cases)('%s', (_, batches, now, left) => {
    expect(estimateLeftMs(order(1, { batches }), T + now)).toBe(left);
  });

  it('is what the heartbeat reports as time left', () => {
    const log = new RecordingLog();
    const start = T + 4 * MIN;
    const progress = new ProgressLog(log, 'https://console.example', start, start + 30 * MIN);
    const o = order(1, { batches: [...done, batch(1, 4 * MIN), batch(0)] });
    progress.observe(o, start);
    progress.tick(start + MIN);
    expect(log.text(['info'])).toMatch(
      /Still waiting after 1m: running, 2\/4 batches done, batch 3 running; about 3m left by the pace of finished batches; timeout in 29m$/,
    );
  });
});

describe('batchLabel', () => {
  it.each<[number, number, string]>([
    [0, 1, 'Batch 1/1 "Batch"'],
    [0, 3, 'Batch 1/3 "Batch"'],
    [2, 3, 'Batch 3/3 "Batch"'],
  ])('index %i of %i: %s', (index, total, label) => {
    expect(batchLabel(batch(1), index, total)).toBe(label);
  });

  it('quotes the batch name as the API gave it', () => {
    expect(batchLabel({ id: 'p1', name: 'Batch 2 Change', status: 1 }, 1, 4)).toBe('Batch 2/4 "Batch 2 Change"');
  });
});
