import { setTimeout as delay } from 'node:timers/promises';
import pRetry from 'p-retry';
import { ApiError, fromPopCoreError } from './api-error.js';

/** How one API call is retried. */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  readonly retries: number;
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
}

/**
 * The backoff follows the poll interval: a quarter of it to start (0.1 s to 2 s), doubling with jitter up to three
 * times it (1 s to 60 s). A 10 s poll retries after ~2 s, 4 s, 8 s, 16 s (before jitter); a 1 s poll (tests) after 0.25 s...
 */
export function retryPolicyFor(pollIntervalMs: number): RetryPolicy {
  return {
    retries: 4,
    minDelayMs: clamp(pollIntervalMs / 4, 100, 2000),
    maxDelayMs: clamp(pollIntervalMs * 3, 1000, 60_000),
  };
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, Math.round(v)));
}

export interface RetryOptions {
  readonly policy: RetryPolicy;
  /** Stop retrying (and reject with its reason) when aborted. */
  readonly signal?: AbortSignal;
  /** Retrying must end within this many ms (the gate's deadline). */
  readonly maxRetryTimeMs?: number;
  /** Also retry these codes (e.g. "Application.ChangerOrderRunning" for write calls). */
  readonly alsoRetry?: (error: ApiError) => boolean;
  /** Told about each failed attempt that will be retried. */
  readonly onRetry?: (error: ApiError, attempt: number, delayMs: number) => void;
}

/** Runs an API call with jittered exponential backoff on transient errors; other errors end it at once. Throws ApiError. */
export async function withRetry<T>(operation: string, call: () => Promise<T>, options: RetryOptions): Promise<T> {
  const retryable = (e: ApiError): boolean => e.transient || (options.alsoRetry?.(e) ?? false);
  try {
    return await pRetry(call, {
      retries: options.policy.retries,
      minTimeout: options.policy.minDelayMs,
      maxTimeout: options.policy.maxDelayMs,
      randomize: true,
      signal: options.signal,
      maxRetryTime: options.maxRetryTimeMs,
      // p-retry asks shouldRetry only once it knows a retry can follow (time and retries left, not a bug's
      // TypeError), so announcing here never says "retrying" for an attempt that is the last.
      shouldRetry: async ({ error, attemptNumber, retryDelay }) => {
        const apiError = fromPopCoreError(operation, error);
        if (!retryable(apiError)) return false;
        // Retry-After is honoured, but bounded by the policy's longest delay: a server cannot park the gate.
        const extra = Math.min(apiError.retryAfterMs ?? 0, options.policy.maxDelayMs) - retryDelay;
        options.onRetry?.(apiError, attemptNumber, retryDelay + Math.max(0, extra));
        if (extra > 0) await delay(extra, undefined, { signal: options.signal });
        return true;
      },
    });
  } catch (err) {
    if (options.signal?.aborted) throw err;
    throw fromPopCoreError(operation, err);
  }
}
