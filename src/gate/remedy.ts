import { ApiError, fromPopCoreError } from '../alicloud/api-error.js';
import { raceSignal } from '../time/cancel.js';
import type { ChangeOrderService } from '../products/change-order.js';
import { formatDuration } from '../time/duration.js';
import type { Remedy } from '../inputs/settings.js';
import type { Log } from '../runner/log.js';
import { NOT_RUNNING } from '../products/adapter.js';
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
}

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
  try {
    const deadline = AbortSignal.timeout(options.deadlineMs);
    await withRetry('AbortChangeOrder', () => raceSignal(service.abort(changeOrderId, rollback), deadline), {
      policy: options.retry,
      signal: deadline,
      maxRetryTimeMs: options.deadlineMs,
      alsoRetry: (e) => BUSY.has(e.code),
      onRetry: (e, attempt, delayMs) =>
        log.info(`Abort attempt ${attempt} failed (${e.message}); retrying in ${delayMs} ms`),
    });
  } catch (err) {
    const error = isTimeout(err)
      ? new ApiError(
          'AbortChangeOrder',
          'RemedyTimeout',
          `no answer within ${formatDuration(options.deadlineMs)}`,
          'timeout',
        )
      : fromPopCoreError('AbortChangeOrder', err);
    // An already-finished order answers abort with this (docs/api-notes.md#sae-change-orders): not an error, it
    // settled by itself.
    if (error.code === NOT_RUNNING) {
      return {
        requested: remedy,
        applied: 'none',
        state: 'already-settled',
        detail: `Did not ${words}: ${service.product} says the change order is no longer running, so it settled by itself.`,
      };
    }
    return {
      requested: remedy,
      applied: 'none',
      state: 'failed',
      error,
      detail: `Failed to ${words} change order ${changeOrderId}: ${error.explained}. The release may still be running: stop it in the console.`,
    };
  }
  return {
    requested: remedy,
    applied: remedy,
    state: 'applied',
    detail: rollback
      ? `Aborted the change order and asked ${service.product} to roll it back${by}.`
      : `Aborted the change order${by}.`,
  };
}

function isTimeout(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'TimeoutError';
}
