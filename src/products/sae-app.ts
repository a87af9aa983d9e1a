import { ApiError } from '../alicloud/api-error.js';
import type { RoaTransport } from '../alicloud/roa.js';
import type { AppInstance, AppOrderPhase, AppService, AppStatus, AppVersion } from './app.js';
import { asList, str, toInt } from './fields.js';

/** SAE app operations (2019-05-06, ROA): all GETs but the rollback, every parameter in the query (sae-api.md §3.7–3.9). */
const PATHS = {
  status: '/pop/v1/sam/app/describeApplicationStatus',
  config: '/pop/v1/sam/app/describeApplicationConfig',
  instances: '/pop/v1/sam/app/describeApplicationInstances',
  versions: '/pop/v1/sam/app/listAppVersions',
  rollback: '/pop/v1/sam/app/rollbackApplication',
  orders: '/pop/v1/sam/changeorder/ListChangeOrders',
} as const;

/** DescribeApplicationStatus LastChangeOrderStatus, by the model's enumeration (sae-api.md §3.1.1 maps them 1:1 to codes). */
const ORDER_PHASES: Readonly<Record<string, AppOrderPhase>> = {
  READY: 'waiting',
  RUNNING: 'running',
  SUCCESS: 'succeeded',
  FAIL: 'failed',
  SYSTEM_FAIL: 'failed',
  ABORT: 'aborted',
  WAIT_BATCH_CONFIRM: 'waiting',
  AUTO_BATCH_WAIT: 'waiting',
  WAIT_APPROVAL: 'waiting',
  APPROVED: 'waiting',
};

/** DescribeApplicationInstances InstanceContainerStatus values of the model; only Running runs. */
const CONTAINER_STATES = new Set([
  'Error',
  'CrashLoopBackOff',
  'ErrImagePull',
  'ImagePullBackOff',
  'Pending',
  'Unknown',
  'Terminating',
  'NotFound',
  'PodInitializing',
  'Init:0/1',
  'Running',
]);

/** InstanceHealthStatus values of the model, and whether a running instance in that state takes traffic. */
const HEALTH_READY: Readonly<Record<string, boolean>> = {
  Healthy: true,
  WithoutHealthCheckConfig: true,
  WithoutReadinessConfig: true,
  WithoutLivenessConfig: true,
  NotCheckedYet: false,
  LivenessUnhealthy: false,
  ReadinessUnhealthy: false,
  Unhealthy: false,
};

const PAGE_SIZE = 100;
const MAX_PAGES = 20;

export function createSaeAppService(transport: RoaTransport): AppService {
  // DescribeApplicationInstances wants the group; SAE names it only on the app's change orders (ListChangeOrders
  // GroupId). Groups do not change during a run, so they are read once per app (a failed read is tried again).
  const groups = new Map<string, Promise<string[]>>();
  const groupsOf = (appId: string): Promise<string[]> => {
    let read = groups.get(appId);
    if (!read) {
      read = readGroups(transport, appId).catch((err: unknown) => {
        groups.delete(appId);
        throw err;
      });
      groups.set(appId, read);
    }
    return read;
  };
  return {
    product: 'SAE',
    knowsLastChangeOrder: true,
    rollsBackToVersion: true,
    async status(appId) {
      const [status, config] = await Promise.all([
        transport.call('DescribeApplicationStatus', 'GET', PATHS.status, { AppId: appId }),
        transport.call('DescribeApplicationConfig', 'GET', PATHS.config, { AppId: appId }),
      ]);
      return parseSaeAppStatus(status.Data, config.Data, appId);
    },
    async instances(appId) {
      const found: AppInstance[] = [];
      for (const groupId of await groupsOf(appId)) {
        for (let page = 1; page <= MAX_PAGES; page++) {
          const body = await transport.call('DescribeApplicationInstances', 'GET', PATHS.instances, {
            AppId: appId,
            GroupId: groupId,
            CurrentPage: page,
            PageSize: PAGE_SIZE,
          });
          const data = object(body.Data, 'DescribeApplicationInstances', 'Data');
          const items = asList(data.Instances);
          found.push(...items.map(parseSaeInstance));
          const total = toInt(data.TotalSize);
          if (items.length < PAGE_SIZE || (total !== undefined && page * PAGE_SIZE >= total)) break;
        }
      }
      return found;
    },
    async previousVersion(appId) {
      const body = await transport.call('ListAppVersions', 'GET', PATHS.versions, { AppId: appId });
      if (!Array.isArray(body.Data)) throw malformed('ListAppVersions', 'the response has no Data list of versions');
      const versions = body.Data.map(parseSaeVersion).sort((a, b) => b.createdAt - a.createdAt);
      // The newest version is the one the change order deployed; the one before it is what the app ran before.
      return versions[1];
    },
    async rollback({ appId, versionId }) {
      if (!versionId) throw new ApiError('RollbackApplication', 'NoVersion', 'no version to roll back to', 'rejected');
      const body = await transport.call('RollbackApplication', 'PUT', PATHS.rollback, {
        AppId: appId,
        VersionId: versionId,
      });
      const data = object(body.Data, 'RollbackApplication', 'Data');
      const changeOrderId = str(data.ChangeOrderId);
      if (!changeOrderId) throw malformed('RollbackApplication', 'the response names no ChangeOrderId');
      const approval = data.IsNeedApproval;
      if (approval !== undefined && typeof approval !== 'boolean')
        throw malformed('RollbackApplication', 'IsNeedApproval is neither true nor false');
      return { changeOrderId, needsApproval: approval === true };
    },
  };
}

