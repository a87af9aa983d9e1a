/**
 * The app side of the fake cloud: SAE DescribeApplicationStatus, DescribeApplicationConfig,
 * DescribeApplicationInstances, ListAppVersions and RollbackApplication; EDAS QueryApplicationStatus and
 * RollbackChangeOrder. Shapes follow __fixtures__/api-models/alicloud-api.json.
 *
 * An app's state is derived from the change orders the fake holds, so tests that only script orders still see a
 * consistent app: its last change order is the one that ran last (still running, or finished last), every deploy
 * order added a version, and its instances run and are ready. A test changes any of that with `cloud.apps.script()`.
 */
import type { OrderScript, Product, ReleaseOptions, ReleaseOutcome, TimelineStep } from './cloud.js';

/** One scripted SAE instance (DescribeApplicationInstances) or EDAS ECC (QueryApplicationStatus). */
export interface InstanceScript {
  id?: string;
  /** SAE InstanceContainerStatus, default 'Running'. */
  container?: string;
  /** SAE InstanceHealthStatus, default 'Healthy'. */
  health?: string;
  unhealthyMessage?: string;
  /** EDAS AppState, default 7 (RUNNING). */
  appState?: number;
  /** EDAS TaskState, default 2 (SUCCESS). */
  taskState?: number;
}

export interface AppScript {
  /** Instances the app wants (SAE Replicas, EDAS InstanceCount); default 2. */
  replicas?: number;
  /** The instances; default `replicas` running, ready ones. */
  instances?: InstanceScript[];
  /** SAE SubStatus; default RUNNING_BUT_HAS_ERROR when the last order has SubStatus 1, else NORMAL. */
  subStatus?: string;
  /** Overrides the derived last change order (e.g. a newer one made outside the fake's orders). */
  lastChangeOrderId?: string;
  /** SAE versions (newest last or any order); default: a base version plus one per CoDeploy order of the app. */
  versions?: { id: string; createTime: number }[];
  /** Refuse rollbacks with this error. */
  refuseRollback?: { code: string; message: string };
  /** What the rollback's change order does: succeed after one read (default), fail, or run on and never finish. */
  rollbackOutcome?: 'success' | 'fail' | 'hang';
  /** What DeployApplication does for the app: the release it starts (default a 3-batch success), or a refusal. */
  deploy?: DeployScript;
}

/** The release a DeployApplication call starts. */
export interface DeployScript {
  /** Default 'success' ('approval' when needsApproval). */
  outcome?: ReleaseOutcome;
  /** Default 3. */
  batchCount?: number;
  /** Answer IsNeedApproval true; the order then waits for approval (status 11) unless `outcome` says otherwise. */
  needsApproval?: boolean;
  /** Refuse the deploy with this error (HTTP 400). */
  refuse?: { code: string; message: string };
  /** Play this timeline instead of a `release()` one (batches named "Batch N Change", as many as its first step has). */
  timeline?: TimelineStep[];
  /** The order's AppName; default 'demo'. */
  appName?: string;
}

/** A DeployApplication call the fake accepted. */
export interface DeployRecord {
  appId: string;
  changeOrderId: string;
  /** Every field as sent: the query's and the form body's. */
  query: Record<string, string>;
  form: Record<string, string>;
}

/** A rollback the fake accepted. */
export interface RollbackRecord {
  product: Product;
  appId: string;
  /** SAE: the VersionId asked for; EDAS: the change order rolled back. */
  versionId?: string;
  rolledBackOrderId?: string;
  changeOrderId: string;
}

/** What the app side needs of the fake cloud: its orders (advanced to now) and a way to add one. */
export interface AppHost {
  orders(): {
    id: string;
    product: Product;
    appId: string;
    appName: string;
    status: number;
    subStatus: number;
    createTime: string;
    seq: number;
    coTypeCode: string;
    /** When it reached a final status; undefined while it runs. */
    finishedAt?: number;
  }[];
  addOrder(script: OrderScript): void;
  /** The scripted release builder (cloud.ts `release`). */
  release(id: string, opts: ReleaseOptions): OrderScript;
  traceId(): string;
  popError(product: Product, requestId: string, status: number, code: string, message: string): AppReply;
}

