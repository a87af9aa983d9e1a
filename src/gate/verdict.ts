import { failedBatch, type ChangeOrder } from '../products/change-order.js';
import { formatDuration } from '../time/duration.js';
import type { Remedy } from '../inputs/settings.js';
import { statusInfo } from '../products/status.js';
import type { WatchEnd } from './watch.js';

/** The gate's answer. The step passes only on `succeeded`. */
export type Result =
  | 'succeeded'
  | 'failed'
  | 'aborted'
  | 'timed-out'
  | 'error'
  | 'cancelled'
  | 'paused'
  /** The order succeeded, but a newer change order replaced it on the app (verify). */
  | 'superseded';

/** Said of a failed order that settled; the rollback step (rollback.ts) replaces it when it puts the app back. */
export const FINISHED_NOTE = ' A finished change order cannot be stopped, so nothing was done to it.';

export interface Verdict {
  readonly result: Result;
  /** Whether the step passes: only on `succeeded`, or `paused` when on-manual-batch / on-approval is `succeed`. */
  readonly passes: boolean;
  /** What to do about it (after the SupportRollback check). */
  readonly remedy: Remedy;
  /** Which input chose the remedy, for the log ("on-failure"), or undefined when none was called for. */
  readonly remedyInput?: 'on-failure' | 'on-timeout' | 'on-cancel';
  /** One sentence: what happened. */
  readonly reason: string;
  /** Said as a warning when set (e.g. rollback asked for but not supported). */
  readonly warning?: string;
}

export interface RemedyPolicy {
  readonly onFailure: Remedy;
  readonly onTimeout: Remedy;
  readonly onCancel?: Remedy;
  readonly timeoutMs: number;
}

/**
 * Decides the result and the remedy from how the watch ended. Pure: the full table is tested in verdict.test.ts.
 * Only a release that can still be stopped gets a remedy; a settled one (succeeded, failed, aborted) never does.
 */
export function decide(end: WatchEnd, policy: RemedyPolicy): Verdict {
  switch (end.kind) {
    case 'settled': {
      const info = statusInfo(end.order.status);
      if (info.phase === 'succeeded') {
        const contradiction = contradictingBatch(end.order);
        if (contradiction) return contradiction;
        return { result: 'succeeded', passes: true, remedy: 'none', reason: 'The change order succeeded.' };
      }
      if (info.phase === 'aborted')
        return {
          result: 'aborted',
          passes: false,
          remedy: 'none',
          reason: `The change order was aborted (status ${info.code}) by someone or something other than this action.`,
        };
      const batch = describeFailedBatch(end.order);
      return {
        result: 'failed',
        passes: false,
        remedy: 'none',
        reason: `The change order ${info.text} (status ${info.code})${batch ? `: ${batch}` : ''}.${FINISHED_NOTE}`,
      };
    }
    case 'stuck': {
      const batch = describeFailedBatch(end.order);
      return withRemedy(end.order, policy.onFailure, 'on-failure', {
        result: 'failed',
        passes: false,
        reason: `The release hit an error and cannot finish on its own (status ${end.order.status}, SubStatus ${end.order.subStatus})${batch ? `: ${batch}` : ''}.`,
      });
    }
    case 'timeout': {
      const state = end.order ? `still ${statusInfo(end.order.status).text}` : 'never read successfully';
      return withRemedy(end.order, policy.onTimeout, 'on-timeout', {
        result: 'timed-out',
        passes: false,
        reason: `The change order was ${state} when the timeout of ${formatDuration(policy.timeoutMs)} ran out.`,
      });
    }
    case 'api-error': {
      if (!end.exhausted) {
        return {
          result: 'error',
          passes: false,
          remedy: 'none',
          reason: `The change order could not be read: ${end.error.explained}.`,
        };
      }
      return withRemedy(end.order, policy.onTimeout, 'on-timeout', {
        result: 'error',
        passes: false,
        reason: `Reading the change order failed too many times in a row; the last error: ${end.error.message}.`,
      });
    }
    case 'cancelled':
      return withRemedy(end.order, policy.onCancel ?? 'none', 'on-cancel', {
        result: 'cancelled',
        passes: false,
        reason: 'The workflow run was cancelled while the change order was still running.',
      });
    case 'paused': {
      const index = end.batch ? end.order.batches.indexOf(end.batch) : -1;
      const what =
        end.waiting === 'approval'
          ? 'approval'
          : `a person to confirm ${index >= 0 ? `batch ${index + 1}/${end.order.batches.length} "${end.batch!.name}"` : 'the next batch'}`;
      const input = end.waiting === 'approval' ? 'on-approval' : 'on-manual-batch';
      return {
        result: 'paused',
        passes: end.passes,
        remedy: 'none',
        reason: `The change order waits for ${what}; ${input} is ${end.passes ? 'succeed, so the gate passes and leaves the rest to a person or a later job' : 'fail'}.`,
      };
    }
    case 'unhealthy': {
      const p = end.probe;
      const after =
        end.afterBatch !== undefined ? ` after batch ${end.afterBatch + 1}/${end.order.batches.length}` : '';
      return withRemedy(end.order, policy.onFailure, 'on-failure', {
        result: 'failed',
        passes: false,
        reason: `Health check ${p.url} failed${after}: ${p.error ?? 'unhealthy'} at ${new Date(p.at).toISOString()}.`,
      });
    }
  }
}

/**
 * A success whose own batches contradict it (a batch failed or was aborted) is not a success: the order cannot be
 * stopped any more, so the verdict is `failed` with no remedy, and the reason names the batch (README "Answers the gate
 * does not take on faith").
 */
function contradictingBatch(order: ChangeOrder): Verdict | undefined {
  const index = order.batches.findIndex((b) => {
    const phase = statusInfo(b.status).phase;
    return phase === 'failed' || phase === 'aborted';
  });
  const batch = order.batches[index];
  if (index < 0 || batch === undefined) return undefined;
  return {
    result: 'failed',
    passes: false,
    remedy: 'none',
    reason: `The change order says it succeeded (status ${order.status}), but batch ${index + 1}/${order.batches.length} "${batch.name}" says ${statusInfo(batch.status).text} (status ${batch.status}): a success its own batches contradict is not a success.${FINISHED_NOTE}`,
    warning: `Change order ${order.id} reports success while batch ${index + 1}/${order.batches.length} reports ${statusInfo(batch.status).text}: the gate does not pass it.`,
  };
}

function withRemedy(
  order: ChangeOrder | undefined,
  wanted: Remedy,
  input: Verdict['remedyInput'],
  base: Pick<Verdict, 'result' | 'reason' | 'passes'>,
): Verdict {
  if (wanted === 'abort-and-rollback' && order?.supportRollback === false) {
    return {
      ...base,
      remedy: 'abort',
      remedyInput: input,
      warning: `${input} asks for abort-and-rollback, but this change order does not support rollback: aborting it without rollback.`,
    };
  }
  return { ...base, remedy: wanted, remedyInput: input };
}

function describeFailedBatch(order: ChangeOrder): string | undefined {
  const batch = failedBatch(order);
  const index = batch ? order.batches.indexOf(batch) : -1;
  const where = batch
    ? `batch ${index + 1}/${order.batches.length} "${batch.name}" ${statusInfo(batch.status).phase === 'failed' ? 'failed' : 'hit an error'}`
    : undefined;
  const why = order.errorMessage;
  if (where && why) return `${where}: ${why}`;
  return where ?? why;
}
