import { ApiError } from '../alicloud/api-error.js';
import type { BatchFailure, ChangeOrder, ChangeOrderService, ChangeOrderSummary } from './change-order.js';
import {
  asList,
  checkAbortAnswer,
  checkIdentity,
  checkSucceeded,
  describe,
  malformed,
  parseBatch,
  parseSummary,
  str,
  strictBool,
  strictStatus,
  toInt,
} from './fields.js';
import type { ProductAdapter } from './adapter.js';
import type { RoaTransport } from '../alicloud/roa.js';
import { createSaeAppService } from './sae-app.js';
import { createSaeDeployService, SAE_DEPLOY_FIELDS, SAE_PACKAGE_TYPES } from './sae-deploy.js';
import { statusInfo } from './status.js';
import { endpointHost } from './endpoints.js';

/** SAE OpenAPI version 2019-05-06, ROA style (docs/api-notes.md#sae-change-orders). */
export const SAE_API_VERSION = '2019-05-06';

const PATHS = {
  list: '/pop/v1/sam/changeorder/ListChangeOrders',
  describe: '/pop/v1/sam/changeorder/DescribeChangeOrder',
  abort: '/pop/v1/sam/changeorder/AbortChangeOrder',
  confirm: '/pop/v1/sam/changeorder/ConfirmPipelineBatch',
  pipeline: '/pop/v1/sam/changeorder/DescribePipeline',
} as const;

export const sae: ProductAdapter = {
  id: 'sae',
  label: 'SAE',
  apiVersion: SAE_API_VERSION,
  endpointFor: (regionId) => `https://${endpointHost('sae', regionId)}`,
  create: (transport, regionId) => createSaeService(transport, regionId),
  createApp: (transport) => createSaeAppService(transport),
  deploy: { fields: SAE_DEPLOY_FIELDS, packageTypes: SAE_PACKAGE_TYPES, create: createSaeDeployService },
};

/** @param regionId for console links; unknown when only an endpoint was given. */
export function createSaeService(transport: RoaTransport, regionId?: string): ChangeOrderService {
  return {
    product: 'SAE',
    async describe(changeOrderId) {
      const body = await transport.call('DescribeChangeOrder', 'GET', PATHS.describe, { ChangeOrderId: changeOrderId });
      checkSucceeded('DescribeChangeOrder', body);
      return parseSaeChangeOrder(body.Data, changeOrderId);
    },
    async abort(changeOrderId, rollback) {
      // `Rollback=true` asks SAE to roll back what the order already changed (docs/api-notes.md#sae-change-orders).
      // Sent only when wanted, never as "undefined" (that would break the signature,
      // docs/api-notes.md#transport-and-pop-core).
      const body = await transport.call('AbortChangeOrder', 'PUT', PATHS.abort, {
        ChangeOrderId: changeOrderId,
        Rollback: rollback ? true : undefined,
      });
      // Counted as applied only on a documented success about this very order (a 302 with {} is not one).
      checkAbortAnswer('AbortChangeOrder', body, changeOrderId);
    },
    async confirmBatch(batchId) {
      // A GET that changes state (docs/api-notes.md#sae-change-orders): Confirm=true releases the next batch.
      const body = await transport.call('ConfirmPipelineBatch', 'GET', PATHS.confirm, {
        PipelineId: batchId,
        Confirm: true,
      });
      checkSucceeded('ConfirmPipelineBatch', body);
    },
    async stopAtBatch(batchId) {
      // Confirm=false: "terminate the process" instead of releasing the next batch.
      const body = await transport.call('ConfirmPipelineBatch', 'GET', PATHS.confirm, {
        PipelineId: batchId,
        Confirm: false,
      });
      checkSucceeded('ConfirmPipelineBatch', body);
    },
    async describeBatchFailure(batchId) {
      const body = await transport.call('DescribePipeline', 'GET', PATHS.pipeline, { PipelineId: batchId });
      return parseBatchFailures(body.Data);
    },
    async list(appId, filter) {
      // ListChangeOrders pages through the app's orders in no promised order (docs/api-notes.md#sae-change-orders);
      // read them all, up to a bound. The largest page size is documented nowhere: the pages are counted with the
      // PageSize and TotalSize the answer gives, not the size asked for, so a server that caps the page size loses no
      // order.
      const found: ChangeOrderSummary[] = [];
      for (let page = 1; page <= LIST_MAX_PAGES; page++) {
        const body = await transport.call('ListChangeOrders', 'GET', PATHS.list, {
          AppId: appId,
          CurrentPage: page,
          PageSize: LIST_PAGE_SIZE,
          CoType: filter.type,
        });
        const data = (body.Data && typeof body.Data === 'object' ? body.Data : {}) as Record<string, unknown>;
        const items = asList(data.ChangeOrderList);
        found.push(...items.map(parseSummary).filter((o): o is ChangeOrderSummary => !!o));
        const total = toInt(data.TotalSize);
        const size = toInt(data.PageSize) ?? items.length;
        if (!items.length || size < 1) break;
        if (total !== undefined ? page * size >= total : items.length < size) break;
      }
      return found;
    },
    consoleUrl(changeOrderId) {
      const region = regionId ? `&regionId=${encodeURIComponent(regionId)}` : '';
      return `https://sae.console.aliyun.com/#/AppList/ChangeOrderDetail?changeOrderId=${encodeURIComponent(changeOrderId)}${region}`;
    },
  };
}

