import type { BakeRecord } from '../gate/batches.js';
import { batchesSucceeded, type Batch } from '../products/change-order.js';
import { formatDuration } from '../time/duration.js';
import type { Report } from '../gate/report.js';
import { hasNotStarted, isSettled, statusInfo } from '../products/status.js';
import type { Result } from '../gate/verdict.js';
import type { Verification } from '../gate/verify.js';
import { INVISIBLE } from '../runner/sanitize.js';

const HEADLINES: Record<Result, string> = {
  succeeded: '✅ Release succeeded',
  failed: '❌ Release failed',
  aborted: '⏹️ Release was aborted',
  'timed-out': '⏱️ Release timed out',
  error: '⚠️ Release gate error',
  cancelled: '🚫 Release gate cancelled',
  paused: '⏸️ Release paused',
  superseded: '⏭️ Release superseded',
};

const RESULT_WORDS: Record<Result, string> = {
  succeeded: '✅ succeeded',
  failed: '❌ failed',
  aborted: '⏹️ aborted',
  'timed-out': '⏱️ timed out',
  error: '⚠️ error',
  cancelled: '🚫 cancelled',
  paused: '⏸️ paused',
  superseded: '⏭️ superseded',
};

/** Longest text taken from the API into one cell; the summary must stay far under GitHub's 1 MiB limit. */
const CELL_MAX = 300;
const TEXT_MAX = 4000;
const BATCH_ROWS_MAX = 100;

