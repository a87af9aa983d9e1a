import { failedBatch, type ChangeOrder, type ChangeOrderService } from './change-order.js';
import type { Clock } from './clock.js';
import { formatDuration } from './duration.js';
import type { Settings } from './inputs.js';
import type { Log } from './log.js';
import { ProgressLog } from './progress.js';
import { applyRemedy, type RemedyOutcome } from './remedy.js';
import type { Report } from './report.js';
import { retryPolicyFor, type RetryPolicy } from './retry.js';
import { decide, type Verdict } from './verdict.js';
import { watch, type WatchEnd } from './watch.js';

/** After an accepted abort, how long to keep reading until the order shows its final state. */
export const REMEDY_SETTLE_MS = 5 * 60_000;

export type GateSettings = Pick<Settings, 'changeOrderId' | 'regionId' | 'timeoutMs' | 'pollIntervalMs' | 'maxApiErrors' | 'onFailure' | 'onTimeout'>;

export interface GateOptions {
  readonly settings: GateSettings;
  readonly service: ChangeOrderService;
  readonly clock: Clock;
  readonly log: Log;
  readonly signal?: AbortSignal;
  /** Overrides REMEDY_SETTLE_MS (tests). */
  readonly remedySettleMs?: number;
  /** Overrides the retry policy derived from the poll interval (tests). */
  readonly retryPolicy?: RetryPolicy;
}

/** Watches one change order to the end, decides, stops the release if the verdict says so, and reports. */
export async function runGate(options: GateOptions): Promise<Report> {
  const { settings, service, clock, log, signal } = options;
  const startedAt = clock.now();
  const id = settings.changeOrderId;
  const consoleUrl = service.consoleUrl(id);
  const retry = options.retryPolicy ?? retryPolicyFor(settings.pollIntervalMs);
  const progress = new ProgressLog(log, consoleUrl, startedAt, startedAt + settings.timeoutMs);
  const notes: string[] = [];
  const readUntil = (timeoutMs: number, stopWhenStuck: boolean): Promise<WatchEnd> =>
    watch({ service, changeOrderId: id, clock, timeoutMs, pollIntervalMs: settings.pollIntervalMs, maxApiErrors: settings.maxApiErrors, retry, log, progress, signal, stopWhenStuck });

  const end = await readUntil(settings.timeoutMs, true);
  let verdict: Verdict = decide(end, settings);
  let order: ChangeOrder | undefined = end.order;
  let remedy: RemedyOutcome | undefined;
  if (verdict.warning) {
    log.warning(verdict.warning);
    notes.push(verdict.warning);
  }

  if (verdict.remedyInput) {
    remedy = await applyRemedy({ service, changeOrderId: id, remedy: verdict.remedy, input: verdict.remedyInput, retry, log, signal: undefined, maxRetryTimeMs: 60_000 });
    if (remedy.state === 'failed') log.warning(remedy.detail);
    else log.info(remedy.detail);

    if (remedy.state === 'applied') {
      const settleMs = options.remedySettleMs ?? REMEDY_SETTLE_MS;
      const after = await readUntil(settleMs, false);
      order = after.order ?? order;
      if (after.kind !== 'settled') {
        const note = `The change order had not reached a final status ${formatDuration(settleMs)} after the abort${order ? ` (last seen: status ${order.status})` : ''}; check it in the console.`;
        log.warning(note);
        notes.push(note);
      }
    } else if (remedy.state === 'already-settled') {
      // "Not running" means the order settled between our last read and the abort: report what really happened.
      const after = await readUntil(0, false);
      order = after.order ?? order;
      if (after.kind === 'settled') {
        const settled = decide(after, settings);
        verdict = { ...settled, reason: `${settled.reason} (It settled by itself just before the action could stop it.)` };
      }
    }
  }

  const errorMessage = errorMessageFor(verdict, end, order, remedy);
  const failed = verdict.result === 'failed' && end.order ? failedBatch(end.order)?.name : undefined;
  return { product: service.product, changeOrderId: id, regionId: settings.regionId, consoleUrl, result: verdict.result, reason: verdict.reason, order, remedy, errorMessage, failedBatch: failed, startedAt, endedAt: clock.now(), notes };
}

function errorMessageFor(verdict: Verdict, end: WatchEnd, order: ChangeOrder | undefined, remedy: RemedyOutcome | undefined): string | undefined {
  if (verdict.result === 'succeeded') return undefined;
  const parts = [order?.errorMessage, end.kind === 'api-error' ? end.error.message : undefined, remedy?.state === 'failed' ? remedy.detail : undefined].filter((p): p is string => !!p);
  return parts.length ? parts.join(' — ') : verdict.reason;
}
