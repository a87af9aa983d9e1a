import { ApiError } from '../alicloud/api-error.js';
import { BatchGate } from './batches.js';
import {
  failedBatch,
  type Batch,
  type BatchFailure,
  type ChangeOrder,
  type ChangeOrderService,
} from '../products/change-order.js';
import type { Clock } from '../time/clock.js';
import { formatDuration } from '../time/duration.js';
import type { Settings } from '../inputs/settings.js';
import { fetchProbe, HealthChecks, type Probe } from './health.js';
import type { Log } from '../runner/log.js';
import { ProgressLog } from './progress.js';
import { applyRemedy, type RemedyOutcome } from './remedy.js';
import type { Report } from './report.js';
import { retryPolicyFor, type RetryPolicy } from '../alicloud/retry.js';
import { decide, type Verdict } from './verdict.js';
import { watch, type WatchEnd } from './watch.js';

/** After an accepted abort, how long to keep reading until the order shows its final state. */
export const REMEDY_SETTLE_MS = 5 * 60_000;
/** How long an abort may take, retries included. */
export const REMEDY_DEADLINE_MS = 60_000;
/**
 * When the run is cancelled, the runner sends SIGINT, waits 7.5 s, sends SIGTERM, waits 2.5 s, then kills the process
 * tree. The abort gets 4.5 s, one final read 1.5 s, leaving time for the summary and a clean exit.
 */
export const CANCEL_REMEDY_MS = 4500;
export const CANCEL_READ_MS = 1500;

export type GateSettings = Pick<
  Settings,
  | 'changeOrderId'
  | 'regionId'
  | 'timeoutMs'
  | 'pollIntervalMs'
  | 'maxApiErrors'
  | 'onFailure'
  | 'onTimeout'
  | 'onCancel'
> &
  Partial<Pick<Settings, 'onManualBatch' | 'onApproval' | 'bakeTimeMs' | 'healthCheckUrls' | 'healthCheckFailures'>>;

export interface GateOptions {
  readonly settings: GateSettings;
  readonly service: ChangeOrderService;
  readonly clock: Clock;
  readonly log: Log;
  readonly signal?: AbortSignal;
  /** Overrides REMEDY_SETTLE_MS (tests). */
  readonly remedySettleMs?: number;
  /** When set, the change order must belong to this app: the gate must not pass on someone else's release. */
  readonly expectedAppId?: string;
  /** Told as soon as nothing is left for a safety net to do: the order settled, or a remedy was confirmed (main records it for the post step). */
  readonly onSettled?: () => void;
  /** Health probe (default: fetch). */
  readonly probe?: Probe;
  /** Overrides the retry policy derived from the poll interval (tests). */
  readonly retryPolicy?: RetryPolicy;
}

