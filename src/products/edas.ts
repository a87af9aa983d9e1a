import { ApiError } from '../alicloud/api-error.js';
import type { ChangeOrder, ChangeOrderService } from './change-order.js';
import { BUSY, NOT_FOUND, NOT_RUNNING, type ProductAdapter } from './adapter.js';
import type { RoaTransport } from '../alicloud/roa.js';
import { createEdasAppService } from './edas-app.js';
import {
  asList,
  checkAbortAnswer,
  checkIdentity,
  checkSucceeded,
  parseBatch,
  parseSummary,
  str,
  strictBool,
  strictStatus,
} from './fields.js';
import { endpointHost } from './endpoints.js';

/** EDAS OpenAPI version 2017-08-01, ROA style (docs/api-notes.md#edas-change-orders). */
export const EDAS_API_VERSION = '2017-08-01';

const PATHS = {
  confirm: '/pop/v5/changeorder/pipeline_batch_confirm',
  list: '/pop/v5/changeorder/change_order_list',
  info: '/pop/v5/changeorder/change_order_info',
  abort: '/pop/v5/changeorder/change_order_abort',
  abortAndRollback: '/pop/v5/changeorder/change_order_abort_and_rollback',
} as const;

export const edas: ProductAdapter = {
  id: 'edas',
  label: 'EDAS',
  apiVersion: EDAS_API_VERSION,
  endpointFor: (regionId) => `https://${endpointHost('edas', regionId)}`,
  create: (transport, regionId) => createEdasService(transport, regionId),
  createApp: (transport) => createEdasAppService(transport, translate),
};

export function createEdasService(transport: RoaTransport, regionId?: string): ChangeOrderService {
  return {
    product: 'EDAS',
    async describe(changeOrderId) {
      // GetChangeOrderInfo is a POST that only reads (docs/api-notes.md#edas-change-orders).
      const body = await translate(() =>
        transport.call('GetChangeOrderInfo', 'POST', PATHS.info, { ChangeOrderId: changeOrderId }),
      );
      checkSucceeded('GetChangeOrderInfo', body);
      return parseEdasChangeOrder(body.changeOrderInfo, changeOrderId);
    },
    async abort(changeOrderId, rollback) {
      // EDAS has a separate operation for "stop and roll back" (AbortAndRollbackChangeOrder).
      const [operation, path] = rollback
        ? ['AbortAndRollbackChangeOrder', PATHS.abortAndRollback]
        : ['AbortChangeOrder', PATHS.abort];
      const body = await translate(() => transport.call(operation, 'PUT', path, { ChangeOrderId: changeOrderId }));
      // Counted as applied only on a documented success (Code 200) about this very order.
      checkAbortAnswer(operation, body, changeOrderId);
    },
    async confirmBatch(batchId) {
      // ContinuePipeline: a GET that releases the next batch (docs/api-notes.md#edas-change-orders).
      const body = await translate(() =>
        transport.call('ContinuePipeline', 'GET', PATHS.confirm, { PipelineId: batchId, Confirm: true }),
      );
      checkSucceeded('ContinuePipeline', body);
    },
    async stopAtBatch(batchId) {
      // Confirm=false: do not release the next batch, and end the change.
      const body = await translate(() =>
        transport.call('ContinuePipeline', 'GET', PATHS.confirm, { PipelineId: batchId, Confirm: false }),
      );
      checkSucceeded('ContinuePipeline', body);
    },
    async list(appId, filter) {
      // ListRecentChangeOrder (a POST that only reads) has no type filter: filter here, by CoTypeCode or the type text.
      const body = await translate(() => transport.call('ListRecentChangeOrder', 'POST', PATHS.list, { AppId: appId }));
      const wrapper =
        body.ChangeOrderList && typeof body.ChangeOrderList === 'object'
          ? (body.ChangeOrderList as Record<string, unknown>).ChangeOrder
          : undefined;
      const all = asList(wrapper)
        .map(parseSummary)
        .filter((o): o is NonNullable<typeof o> => !!o);
      const type = filter.type?.toLowerCase();
      return type ? all.filter((o) => o.type?.toLowerCase() === type || o.typeCode?.toLowerCase() === type) : all;
    },
    consoleUrl(changeOrderId) {
      const region = regionId ? `&regionNo=${encodeURIComponent(regionId)}` : '';
      return `https://edas.console.aliyun.com/#/changeOrderDetail?changeOrderId=${encodeURIComponent(changeOrderId)}${region}`;
    },
  };
}

/**
 * EDAS reports refusals as HTTP 200 with a numeric body Code and only a message to tell them apart
 * (docs/api-notes.md#edas-change-orders). Translate the two the gate must recognise; everything else keeps its numeric
 * code (5xx codes stay retryable).
 */
async function translate<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (!(err instanceof ApiError) || err.httpStatus !== 200) throw err;
    if (/not (be )?found|not exist|does ?n[o']t exist|不存在/i.test(err.detail)) return rethrow(err, NOT_FOUND);
    // "System busy, cannot be stopped now" is a passing refusal, not "not running": retried, and only a read decides.
    if (/busy|繁忙|try again later|稍后/i.test(err.detail))
      throw new ApiError(
        err.operation,
        BUSY,
        `${err.detail} (EDAS code ${err.code})`,
        'unavailable',
        err.httpStatus,
        err.requestId,
      );
    if (
      /not (running|in progress|executing)|already (finished|completed|ended|terminated)|cannot be (aborted|terminated|stopped)|未在执行|已结束/i.test(
        err.detail,
      )
    )
      return rethrow(err, NOT_RUNNING);
    throw err;
  }
}

function rethrow(err: ApiError, code: string): never {
  throw new ApiError(
    err.operation,
    code,
    `${err.detail} (EDAS code ${err.code})`,
    'rejected',
    err.httpStatus,
    err.requestId,
  );
}

/**
 * Reads `changeOrderInfo` (lower-case c); batches sit under PipelineInfoList.PipelineInfo[]
 * (docs/api-notes.md#edas-change-orders).
 */
export function parseEdasChangeOrder(info: unknown, requestedId: string): ChangeOrder {
  if (!info || typeof info !== 'object' || Array.isArray(info)) {
    throw new ApiError(
      'GetChangeOrderInfo',
      'MalformedResponse',
      'the response has no changeOrderInfo object',
      'malformed',
    );
  }
  const d = info as Record<string, unknown>;
  checkIdentity('GetChangeOrderInfo', d.ChangeOrderId, requestedId);
  const status = strictStatus('GetChangeOrderInfo', d.Status);
  const list =
    d.PipelineInfoList && typeof d.PipelineInfoList === 'object'
      ? (d.PipelineInfoList as Record<string, unknown>).PipelineInfo
      : d.PipelineInfoList;
  return {
    id: requestedId,
    appId: str(d.AppId),
    appName: str(d.AppName),
    status,
    subStatus: 0,
    type: str(d.CoType),
    description: str(d.ChangeOrderDescription) ?? str(d.Desc),
    createTime: str(d.CreateTime),
    createdBy: str(d.CreateUserId),
    batchType: str(d.BatchType),
    supportRollback: strictBool('GetChangeOrderInfo', 'SupportRollback', d.SupportRollback),
    errorMessage: undefined,
    batches: asList(list).map((p, i) => parseBatch(p, i, 'PipelineStatus')),
    raw: info,
  };
}
