import { hasSucceeded, isRunning, isSettled, statusInfo, SUB_STATUS_ERROR, type Phase } from './status.js';

/** One release batch (an SAE "pipeline"). */
export interface Batch {
  readonly id: string;
  readonly name: string;
  readonly status: number;
  /** ms epoch, when the batch started, if the API says. */
  readonly startTime?: number;
  /** ms epoch of the batch's last change; the end time once it has settled. */
  readonly updateTime?: number;
}

/** A change order as the gate sees it, whatever product it came from. */
export interface ChangeOrder {
  readonly id: string;
  readonly appId?: string;
  readonly appName?: string;
  readonly status: number;
  readonly subStatus: number;
  /** Human-readable type, e.g. "Deploy Application". */
  readonly type?: string;
  /** Machine code, e.g. "CoDeploy". */
  readonly typeCode?: string;
  readonly description?: string;
  readonly createTime?: string;
  readonly createdBy?: string;
  readonly batchType?: string;
  readonly supportRollback?: boolean;
  readonly errorMessage?: string;
  readonly currentBatchId?: string;
  readonly batches: readonly Batch[];
  /** The order exactly as the API returned it, for the `change-order` output. */
  readonly raw: unknown;
}

/** One entry of a product's change-order list (enough to choose which order to gate). */
export interface ChangeOrderSummary {
  readonly id: string;
  readonly appId?: string;
  readonly status: number;
  readonly type?: string;
  readonly typeCode?: string;
  /** "YYYY-MM-DD HH:mm:ss" as the API gives it. */
  readonly createTime?: string;
  readonly description?: string;
  /** Who created it (CreateUserId, else UserId): the only place SAE names a creator. */
  readonly createdBy?: string;
}

/** Why a batch failed, from the product's batch detail (SAE DescribePipeline): the failed stages and tasks. */
export interface BatchFailure {
  readonly stage: string;
  readonly task?: string;
  readonly message?: string;
  readonly code?: string;
}

/** A change-order service: one adapter per product (SAE, EDAS) implements it. */
export interface ChangeOrderService {
  /** Product name for messages, e.g. "SAE". */
  readonly product: string;
  /** Reads a change order. Throws ApiError. */
  describe(changeOrderId: string): Promise<ChangeOrder>;
  /** Stops a running change order, rolling it back when asked. Throws ApiError. */
  abort(changeOrderId: string, rollback: boolean): Promise<void>;
  /** Where a person can see the change order. */
  consoleUrl(changeOrderId: string): string;
  /**
   * Releases the next batch of an order waiting for manual confirmation. Not idempotent (it is a GET that changes
   * state): callers send it once per batch and re-read the order before any retry. Throws ApiError.
   */
  confirmBatch(batchId: string): Promise<void>;
  /**
   * Ends an order that waits for a manual batch confirmation instead of releasing the batch (Confirm=false: "terminate
   * the process"): the documented way to stop an order that does not accept an abort while it waits. Throws ApiError.
   */
  stopAtBatch?(batchId: string): Promise<void>;
  /** The failed stages and tasks of a batch, where the product can tell. Throws ApiError. */
  describeBatchFailure?(batchId: string): Promise<BatchFailure[]>;
  /** The app's change orders (all pages), optionally only those of one type (e.g. "CoDeploy"). Throws ApiError. */
  list(appId: string, filter: { readonly type?: string }): Promise<ChangeOrderSummary[]>;
}

/** The phase of a whole change order, with "stuck" for a running order whose SubStatus reports an error. */
export type OrderPhase = Phase | 'stuck';

export function orderPhase(order: ChangeOrder): OrderPhase {
  const { phase } = statusInfo(order.status);
  if (!isSettled(phase) && order.subStatus === SUB_STATUS_ERROR) return 'stuck';
  return phase;
}

export function batchesSucceeded(order: ChangeOrder): number {
  return order.batches.filter((b) => hasSucceeded(b.status)).length;
}

/** The batch that waits for confirmation: the one whose status says so, else the current one. */
export function waitingBatch(order: ChangeOrder): Batch | undefined {
  return (
    order.batches.find((b) => statusInfo(b.status).phase === 'waiting-batch') ??
    order.batches.find((b) => b.id === order.currentBatchId)
  );
}

/** The batch that failed, if any: a failed or aborted batch, else (when the order is stuck) the batch that was running. */
export function failedBatch(order: ChangeOrder): Batch | undefined {
  const failed = order.batches.find((b) => statusInfo(b.status).phase === 'failed');
  if (failed) return failed;
  if (orderPhase(order) === 'stuck') {
    return order.batches.find((b) => b.id === order.currentBatchId) ?? order.batches.find((b) => isRunning(b.status));
  }
  return undefined;
}
