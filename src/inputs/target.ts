import type { EventInfo } from '../runner/event.js';
import { checkId, InputError } from './parse.js';

/** Which change order to gate, and why that one: known up front (input or deployment payload), or to be found. */
export type Target =
  | {
      readonly changeOrderId: string;
      /** When known, the order must belong to this app. */
      readonly appId?: string;
      /** For the log, e.g. 'the change-order-id input'. */
      readonly source: string;
    }
  | {
      /** No ID yet: the gate lists this app's change orders and picks one. */
      readonly changeOrderId?: undefined;
      readonly appId: string;
      readonly source: string;
    };

const ORDER_KEYS = ['change-order-id', 'changeOrderId', 'ChangeOrderId'];
const APP_KEYS = ['app-id', 'appId', 'AppId'];

/** Deploy mode first, then the input, then the deployment payload; an app alone means "find its newest change order". Throws InputError. */
export function resolveTarget(
  inputs: { changeOrderId?: string; appId?: string; deploy?: unknown },
  event: EventInfo,
): Target {
  const payload = event.deployment?.payload ?? {};
  // Deploy mode: the order is the one this step starts (the inputs already refused change-order-id with it).
  if (inputs.deploy && inputs.appId) {
    const named = ORDER_KEYS.find((k) => typeof payload[k] === 'string' && payload[k].trim());
    if (named)
      throw new InputError(
        `The payload of deployment ${event.deployment!.id} names a change order ("${named}"), and the deploy inputs start a new one: either gate the payload's change order (remove image-url / package-url) or deploy (leave the change order out of the payload)`,
      );
    return { appId: inputs.appId, source: 'the release this step starts' };
  }
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
  if (payloadOrder)
    return { changeOrderId: payloadOrder, appId, source: `the payload of deployment ${event.deployment!.id}` };
  if (appId) return { appId, source: `the newest change order of app ${appId}` };
  throw new InputError(
    'No change order to gate: set the "change-order-id" input, or "app-id" to gate the app\'s newest change order, or trigger the workflow with a deployment whose payload has "changeOrderId" or "appId"',
  );
}
