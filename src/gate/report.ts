import type { BakeRecord } from './batches.js';
import type { BatchFailure, ChangeOrder } from '../products/change-order.js';
import type { RemedyOutcome } from './remedy.js';
import type { RollbackOutcome } from './rollback.js';
import type { Verification } from './verify.js';
import type { Result } from './verdict.js';

/** Everything the run found and did: the single input of the summary, the outputs and the step's verdict. */
export interface Report {
  readonly product: string;
  readonly changeOrderId: string;
  readonly regionId?: string;
  readonly consoleUrl: string;
  readonly result: Result;
  /** Whether the step passes (succeeded, or a pause the inputs accept); the same word as Verdict.passes. */
  readonly passes: boolean;
  /** What happened, in one or two sentences. */
  readonly reason: string;
  /** The last state read from the API, if any read succeeded. */
  readonly order?: ChangeOrder;
  /** Set when a remedy was called for (even if it was `none` or failed). */
  readonly remedy?: RemedyOutcome;
  readonly errorMessage?: string;
  /** Name of the batch where the release failed (taken when the failure was seen, before any abort changed it). */
  readonly failedBatch?: string;
  readonly startedAt: number;
  readonly endedAt: number;
  /** Name of the batch that waits for a person, when the gate stopped at a pause. */
  readonly waitingBatch?: string;
  /** Bake periods between batches (confirm mode), by the index of the batch that baked. */
  readonly bakes?: readonly BakeRecord[];
  /** Why the failed batch failed, from the product's batch detail. */
  readonly batchFailures?: readonly BatchFailure[];
  /** Warnings worth repeating in the summary. */
  readonly notes: readonly string[];
  /** What the gate checked on the app after the order succeeded, and the bake after the last batch. */
  readonly verification?: Verification;
  /** The rollback of a release that failed after its order finished. */
  readonly rollback?: RollbackOutcome;
  /** This step started the release (deploy mode: DeployApplication returned, or was found to have made, the order). */
  readonly deployed?: boolean;
  /** What this step deployed, for the summary, e.g. "image registry…/shop:1.4.2". */
  readonly deployedWhat?: string;
}

/** Where a run that never reached a verdict stood: enough to fill the outputs and the summary. */
export interface RunContext {
  readonly product: string;
  readonly changeOrderId?: string;
  readonly regionId?: string;
  readonly startedAt: number;
  readonly endedAt: number;
}

/** The report of a run that ended in an error outside the watch (no usable read, no remedy): the step fails. */
export function errorReport(run: RunContext, reason: string): Report {
  return {
    product: run.product,
    changeOrderId: run.changeOrderId ?? '',
    regionId: run.regionId,
    consoleUrl: '',
    result: 'error',
    passes: false,
    reason,
    errorMessage: reason,
    startedAt: run.startedAt,
    endedAt: run.endedAt,
    notes: [],
  };
}