export interface AppReply {
  status: number;
  body: unknown;
}

export const APP_ROUTES: { method: string; path: string; action: string; product: Product }[] = [
  {
    method: 'GET',
    path: '/pop/v1/sam/app/describeApplicationStatus',
    action: 'DescribeApplicationStatus',
    product: 'sae',
  },
  {
    method: 'GET',
    path: '/pop/v1/sam/app/describeApplicationConfig',
    action: 'DescribeApplicationConfig',
    product: 'sae',
  },
  {
    method: 'GET',
    path: '/pop/v1/sam/app/describeApplicationInstances',
    action: 'DescribeApplicationInstances',
    product: 'sae',
  },
  { method: 'GET', path: '/pop/v1/sam/app/listAppVersions', action: 'ListAppVersions', product: 'sae' },
  { method: 'PUT', path: '/pop/v1/sam/app/rollbackApplication', action: 'RollbackApplication', product: 'sae' },
  { method: 'POST', path: '/pop/v1/sam/app/deployApplication', action: 'DeployApplication', product: 'sae' },
  { method: 'GET', path: '/pop/v5/app/app_status', action: 'QueryApplicationStatus', product: 'edas' },
  { method: 'PUT', path: '/pop/v5/oam/changeorder/rollback', action: 'RollbackChangeOrder', product: 'edas' },
];

/** The instance group of an app (ListChangeOrders GroupId; DescribeApplicationInstances wants it). */
export function groupIdFor(appId: string): string {
  return `${appId}-group`;
}

/** SAE DescribeApplicationStatus LastChangeOrderStatus for a change-order status code (sae-api.md §3.1.1). */
const ORDER_STATUS_WORDS: Record<number, string> = {
  0: 'READY',
  1: 'RUNNING',
  2: 'SUCCESS',
  3: 'FAIL',
  6: 'ABORT',
  7: 'FAIL',
  8: 'WAIT_BATCH_CONFIRM',
  9: 'AUTO_BATCH_WAIT',
  10: 'SYSTEM_FAIL',
  11: 'WAIT_APPROVAL',
  12: 'APPROVED',
};
const RUNNING = new Set([0, 1, 8, 9, 11, 12]);
const DAY_MS = 24 * 3600_000;

/** DeployApplication's package types whose fields the model says are required (its requiredWhen texts). */
const NEEDS_PACKAGE = new Set(['FatJar', 'War', 'PythonZip']);

export class FakeApps {
  readonly rollbacks: RollbackRecord[] = [];
  readonly deploys: DeployRecord[] = [];
  private deploySeq = 0;
  private readonly scripts = new Map<string, AppScript>();
  private rollbackSeq = 0;

  constructor(private readonly host: AppHost) {}

  /** Sets (merges) what an app does; `product` keeps SAE and EDAS apps of the same ID apart. */
  script(appId: string, script: AppScript, product: Product = 'sae'): void {
    const key = `${product}:${appId}`;
    this.scripts.set(key, { ...this.scripts.get(key), ...script });
  }

