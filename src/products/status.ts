/**
 * The change-order status table: the one place where status codes get a meaning.
 * SAE `Data.Status`, `Pipelines[].Status`, and EDAS `changeOrderInfo.Status` / `PipelineStatus` share these codes
 * (docs/api-notes.md#sae-change-orders, docs/api-notes.md#edas-change-orders); 7 only ever comes from EDAS.
 */
export type Phase = 'succeeded' | 'failed' | 'aborted' | 'running' | 'waiting-batch' | 'waiting-approval' | 'unknown';

export interface StatusInfo {
  readonly code: number;
  /** Words for the log and the summary. */
  readonly text: string;
  readonly phase: Phase;
}

const PREPARING = 0;
const RUNNING = 1;

const TABLE: Readonly<Record<number, Omit<StatusInfo, 'code'>>> = {
  0: { text: 'preparing', phase: 'running' },
  1: { text: 'running', phase: 'running' },
  2: { text: 'succeeded', phase: 'succeeded' },
  3: { text: 'failed', phase: 'failed' },
  6: { text: 'aborted', phase: 'aborted' },
  7: { text: 'partially executed', phase: 'failed' },
  8: { text: 'waiting for manual batch confirmation', phase: 'waiting-batch' },
  9: { text: 'waiting for the next automatic batch', phase: 'running' },
  10: { text: 'failed (system exception)', phase: 'failed' },
  11: { text: 'waiting for approval', phase: 'waiting-approval' },
  12: { text: 'approved, waiting to run', phase: 'running' },
};

/** Looks a status code up; an unknown code is never terminal, so the gate keeps polling (with a warning) until the deadline. */
export function statusInfo(code: number): StatusInfo {
  const known = TABLE[code];
  return known ? { code, ...known } : { code, text: `unknown status ${code}`, phase: 'unknown' };
}

/** A batch (or order) whose code is this has finished successfully. */
export function hasSucceeded(code: number): boolean {
  return statusInfo(code).phase === 'succeeded';
}

/** Code 0, "preparing": for a batch, it has not started yet. */
export function hasNotStarted(code: number): boolean {
  return code === PREPARING;
}

/** Code 1: the batch (or order) is the one running now. */
export function isRunning(code: number): boolean {
  return code === RUNNING;
}

/** True for phases after which the change order can no longer change on its own. */
export function isSettled(phase: Phase): boolean {
  return phase === 'succeeded' || phase === 'failed' || phase === 'aborted';
}

/**
 * SubStatus 1 means the release hit an error and cannot finish, although Status stays "running"
 * (docs/api-notes.md#sae-change-orders).
 */
export const SUB_STATUS_ERROR = 1;
