import { describe, expect, it } from '@jest/globals';
import { soak } from '../../__fixtures__/soak.js';

/** Issue 19, class 9: a long release stays small. Bounds only, never timing (npm run bench prints the figures). */
describe('a 12-hour release at a 10 s poll interval', () => {
  it('polls 4,320 times, renews hourly, and keeps heap, log and summary bounded', async () => {
    const f = await soak(12);
    expect(f.result).toBe('succeeded');
    // 4,320 polls plus the retried throttling refusals.
    expect(f.polls).toBeGreaterThanOrEqual(4320);
    expect(f.polls).toBeLessThanOrEqual(4320 + f.throttled + 1);
    expect(f.throttled).toBeGreaterThanOrEqual(8 * 3);
    expect(f.renewals).toBeGreaterThanOrEqual(12);
    // Log lines grow with transitions and heartbeats, not with polls.
    expect(f.lines).toBeLessThanOrEqual(f.lineBound);
    expect(f.lines).toBeLessThan(f.polls / 4);
    expect(f.debugLines).toBeLessThan(f.polls / 4);
    // Heap after GC is flat from poll 500 to the end.
    expect(f.heapAt500MiB).toBeGreaterThan(0);
    expect(f.heapGrowthMiB).toBeLessThan(2);
    expect(f.summaryBytes).toBeLessThan(64 * 1024);
  }, 60_000);
});
