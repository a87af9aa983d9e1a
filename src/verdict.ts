import { failedBatch, type ChangeOrder } from './change-order.js';
import { formatDuration } from './duration.js';
import type { Remedy } from './inputs.js';
import { statusInfo } from './status.js';
import type { WatchEnd } from './watch.js';

/** The gate's answer. The step passes only on `succeeded`. */
export type Result = 'succeeded' | 'failed' | 'aborted' | 'timed-out' | 'error' | 'cancelled';

export interface Verdict {
  readonly result: Result;
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
      if (info.phase === 'succeeded') return { result: 'succeeded', remedy: 'none', reason: 'The change order succeeded.' };
      if (info.phase === 'aborted') return { result: 'aborted', remedy: 'none', reason: `The change order was aborted (status ${info.code}) by someone or something other than this action.` };
      const batch = describeFailedBatch(end.order);
      return {
        result: 'failed',
        remedy: 'none',
        reason: `The change order ${info.text} (status ${info.code})${batch ? `: ${batch}` : ''}. A finished change order cannot be stopped, so nothing was done to it.`,
      };
    }
    case 'stuck': {
      const batch = describeFailedBatch(end.order);
      return withRemedy(end.order, policy.onFailure, 'on-failure', {
        result: 'failed',
        reason: `The release hit an error and cannot finish on its own (status ${end.order.status}, SubStatus ${end.order.subStatus})${batch ? `: ${batch}` : ''}.`,
      });
    }
    case 'timeout': {
      const state = end.order ? `still ${statusInfo(end.order.status).text}` : 'never read successfully';
      return withRemedy(end.order, policy.onTimeout, 'on-timeout', {
        result: 'timed-out',
        reason: `The change order was ${state} when the timeout of ${formatDuration(policy.timeoutMs)} ran out.`,
      });
    }
    case 'api-error': {
      if (!end.exhausted) {
        return { result: 'error', remedy: 'none', reason: `The change order could not be read: ${end.error.message}${end.error.hint ? ` (${end.error.hint})` : ''}.` };
      }
      return withRemedy(end.order, policy.onTimeout, 'on-timeout', {
        result: 'error',
        reason: `Reading the change order failed too many times in a row; the last error: ${end.error.message}.`,
      });
    }
    case 'cancelled':
      return withRemedy(end.order, policy.onCancel ?? 'none', 'on-cancel', { result: 'cancelled', reason: 'The workflow run was cancelled while the change order was still running.' });
  }
}

function withRemedy(order: ChangeOrder | undefined, wanted: Remedy, input: Verdict['remedyInput'], base: Pick<Verdict, 'result' | 'reason'>): Verdict {
  if (wanted === 'abort-and-rollback' && order?.supportRollback === false) {
    return { ...base, remedy: 'abort', remedyInput: input, warning: `${input} asks for abort-and-rollback, but this change order does not support rollback: aborting it without rollback.` };
  }
  return { ...base, remedy: wanted, remedyInput: input };
}

function describeFailedBatch(order: ChangeOrder): string | undefined {
  const batch = failedBatch(order);
  const index = batch ? order.batches.indexOf(batch) : -1;
  const where = batch ? `batch ${index + 1}/${order.batches.length} "${batch.name}" ${statusInfo(batch.status).phase === 'failed' ? 'failed' : 'hit an error'}` : undefined;
  const why = order.errorMessage;
  if (where && why) return `${where}: ${why}`;
  return where ?? why;
}
