import { InputError } from '../inputs/parse.js';
import { raceSignal } from '../time/cancel.js';
import { withRetry, type RetryPolicy } from '../alicloud/retry.js';
import type { ChangeOrderService, ChangeOrderSummary } from '../products/change-order.js';
import { isSettled, statusInfo } from '../products/status.js';

/**
 * Picks the change order to gate from an app's list: the newest one still running, else the newest of all.
 * The list comes in no promised order, so it is sorted by CreateTime ("YYYY-MM-DD HH:mm:ss" sorts as text).
 */
export function chooseChangeOrder(
  list: readonly ChangeOrderSummary[],
): { order: ChangeOrderSummary; why: string } | undefined {
  const newestFirst = [...list].sort((a, b) => (b.createTime ?? '').localeCompare(a.createTime ?? ''));
  const running = newestFirst.find((o) => !isSettled(statusInfo(o.status).phase));
  if (running)
    return {
      order: running,
      why: `the newest change order still in progress (${statusInfo(running.status).text}, created ${running.createTime ?? 'at an unknown time'})`,
    };
  const newest = newestFirst[0];
  return (
    newest && {
      order: newest,
      why: `the newest change order (none is in progress; it is ${statusInfo(newest.status).text}, created ${newest.createTime ?? 'at an unknown time'})`,
    }
  );
}

/** Lists the app's change orders and chooses one. Throws ApiError, or InputError when the app has none. */
export async function findChangeOrder(
  service: ChangeOrderService,
  appId: string,
  type: string | undefined,
  region: string | undefined,
  options: { readonly retry?: RetryPolicy; readonly signal?: AbortSignal } = {},
): Promise<{ id: string; why: string; createdBy?: string }> {
  // Retried like every read, and cut short by a cancelled run.
  const read = () => raceSignal(service.list(appId, { type }), options.signal);
  const list = options.retry
    ? await withRetry(`${service.product} list of app ${appId}`, read, {
        policy: options.retry,
        signal: options.signal,
      })
    : await read();
  const chosen = chooseChangeOrder(list);
  if (!chosen) {
    throw new InputError(
      `App ${appId} has no ${type ? `${type} ` : ''}change orders in ${service.product}${region ? ` region ${region}` : ''}: check app-id, region-id${type ? ' and change-order-type' : ''}`,
    );
  }
  return {
    id: chosen.order.id,
    why: `${chosen.why}, out of ${list.length}`,
    ...(chosen.order.createdBy ? { createdBy: chosen.order.createdBy } : {}),
  };
}
