import { ApiError, fromPopCoreError } from '../alicloud/api-error.js';
import { graceAfter, raceSignal } from '../time/cancel.js';
import { orderPhase, waitingBatch, type ChangeOrder, type ChangeOrderService } from '../products/change-order.js';
import { formatDuration } from '../time/duration.js';
import type { Remedy } from '../inputs/settings.js';
import type { Log } from '../runner/log.js';
import { NOT_FOUND, NOT_RUNNING } from '../products/adapter.js';
import { isSettled, statusInfo } from '../products/status.js';
import { withRetry, type RetryPolicy } from '../alicloud/retry.js';

export interface RemedyOutcome {
  /** What the verdict called for. */
  readonly requested: Remedy;
  /** What the action actually did to the release: `none` unless the API accepted the request. */
  readonly applied: Remedy;
  readonly state: 'not-needed' | 'skipped' | 'applied' | 'already-settled' | 'failed';
  /** One sentence for the log and the summary. */
  readonly detail: string;
  readonly error?: ApiError;
  /** The last read of the order, when the remedy read it to know where the release stands (after a "not running"). */
  readonly order?: ChangeOrder;
}

/** Another change on the app is mid-flight; worth waiting for when writing (docs/api-notes.md#errors-and-retries). */
const BUSY = new Set(['Application.ChangerOrderRunning', 'Application.InvalidStatus']);

export interface RemedyOptions {
  readonly service: ChangeOrderService;
  readonly changeOrderId: string;
  readonly remedy: Remedy;
  /** Which input asked for it (for the sentence), e.g. "on-failure". */
  readonly input?: string;
  readonly retry: RetryPolicy;
  readonly log: Log;
  /** Give up (state `failed`) if the API has not accepted the request within this many ms, retries included. */
  readonly deadlineMs: number;
  /**
   * The run's signal. A remedy already in flight when the run is cancelled goes on (stopping the release is what a
   * cancelled run wants), but only for `cancelGraceMs` more, so outputs and the summary are written before the runner
   * kills the process.
   */
  readonly signal?: AbortSignal;
  /** How long a remedy may go on once `signal` fired (default CANCEL_GRACE_MS). */
  readonly cancelGraceMs?: number;
}

/** See RemedyOptions.cancelGraceMs: SIGINT, then SIGTERM 7.5 s later, then a kill at 10 s. */
export const CANCEL_GRACE_MS = 4500;

/**
 * Stops the release as asked. Retried on transient errors (a repeated abort is harmless: it answers "not running").
 * Callers run it at most once per run (see Gate), and never for a settled release.
 */
export async function applyRemedy(options: RemedyOptions): Promise<RemedyOutcome> {
  const { service, changeOrderId, remedy, log } = options;
  const by = options.input ? ` (${options.input})` : '';
  if (remedy === 'none') {
    return {
      requested: 'none',
      applied: 'none',
      state: 'skipped',
      detail: `Left the release as it is${options.input ? `: ${options.input} is none` : ''}.`,
    };
  }
  const rollback = remedy === 'abort-and-rollback';
  const words = rollback ? 'abort and roll back' : 'abort';
  log.info(`Asking ${service.product} to ${words} change order ${changeOrderId}${by}`);
  const grace = graceAfter(options.signal, options.cancelGraceMs ?? CANCEL_GRACE_MS);
  const deadline = grace
    ? AbortSignal.any([AbortSignal.timeout(options.deadlineMs), grace])
    : AbortSignal.timeout(options.deadlineMs);
  const abort = (withRollback: boolean) =>
    withRetry('AbortChangeOrder', () => raceSignal(service.abort(changeOrderId, withRollback), deadline), {
      policy: options.retry,
      signal: deadline,
      maxRetryTimeMs: options.deadlineMs,
      alsoRetry: (e) => BUSY.has(e.code),
      onRetry: (e, attempt, delayMs) =>
        log.info(`Abort attempt ${attempt} failed (${e.message}); retrying in ${delayMs} ms`),
    });
  const failure = (err: unknown): ApiError =>
    isTimeout(err)
      ? new ApiError(
          'AbortChangeOrder',
          'RemedyTimeout',
          grace?.aborted
            ? `the run was cancelled and no answer came within ${formatDuration(options.cancelGraceMs ?? CANCEL_GRACE_MS)} more`
            : `no answer within ${formatDuration(options.deadlineMs)}`,
          'timeout',
        )
      : fromPopCoreError('AbortChangeOrder', err);
  let error: ApiError;
  try {
    await abort(rollback);
    return {
      requested: remedy,
      applied: remedy,
      state: 'applied',
      detail: rollback
        ? `Aborted the change order and asked ${service.product} to roll it back${by}.`
        : `Aborted the change order${by}.`,
    };
  } catch (err) {
    error = failure(err);
  }
  if (rollback && rollbackRefused(error)) {
    // EDAS rolls back only deploy orders of apps on Kubernetes clusters; SAE may refuse it too. The release must not
    // go on because the rollback flavour was refused: stop it plainly, at once.
    log.warning(
      `${service.product} refused to abort and roll back change order ${changeOrderId} (${error.message}); aborting it without a rollback instead.`,
    );
    try {
      await abort(false);
      return {
        requested: remedy,
        applied: 'abort',
        state: 'applied',
        detail: `${service.product} refused to roll back (${error.code}), so the action aborted the change order without a rollback${by}: roll the app back in the console if it needs it.`,
      };
    } catch (err) {
      error = failure(err);
    }
  }
  // "Not running" is only the API's word: the order may be waiting for a person and refuse an abort in that state.
  if (error.code === NOT_RUNNING) return afterNotRunning(options, words, deadline);
  return {
    requested: remedy,
    applied: 'none',
    state: 'failed',
    error,
    detail: `Failed to ${words} change order ${changeOrderId}: ${error.explained}. The release may still be running: stop it in the console.`,
  };
}

