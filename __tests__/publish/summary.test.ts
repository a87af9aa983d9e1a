import { describe, expect, it } from '@jest/globals';
import type { Report } from '../../src/gate/report.js';
import { esc, renderSummary } from '../../src/publish/summary.js';
import { order } from '../helpers/fakes.js';

const base: Report = {
  product: 'SAE',
  changeOrderId: 'co-1',
  regionId: 'cn-hangzhou',
  consoleUrl: 'https://sae.console.aliyun.com/#/AppList/ChangeOrderDetail?changeOrderId=co-1&regionId=cn-hangzhou',
  result: 'failed',
  passes: false,
  reason: 'Batch 2 failed.',
  order: order(6, {
    batchStatuses: [2, 6, 0],
    type: 'Deploy Application',
    typeCode: 'CoDeploy',
    errorMessage: 'probe failed',
  }),
  remedy: {
    requested: 'abort-and-rollback',
    applied: 'abort-and-rollback',
    state: 'applied',
    detail: 'Aborted the change order and asked SAE to roll it back (on-failure).',
  },
  errorMessage: 'probe failed',
  startedAt: 0,
  endedAt: 185_000,
  notes: [],
};

/** Data rows of the Markdown table that follows `heading`, split into cells the way GFM does (on unescaped pipes). */
function tableRows(md: string, heading: string): string[][] {
  const lines = md.split('\n');
  const start = lines.findIndex((l) => l.startsWith(heading));
  const rows: string[][] = [];
  // The heading is either a line before the table, or the table's own header row.
  for (const line of lines.slice(lines[start]!.startsWith('|') ? start : start + 1)) {
    if (line.startsWith('|')) rows.push(line.split(/(?<!\\)\|/).slice(1, -1));
    else if (rows.length) break;
  }
  return rows.slice(2);
}

describe('renderSummary', () => {
  it('has the headline, facts, batch table, what was done and the error', () => {
    const md = renderSummary(base);
    expect(md).toContain('## ❌ Release failed: SAE change order <code>co-1</code>');
    expect(md).toContain('| **Type** | Deploy Application (<code>CoDeploy</code>) |');
    expect(md).toContain(
      '<a href="https://sae.console.aliyun.com/#/AppList/ChangeOrderDetail?changeOrderId=co-1&amp;regionId=cn-hangzhou">co-1</a>',
    );
    expect(md).toContain('| **Watched for** | 3m5s |');
    const rows = tableRows(md, '### Batches');
    expect(rows).toHaveLength(3);
    expect(rows.every((r) => r.length === 6)).toBe(true);
    expect(rows[1]![2]).toContain('aborted');
    expect(md).toContain('- Aborted the change order and asked SAE to roll it back (on-failure).');
    expect(md).toMatch(/### Error\n\n<pre>\nprobe failed\n<\/pre>/);
  });

  it('says when this step started the release, and what it deployed', () => {
    expect(renderSummary(base)).not.toContain('**Deployed**');
    const md = renderSummary({ ...base, deployed: true, deployedWhat: 'image acme/shop:1|<b>' });
    expect(md).toContain('| **Deployed** | by this step: image acme/shop:1&#124;&lt;b&gt; |');
  });

  it('keeps the tables intact and inert whatever the API sends', () => {
    const nasty = 'a|b <script>alert(1)</script> `code` \n# heading\r\n[link](http://x) **bold** \\| end';
    const long = 'x'.repeat(10_000);
    const report: Report = {
      ...base,
      order: {
        ...order(3, { batchStatuses: [3, 3] }),
        appName: nasty,
        description: long,
        type: nasty,
        batches: [
          { id: '1', name: nasty, status: 3 },
          { id: '2', name: long, status: 3 },
        ],
      },
      errorMessage: nasty + long,
      reason: nasty,
    };
    const md = renderSummary(report);
    expect(md).not.toContain('<script>');
    expect(md).not.toMatch(/`code`/);
    expect(md).not.toContain('[link]');
    for (const row of tableRows(md, '### Batches')) expect(row).toHaveLength(6);
    for (const row of tableRows(md, '| **Result**')) expect(row).toHaveLength(2);
    expect(md.split('\n').some((l) => l.startsWith('# heading'))).toBe(false);
    expect(Buffer.byteLength(md)).toBeLessThan(64 * 1024);
  });

  it('stays far under 1 MiB with thousands of batches', () => {
    const batches = Array.from({ length: 5000 }, (_, i) => ({ id: String(i), name: 'n'.repeat(10_000), status: 2 }));
    const md = renderSummary({ ...base, order: { ...order(2), batches } });
    expect(Buffer.byteLength(md)).toBeLessThan(128 * 1024);
    expect(md).toContain('4900 more batches');
  });

  it('escapes the characters that would break Markdown or HTML', () => {
    expect(esc('a|b<c>&`d`')).toBe('a&#124;b&lt;c&gt;&amp;&#96;d&#96;');
    expect(esc('line1\nline2')).toBe('line1 line2');
  });

  it('breaks up @mentions but leaves an @ inside a word (repo@sha, an e-mail address) as it is', () => {
    expect(esc('by @octocat')).toBe('by @<span></span>octocat');
    expect(esc('(@team)')).toBe('(@<span></span>team)');
    expect(esc('acme/shop@0123456 a@b.example')).toBe('acme/shop@0123456 a@b.example');
    expect(esc('x'.repeat(500)).length).toBeLessThanOrEqual(300);
  });

  it('says what the action did for each result', () => {
    expect(renderSummary({ ...base, result: 'succeeded', remedy: undefined, errorMessage: undefined })).toContain(
      'nothing needed stopping',
    );
    expect(renderSummary({ ...base, result: 'failed', remedy: undefined })).toContain('had already settled');
    expect(renderSummary({ ...base, result: 'timed-out' })).toContain('⏱️ Release timed out');
  });
});
