import * as core from './runner/core.js';
import { ApiError } from './alicloud/api-error.js';
import { systemClock, type Clock } from './time/clock.js';
import type { CredentialSource } from './alicloud/credentials.js';
import {
  createAppService,
  createDeployService,
  createService,
  credentialSourceFor,
  type CreateService,
} from './connect.js';
import type { DeployService } from './products/deploy.js';
import { DeployError, startRelease } from './gate/deploy.js';
import type { AppService } from './products/app.js';
import {
  DeploymentStatuses,
  deploymentStatusFor,
  deploymentTarget,
  postWithOctokit,
  type PostStatus,
} from './publish/deployments.js';
import { formatDuration } from './time/duration.js';
import type { Probe } from './gate/health.js';
import { CANCEL_REMEDY_MS, runGate } from './gate/gate.js';
import { InputError } from './inputs/parse.js';
import { readInputs } from './inputs/read.js';
import type { Settings } from './inputs/settings.js';
import { rawResponseLog, type Log } from './runner/log.js';
import { githubIdToken, type IdTokenFetcher } from './alicloud/oidc.js';
import { PRODUCTS } from './products/registry.js';
import { errorReport, type Report } from './gate/report.js';
import { outputsFor } from './publish/outputs.js';
import { retryPolicyFor, withRetry } from './alicloud/retry.js';
import { runKey, STATE } from './runner/state.js';
import { graceAfter, raceSignal } from './time/cancel.js';
import { renderSummary } from './publish/summary.js';
import { findChangeOrder } from './gate/find.js';
import { resolveTarget, type Target } from './inputs/target.js';
import { readEvent, type EventInfo } from './runner/event.js';

/** The parts of @actions/core that run() uses. */
export type Core = Log &
  Pick<typeof core, 'getInput' | 'setOutput' | 'setFailed' | 'setSecret' | 'error' | 'saveState'>;

export interface Deps {
  readonly core: Core;
  readonly env: NodeJS.ProcessEnv;
  readonly clock: Clock;
  /** Writes the job summary (Markdown). */
  readonly appendSummary: (markdown: string) => Promise<void>;
  readonly createService: CreateService;
  /** The app's status, instances and rollback (verify, bake, put it back); without it only the change order is gated. */
  readonly createAppService?: (
    settings: Settings,
    credentials: CredentialSource,
    debug?: (m: string) => void,
  ) => AppService;
  /** The deploy call (deploy mode); default createDeployService. */
  readonly createDeployService?: (
    settings: Settings,
    credentials: CredentialSource,
    debug?: (m: string) => void,
  ) => DeployService;
  /** Fetches a GitHub OIDC ID token when a role is assumed (default core.getIDToken); tests pass a fake. */
  readonly getIDToken?: IdTokenFetcher;
  /** Posts a GitHub Deployment status. */
  readonly postDeploymentStatus?: PostStatus;
  readonly readEvent?: (env: NodeJS.ProcessEnv) => EventInfo;
  /** Health probe (tests pass a fake). */
  readonly probe?: Probe;
  readonly signal?: AbortSignal;
}

export const defaultDeps = (): Deps => ({
  core,
  env: process.env,
  clock: systemClock,
  appendSummary: core.appendSummary,
  createService,
  createAppService,
  postDeploymentStatus: postWithOctokit,
  readEvent,
});