  /** Answers an app operation, or undefined when the action is not one of them. */
  answer(
    product: Product,
    action: string,
    q: Record<string, string>,
    rid: string,
    form: Record<string, string> = {},
  ): AppReply | undefined {
    // Every case refuses an empty AppId with need('AppId') before it reads appId, so the default is never used.
    const appId = q.AppId ?? '';
    const need = (name: string): AppReply | undefined =>
      q[name]
        ? undefined
        : this.host.popError(product, rid, 400, 'InvalidParameter.NotEmpty', `You must specify the parameter ${name}.`);
    switch (`${product}:${action}`) {
      case 'sae:DescribeApplicationStatus':
        return need('AppId') ?? this.known(appId, rid) ?? this.saeOk(rid, this.saeStatus(appId));
      case 'sae:DescribeApplicationConfig':
        return (
          need('AppId') ??
          this.known(appId, rid) ??
          this.saeOk(rid, {
            AppId: appId,
            AppName: 'demo',
            Replicas: this.replicas('sae', appId),
            RegionId: 'cn-hangzhou',
            PackageType: 'Image',
          })
        );
      case 'sae:DescribeApplicationInstances': {
        const missing = need('AppId') ?? need('GroupId') ?? this.known(appId, rid);
        if (missing) return missing;
        if (q.GroupId !== groupIdFor(appId))
          return this.host.popError('sae', rid, 400, 'InvalidGroupId.NotFound', 'The specified group does not exist.');
        const all = this.instances('sae', appId);
        const page = Math.max(1, Number(q.CurrentPage) || 1);
        const size = Math.max(1, Number(q.PageSize) || 10);
        return this.saeOk(rid, {
          CurrentPage: page,
          PageSize: size,
          TotalSize: all.length,
          Instances: all.slice((page - 1) * size, page * size).map((i, k) => ({
            InstanceId: i.id ?? `${appId}-i${k + 1}`,
            GroupId: q.GroupId,
            InstanceContainerStatus: i.container ?? 'Running',
            InstanceHealthStatus: i.health ?? 'Healthy',
            ...(i.unhealthyMessage ? { UnhealthyMessage: i.unhealthyMessage } : {}),
            InstanceContainerRestarts: 0,
            InstanceContainerIp: `192.168.0.${k + 1}`,
            ImageUrl: 'registry.cn-hangzhou.aliyuncs.com/acme/app:1',
            CreateTimeStamp: 1_700_000_000_000,
            FinishTimeStamp: 1_700_000_060_000,
            DebugStatus: false,
          })),
        });
      }
      case 'sae:ListAppVersions':
        return (
          need('AppId') ??
          this.known(appId, rid) ??
          this.saeOk(
            rid,
            this.versions(appId).map((v) => ({ Id: v.id, Type: 'image', CreateTime: String(v.createTime) })),
            { traceId: false },
          )
        );
      case 'sae:RollbackApplication': {
        const missing = need('AppId') ?? need('VersionId') ?? this.known(appId, rid);
        if (missing) return missing;
        const script = this.scriptOf('sae', appId);
        if (script.refuseRollback)
          return this.host.popError('sae', rid, 400, script.refuseRollback.code, script.refuseRollback.message);
        if (!this.versions(appId).some((v) => v.id === q.VersionId))
          return this.host.popError(
            'sae',
            rid,
            400,
            'InvalidVersion.NotFound',
            'The specified version does not exist.',
          );
        const last = this.lastOrder('sae', appId);
        if (last && RUNNING.has(last.status))
          return this.host.popError(
            'sae',
            rid,
            400,
            'Application.ChangerOrderRunning',
            'Another change order is running on the application.',
          );
        const id = this.startRollback('sae', appId, script);
        this.rollbacks.push({ product: 'sae', appId, versionId: q.VersionId, changeOrderId: id });
        return this.saeOk(rid, { ChangeOrderId: id, IsNeedApproval: false });
      }
      case 'sae:DeployApplication':
        return this.deploy(q, form, rid, need);
      case 'edas:QueryApplicationStatus': {
        const missing = need('AppId');
        if (missing) return missing;
        if (!this.exists('edas', appId)) return this.edasError(rid, 'application not found');
        const ecc = this.instances('edas', appId).map((i, k) => ({
          EccId: i.id ?? `${appId}-ecc${k + 1}`,
          AppId: appId,
          AppState: i.appState ?? 7,
          TaskState: i.taskState ?? 2,
          Ip: `172.16.0.${k + 1}`,
          GroupId: groupIdFor(appId),
        }));
        return {
          status: 200,
          body: {
            Code: 200,
            Message: 'success',
            RequestId: rid,
            AppInfo: {
              Application: {
                ApplicationId: appId,
                Name: 'demo',
                InstanceCount: this.replicas('edas', appId),
                RunningInstanceCount: ecc.filter((e) => e.AppState === 7 || e.AppState === 3).length,
              },
              EccList: { Ecc: ecc },
            },
          },
        };
      }
      case 'edas:RollbackChangeOrder': {
        const missing = need('ChangeOrderId');
        if (missing) return missing;
        const order = this.host.orders().find((o) => o.id === q.ChangeOrderId && o.product === 'edas');
        if (!order) return this.edasError(rid, 'change order not found');
        const script = this.scriptOf('edas', order.appId);
        if (script.refuseRollback)
          return this.edasError(rid, script.refuseRollback.message, script.refuseRollback.code);
        const id = this.startRollback('edas', order.appId, script);
        this.rollbacks.push({ product: 'edas', appId: order.appId, rolledBackOrderId: order.id, changeOrderId: id });
        return {
          status: 200,
          body: {
            Code: 200,
            Message: 'success',
            ErrorCode: 'success',
            RequestId: rid,
            TraceId: this.host.traceId(),
            Data: { ChangeOrderId: id },
          },
        };
      }
      default:
        return undefined;
    }
  }

