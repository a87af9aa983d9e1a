import { ApiError, fromPopCoreError } from '../alicloud/api-error.js';
import { raceSignal } from '../time/cancel.js';
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
import type { Remedy, Settings } from '../inputs/settings.js';
import { fetchProbe, HealthChecks, type Probe } from './health.js';
import type { Log } from '../runner/log.js';
import { ProgressLog } from './progress.js';
import { applyRemedy, CANCEL_GRACE_MS, type RemedyOutcome } from './remedy.js';
import type { Report } from './report.js';
import { retryPolicyFor, withRetry, type RetryPolicy } from '../alicloud/retry.js';
import { decide, FINISHED_NOTE, type Verdict } from './verdict.js';
import type { AppService } from '../products/app.js';
import { rollBack, type RollbackOutcome } from './rollback.js';
import { statusInfo } from '../products/status.js';
import { verifyRelease, type AppStepOptions, type Verification } from './verify.js';
import { watch, type WatchEnd } from './watch.js';

/** After an accepted abort, how long to keep reading until the order shows its final state. */
export const REMEDY_SETTLE_MS = 5 * 60_000;
/** How long an abort may take, retries included. */
export const REMEDY_DEADLINE_MS = 60_000;
/**
 * When the run is cancelled, the runner sends SIGINT, waits 7.5 s, sends SIGTERM, waits 2.5 s, then kills the process
 * tree. The abort gets 4.5 s, one final read 1.5 s, leaving time for the summary and a clean exit.
 */
export const CANCEL_REMEDY_MS = CANCEL_GRACE_MS;
/** How long the failed batch's detail (DescribePipeline) may take: it only explains. */
const EXPLAIN_MS = 10_000;
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
  Partial<
    Pick<
      Settings,
      | 'onManualBatch'
      | 'onApproval'
      | 'bakeTimeMs'
      | 'healthCheckUrls'
      | 'healthCheckFailures'
      | 'verify'
      | 'verifyTimeMs'
    >
  >;

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
  /** Told before a remedy is sent, so the post step applies the same one (rollback included) if main is killed. */
  readonly onRemedy?: (remedy: Remedy) => void;
  /** Who created the order, when the list that found it says (SAE DescribeChangeOrder names no creator). */
  readonly createdBy?: string;
  /** Health probe (default: fetch). */
  readonly probe?: Probe;
  /** Overrides the retry policy derived from the poll interval (tests). */
  readonly retryPolicy?: RetryPolicy;
  /** The app's status, instances and rollback: without it the gate watches the change order only (no verify, no rollback). */
  readonly app?: AppService;
}