/** Renders the job summary (GitHub-flavoured Markdown). Pure; every string from the API is escaped. */
export function renderSummary(report: Report): string {
  const order = report.order;
  const lines: string[] = [];
  lines.push(
    `## ${HEADLINES[report.result]}: ${esc(report.product)} change order <code>${esc(report.changeOrderId)}</code>`,
    '',
  );
  lines.push(`> ${esc(report.reason, TEXT_MAX)}`, '');

  const facts: [string, string][] = [
    [
      'Result',
      `${RESULT_WORDS[report.result]}${report.rollback?.changeOrderId ? ' · rollback' : report.remedy && report.remedy.applied !== 'none' ? ` · ${report.remedy.applied}` : ''}`,
    ],
  ];
  if (order?.appName || order?.appId)
    facts.push([
      'App',
      [order.appName && esc(order.appName, CELL_MAX), order.appId && `<code>${esc(order.appId, CELL_MAX)}</code>`]
        .filter(Boolean)
        .join(' '),
    ]);
  facts.push(['Change order', `<a href="${attr(report.consoleUrl)}">${esc(report.changeOrderId)}</a>`]);
  if (report.deployed)
    facts.push(['Deployed', `by this step${report.deployedWhat ? `: ${esc(report.deployedWhat, CELL_MAX)}` : ''}`]);
  if (order?.type || order?.typeCode)
    facts.push([
      'Type',
      [order.type && esc(order.type, CELL_MAX), order.typeCode && `(<code>${esc(order.typeCode, CELL_MAX)}</code>)`]
        .filter(Boolean)
        .join(' '),
    ]);
  if (order?.description) facts.push(['Description', esc(order.description, CELL_MAX)]);
  if (order?.createTime || order?.createdBy)
    facts.push([
      'Created',
      [
        order.createTime && `${esc(order.createTime, CELL_MAX)} (${esc(report.product)} time)`,
        order.createdBy && `by ${esc(order.createdBy, CELL_MAX)}`,
      ]
        .filter(Boolean)
        .join(' '),
    ]);
  if (order)
    facts.push([
      'Status',
      `${order.status} · ${esc(statusInfo(order.status).text)}${order.subStatus ? ` (SubStatus ${order.subStatus})` : ''}`,
    ]);
  if (report.regionId) facts.push(['Region', esc(report.regionId)]);
  facts.push(['Watched for', formatDuration(report.endedAt - report.startedAt)]);
  const [[key, value], ...rest] = facts as [[string, string], ...[string, string][]];
  lines.push(`| **${key}** | ${value} |`, '|---|---|', ...rest.map(([k, v]) => `| **${k}** | ${v} |`), '');

  if (order?.batches.length) {
    const bakes = new Map((report.bakes ?? []).map((b) => [b.batchIndex, b]));
    const gated = bakes.size > 0;
    lines.push(`### Batches (${batchesSucceeded(order)}/${order.batches.length} succeeded)`, '');
    lines.push(
      `| # | Batch | Status | Started (UTC) | Ended (UTC) | Took |${gated ? ' Bake | Health |' : ''}`,
      `|---:|---|---|---|---|---|${gated ? '---|---|' : ''}`,
    );
    order.batches
      .slice(0, BATCH_ROWS_MAX)
      .forEach((b, i) => lines.push(batchRow(b, i) + (gated ? bakeCells(bakes.get(i), report.endedAt) : '')));
    if (order.batches.length > BATCH_ROWS_MAX)
      lines.push(`| | … ${order.batches.length - BATCH_ROWS_MAX} more batches | | | | |${gated ? ' | |' : ''}`);
    lines.push('');
    const failedProbes = (report.bakes ?? []).flatMap((b) =>
      b.probes.filter((p) => !p.ok).map((p) => ({ p, batch: b.batchIndex })),
    );
    if (failedProbes.length) {
      lines.push('#### Failed health checks', '', '| Time (UTC) | URL | Answer | After batch |', '|---|---|---|---:|');
      for (const { p, batch } of failedProbes.slice(-20))
        lines.push(
          `| ${time(p.at)} | ${esc(p.url, CELL_MAX)} | ${esc(p.status ? `HTTP ${p.status}` : (p.error ?? 'failed'), CELL_MAX)} | ${batch + 1} |`,
        );
      lines.push('');
    }
    const gantt = timeline(report);
    if (gantt) lines.push('### Timeline', '', '```mermaid', ...gantt, '```', '');
  }

  if (report.batchFailures?.length) {
    lines.push(
      `### Why batch "${esc(report.failedBatch ?? '?')}" failed`,
      '',
      '| Stage | Task | Error |',
      '|---|---|---|',
    );
    for (const f of report.batchFailures.slice(0, 20))
      lines.push(
        `| ${esc(f.stage)} | ${esc(f.task ?? '')} | ${esc([f.message, f.code && `(${f.code})`].filter(Boolean).join(' '), TEXT_MAX)} |`,
      );
    lines.push('');
  }

  lines.push(...landingSections(report));

  lines.push('### What the action did', '');
  if (report.remedy) lines.push(`- ${esc(report.remedy.detail, TEXT_MAX)}`);
  if (report.rollback) lines.push(`- ${esc(report.rollback.detail, TEXT_MAX)}`);
  else if (report.result === 'succeeded') lines.push('- Watched the release to the end; nothing needed stopping.');
  else lines.push(`- ${nothingDone(report)}`);
  for (const note of report.notes) lines.push(`- ⚠️ ${esc(note, TEXT_MAX)}`);
  lines.push('');

  if (report.errorMessage && report.result !== 'succeeded') {
    lines.push('### Error', '', '<pre>', esc(report.errorMessage, TEXT_MAX), '</pre>', '');
  }
  return lines.join('\n');
}

const VERIFY_WORDS: Readonly<Record<Verification['state'], string>> = {
  passed: '✅ passed',
  failed: '❌ failed',
  superseded: '⏭️ superseded',
  error: '⚠️ could not verify',
  'timed-out': '⏱️ timed out',
  cancelled: '🚫 cancelled',
};