/**
 * The stages and tasks of a DescribePipeline answer that failed or carry an error message
 * (docs/api-notes.md#sae-change-orders).
 */
export function parseBatchFailures(data: unknown): BatchFailure[] {
  const d = (data && typeof data === 'object' ? data : {}) as Record<string, unknown>;
  const failures: BatchFailure[] = [];
  for (const stage of asList(d.StageList)) {
    const st = (stage && typeof stage === 'object' ? stage : {}) as Record<string, unknown>;
    const stageName = str(st.StageName) ?? 'stage';
    const tasks = asList(st.TaskList).map((t) => (t && typeof t === 'object' ? t : {}) as Record<string, unknown>);
    // Task status 5 is "pending retry": SAE will try it again, so it has not failed (yet).
    const bad = tasks.filter(
      (t) =>
        toInt(t.Status) !== TASK_PENDING_RETRY &&
        (statusInfo(toInt(t.Status) ?? -1).phase === 'failed' ||
          (str(t.ErrorMessage) && !/^success$/i.test(str(t.ErrorMessage)!))),
    );
    for (const t of bad)
      failures.push({
        stage: stageName,
        task: str(t.TaskName),
        message: str(t.ErrorMessage) ?? str(t.Message),
        code: str(t.ErrorCode),
      });
    if (!bad.length && statusInfo(toInt(st.Status) ?? -1).phase === 'failed') failures.push({ stage: stageName });
  }
  return failures;
}

const TASK_PENDING_RETRY = 5;
const LIST_PAGE_SIZE = 50;
const LIST_MAX_PAGES = 20;

/**
 * Reads DescribeChangeOrder's `Data`. Fields that only inform are read leniently; those that decide strictly: the
 * order must be the one asked for, its Status and SubStatus integers, SupportRollback a documented boolean.
 */
export function parseSaeChangeOrder(data: unknown, requestedId: string): ChangeOrder {
  const op = 'DescribeChangeOrder';
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    throw new ApiError(op, 'MalformedResponse', 'the response has no Data object', 'malformed');
  }
  const d = data as Record<string, unknown>;
  checkIdentity(op, d.ChangeOrderId, requestedId);
  const status = strictStatus(op, d.Status);
  const subStatus = d.SubStatus === undefined || d.SubStatus === null ? 0 : toInt(d.SubStatus);
  if (subStatus === undefined) throw malformed(op, `the SubStatus is ${describe(d.SubStatus)}, not an integer`);
  return {
    id: requestedId,
    appId: str(d.AppId),
    appName: str(d.AppName),
    status,
    subStatus,
    type: str(d.CoType),
    typeCode: str(d.CoTypeCode),
    description: str(d.Description),
    createTime: str(d.CreateTime),
    // DescribeChangeOrder names no creator: it comes from the ListChangeOrders item, when the order was found so.
    batchType: str(d.BatchType),
    supportRollback: strictBool(op, 'SupportRollback', d.SupportRollback),
    errorMessage: meaningfulError(str(d.ErrorMessage)),
    currentBatchId: str(d.CurrentPipelineId),
    batches: asList(d.Pipelines).map((p, i) => parseBatch(p, i, 'Status')),
    raw: data,
  };
}

/** SAE fills ErrorMessage with "success" on good orders (docs/api-notes.md#sae-change-orders). */
function meaningfulError(message: string | undefined): string | undefined {
  if (!message || /^success$/i.test(message.trim())) return undefined;
  return message;
}