/** Watches one change order to the end, decides, stops the release if the verdict says so, and reports. */
export async function runGate(options: GateOptions): Promise<Report> {
  const { settings, service, clock, log, onSettled } = options;
  const startedAt = clock.now();
  const id = settings.changeOrderId;
  const notes: string[] = [];
  const reads = readers(options, startedAt);

  // Watch the release.
  const end = await reads.watchRelease();
  if (end.kind === 'settled') onSettled?.();
  const cancelled = end.kind === 'cancelled';
  if (cancelled)
    log.warning(
      `The run was cancelled: stopping the watch of change order ${id}${settings.onCancel !== 'none' ? ` and applying on-cancel (${settings.onCancel})` : ''}.`,
    );

  // Decide.
  let verdict: Verdict = decide(end, settings);
  let order: ChangeOrder | undefined = end.order;
  let remedy: RemedyOutcome | undefined;
  if (verdict.warning) {
    log.warning(verdict.warning);
    notes.push(verdict.warning);
  }

  // Verify that the release landed, and bake it.
  const verification = await verifyStep(options, end, verdict, reads, startedAt, notes);
  if (verification) verdict = afterVerification(verdict, verification);

  // Remedy, then settle: read what the remedy left behind.
  if (verdict.remedyInput) {
    options.onRemedy?.(verdict.remedy);
    remedy = await applyRemedy({
      service,
      changeOrderId: id,
      remedy: verdict.remedy,
      input: verdict.remedyInput,
      retry: cancelled ? { retries: 3, minDelayMs: 200, maxDelayMs: 1000 } : reads.retry,
      log,
      deadlineMs: cancelled ? CANCEL_REMEDY_MS : REMEDY_DEADLINE_MS,
      signal: options.signal,
      cancelGraceMs: CANCEL_REMEDY_MS,
    });
    if (remedy.state === 'failed') log.warning(remedy.detail);
    else log.info(remedy.detail);
    if (remedy.state === 'applied' || remedy.state === 'already-settled') onSettled?.();
    const settled = await settleAfterRemedy(reads, remedy, {
      cancelled,
      verdict,
      order,
      settings,
      log,
      notes,
      options,
    });
    verdict = settled.verdict;
    order = settled.order;
  }

  // Put it back: a release that failed after its order finished is rolled back, when on-failure asks for it.
  const rollback = await rollbackStep(options, end, verification, reads, notes);
  if (rollback) verdict = { ...verdict, reason: `${verdict.reason.replace(FINISHED_NOTE, '')} ${rollback.detail}` };

  // Report.
  const failed = verdict.result === 'failed' && end.order ? failedBatch(end.order) : undefined;
  const batchFailures =
    failed && end.order ? await explainFailure(service, failed, end.order, log, options.signal) : undefined;
  const errorMessage = errorMessageFor(verdict, end, order, remedy, batchFailures);
  const waitingBatch = end.kind === 'paused' ? end.batch?.name : undefined;
  return {
    product: service.product,
    changeOrderId: id,
    regionId: settings.regionId,
    consoleUrl: reads.consoleUrl,
    result: verdict.result,
    passes: verdict.passes,
    reason: verdict.reason,
    order: order && options.createdBy && !order.createdBy ? { ...order, createdBy: options.createdBy } : order,
    remedy,
    errorMessage,
    failedBatch: failed?.name,
    waitingBatch,
    bakes: [...reads.batches.bakes.values()],
    batchFailures,
    startedAt,
    endedAt: clock.now(),
    notes,
    verification,
    rollback,
  };
}

/** The app to read: the order's own, else the app-id input. */
function appIdFor(options: GateOptions, order: ChangeOrder | undefined): string | undefined {
  return order?.appId ?? options.expectedAppId;
}

/** The options the app stages share, or undefined (with a note saying what was skipped) when the app is unknown. */
function appStep(
  options: GateOptions,
  order: ChangeOrder,
  reads: Readers,
  notes: string[],
  skipped: string,
): AppStepOptions | undefined {
  const { settings, app, log } = options;
  if (!app) return undefined;
  const appId = appIdFor(options, order);
  if (!appId) {
    const note = `${skipped}: ${app.product} does not say which app change order ${settings.changeOrderId} belongs to; set app-id.`;
    log.warning(note);
    notes.push(note);
    return undefined;
  }
  const { changeOrderId, pollIntervalMs, maxApiErrors } = settings;
  const { clock, signal } = options;
  return { app, appId, changeOrderId, clock, log, signal, retry: reads.retry, pollIntervalMs, maxApiErrors };
}

/** After a success: read the app (and bake it with verify-time). Undefined when there is nothing to verify. */
async function verifyStep(
  options: GateOptions,
  end: WatchEnd,
  verdict: Verdict,
  reads: Readers,
  startedAt: number,
  notes: string[],
): Promise<Verification | undefined> {
  const { settings } = options;
  if (verdict.result !== 'succeeded' || end.kind !== 'settled' || settings.verify === false) return undefined;
  const step = appStep(options, end.order, reads, notes, 'Could not verify the app');
  if (!step) return undefined;
  const verification = await verifyRelease({
    ...step,
    verifyTimeMs: settings.verifyTimeMs ?? 0,
    deadline: startedAt + settings.timeoutMs,
    health: reads.health,
  });
  if (verification.state !== 'passed') step.log.warning(verification.detail);
  return verification;
}

/** The verdict once the app was read: only a passed verification keeps a success. */
function afterVerification(verdict: Verdict, v: Verification): Verdict {
  if (v.state === 'passed') return { ...verdict, reason: `${verdict.reason} ${v.detail}` };
  const result = v.state === 'superseded' ? 'superseded' : v.state;
  return { result, passes: false, remedy: 'none', reason: v.detail };
}