/** The verification of the app and, after it, the rollback's own change order: the second order under the first. */
function landingSections(report: Report): string[] {
  const lines: string[] = [];
  const v = report.verification;
  if (v) {
    lines.push(`### Verification: ${VERIFY_WORDS[v.state]}`, '');
    for (const c of v.checks) lines.push(`- ✅ ${esc(c, TEXT_MAX)}`);
    if (v.state !== 'passed') lines.push(`- ${v.state === 'failed' ? '❌ ' : ''}${esc(v.detail, TEXT_MAX)}`);
    const failedProbes = v.probes.filter((p) => !p.ok).slice(-20);
    if (failedProbes.length) {
      lines.push('', '| Time (UTC) | URL | Answer |', '|---|---|---|');
      for (const p of failedProbes)
        lines.push(`| ${time(p.at)} | ${esc(p.url)} | ${esc(p.status ? `HTTP ${p.status}` : (p.error ?? 'failed'))} |`);
    }
    lines.push('');
  }
  const rb = report.rollback;
  if (rb?.changeOrderId) {
    const order = rb.order;
    lines.push(
      `### Rollback: ${esc(report.product)} change order <a href="${attr(rb.consoleUrl ?? '')}">${esc(rb.changeOrderId)}</a>`,
      '',
      `| **Result** | ${esc(rb.state)} |`,
      '|---|---|',
    );
    if (rb.versionId) lines.push(`| **Back to version** | <code>${esc(rb.versionId)}</code> |`);
    if (order) lines.push(`| **Status** | ${order.status} · ${esc(statusInfo(order.status).text)} |`);
    lines.push('');
    if (order?.batches.length) {
      lines.push('| # | Batch | Status | Started (UTC) | Ended (UTC) | Took |', '|---:|---|---|---|---|---|');
      order.batches.slice(0, BATCH_ROWS_MAX).forEach((b, i) => lines.push(batchRow(b, i)));
      lines.push('');
    }
  }
  return lines;
}

function batchRow(b: Batch, i: number): string {
  const info = statusInfo(b.status);
  const pending = hasNotStarted(b.status);
  const icon = pending
    ? '⏳'
    : {
        succeeded: '✅',
        failed: '❌',
        aborted: '⏹️',
        running: '🔄',
        'waiting-batch': '⏸️',
        'waiting-approval': '⏸️',
        unknown: '❔',
      }[info.phase];
  const settled = info.phase === 'succeeded' || info.phase === 'failed' || info.phase === 'aborted';
  const started = b.startTime && !pending ? time(b.startTime) : '';
  const ended = settled && b.updateTime ? time(b.updateTime) : '';
  const took =
    settled && b.startTime && b.updateTime && b.updateTime >= b.startTime
      ? formatDuration(b.updateTime - b.startTime)
      : '';
  return `| ${i + 1} | ${esc(b.name, CELL_MAX)} | ${icon} ${pending ? 'not started' : esc(info.text)} | ${started} | ${ended} | ${took} |`;
}

function bakeCells(bake: BakeRecord | undefined, endedAt: number): string {
  if (!bake) return ' | |';
  const took =
    formatDuration((bake.confirmedAt ?? endedAt) - bake.startedAt) + (bake.confirmedAt ? '' : ' (not released)');
  const ok = bake.probes.filter((p) => p.ok).length;
  const failed = bake.probes.length - ok;
  const health = bake.probes.length ? `${failed ? '❌' : '✅'} ${ok}/${bake.probes.length} passed` : '—';
  return ` ${took} | ${health} |`;
}