  /**
   * DeployApplication: the fields the model requires for the package type, no deploy over a running order
   * (Application.ChangerOrderRunning), then a new CoDeploy order with the request's ChangeOrderDesc, scripted by the
   * app's `deploy`.
   */
  private deploy(
    q: Record<string, string>,
    form: Record<string, string>,
    rid: string,
    need: (name: string) => AppReply | undefined,
  ): AppReply {
    // need('AppId') and need('PackageType') refuse empty ones before these are read, so the defaults are never used.
    const appId = q.AppId ?? '';
    const missing = need('AppId') ?? this.known(appId, rid) ?? need('PackageType');
    if (missing) return missing;
    const type = q.PackageType ?? '';
    const required = type === 'Image' ? ['ImageUrl'] : NEEDS_PACKAGE.has(type) ? ['PackageUrl', 'PackageVersion'] : [];
    for (const name of required) {
      const m = need(name);
      if (m) return m;
    }
    const script = this.scriptOf('sae', appId).deploy ?? {};
    if (script.refuse) return this.host.popError('sae', rid, 400, script.refuse.code, script.refuse.message);
    const last = this.lastOrder('sae', appId);
    if (last && RUNNING.has(last.status))
      return this.host.popError(
        'sae',
        rid,
        400,
        'Application.ChangerOrderRunning',
        'Another change order is running on the application.',
      );
    const id = `deploy-${++this.deploySeq}-${appId}`;
    const description = q.ChangeOrderDesc ?? '';
    this.host.addOrder(
      script.timeline
        ? {
            id,
            appId,
            appName: script.appName,
            description,
            batches: (script.timeline[0]?.batches ?? [0]).map((_, i) => ({ name: `Batch ${i + 1} Change` })),
            timeline: script.timeline,
          }
        : this.host.release(id, {
            appId,
            appName: script.appName,
            description,
            outcome: script.outcome ?? (script.needsApproval ? 'approval' : 'success'),
            batchCount: script.batchCount ?? 3,
          }),
    );
    this.deploys.push({ appId, changeOrderId: id, query: { ...q }, form: { ...form } });
    return this.saeOk(rid, { AppId: appId, ChangeOrderId: id, IsNeedApproval: script.needsApproval === true });
  }

  /** An SAE success envelope; ListAppVersions' model has no TraceId, so it can be left out. */
  private saeOk(rid: string, data: unknown, opts: { traceId?: boolean } = {}): AppReply {
    return {
      status: 200,
      body: {
        RequestId: rid,
        Code: '200',
        Success: true,
        Message: 'success',
        ...(opts.traceId === false ? {} : { TraceId: this.host.traceId() }),
        Data: data,
      },
    };
  }

  /** EDAS refuses at HTTP 200 with a numeric Code; RollbackChangeOrder's model also has an ErrorCode for it. */
  private edasError(rid: string, message: string, errorCode?: string): AppReply {
    return {
      status: 200,
      body: { Code: 500, Message: message, RequestId: rid, ...(errorCode ? { ErrorCode: errorCode } : {}) },
    };
  }

  private scriptOf(product: Product, appId: string): AppScript {
    return this.scripts.get(`${product}:${appId}`) ?? {};
  }

  private exists(product: Product, appId: string): boolean {
    return (
      this.scripts.has(`${product}:${appId}`) ||
      this.host.orders().some((o) => o.product === product && o.appId === appId)
    );
  }

