import { fromPopCoreError, type ApiError } from '../alicloud/api-error.js';
import { withRetry } from '../alicloud/retry.js';
import type { ChangeOrder, ChangeOrderService } from '../products/change-order.js';
import { statusInfo } from '../products/status.js';
import { raceSignal } from '../time/cancel.js';
import { formatDuration } from '../time/duration.js';
import { ProgressLog } from './progress.js';
import type { AppStepOptions } from './verify.js';
import { watch } from './watch.js';

/**
 * Puts the app back on the version it ran before a change order that already failed (or that failed its verification
 * or its bake): SAE RollbackApplication with the previous version, EDAS RollbackChangeOrder. Then watches the
 * rollback's own change order to its end, with no bake and no verification. Called at most once per run, only from the
 * main step (the post step never rolls back on its own).
 */

export type RollbackState =
  'not-rolled-back' | 'refused' | 'succeeded' | 'failed' | 'timed-out' | 'error' | 'cancelled';

export interface RollbackOutcome {
  readonly state: RollbackState;
  /** One sentence for the log and the summary. */
  readonly detail: string;
  /** The rollback's own change order, once the API accepted the rollback. */
  readonly changeOrderId?: string;
  readonly consoleUrl?: string;
  /** The version the app was sent back to (SAE). */
  readonly versionId?: string;
  /** The last read of the rollback's change order. */
  readonly order?: ChangeOrder;
  readonly error?: ApiError;
}

export interface RollbackOptions extends AppStepOptions {
  /** Reads the rollback's own change order. */
  readonly service: ChangeOrderService;
  /** The failed order's type code (e.g. CoDeploy), when the API named it. */
  readonly typeCode?: string;
  /** How long the rollback's change order may take (the same budget as the release: input timeout). */
  readonly timeoutMs: number;
}

/** Another change on the app is mid-flight, or the API throttles: the rollback did nothing, so it is tried again. */
const RETRY_CODES = /^(Application\.ChangerOrderRunning|Application\.InvalidStatus|Throttling.*)$/;
const ATTEMPTS = 3;
/** SAE change types that deploy a version of the app (DescribeChangeOrder CoTypeCode). */
const VERSIONED_TYPES = new Set(['CoDeploy']);