/** Rolls back an order that failed on its own (3, 7, 10) or failed its verification or bake; never a superseded one. */
async function rollbackStep(
  options: GateOptions,
  end: WatchEnd,
  verification: Verification | undefined,
  reads: Readers,
  notes: string[],
): Promise<RollbackOutcome | undefined> {
  const { settings, log } = options;
  if (settings.onFailure !== 'abort-and-rollback' || end.kind !== 'settled') return undefined;
  const failedOnItsOwn = statusInfo(end.order.status).phase === 'failed';
  if (!(verification ? verification.state === 'failed' : failedOnItsOwn)) return undefined;
  const step = appStep(options, end.order, reads, notes, 'Did not roll back');
  if (!step) return undefined;
  const outcome = await rollBack({
    ...step,
    service: options.service,
    timeoutMs: settings.timeoutMs,
    typeCode: end.order.typeCode,
  });
  if (outcome.state === 'succeeded') log.info(outcome.detail);
  else log.warning(outcome.detail);
  return outcome;
}

/** The two ways the gate reads a change order: watching the release, and reading where it ended up. */
interface Readers {
  readonly consoleUrl: string;
  readonly retry: RetryPolicy;
  readonly batches: BatchGate;
  /** The health-check URLs, shared by the bakes between batches and the bake after the last one. */
  readonly health?: HealthChecks;
  /** The main watch, up to the timeout: ends at a final status, a stuck release, a pause or a failed health check. */
  watchRelease(): Promise<WatchEnd>;
  /** Reads until the order shows a final status or `timeoutMs` passes (0: one read), with no batch gating. */
  readFinalState(timeoutMs: number, until?: AbortSignal): Promise<WatchEnd>;
}

function readers(options: GateOptions, startedAt: number): Readers {
  const { settings, service, clock, log, signal } = options;
  const id = settings.changeOrderId;
  const consoleUrl = service.consoleUrl(id);
  const retry = options.retryPolicy ?? retryPolicyFor(settings.pollIntervalMs);
  const progress = new ProgressLog(
    log,
    consoleUrl,
    startedAt,
    startedAt + settings.timeoutMs,
    settings.onManualBatch === 'confirm',
  );
  const rejectIf = ownershipCheck(options, retry);
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
    signal,
  );
  const base = {
    service,
    changeOrderId: id,
    clock,
    pollIntervalMs: settings.pollIntervalMs,
    maxApiErrors: settings.maxApiErrors,
    retry,
    log,
    progress,
    rejectIf,
  };
  return {
    consoleUrl,
    retry,
    batches,
    health,
    watchRelease: () =>
      watch({
        ...base,
        timeoutMs: settings.timeoutMs,
        signal,
        stopWhenStuck: true,
        gateBatches: (o) => batches.onRead(o),
      }),
    readFinalState: (timeoutMs, until = signal) => watch({ ...base, timeoutMs, signal: until, stopWhenStuck: false }),
  };
}

/**
 * When app-id is known, a read of an order of another app ends the watch as a refusal (never someone else's release).
 * EDAS GetChangeOrderInfo names no app: then the app's own list of change orders must hold the order.
 */
function ownershipCheck(
  options: GateOptions,
  retry: RetryPolicy,
): ((order: ChangeOrder) => ApiError | undefined | Promise<ApiError | undefined>) | undefined {
  const { service, log, expectedAppId: expected, signal } = options;
  const id = options.settings.changeOrderId;
  if (!expected) return undefined;
  let listed: Promise<ApiError | undefined> | undefined;
  return (order) => {
    if (!order.appId) return (listed ??= checkListed(service, id, expected, retry, log, signal));
    if (order.appId === expected) return undefined;
    return new ApiError(
      `${service.product} DescribeChangeOrder`,
      'WrongApp',
      `change order ${id} belongs to app ${order.appId}, not to app ${expected}: refusing to gate someone else's release (check change-order-id and app-id)`,
      'rejected',
    );
  };
}

