import { ApiError } from '../alicloud/api-error.js';
import { retryPolicyFor, withRetry, type RetryPolicy } from '../alicloud/retry.js';
import type { DeploySettings, OnApproval } from '../inputs/settings.js';
import type { ChangeOrderService, ChangeOrderSummary } from '../products/change-order.js';
import type { DeployService } from '../products/deploy.js';
import { isSettled, statusInfo } from '../products/status.js';
import type { Log } from '../runner/log.js';
import type { Clock } from '../time/clock.js';
import { formatDuration } from '../time/duration.js';
import { chooseChangeOrder } from './find.js';
import { CANCEL_GRACE_MS } from './remedy.js';
import { graceAfter, raceSignal } from '../time/cancel.js';

/** SAE's answer when another change order of the app is in progress (docs/api-notes.md#sae-deployapplication). */
export const CHANGE_RUNNING = 'Application.ChangerOrderRunning';
/** The type of the change order DeployApplication starts (ListChangeOrders CoType). */
const DEPLOY_TYPE = 'CoDeploy';
/** After an ambiguous failure, how many times the app's orders are listed (a poll interval apart) to find ours. */
export const RECOVERY_LISTS = 3;
/** How many times a clear refusal to serve (throttling) is retried: SAE did not act on it, so a retry is safe. */
export const THROTTLE_RETRIES = 4;
/**
 * Answers that refuse the call before SAE acts on it, so sending it again cannot start a second release: throttling,
 * a nonce taken for a replay, and "the system is being upgraded, try again later" (docs/api-notes.md#errors-and-retries).
 */
function refusedBeforeActing(err: ApiError): boolean {
  return err.kind === 'throttled' || err.code === 'SignatureNonceUsed' || err.code === 'System.Upgrading';
}

/** The deploy could not start a release, or cannot tell whether it did: the message says what is known. */
export class DeployError extends Error {
  override readonly name = 'DeployError';
}

export interface StartOptions {
  readonly appId: string;
  readonly deploy: DeploySettings;
  readonly deployer: DeployService;
  /** Lists the app's change orders (before the call, after a refusal, after an ambiguous failure). */
  readonly service: ChangeOrderService;
  readonly clock: Clock;
  readonly log: Log;
  readonly pollIntervalMs: number;
  /** For the log: what the gate does when the change needs approval. */
  readonly onApproval?: OnApproval;
  readonly signal?: AbortSignal;
  /** Overrides the retry policy derived from the poll interval (tests). */
  readonly retryPolicy?: RetryPolicy;
}

export interface StartedRelease {
  readonly changeOrderId: string;
  /** DeployApplication said IsNeedApproval: the order waits for approval, and on-approval decides. */
  readonly needsApproval: boolean;
  /** The call failed ambiguously and the order was found afterwards by its description. */
  readonly recovered: boolean;
}

/**
 * Starts the release with one DeployApplication call and returns its change order, to be gated like any other.
 * DeployApplication is not idempotent: after an ambiguous failure (a timeout, a reset, a 5xx, an answer we cannot
 * read) it is never sent again; the app's orders are listed instead, and a new one bearing our description is ours.
 * A clear refusal to serve (throttling) is retried. Throws DeployError, or ApiError for a plain refusal.
 */