/** Rolls the app back and gates the rollback's change order. Never throws. */
export async function rollBack(o: RollbackOptions): Promise<RollbackOutcome> {
  const { app, log } = o;
  const what = `${app.product} app ${o.appId}`;
  let versionId: string | undefined;
  // The reads before the rollback are retried like every read; the rollback itself is not (see below).
  const read = <T>(operation: string, call: () => Promise<T>) =>
    withRetry(`${app.product} ${operation}`, () => raceSignal(call(), o.signal), {
      policy: o.retry,
      signal: o.signal,
      onRetry: (e, attempt, delayMs) =>
        log.debug(`${operation} attempt ${attempt} failed (${e.message}); retrying in ${delayMs} ms`),
    });
  try {
    if (app.knowsLastChangeOrder) {
      const status = await read('app status', () => app.status(o.appId));
      if (status.lastChangeOrderId && status.lastChangeOrderId !== o.changeOrderId)
        return {
          state: 'not-rolled-back',
          detail: `Did not roll back: a newer change order ${status.lastChangeOrderId} has replaced ${o.changeOrderId} on ${what}, and the gate touches neither.`,
        };
    }
    // Only a deploy adds a version (ListAppVersions); going back one version after a scale-out or a restart would undo
    // the deploy before it instead.
    if (app.rollsBackToVersion && o.typeCode && !VERSIONED_TYPES.has(o.typeCode))
      return {
        state: 'not-rolled-back',
        detail: `Did not roll back: change order ${o.changeOrderId} is a ${o.typeCode}, which deploys no new version of ${what}, so there is no earlier version to go back to.`,
      };
    if (app.rollsBackToVersion) {
      const previous = await read('app versions', () => app.previousVersion(o.appId));
      if (!previous)
        return {
          state: 'not-rolled-back',
          detail: `Did not roll back: ${what} has no version earlier than the one change order ${o.changeOrderId} deployed, so there is nothing to go back to.`,
        };
      versionId = previous.id;
    }
  } catch (err) {
    const error = fromPopCoreError(`${app.product} rollback`, err);
    return { state: 'error', error, detail: `Could not prepare the rollback of ${what}: ${error.explained}.` };
  }

  const to = versionId ? ` to version ${versionId}` : '';
  log.info(
    `Asking ${app.product} to roll app ${o.appId} back${to}, as on-failure says (the release of change order ${o.changeOrderId} failed).`,
  );
  let started: { changeOrderId: string; needsApproval?: boolean } | undefined;
  for (let attempt = 1; !started; attempt++) {
    try {
      started = await raceSignal(app.rollback({ appId: o.appId, changeOrderId: o.changeOrderId, versionId }), o.signal);
    } catch (err) {
      const error = fromPopCoreError(`${app.product} rollback`, err);
      // Only a clear "not now" is retried: after a timeout or a reset the rollback may have started, and a second
      // request would start a second one.
      if (attempt < ATTEMPTS && !o.signal?.aborted && RETRY_CODES.test(error.code)) {
        log.info(`The rollback was refused for now (${error.message}); trying again.`);
        await o.clock.sleep(o.pollIntervalMs * attempt, o.signal).catch(() => undefined);
        continue;
      }
      return {
        state: 'refused',
        error,
        versionId,
        detail: `${app.product} refused to roll app ${o.appId} back${to} (${error.code}): ${error.explained}. Roll it back in the console.`,
      };
    }
  }
  const id = started.changeOrderId;
  const consoleUrl = o.service.consoleUrl(id);
  log.info(
    `Rollback change order ${id} started${started.needsApproval ? '; it needs approval before it runs' : ''}. Watching it (${consoleUrl}).`,
  );
  const startedAt = o.clock.now();
  const end = await watch({
    service: o.service,
    changeOrderId: id,
    clock: o.clock,
    timeoutMs: o.timeoutMs,
    pollIntervalMs: o.pollIntervalMs,
    maxApiErrors: o.maxApiErrors,
    retry: o.retry,
    log,
    progress: new ProgressLog(log, consoleUrl, startedAt, startedAt + o.timeoutMs),
    signal: o.signal,
    stopWhenStuck: true,
  });
  const base = { changeOrderId: id, consoleUrl, versionId, order: end.order };
  const rb = `rollback change order ${id}`;
  switch (end.kind) {
    case 'settled': {
      const info = statusInfo(end.order.status);
      if (info.phase === 'succeeded')
        return { ...base, state: 'succeeded', detail: `Rolled ${what} back${to}: ${rb} succeeded.` };
      return {
        ...base,
        state: 'failed',
        detail: `The rollback failed: ${rb} ${info.text} (status ${info.code})${end.order.errorMessage ? `: ${end.order.errorMessage}` : ''}. Check the app in the console.`,
      };
    }
    case 'stuck':
      return {
        ...base,
        state: 'failed',
        detail: `The rollback failed: ${rb} hit an error and cannot finish (SubStatus ${end.order.subStatus}). Check the app in the console.`,
      };
    case 'timeout':
      return {
        ...base,
        state: 'timed-out',
        detail: `The rollback timed out: ${rb} had not finished after ${formatDuration(o.timeoutMs)}${end.order ? ` (still ${statusInfo(end.order.status).text})` : ''}. Check the app in the console.`,
      };
    case 'api-error':
      return {
        ...base,
        state: 'error',
        error: end.error,
        detail: `The rollback could not be followed: ${end.error.explained}.`,
      };
    default:
      return { ...base, state: 'cancelled', detail: `The run was cancelled while ${rb} was running.` };
  }
}