  private known(appId: string, rid: string): AppReply | undefined {
    return this.exists('sae', appId)
      ? undefined
      : this.host.popError('sae', rid, 400, 'InvalidAppId.NotFound', 'The specified application does not exist.');
  }

  private ordersOf(product: Product, appId: string) {
    return this.host
      .orders()
      .filter((o) => o.product === product && o.appId === appId)
      .sort((a, b) => (a.createTime < b.createTime ? -1 : a.createTime > b.createTime ? 1 : a.seq - b.seq));
  }

  /**
   * The order that ran last: one still running (the newest of them), else the one that finished last. SAE runs one
   * order at a time, so an older order that finishes after a newer one was added is still the last to have run.
   */
  private lastOrder(product: Product, appId: string) {
    const orders = this.host.orders().filter((o) => o.product === product && o.appId === appId);
    const running = orders.filter((o) => o.finishedAt === undefined).sort((a, b) => a.seq - b.seq);
    if (running.length) return running.at(-1);
    return orders.sort((a, b) => a.finishedAt! - b.finishedAt! || a.seq - b.seq).at(-1);
  }

  private replicas(product: Product, appId: string): number {
    return this.scriptOf(product, appId).replicas ?? 2;
  }

  private instances(product: Product, appId: string): InstanceScript[] {
    const script = this.scriptOf(product, appId);
    return script.instances ?? Array.from({ length: this.replicas(product, appId) }, () => ({}));
  }

  private saeStatus(appId: string): Record<string, unknown> {
    const script = this.scriptOf('sae', appId);
    const last = this.lastOrder('sae', appId);
    const lastId = script.lastChangeOrderId ?? last?.id ?? '';
    const running = this.instances('sae', appId).filter((i) => (i.container ?? 'Running') === 'Running').length;
    return {
      AppId: appId,
      CurrentStatus: running ? 'RUNNING' : 'STOPPED',
      RunningInstances: running,
      LastChangeOrderId: lastId,
      ...(last
        ? {
            LastChangeOrderRunning: RUNNING.has(last.status),
            LastChangeOrderStatus: ORDER_STATUS_WORDS[last.status] ?? 'RUNNING',
          }
        : {}),
      SubStatus: script.subStatus ?? (last?.subStatus === 1 ? 'RUNNING_BUT_HAS_ERROR' : 'NORMAL'),
      CreateTime: '1563373372746',
      EnableAgent: false,
      FileSizeLimit: 10240,
      ArmsAdvancedEnabled: 'false',
    };
  }

  /** A base version a day before the app's first order, then one per deploy order, at the order's CreateTime. */
  private versions(appId: string): { id: string; createTime: number }[] {
    const script = this.scriptOf('sae', appId);
    if (script.versions) return script.versions;
    const deploys = this.ordersOf('sae', appId).filter((o) => o.coTypeCode === 'CoDeploy');
    const at = (o: { createTime: string; seq: number }) =>
      (Date.parse(`${o.createTime.replace(' ', 'T')}+08:00`) || 1_700_000_000_000) + o.seq;
    const [first] = deploys;
    const base = first ? at(first) - DAY_MS : 1_700_000_000_000;
    return [{ id: `${appId}-v0`, createTime: base }, ...deploys.map((o) => ({ id: `ver-${o.id}`, createTime: at(o) }))];
  }

  private startRollback(product: Product, appId: string, script: AppScript): string {
    const id = `rollback-${++this.rollbackSeq}-${appId}`;
    const outcome = script.rollbackOutcome ?? 'success';
    const appName = this.host.orders().find((o) => o.product === product && o.appId === appId)?.appName;
    const end =
      outcome === 'fail'
        ? { status: 3, batches: [3], errorMessage: 'Rollback failed: the earlier image could not be pulled' }
        : outcome === 'hang'
          ? { status: 1, batches: [1] }
          : { status: 2, batches: [2] };
    this.host.addOrder({
      id,
      product,
      appId,
      ...(appName ? { appName } : {}),
      coType: 'Rollback Application',
      coTypeCode: 'CoDeployHistroy',
      description: 'rollback',
      batches: [{ name: 'Batch 1 Change' }],
      timeline: [{ status: 1, batches: [1], reads: 1 }, end],
    });
    return id;
  }
}