/** The action: read inputs, find and watch the change order, remedy, report. The only place that sets outputs or fails the step. */
export async function run(deps: Deps = defaultDeps()): Promise<Report | undefined> {
  const { core: c, clock } = deps;
  const startedAt = clock.now();
  let settings: Settings;
  let target: Target;
  let event: EventInfo;
  try {
    const parsed = readInputs((name) => c.getInput(name), deps.env);
    settings = parsed.settings;
    maskSecrets(c, settings, deps.env);
    for (const w of parsed.warnings) c.warning(w);
    event = (deps.readEvent ?? readEvent)(deps.env);
    target = resolveTarget(settings, event);
  } catch (err) {
    const message = err instanceof InputError ? err.message : `Could not read the inputs: ${String(err)}`;
    c.setOutput('result', 'error');
    c.setOutput('error-message', message);
    c.setOutput('deployed', 'false');
    c.setFailed(message);
    return undefined;
  }

  const label = PRODUCTS[settings.product].label;
  c.info(
    `Product: ${label}. Credentials: from ${settings.credentialsSource}. Endpoint: ${settings.endpoint}. Timeout ${formatDuration(settings.timeoutMs)}, polling every ${formatDuration(settings.pollIntervalMs)}.`,
  );
  const deploymentAt = deploymentTarget(settings, event, deps.env, c);
  const deployment = deploymentAt && new DeploymentStatuses(deploymentAt, c, deps.postDeploymentStatus, deps.signal);
  // Not awaited: GitHub must never hold up the watch. The final status below waits for this one (bounded).
  void deployment?.update(
    'in_progress',
    target.changeOrderId
      ? `Watching ${label} change order ${target.changeOrderId}`
      : settings.deploy
        ? `Deploying ${target.appId}`
        : `Looking for the change order of ${target.appId}`,
  );

  let report: Report;
  /** The change order this step started (deploy mode), once DeployApplication returned or was found to have made it. */
  let deployedId: string | undefined;
  try {
    const credentials = credentialSourceFor(settings, {
      clock,
      log: c,
      mask: (s) => c.setSecret(s),
      getIDToken: githubIdToken(deps.env, deps.getIDToken),
      requestTimeoutMs: settings.requestTimeoutMs,
      // A cancelled run may still need fresh credentials for its on-cancel abort: the token request and the exchange
      // stop waiting once that abort's own grace has passed.
      signal: graceAfter(deps.signal, CANCEL_REMEDY_MS),
    });
    // A role is assumed now, so a setup problem (no id-token permission, a trust policy that says no) is reported as such.
    await withRetry('credentials', () => raceSignal(credentials.get(), deps.signal), {
      policy: retryPolicyFor(settings.pollIntervalMs),
      signal: deps.signal,
    });
    const service = deps.createService(settings, credentials, rawResponseLog(c, deps.env));
    let changeOrderId: string;
    let createdBy: string | undefined;
    if (settings.deploy) {
      const deployer = (deps.createDeployService ?? createDeployService)(
        settings,
        credentials,
        rawResponseLog(c, deps.env),
      );
      const started = await startRelease({
        appId: target.appId!,
        deploy: settings.deploy,
        deployer,
        service,
        clock,
        log: c,
        pollIntervalMs: settings.pollIntervalMs,
        onApproval: settings.onApproval,
        signal: deps.signal,
      });
      changeOrderId = deployedId = started.changeOrderId;
      c.info(`Gating change order ${changeOrderId}, which this step started.`);
    } else if (target.changeOrderId !== undefined) {
      changeOrderId = target.changeOrderId;
      c.info(`Gating change order ${changeOrderId}, from ${target.source}.`);
    } else {
      const found = await findChangeOrder(service, target.appId, settings.changeOrderType, settings.regionId, {
        retry: retryPolicyFor(settings.pollIntervalMs),
        signal: deps.signal,
      });
      changeOrderId = found.id;
      createdBy = found.createdBy;
      c.info(`Gating change order ${changeOrderId} of app ${target.appId}: ${found.why}.`);
    }
    // The post step's safety net reads these if this step dies before the release is settled or remedied.
    c.saveState(STATE.changeOrderId, changeOrderId);
    c.saveState(STATE.run, runKey(deps.env));
    c.saveState(STATE.appId, target.appId ?? '');
    c.saveState(STATE.done, 'false');
    report = await runGate({
      settings: { ...settings, changeOrderId },
      probe: deps.probe,
      app: deps.createAppService?.(settings, credentials, rawResponseLog(c, deps.env)),
      expectedAppId: target.appId,
      createdBy,
      service,
      clock,
      log: c,
      signal: deps.signal,
      onSettled: () => c.saveState(STATE.done, 'true'),
      onRemedy: (remedy) => c.saveState(STATE.remedy, remedy),
    });
  } catch (err) {
    // The finder's refusals are the user's to fix; anything else is a bug. Neither may look like success, and no
    // stack trace is shown (it goes to the debug log).
    if (!(err instanceof InputError || err instanceof ApiError || err instanceof DeployError))
      c.debug(err instanceof Error && err.stack ? err.stack : String(err));
    const reason =
      err instanceof ApiError
        ? err.explained
        : err instanceof InputError || err instanceof DeployError
          ? err.message
          : `Release gate error: ${err instanceof Error ? err.message : String(err)}`;
    const where = { product: label, changeOrderId: target.changeOrderId ?? deployedId, regionId: settings.regionId };
    report = errorReport({ ...where, startedAt, endedAt: clock.now() }, reason);
  }
  c.saveState(STATE.done, 'true');
  if (deployedId) report = { ...report, deployed: true, deployedWhat: settings.deploy?.what };

  for (const [name, value] of Object.entries(outputsFor(report))) c.setOutput(name, value);
  if (settings.summary) {
    try {
      await deps.appendSummary(renderSummary(report));
    } catch (err) {
      c.warning(`Could not write the job summary: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (deployment) {
    const { state, description } = deploymentStatusFor(report);
    await deployment.update(state, description);
  }
  if (report.passes) c.info(`Result: ${report.result}. ${report.reason}`);
  else c.setFailed(`Result: ${report.result}. ${report.reason}${report.remedy ? ` ${report.remedy.detail}` : ''}`);
  return report;
}

function maskSecrets(c: Core, settings: Settings, env: NodeJS.ProcessEnv): void {
  const { accessKeyId, accessKeySecret, securityToken } = settings.credentials ?? {};
  // The runner's token for OIDC requests: @actions/core sends it, and a server could echo it.
  const requestToken = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  for (const secret of [accessKeySecret, securityToken, accessKeyId, settings.githubToken, requestToken])
    if (secret) c.setSecret(secret);
  // deploy-parameters may hold environment variables and secrets (Envs, SecretMountDesc, OssAkSecret...).
  for (const secret of settings.deploy?.secrets ?? []) c.setSecret(secret);
}