/** A clear refusal of the rollback flavour itself, as opposed to "not running", "not found" or "busy". */
function rollbackRefused(error: ApiError): boolean {
  return error.kind === 'rejected' && error.code !== NOT_RUNNING && error.code !== NOT_FOUND && !BUSY.has(error.code);
}

/**
 * After an abort answered "not running": read the order, and claim only what the read shows. An order that waits
 * for a manual batch is stopped the documented way (Confirm=false), then read again. Only a read that shows a final
 * status gives `already-settled`; anything else is `failed`, so the post step stays armed.
 */
async function afterNotRunning(options: RemedyOptions, words: string, deadline: AbortSignal): Promise<RemedyOutcome> {
  const { service, changeOrderId: id, remedy, log } = options;
  const product = service.product;
  const failed = (detail: string, order?: ChangeOrder): RemedyOutcome => ({
    requested: remedy,
    applied: 'none',
    state: 'failed',
    detail,
    ...(order ? { order } : {}),
  });
  const read = () =>
    withRetry(`${product} DescribeChangeOrder`, () => raceSignal(service.describe(id), deadline), {
      policy: options.retry,
      signal: deadline,
      maxRetryTimeMs: options.deadlineMs,
    });
  let order: ChangeOrder;
  try {
    order = await read();
  } catch (err) {
    return failed(
      `Did not ${words}: ${product} says change order ${id} is not running, but it could not be read to confirm (${failureText(err)}). Check it in the console.`,
    );
  }
  const phase = orderPhase(order);
  const text = statusInfo(order.status).text;
  if (phase !== 'stuck' && isSettled(phase))
    return {
      requested: remedy,
      applied: 'none',
      state: 'already-settled',
      order,
      detail: `Did not ${words}: ${product} says the change order is not running, and a read shows it ${text}.`,
    };
  const batch = phase === 'waiting-batch' ? waitingBatch(order) : undefined;
  if (!batch || !service.stopAtBatch)
    return failed(
      `${product} refused to ${words} change order ${id} as not running, but a read shows it ${text}: it was not stopped. Stop it in the console.`,
      order,
    );
  const label = `batch ${order.batches.indexOf(batch) + 1}/${order.batches.length} "${batch.name}"`;
  log.info(
    `${product} would not ${words} change order ${id} while it waits at ${label}; stopping it there instead (confirm the batch with Confirm=false).`,
  );
  try {
    // A GET that changes state: sent once, never retried.
    await raceSignal(service.stopAtBatch(batch.id), deadline);
  } catch (err) {
    return failed(
      `${product} would not ${words} change order ${id} while it waits at ${label}, and refused to stop it there (${failureText(err)}). Stop it in the console.`,
      order,
    );
  }
  const after = await read().catch(() => undefined);
  return {
    requested: remedy,
    applied: 'abort',
    state: 'applied',
    ...(after ? { order: after } : { order }),
    detail: `${product} would not ${words} change order ${id} while it waited at ${label}, so the action stopped it there (Confirm=false)${after ? `; a read shows it ${statusInfo(after.status).text}` : ''}.`,
  };
}

function failureText(err: unknown): string {
  return isTimeout(err) ? 'no answer in time' : fromPopCoreError('DescribeChangeOrder', err).message;
}

function isTimeout(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'TimeoutError';
}