export async function startRelease(options: StartOptions): Promise<StartedRelease> {
  const { appId, deploy, deployer, log, clock, signal } = options;
  const policy = options.retryPolicy ?? retryPolicyFor(options.pollIntervalMs);
  /** The app's orders: all of them (to name a running one), or its deploy orders (ours is one; fewer pages to read). */
  const list = (type?: string): Promise<ChangeOrderSummary[]> =>
    withRetry('ListChangeOrders', () => options.service.list(appId, { type }), { policy, signal });

  const names = deploy.parameterNames;
  log.info(
    `Deploying ${deploy.what} to ${deployer.product} app ${appId} (PackageType ${deploy.packageType}, description ${JSON.stringify(deploy.description)}); ${names.length ? `${names.length} field${names.length === 1 ? '' : 's'} from deploy-parameters, values not shown: ${names.join(', ')}` : 'no deploy-parameters'}.`,
  );
  // A cancelled run stops here with what it left behind: nothing, or a release that may have started.
  const cancelled = (what: string) => new DeployError(`The run was cancelled ${what}`);
  const wait = async (ms: number, what: string): Promise<void> => {
    try {
      await clock.sleep(ms, signal);
    } catch (err) {
      if (signal?.aborted) throw cancelled(what);
      throw err;
    }
  };

  // The orders that exist before the call: after an ambiguous failure, only a new one can be ours.
  const notSent = `before DeployApplication was sent: no release was started on app ${appId}`;
  let before: Set<string>;
  try {
    before = new Set((await list(DEPLOY_TYPE)).map((o) => o.id));
  } catch (err) {
    if (signal?.aborted) throw cancelled(notSent);
    throw err;
  }
  if (signal?.aborted) throw cancelled(notSent);

  // A call in flight when the run is cancelled may still answer with the order it started (which on-cancel then
  // stops), but only for the cancel grace: past it, the outputs and the summary must still be written in time.
  const inFlight = graceAfter(signal, CANCEL_GRACE_MS);
  let failure: ApiError | undefined;
  for (let attempt = 0; ; attempt++) {
    try {
      const started = await raceSignal(deployer.deploy(appId, deploy.fields), inFlight);
      log.info(`${deployer.product} started change order ${started.changeOrderId} for app ${appId}.`);
      if (started.needsApproval)
        log.info(
          `The change needs approval (IsNeedApproval) before SAE runs it: on-approval is ${options.onApproval ?? 'wait'}.`,
        );
      return { ...started, recovered: false };
    } catch (err) {
      if (inFlight?.aborted)
        throw cancelled(
          `while DeployApplication was in flight, and no answer came within ${CANCEL_GRACE_MS / 1000} s more: whether it started a release on app ${appId} is unknown; check the app in the SAE console`,
        );
      if (!(err instanceof ApiError)) throw err;
      if (refusedBeforeActing(err) && attempt < THROTTLE_RETRIES) {
        const delay = Math.min(policy.maxDelayMs, policy.minDelayMs * 2 ** attempt);
        log.info(
          `DeployApplication was refused (${err.code}); SAE did not act on it, so it is sent again in ${formatDuration(delay)}.`,
        );
        await wait(delay, `while DeployApplication waited to be sent again: no release was started on app ${appId}`);
        continue;
      }
      if (err.code === CHANGE_RUNNING) throw await refusedOverRunning(err, options, list);
      if (err.kind === 'rejected' || refusedBeforeActing(err)) throw err;
      failure = err;
      break;
    }
  }

  // Ambiguous: the release may have started. Look for it; never deploy again.
  log.warning(
    `DeployApplication failed in a way that does not say whether the release started (${failure.explained}). It is not sent again (a second call could start a second release): looking for a new change order of app ${appId} with this step's description.`,
  );
  const unknown = `whether DeployApplication started a release on app ${appId} is unknown: check the app in the SAE console`;
  let lastError: ApiError | undefined;
  for (let i = 0; i < RECOVERY_LISTS; i++) {
    if (i) await wait(options.pollIntervalMs, `while looking for the change order of a deploy that failed; ${unknown}`);
    let orders: ChangeOrderSummary[];
    try {
      orders = await list(DEPLOY_TYPE);
    } catch (err) {
      if (signal?.aborted) throw cancelled(`while looking for the change order of a deploy that failed; ${unknown}`);
      if (!(err instanceof ApiError)) throw err;
      lastError = err;
      continue;
    }
    const ours = orders.filter((o) => !before.has(o.id) && (o.description ?? '').trim() === deploy.description.trim());
    if (ours.length > 1)
      throw new DeployError(
        `DeployApplication failed (${failure.explained}) and app ${appId} now has ${ours.length} new change orders with this step's description (${ours.map((o) => o.id).join(', ')}): the action cannot tell which to gate; check them in the SAE console`,
      );
    // More than one was refused above, so `order` is the only new one, or there is none yet.
    const [order] = ours;
    if (order) {
      log.info(
        `Found change order ${order.id} of app ${appId}: created after the call, with this step's description, so the deploy did start it.`,
      );
      return {
        changeOrderId: order.id,
        needsApproval: statusInfo(order.status).phase === 'waiting-approval',
        recovered: true,
      };
    }
  }
  throw new DeployError(
    `DeployApplication failed (${failure.explained}) and whether it started a release is unknown: after ${RECOVERY_LISTS} reads, app ${appId} has no new change order with the description ${JSON.stringify(deploy.description)}${lastError ? ` (the last read failed: ${lastError.explained})` : ''}. It was not sent again, so that no second release starts; check the app in the SAE console before running this step again`,
  );
}

/** The refusal to deploy over a running change, naming the running order as ListChangeOrders tells it. */
async function refusedOverRunning(
  err: ApiError,
  options: StartOptions,
  list: () => Promise<ChangeOrderSummary[]>,
): Promise<DeployError> {
  const { appId, service } = options;
  const head = `SAE refused to deploy app ${appId}: another change is in progress (${err.code}${err.requestId ? `, request ${err.requestId}` : ''})`;
  const how =
    'The action never deploys over a running change: wait for it to end (gate it in an earlier step with "change-order-id", or with "app-id" alone, or serialise deploys with a workflow "concurrency" group), then run this step again';
  let orders: ChangeOrderSummary[];
  try {
    orders = await list();
  } catch (listError) {
    const why = listError instanceof ApiError ? listError.explained : String(listError);
    return new DeployError(`${head}, and the running change order could not be read (${why}). ${how}.`);
  }
  const chosen = chooseChangeOrder(orders.filter((o) => !isSettled(statusInfo(o.status).phase)));
  if (!chosen)
    return new DeployError(
      `${head}, but ListChangeOrders shows no change order of the app in progress (it may just have ended). ${how}.`,
    );
  const o = chosen.order;
  return new DeployError(
    `${head}: change order ${o.id}${o.type ? ` (${o.type})` : ''} is ${statusInfo(o.status).text}, created ${o.createTime ?? 'at an unknown time'}${o.description ? `, ${JSON.stringify(o.description)}` : ''}; see ${service.consoleUrl(o.id)}. ${how}.`,
  );
}
