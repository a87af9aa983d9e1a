import type { Report } from '../gate/report.js';
import { batchesSucceeded } from '../products/change-order.js';
import { statusInfo } from '../products/status.js';

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
    'change-order': order ? JSON.stringify(order.raw) : '',
    deployed: report.deployed ? 'true' : 'false',
  };
}