/** Ownership without an app in the order: the order must be in the app's list. A list that cannot be read is a refusal. */
async function checkListed(
  service: ChangeOrderService,
  id: string,
  appId: string,
  retry: RetryPolicy,
  log: Log,
  signal: AbortSignal | undefined,
): Promise<ApiError | undefined> {
  const operation = `${service.product} list of app ${appId}`;
  try {
    const list = await withRetry(operation, () => raceSignal(service.list(appId, {}), signal), {
      policy: retry,
      signal,
    });
    if (list.some((o) => o.id === id)) {
      log.info(`${service.product} names no app in change order ${id}; the change orders of app ${appId} list it.`);
      return undefined;
    }
    return new ApiError(
      operation,
      'WrongApp',
      `change order ${id} is not among the change orders of app ${appId} (${service.product} names no app in the order itself): refusing to gate what may be someone else's release (check change-order-id and app-id)`,
      'rejected',
    );
  } catch (err) {
    const error = fromPopCoreError(operation, err);
    return new ApiError(
      operation,
      error.code,
      `could not check that change order ${id} belongs to app ${appId}: ${error.detail}`,
      'rejected',
      error.httpStatus,
      error.requestId,
    );
  }
}

interface SettleContext {
  readonly cancelled: boolean;
  readonly verdict: Verdict;
  readonly order: ChangeOrder | undefined;
  readonly settings: GateSettings;
  readonly log: Log;
  readonly notes: string[];
  readonly options: GateOptions;
}

/** After a remedy: read where the order ended up, so the report says what is true, not what was asked for. */
async function settleAfterRemedy(
  reads: Readers,
  remedy: RemedyOutcome,
  ctx: SettleContext,
): Promise<{ verdict: Verdict; order: ChangeOrder | undefined }> {
  const { verdict, order, settings, log, notes } = ctx;
  if (ctx.cancelled) {
    // No time to wait for the order to settle: one bounded read, so the report shows where it stands.
    if (remedy.state === 'skipped') return { verdict, order };
    const last = await reads.readFinalState(0, AbortSignal.timeout(CANCEL_READ_MS));
    return { verdict, order: last.order ?? order };
  }
  if (remedy.state === 'applied') {
    const settleMs = ctx.options.remedySettleMs ?? REMEDY_SETTLE_MS;
    const { clock } = ctx.options;
    const abortedAt = clock.now();
    const after = await reads.readFinalState(settleMs);
    const last = after.order ?? order;
    if (after.kind !== 'settled') {
      // The real time waited, not the budget: a cancelled run stops this wait after seconds.
      const waited = formatDuration(clock.now() - abortedAt);
      const note = `The change order had not reached a final status ${waited} after the abort${after.kind === 'cancelled' ? ' (the run was cancelled while waiting)' : ''}${last ? ` (last seen: status ${last.status})` : ''}; check it in the console.`;
      log.warning(note);
      notes.push(note);
    }
    return { verdict, order: last };
  }
  if (remedy.state === 'already-settled' && remedy.order) {
    // The abort answered "not running" and the remedy's read shows a final status: report what that read shows.
    const settled = decide({ kind: 'settled', order: remedy.order }, settings);
    return {
      verdict: { ...settled, reason: `${settled.reason} (It settled by itself just before the action could stop it.)` },
      order: remedy.order,
    };
  }
  return { verdict, order: remedy.order ?? order };
}

/** Reads the failed batch's detail (SAE DescribePipeline) to say which stage and task failed, best-effort. */
async function explainFailure(
  service: ChangeOrderService,
  batch: Batch,
  order: ChangeOrder,
  log: Log,
  signal: AbortSignal | undefined,
): Promise<BatchFailure[] | undefined> {
  if (!service.describeBatchFailure) return undefined;
  try {
    // Best-effort: bounded on its own, and cut short by a cancelled run (the report must be written first).
    const bound = AbortSignal.timeout(signal?.aborted ? CANCEL_READ_MS : EXPLAIN_MS);
    const failures = await raceSignal(
      service.describeBatchFailure(batch.id),
      signal?.aborted ? bound : signal ? AbortSignal.any([signal, bound]) : bound,
    );
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
  // The reason the release failed comes first: what the order says after an abort must not replace it.
  const original =
    end.order?.errorMessage ??
    (task ? `${task.stage}${task.task ? ` / ${task.task}` : ''}: ${task.message}` : undefined);
  const afterRemedy = order?.errorMessage !== original ? order?.errorMessage : undefined;
  const parts = [
    original,
    afterRemedy,
    end.kind === 'api-error' ? end.error.explained : undefined,
    remedy?.state === 'failed' ? remedy.detail : undefined,
  ].filter((p): p is string => !!p);
  return parts.length ? parts.join(' — ') : verdict.reason;
}
