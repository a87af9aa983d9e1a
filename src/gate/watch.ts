import { ApiError, fromPopCoreError } from '../alicloud/api-error.js';
import { raceSignal } from '../time/cancel.js';
import type { Batch, ChangeOrder, ChangeOrderService } from '../products/change-order.js';
import { orderPhase } from '../products/change-order.js';
import type { Clock } from '../time/clock.js';
import type { ProbeResult } from './health.js';
import type { Log } from '../runner/log.js';
import { NOT_FOUND } from '../products/adapter.js';
import type { ProgressLog } from './progress.js';
import { withRetry, type RetryPolicy } from '../alicloud/retry.js';
import { isSettled } from '../products/status.js';

/** How a watch ended. The verdict is decided from this alone. */
export type WatchEnd =
  /** The change order reached a final status (succeeded, failed or aborted). */
  | { readonly kind: 'settled'; readonly order: ChangeOrder }
  /** Still "running" but SubStatus says it hit an error and cannot finish. */
  | { readonly kind: 'stuck'; readonly order: ChangeOrder }
  /** The deadline passed first. */
  | { readonly kind: 'timeout'; readonly order?: ChangeOrder }
  /** Status reads failed: a refusal (exhausted=false), or max-api-errors transient failures in a row (exhausted=true). */
  | { readonly kind: 'api-error'; readonly error: ApiError; readonly exhausted: boolean; readonly order?: ChangeOrder }
  /** The run was cancelled (the signal fired). */
  | { readonly kind: 'cancelled'; readonly order?: ChangeOrder }
  /** It waits for a person (manual batch or approval) and on-manual-batch / on-approval says to stop watching. */
  | {
      readonly kind: 'paused';
      readonly order: ChangeOrder;
      readonly waiting: 'batch' | 'approval';
      readonly batch?: Batch;
      readonly passes: boolean;
    }
  /** A health check failed between batches (confirm mode). `afterBatch` is the index of the batch that was baking. */
  | {
      readonly kind: 'unhealthy';
      readonly order: ChangeOrder;
      readonly probe: ProbeResult;
      readonly afterBatch?: number;
    };

export interface WatchOptions {
  readonly service: ChangeOrderService;
  readonly changeOrderId: string;
  readonly clock: Clock;
  readonly timeoutMs: number;
  readonly pollIntervalMs: number;
  readonly maxApiErrors: number;
  readonly retry: RetryPolicy;
  readonly log: Log;
  readonly progress?: ProgressLog;
  readonly signal?: AbortSignal;
  /** End at "stuck" (the normal watch), or keep waiting for a final status (after a remedy). */
  readonly stopWhenStuck?: boolean;
  /** Vets each read; an error it returns ends the watch as a refusal (e.g. the order belongs to another app). */
  readonly rejectIf?: (order: ChangeOrder) => ApiError | undefined | Promise<ApiError | undefined>;
  /** Batch gating: consulted after each read of an order that is still going; a WatchEnd it returns ends the watch. */
  readonly gateBatches?: (order: ChangeOrder) => Promise<WatchEnd | undefined>;
  /** How long a just-created order may still be "not found" (docs/api-notes.md#what-no-document-says). */
  readonly notFoundGraceMs?: number;
}

export const NOT_FOUND_GRACE_MS = 30_000;

/**
 * Polls the change order until it settles, gets stuck, the deadline passes, reads keep failing, or the signal fires.
 * The read at the deadline is the last one, so an order that finished just in time is not treated as late.
 */
export async function watch(options: WatchOptions): Promise<WatchEnd> {
  const { service, changeOrderId, clock, signal, log } = options;
  const start = clock.now();
  const deadline = start + options.timeoutMs;
  const grace = options.notFoundGraceMs ?? NOT_FOUND_GRACE_MS;
  const stopWhenStuck = options.stopWhenStuck ?? true;
  let last: ChangeOrder | undefined;
  let failedReads = 0;

  for (;;) {
    if (signal?.aborted) return { kind: 'cancelled', order: last };
    try {
      const order = await withRetry(
        `${service.product} DescribeChangeOrder`,
        () => raceSignal(service.describe(changeOrderId), signal),
        {
          policy: options.retry,
          signal,
          maxRetryTimeMs: Math.max(0, deadline - clock.now()),
          onRetry: (e, attempt, delayMs) =>
            log.debug(`Read ${attempt} failed (${e.message}); retrying in ${delayMs} ms`),
        },
      );
      const refusal = await options.rejectIf?.(order);
      if (refusal) return { kind: 'api-error', error: refusal, exhausted: false, order: last };
      failedReads = 0;
      last = order;
      options.progress?.observe(order, clock.now());
      const phase = orderPhase(order);
      if (phase !== 'stuck' && isSettled(phase)) return { kind: 'settled', order };
      if (phase === 'stuck' && stopWhenStuck) return { kind: 'stuck', order };
      if (phase !== 'stuck' && options.gateBatches) {
        const ended = await options.gateBatches(order);
        if (ended) return ended;
      }
    } catch (err) {
      if (signal?.aborted) return { kind: 'cancelled', order: last };
      const error = fromPopCoreError(`${service.product} DescribeChangeOrder`, err);
      const elapsed = clock.now() - start;
      const young = error.code === NOT_FOUND && !last && elapsed < grace;
      if (!error.transient && !young) return { kind: 'api-error', error, exhausted: false, order: last };
      if (!young) failedReads += 1;
      const note = young
        ? `A new change order can take a moment to appear; retrying for up to ${Math.ceil((grace - elapsed) / 1000)}s more`
        : undefined;
      options.progress?.readFailed(error, failedReads, options.maxApiErrors, clock.now(), note);
      if (failedReads >= options.maxApiErrors) return { kind: 'api-error', error, exhausted: true, order: last };
    }
    const now = clock.now();
    options.progress?.tick(now);
    if (now >= deadline) return { kind: 'timeout', order: last };
    try {
      await clock.sleep(Math.min(options.pollIntervalMs, deadline - now), signal);
    } catch {
      return { kind: 'cancelled', order: last };
    }
  }
}
