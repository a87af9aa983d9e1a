/** Summary injection, end to end: hostile strings from the API cannot break the job summary's tables or inject markup. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FakeCloud } from '../../__fixtures__/cloud.js';
import { runAction } from '../../__fixtures__/action.js';

let cloud: FakeCloud;
beforeAll(async () => {
  cloud = await FakeCloud.start();
});
afterAll(async () => {
  await cloud.close();
});

const NASTY =
  'a|b <script>alert(1)</script> `rm -rf` \n| # not a heading\r\n<img src=x onerror=alert(1)> [x](javascript:alert(1)) **b** \\| ~~s~~';
const LONG = 'L'.repeat(10_000);

/** Rows of the table that starts after the line beginning with `heading` (or at it, for a header row), split on unescaped pipes. */
function table(md: string, heading: string): string[][] {
  const lines = md.split('\n');
  const start = lines.findIndex((l) => l.startsWith(heading));
  expect(start).toBeGreaterThanOrEqual(0);
  const rows: string[][] = [];
  for (const line of lines.slice(lines[start]!.startsWith('|') ? start : start + 1)) {
    if (line.startsWith('|')) rows.push(line.split(/(?<!\\)\|/).slice(1, -1));
    else if (rows.length) break;
  }
  return rows;
}

describe('summary injection', () => {
  it('keeps every table intact, escapes the markup and stays under 1 MiB', async () => {
    const id = 'co-injection';
    cloud.addOrder({
      id,
      appName: NASTY,
      description: NASTY + LONG,
      coType: NASTY,
      batches: [{ name: NASTY }, { name: LONG }, { name: `${NASTY}${LONG}` }],
      timeline: [
        { status: 1, batches: [1, 0, 0], reads: 1 },
        { status: 3, batches: [2, 3, 0], errorMessage: NASTY + LONG },
      ],
    });
    const run = await runAction({
      inputs: {
        'change-order-id': id,
        'region-id': 'cn-hangzhou',
        endpoint: cloud.url,
        'access-key-id': 'LTAI-test-key',
        'access-key-secret': 'test-secret-value',
        'poll-interval': '1s',
      },
    });
    expect(run.code).toBe(1);
    const md = run.summary;
    expect(Buffer.byteLength(md)).toBeLessThan(1024 * 1024);
    expect(Buffer.byteLength(md)).toBeLessThan(64 * 1024);
    expect(md).not.toMatch(/<script|<img|\]\(javascript:|`rm/);
    expect(md.split('\n').some((l) => /^#\s*not a heading/.test(l))).toBe(false);
    const facts = table(md, '| **Result**');
    expect(facts.length).toBeGreaterThan(5);
    for (const row of facts) expect(row).toHaveLength(2);
    const batches = table(md, '### Batches');
    expect(batches).toHaveLength(5);
    for (const row of batches) expect(row).toHaveLength(6);
    // The outputs carry the raw names (they are data, not Markdown), whole.
    expect(run.outputs['failed-batch']).toBe(LONG);
  });
});