async function readGroups(transport: RoaTransport, appId: string): Promise<string[]> {
  const body = await transport.call('ListChangeOrders', 'GET', PATHS.orders, {
    AppId: appId,
    CurrentPage: 1,
    PageSize: 50,
  });
  const data = object(body.Data, 'ListChangeOrders', 'Data');
  const ids = asList(data.ChangeOrderList)
    .map((o) => (o && typeof o === 'object' ? str((o as Record<string, unknown>).GroupId) : undefined))
    .filter((g): g is string => !!g);
  if (!ids.length)
    throw malformed('ListChangeOrders', `the change orders of app ${appId} name no instance group (GroupId)`);
  return [...new Set(ids)];
}

/** DescribeApplicationStatus + DescribeApplicationConfig `Data`: strict on every field that decides, and on the app. */
export function parseSaeAppStatus(status: unknown, config: unknown, appId: string): AppStatus {
  const op = 'DescribeApplicationStatus';
  const s = object(status, op, 'Data');
  if (str(s.AppId) !== appId) throw malformed(op, `the answer is about app ${str(s.AppId) ?? '(none)'}, not ${appId}`);
  const lastId = str(s.LastChangeOrderId);
  const lastStatus = str(s.LastChangeOrderStatus);
  const phase = lastStatus === undefined ? undefined : ORDER_PHASES[lastStatus];
  if (lastStatus !== undefined && !phase)
    throw malformed(op, `LastChangeOrderStatus ${JSON.stringify(lastStatus)} is unknown`);
  const running = s.LastChangeOrderRunning;
  if (running !== undefined && typeof running !== 'boolean')
    throw malformed(op, 'LastChangeOrderRunning is neither true nor false');
  // The model spells it RUNNING_BUT_HAS_ERROR, terraform compares against runningButHasError (peers.md §0): both count.
  const sub = str(s.SubStatus)?.replace(/_/g, '').toLowerCase();
  if (sub !== undefined && sub !== 'normal' && sub !== 'runningbuthaserror')
    throw malformed(op, `SubStatus ${JSON.stringify(str(s.SubStatus))} is unknown`);
  const runningInstances = toInt(s.RunningInstances);
  if (runningInstances === undefined || runningInstances < 0) throw malformed(op, 'RunningInstances is not a number');
  const c = object(config, 'DescribeApplicationConfig', 'Data');
  if (str(c.AppId) !== undefined && str(c.AppId) !== appId)
    throw malformed('DescribeApplicationConfig', `the answer is about app ${str(c.AppId)}, not ${appId}`);
  const wanted = toInt(c.Replicas);
  if (wanted === undefined || wanted < 0) throw malformed('DescribeApplicationConfig', 'Replicas is not a number');
  return {
    appId,
    lastChangeOrderId: lastId,
    lastChangeOrderPhase: phase,
    lastChangeOrderStatus: lastStatus,
    lastChangeOrderRunning: running,
    hasError: sub === 'runningbuthaserror',
    wantedInstances: wanted,
    runningInstances,
  };
}

/** One DescribeApplicationInstances entry; a container or health state outside the model is malformed. */
export function parseSaeInstance(item: unknown): AppInstance {
  const op = 'DescribeApplicationInstances';
  const i = object(item, op, 'Instances[]');
  const id = str(i.InstanceId);
  if (!id) throw malformed(op, 'an instance has no InstanceId');
  const container = str(i.InstanceContainerStatus);
  if (!container || !CONTAINER_STATES.has(container))
    throw malformed(op, `instance ${id} has an unknown InstanceContainerStatus ${JSON.stringify(container ?? '')}`);
  const health = str(i.InstanceHealthStatus);
  if (health !== undefined && !Object.hasOwn(HEALTH_READY, health))
    throw malformed(op, `instance ${id} has an unknown InstanceHealthStatus ${JSON.stringify(health)}`);
  const running = container === 'Running';
  return {
    id,
    running,
    ready: running && (health === undefined || HEALTH_READY[health] === true),
    state: health ? `${container} / ${health}` : container,
    message: str(i.UnhealthyMessage),
  };
}

function parseSaeVersion(item: unknown): AppVersion {
  const v = object(item, 'ListAppVersions', 'Data[]');
  const id = str(v.Id);
  const createdAt = toInt(v.CreateTime);
  if (!id || createdAt === undefined) throw malformed('ListAppVersions', 'a version has no Id or no CreateTime');
  return { id, createdAt };
}

function object(v: unknown, operation: string, what: string): Record<string, unknown> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw malformed(operation, `the response has no ${what} object`);
  return v as Record<string, unknown>;
}

function malformed(operation: string, detail: string): ApiError {
  return new ApiError(operation, 'MalformedResponse', detail, 'malformed');
}
