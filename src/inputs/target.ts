import { readFileSync } from 'node:fs';
import type { ChangeOrderService, ChangeOrderSummary } from '../products/change-order.js';
import { checkId, InputError } from './read.js';
import { isSettled, statusInfo } from '../products/status.js';

/** What the triggering event says, read from GITHUB_EVENT_PATH without loading @actions/github. */
export interface EventInfo {
  readonly name: string;
  /** Set for `deployment` events. */
  readonly deployment?: { readonly id: number; readonly payload: Record<string, unknown> };
}

export function readEvent(env: NodeJS.ProcessEnv): EventInfo {
  const name = env.GITHUB_EVENT_NAME ?? '';
  if (name !== 'deployment' || !env.GITHUB_EVENT_PATH) return { name };
  let event: unknown;
  try {
    event = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8'));
  } catch {
    return { name };
  }
  const d = (event as { deployment?: { id?: unknown; payload?: unknown } }).deployment;
  if (!d || typeof d.id !== 'number') return { name };
  let payload = d.payload;
  if (typeof payload === 'string') {
    // Some deployment tools send the payload as a JSON string.
    try {
      payload = JSON.parse(payload);
    } catch {
      payload = {};
    }
  }
  return {
    name,
    deployment: { id: d.id, payload: payload && typeof payload === 'object' && !Array.isArray(payload) ? (payload as Record<string, unknown>) : {} },
  };
}

/** Which change order to gate, and why that one. */
export interface Target {
  /** Known up front (input or deployment payload); otherwise found by listing the app's orders. */
  readonly changeOrderId?: string;
  readonly appId?: string;
  /** For the log, e.g. 'the change-order-id input'. */
  readonly source: string;
}

const ORDER_KEYS = ['change-order-id', 'changeOrderId', 'ChangeOrderId'];
const APP_KEYS = ['app-id', 'appId', 'AppId'];

/** Input first, then the deployment payload; an app alone means "find its newest change order". Throws InputError. */
export function resolveTarget(inputs: { changeOrderId?: string; appId?: string }, event: EventInfo): Target {
  const payload = event.deployment?.payload ?? {};
  const fromPayload = (keys: string[], what: string): string | undefined => {
    for (const key of keys) {
      const v = payload[key];
      if (typeof v === 'string' && v.trim()) {
        checkId(`${what} (deployment payload "${key}")`, v.trim());
        return v.trim();
      }
    }
    return undefined;
  };
  const appId = inputs.appId || fromPayload(APP_KEYS, 'app-id');
  if (inputs.changeOrderId) return { changeOrderId: inputs.changeOrderId, appId, source: 'the change-order-id input' };
  const payloadOrder = fromPayload(ORDER_KEYS, 'change-order-id');
  if (payloadOrder) return { changeOrderId: payloadOrder, appId, source: `the payload of deployment ${event.deployment!.id}` };
  if (appId) return { appId, source: `the newest change order of app ${appId}` };
  throw new InputError(
    'No change order to gate: set the "change-order-id" input, or "app-id" to gate the app\'s newest change order, or trigger the workflow with a deployment whose payload has "changeOrderId" or "appId"',
  );
}

/**
 * Picks the change order to gate from an app's list: the newest one still running, else the newest of all.
 * The list comes in no promised order, so it is sorted by CreateTime ("YYYY-MM-DD HH:mm:ss" sorts as text).
 */
export function chooseChangeOrder(list: readonly ChangeOrderSummary[]): { order: ChangeOrderSummary; why: string } | undefined {
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
): Promise<{ id: string; why: string }> {
  const list = await service.list(appId, { type });
  const chosen = chooseChangeOrder(list);
  if (!chosen) {
    throw new InputError(
      `App ${appId} has no ${type ? `${type} ` : ''}change orders in ${service.product}${region ? ` region ${region}` : ''}: check app-id, region-id${type ? ' and change-order-type' : ''}`,
    );
  }
  return { id: chosen.order.id, why: `${chosen.why}, out of ${list.length}` };
}