/** A Mermaid Gantt chart of the batches and the bakes between them (GitHub renders it in job summaries). */
function timeline(report: Report): string[] | undefined {
  const order = report.order;
  if (!order) return undefined;
  const rows: string[] = [];
  // A time the API made up (0, the year 9999, an end before the start, a batch of months) would stretch the chart
  // until the real bars vanish: such a batch is left out of the chart (its row in the table still says what was read).
  const plausible = (t: number | undefined): t is number =>
    t !== undefined && Number.isFinite(t) && t >= EPOCH_2000 && t <= report.endedAt + DAY_MS;
  order.batches.slice(0, 50).forEach((b, i) => {
    if (!b.startTime || hasNotStarted(b.status)) return;
    if (!plausible(b.startTime) || (b.updateTime !== undefined && !plausible(b.updateTime))) return;
    if (report.endedAt - b.startTime > 31 * DAY_MS) return;
    const phase = statusInfo(b.status).phase;
    const end =
      phase === 'succeeded' || phase === 'failed' || phase === 'aborted'
        ? (b.updateTime ?? report.endedAt)
        : report.endedAt;
    const tag = phase === 'succeeded' ? 'done' : phase === 'failed' || phase === 'aborted' ? 'crit' : 'active';
    rows.push(
      `  ${ganttName(`${i + 1}. ${b.name}`)} :${tag}, b${i}, ${b.startTime}, ${Math.max(end, b.startTime + 1000)}`,
    );
    const bake = report.bakes?.find((k) => k.batchIndex === i && i < order.batches.length - 1);
    if (bake)
      rows.push(
        `  Bake after batch ${i + 1} :${bake.probes.some((p) => !p.ok) ? 'crit' : 'active'}, k${i}, ${bake.startedAt}, ${Math.max(bake.confirmedAt ?? report.endedAt, bake.startedAt + 1000)}`,
      );
  });
  if (!rows.length) return undefined;
  return ['gantt', '  dateFormat x', '  axisFormat %H:%M:%S', '  section Batches', ...rows];
}

const EPOCH_2000 = Date.UTC(2000, 0, 1);
const DAY_MS = 86_400_000;

/** Mermaid task names cannot hold ":" "#" ";" or line breaks; keep them plain and short. */
function ganttName(name: string): string {
  const plain = name
    .replace(/[^\p{L}\p{N} ._()/-]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return (plain.length > 60 ? `${plain.slice(0, 59)}…` : plain) || 'batch';
}

function time(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString().replace('T', ' ').slice(0, 19);
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '|': '&#124;',
  '`': '&#96;',
  '\\': '&#92;',
  '[': '&#91;',
  ']': '&#93;',
  '*': '&#42;',
  _: '&#95;',
  '~': '&#126;',
  '#': '&#35;',
};

/** Escapes text for a Markdown table cell or HTML: no markup, no cell breaks, one line, bounded length. */
export function esc(value: string, max = CELL_MAX): string {
  // Bidi and zero-width characters go (they make a cell read as something else), other controls become spaces.
  // eslint-disable-next-line no-control-regex
  const flat = value.replace(INVISIBLE, '').replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ');
  const short = flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
  return unlinked(short.replace(/[&<>"'|`\\[\]*_~#]/g, (c) => ENTITIES[c] ?? c));
}

/**
 * GitHub turns "@name" into a mention and "https://…", "www.…" into links, in text as in table cells. An empty
 * `<span></span>` splits the text node, so neither is recognised, and the text still reads the same.
 */
function unlinked(text: string): string {
  return (
    text
      // Only an @ that does not follow a letter, digit or _ starts a mention ("repo@sha", "a@b.c" do not).
      .replace(/(?<![\p{L}\p{N}_])@(?=[\p{L}\p{N}_-])/gu, '@<span></span>')
      .replace(/\b(https?|ftp|mailto|www)(?=[:.])/gi, '$1<span></span>')
  );
}

function attr(url: string): string {
  return url.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/** "Nothing was done", saying only what the gate knows: an order never read is not said to have settled. */
function nothingDone(report: Report): string {
  const order = report.order;
  if (!order) return 'Nothing: the change order was never read, so the action did not touch it.';
  const info = statusInfo(order.status);
  if (isSettled(info.phase)) return 'Nothing: the change order had already settled, so there was nothing left to stop.';
  return `Nothing: the change order was last seen ${esc(info.text)}, and no remedy was called for.`;
}
