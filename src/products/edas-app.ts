import { ApiError } from '../alicloud/api-error.js';
import type { RoaTransport } from '../alicloud/roa.js';
import type { AppInstance, AppService, AppStatus } from './app.js';
import { asList, str, toInt } from './fields.js';

/**
 * EDAS app operations (2017-08-01, ROA). QueryApplicationStatus tells the instances but not which change order ran
 * last, so on EDAS the gate cannot see that a newer order replaced the gated one; and RollbackChangeOrder rolls a
 * change order back by its ID, with no version to choose.
 */
const PATHS = {
  status: '/pop/v5/app/app_status',
  rollback: '/pop/v5/oam/changeorder/rollback',
} as const;

/** EccList.Ecc[].AppState of the model: 0 agent off, 1 stopped, 3 running but its health check URL fails, 7 running. */
const APP_STATES: Readonly<Record<number, { text: string; running: boolean; ready: boolean }>> = {
  0: { text: 'AGENT_OFF', running: false, ready: false },
  1: { text: 'STOPPED', running: false, ready: false },
  3: { text: 'RUNNING_BUT_URL_FAILED', running: true, ready: false },
  7: { text: 'RUNNING', running: true, ready: true },
};
/** TaskState of the model: 0 unknown, 1 processing, 2 success, 3 failed. */
const TASK_STATES: Readonly<Record<number, string>> = { 0: 'UNKNOWN', 1: 'PROCESSING', 2: 'SUCCESS', 3: 'FAILED' };

/** How EDAS answers are read for refusals hidden in HTTP 200 bodies (edas.ts translate). */
export type Translate = <T>(call: () => Promise<T>) => Promise<T>;

export function createEdasAppService(transport: RoaTransport, translate: Translate): AppService {
  const read = async (appId: string) => {
    const body = await translate(() => transport.call('QueryApplicationStatus', 'GET', PATHS.status, { AppId: appId }));
    return parseEdasApp(body.AppInfo, appId);
  };
  let last: ReturnType<typeof read> | undefined;
  return {
    product: 'EDAS',
    knowsLastChangeOrder: false,
    rollsBackToVersion: false,
    async status(appId) {
      last = read(appId);
      return (await last).status;
    },
    async instances(appId) {
      // One QueryApplicationStatus answers both: the instances of the status just read, else a fresh read.
      const answer = last ?? read(appId);
      last = undefined;
      return (await answer).instances;
    },
    previousVersion: () => Promise.resolve(undefined),
    async rollback({ changeOrderId }) {
      const body = await translate(() =>
        transport.call('RollbackChangeOrder', 'PUT', PATHS.rollback, { ChangeOrderId: changeOrderId }),
      );
      const data = body.Data && typeof body.Data === 'object' ? (body.Data as Record<string, unknown>) : {};
      const id = str(data.ChangeOrderId);
      if (!id)
        throw new ApiError(
          'RollbackChangeOrder',
          'MalformedResponse',
          'the response names no ChangeOrderId',
          'malformed',
        );
      return { changeOrderId: id };
    },
  };
}

/** QueryApplicationStatus `AppInfo`: the app must be the one asked about; instance states outside the model are malformed. */
export function parseEdasApp(info: unknown, appId: string): { status: AppStatus; instances: AppInstance[] } {
  const op = 'QueryApplicationStatus';
  const bad = (detail: string) => new ApiError(op, 'MalformedResponse', detail, 'malformed');
  const i = info && typeof info === 'object' ? (info as Record<string, unknown>) : undefined;
  const app =
    i?.Application && typeof i.Application === 'object' ? (i.Application as Record<string, unknown>) : undefined;
  if (!app) throw bad('the response has no AppInfo.Application object');
  if (str(app.ApplicationId) !== appId)
    throw bad(`the answer is about app ${str(app.ApplicationId) ?? '(none)'}, not ${appId}`);
  const wanted = toInt(app.InstanceCount);
  const running = toInt(app.RunningInstanceCount);
  if (wanted === undefined || running === undefined) throw bad('InstanceCount or RunningInstanceCount is not a number');
  const eccs = i!.EccList && typeof i!.EccList === 'object' ? (i!.EccList as Record<string, unknown>).Ecc : undefined;
  const instances = asList(eccs).map((e): AppInstance => {
    const o = (e && typeof e === 'object' ? e : {}) as Record<string, unknown>;
    const id = str(o.EccId);
    if (!id) throw bad('an instance (ECC) has no EccId');
    const state = APP_STATES[toInt(o.AppState) ?? -1];
    if (!state) throw bad(`instance ${id} has an unknown AppState ${JSON.stringify(o.AppState)}`);
    const taskCode = toInt(o.TaskState);
    if (o.TaskState !== undefined && (taskCode === undefined || !TASK_STATES[taskCode]))
      throw bad(`instance ${id} has an unknown TaskState ${JSON.stringify(o.TaskState)}`);
    const task = taskCode === undefined ? undefined : TASK_STATES[taskCode];
    return {
      id,
      running: state.running,
      ready: state.ready && task !== 'FAILED',
      state: task ? `${state.text} / task ${task}` : state.text,
    };
  });
  return {
    status: { appId, hasError: false, wantedInstances: wanted, runningInstances: running },
    instances,
  };
}
