import type { Report } from '../gate/report.js';
import { batchesSucceeded } from '../products/change-order.js';
import { statusInfo } from '../products/status.js';
import { bound } from '../runner/sanitize.js';

/** A string inside the change-order output holds at most this many characters (a 50 MB Description would not). */
export const FIELD_MAX = 2048;
/** The change-order output holds at most this many characters; past that its arrays are cut, so it stays JSON. */
const ORDER_MAX = 48 * 1024;

/** The raw order with every long string cut (saying where) and long arrays shortened, so the output stays valid JSON. */
function boundedJson(raw: unknown): string {
  for (const items of [200, 50, 10, 0]) {
    const text = JSON.stringify(raw, (_key, value: unknown) => {
      if (typeof value === 'string') return bound(value, FIELD_MAX);
      if (Array.isArray(value) && value.length > items)
        return [...(value as unknown[]).slice(0, items), `… [cut at ${items} of ${value.length} items]`];
      return value;
    });
    if (text.length <= ORDER_MAX || items === 0) return text;
  }
  return '';
}

/** The action's outputs, all strings, all always set (empty when unknown). */
export function outputsFor(report: Report): Record<string, string> {
  const order = report.order;
  return {
    'change-order-id': report.changeOrderId,
    'app-id': order?.appId ?? '',
    result: report.result,
    status: order ? String(order.status) : '',
    'status-text': order ? statusInfo(order.status).text : '',
    remedy: report.rollback?.changeOrderId ? 'rollback' : (report.remedy?.applied ?? 'none'),
    'rollback-change-order-id': report.rollback?.changeOrderId ?? '',
    'batches-total': order ? String(order.batches.length) : '',
    'batches-succeeded': order ? String(batchesSucceeded(order)) : '',
    'failed-batch': report.failedBatch ?? '',
    'waiting-batch': report.waitingBatch ?? '',
    'error-message': report.errorMessage ?? '',
    'duration-seconds': String(Math.max(0, Math.round((report.endedAt - report.startedAt) / 1000))),
    'console-url': report.consoleUrl,
    'change-order': order ? boundedJson(order.raw) : '',
    deployed: report.deployed ? 'true' : 'false',
  };
}