/** Watches one change order to the end, decides, stops the release if the verdict says so, and reports. */
export async function runGate(options: GateOptions): Promise<Report> {
  const { settings, service, clock, log, signal, onSettled } = options;
  const startedAt = clock.now();
  const id = settings.changeOrderId;
  const consoleUrl = service.consoleUrl(id);
  const retry = options.retryPolicy ?? retryPolicyFor(settings.pollIntervalMs);
  const progress = new ProgressLog(log, consoleUrl, startedAt, startedAt + settings.timeoutMs);
  const notes: string[] = [];
  let unverified = false;
  const check = (order: ChangeOrder): ApiError | undefined => {
    const expected = options.expectedAppId;
    if (!expected) return undefined;
    if (!order.appId) {
      if (!unverified)
        log.warning(
          `${service.product} does not say which app change order ${id} belongs to, so it cannot be checked against app ${expected}.`,
        );
      unverified = true;
      return undefined;
    }
    if (order.appId === expected) return undefined;
    return new ApiError(
      `${service.product} DescribeChangeOrder`,
      'WrongApp',
      `change order ${id} belongs to app ${order.appId}, not to app ${expected}: refusing to gate someone else's release (check change-order-id and app-id)`,
      'rejected',
    );
  };
  const urls = settings.healthCheckUrls ?? [];
  const health = urls.length
    ? new HealthChecks(
        urls,
        settings.healthCheckFailures ?? 1,
        options.probe ?? fetchProbe,
        Math.min(5000, Math.max(1000, settings.pollIntervalMs)),
        () => clock.now(),
      )
    : undefined;
  const batches = new BatchGate(
    service,
    {
      onManualBatch: settings.onManualBatch ?? 'wait',
      onApproval: settings.onApproval ?? 'wait',
      bakeTimeMs: settings.bakeTimeMs ?? 0,
    },
    clock,
    log,
    health,
  );
  const readUntil = (
    timeoutMs: number,
    stopWhenStuck: boolean,
    until: AbortSignal | undefined = signal,
  ): Promise<WatchEnd> =>
    watch({
      service,
      changeOrderId: id,
      clock,
      timeoutMs,
      pollIntervalMs: settings.pollIntervalMs,
      maxApiErrors: settings.maxApiErrors,
      retry,
      log,
      progress,
      signal: until,
      stopWhenStuck,
      check,
      interpose: stopWhenStuck ? (o) => batches.onRead(o) : undefined,
    });

  const end = await readUntil(settings.timeoutMs, true);
  if (end.kind === 'settled') onSettled?.();
  const cancelled = end.kind === 'cancelled';
  if (cancelled)
    log.warning(
      `The run was cancelled: stopping the watch of change order ${id}${settings.onCancel !== 'none' ? ` and applying on-cancel (${settings.onCancel})` : ''}.`,
    );
  let verdict: Verdict = decide(end, settings);
  let order: ChangeOrder | undefined = end.order;
  let remedy: RemedyOutcome | undefined;
  if (verdict.warning) {
    log.warning(verdict.warning);
    notes.push(verdict.warning);
  }

  if (verdict.remedyInput) {
    remedy = await applyRemedy({
      service,
      changeOrderId: id,
      remedy: verdict.remedy,
      input: verdict.remedyInput,
      retry: cancelled ? { retries: 3, minDelayMs: 200, maxDelayMs: 1000 } : retry,
      log,
      deadlineMs: cancelled ? CANCEL_REMEDY_MS : REMEDY_DEADLINE_MS,
    });
    if (remedy.state === 'failed') log.warning(remedy.detail);
    else log.info(remedy.detail);
    if (remedy.state === 'applied' || remedy.state === 'already-settled') onSettled?.();

    if (cancelled) {
      // No time to wait for the order to settle: one bounded read, so the report shows where it stands.
      if (remedy.state !== 'skipped')
        order = (await readUntil(0, false, AbortSignal.timeout(CANCEL_READ_MS))).order ?? order;
    } else if (remedy.state === 'applied') {
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
        verdict = {
          ...settled,
          reason: `${settled.reason} (It settled by itself just before the action could stop it.)`,
        };
      }
    }
  }

  const failed = verdict.result === 'failed' && end.order ? failedBatch(end.order) : undefined;
  const batchFailures = failed ? await explainFailure(service, failed, end.order!, log) : undefined;
  const errorMessage = errorMessageFor(verdict, end, order, remedy, batchFailures);
  const waitingBatch = end.kind === 'paused' ? end.batch?.name : undefined;
  return {
    product: service.product,
    changeOrderId: id,
    regionId: settings.regionId,
    consoleUrl,
    result: verdict.result,
    passed: verdict.passes,
    reason: verdict.reason,
    order,
    remedy,
    errorMessage,
    failedBatch: failed?.name,
    waitingBatch,
    bakes: [...batches.bakes.values()],
    batchFailures,
    startedAt,
    endedAt: clock.now(),
    notes,
  };
}

/** Reads the failed batch's detail (SAE DescribePipeline) to say which stage and task failed, best-effort. */
async function explainFailure(
  service: ChangeOrderService,
  batch: Batch,
  order: ChangeOrder,
  log: Log,
): Promise<BatchFailure[] | undefined> {
  if (!service.describeBatchFailure) return undefined;
  try {
    const failures = await service.describeBatchFailure(batch.id);
    const label = `Batch ${order.batches.indexOf(batch) + 1}/${order.batches.length} "${batch.name}"`;
    for (const f of failures)
      log.info(
        `${label} failed at stage "${f.stage}"${f.task ? `, task "${f.task}"` : ''}${f.message ? `: ${f.message}` : ''}${f.code ? ` (${f.code})` : ''}`,
      );
    return failures;
  } catch (err) {
    log.debug(`Could not read the detail of batch ${batch.id}: ${String(err)}`);
    return undefined;
  }
}

function errorMessageFor(
  verdict: Verdict,
  end: WatchEnd,
  order: ChangeOrder | undefined,
  remedy: RemedyOutcome | undefined,
  failures: readonly BatchFailure[] | undefined,
): string | undefined {
  if (verdict.passes) return undefined;
  const task = failures?.find((f) => f.message);
  const parts = [
    order?.errorMessage ??
      end.order?.errorMessage ??
      (task ? `${task.stage}${task.task ? ` / ${task.task}` : ''}: ${task.message}` : undefined),
    end.kind === 'api-error' ? end.error.message : undefined,
    remedy?.state === 'failed' ? remedy.detail : undefined,
  ].filter((p): p is string => !!p);
  return parts.length ? parts.join(' — ') : verdict.reason;
}
