import * as core from './runner/core.js';
import { fromPopCoreError } from './alicloud/api-error.js';
import { systemClock } from './time/clock.js';
import { createService, credentialSourceFor, type CreateService } from './connect.js';
import { InputError } from './inputs/parse.js';
import { readInputs } from './inputs/read.js';
import type { Remedy } from './inputs/settings.js';
import { rawResponseLog, type Log } from './runner/log.js';
import { githubIdToken, type IdTokenFetcher } from './alicloud/oidc.js';
import { applyRemedy } from './gate/remedy.js';
import { foreignState, planPost, STATE } from './runner/state.js';

/**
 * The post step's whole budget: it runs after a cancellation, when the runner will not wait long. Everything (the
 * credentials, the abort and its retries, the read after a "not running") shares one deadline below it, leaving time
 * for the summary line.
 */
export const POST_DEADLINE_MS = 8000;
const POST_REMEDY_MS = 6500;

export type PostCore = Log & Pick<typeof core, 'getInput' | 'getState' | 'setSecret'>;

export interface PostDeps {
  readonly core: PostCore;
  readonly env: NodeJS.ProcessEnv;
  readonly appendSummary: (markdown: string) => Promise<void>;
  readonly createService: CreateService;
  /** Fetches a GitHub OIDC ID token when a role is assumed (default core.getIDToken; the main step's token is not kept); tests pass a fake. */
  readonly getIDToken?: IdTokenFetcher;
}

export const defaultPostDeps = (): PostDeps => ({
  core,
  env: process.env,
  appendSummary: core.appendSummary,
  createService,
});

/**
 * The safety net. If main was killed before the release settled and before a remedy was confirmed (state `done` is not
 * "true"), apply on-cancel once, best-effort. Never fails the job: problems become warnings.
 */
export async function runPost(deps: PostDeps = defaultPostDeps()): Promise<'nothing' | 'applied' | 'warned'> {
  const c = deps.core;
  const plan = planPost((name) => c.getState(name));
  if (!plan.act) {
    c.debug(`Post step: nothing to do (${plan.reason}).`);
    return 'nothing';
  }
  const { changeOrderId } = plan;
  const startedAt = Date.now();
  try {
    const { settings } = readInputs(
      (name) => (name === 'change-order-id' ? changeOrderId : c.getInput(name)),
      deps.env,
    );
    const foreign = foreignState((name) => c.getState(name), deps.env, settings.appId);
    if (foreign) {
      c.warning(`Post step: left change order ${changeOrderId} alone: ${foreign}.`);
      return 'nothing';
    }
    // The remedy main was applying when it stopped (an on-failure abort-and-rollback, say) wins over on-cancel.
    const inFlight = parseRemedy(c.getState(STATE.remedy));
    const remedy = inFlight ?? settings.onCancel;
    const input = inFlight
      ? 'the remedy the main step was applying, from the post step'
      : 'on-cancel, from the post step';
    for (const s of [
      settings.credentials?.accessKeySecret,
      settings.credentials?.securityToken,
      settings.credentials?.accessKeyId,
      deps.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN,
    ])
      if (s) c.setSecret(s);
    if (remedy === 'none') {
      c.info(
        `Post step: the main step ended before change order ${changeOrderId} settled; on-cancel is none, so it is left running.`,
      );
      await deps
        .appendSummary(
          `\n> 🧯 **Post step:** the gate stopped before change order <code>${changeOrderId}</code> settled; on-cancel is none, so the release was left running.\n`,
        )
        .catch(() => undefined);
      return 'nothing';
    }
    const credentials = credentialSourceFor(settings, {
      clock: systemClock,
      log: c,
      mask: (s) => c.setSecret(s),
      getIDToken: githubIdToken(deps.env, deps.getIDToken),
      requestTimeoutMs: settings.requestTimeoutMs,
    });
    const service = deps.createService(settings, credentials, rawResponseLog(c, deps.env));
    c.warning(
      `Post step: the main step ended before change order ${changeOrderId} settled; applying ${inFlight ? `the remedy it was applying (${remedy})` : `on-cancel (${remedy})`}.`,
    );
    const outcome = await applyRemedy({
      service,
      changeOrderId,
      remedy,
      input,
      retry: { retries: 3, minDelayMs: 250, maxDelayMs: 1500 },
      log: c,
      deadlineMs: Math.max(500, POST_REMEDY_MS - (Date.now() - startedAt)),
    });
    if (outcome.state === 'failed') c.warning(outcome.detail);
    else c.info(outcome.detail);
    await deps
      .appendSummary(
        `\n> 🧯 **Post step:** the gate stopped before change order <code>${changeOrderId}</code> settled. ${escapeLine(outcome.detail)}\n`,
      )
      .catch((e: unknown) => c.warning(`Could not append to the job summary: ${String(e)}`));
    return outcome.state === 'failed' ? 'warned' : 'applied';
  } catch (err) {
    const message = err instanceof InputError ? err.message : fromPopCoreError('post step', err).message;
    c.warning(`Post step could not check change order ${changeOrderId}: ${message}`);
    return 'warned';
  }
}

function parseRemedy(value: string): Remedy | undefined {
  return value === 'abort' || value === 'abort-and-rollback' || value === 'none' ? value : undefined;
}

function escapeLine(text: string): string {
  return text.replace(/[<>&|`]/g, (ch) => `&#${ch.charCodeAt(0)};`).replace(/\s+/g, ' ');
}
