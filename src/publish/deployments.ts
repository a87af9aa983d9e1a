import type { Remedy } from '../inputs/settings.js';
import { batchesSucceeded } from '../products/change-order.js';
import { hasSucceeded } from '../products/status.js';
import { formatDuration } from '../time/duration.js';
import type { Log } from '../runner/log.js';
import type { Report } from '../gate/report.js';
import type { EventInfo } from '../runner/event.js';

export type DeploymentState = 'in_progress' | 'success' | 'failure' | 'error';

/** Where to post: a GitHub Deployment of this repository. */
export interface DeploymentTarget {
  readonly owner: string;
  readonly repo: string;
  readonly id: number;
  readonly token: string;
  /** The workflow run, so the deployment links back to this log. */
  readonly logUrl: string;
  readonly environmentUrl?: string;
}

export type PostStatus = (
  target: DeploymentTarget,
  state: DeploymentState,
  description: string,
  signal?: AbortSignal,
) => Promise<void>;

/** A GitHub call gets this long; a GitHub that does not answer must not hold up the gate or its report. */
export const GITHUB_DEADLINE_MS = 10_000;
/** The most a GitHub answer may hold (a deployment status is under 4 KiB). */
export const GITHUB_BODY_MAX = 1024 * 1024;

/** The run's deployment, if there is one to keep in step: the `deployment` event's, or the deployment-id input. */
export function deploymentTarget(
  settings: { deploymentId?: number; githubToken?: string; environmentUrl?: string },
  event: EventInfo,
  env: NodeJS.ProcessEnv,
  log: Log,
): DeploymentTarget | undefined {
  const id = settings.deploymentId ?? event.deployment?.id;
  if (id === undefined) return undefined;
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/');
  if (!owner || !repo) {
    log.warning(`Not posting deployment statuses for deployment ${id}: GITHUB_REPOSITORY is not set`);
    return undefined;
  }
  if (!settings.githubToken) {
    log.warning(`Not posting deployment statuses for deployment ${id}: the github-token input is empty`);
    return undefined;
  }
  const server = env.GITHUB_SERVER_URL ?? 'https://github.com';
  const attempt = env.GITHUB_RUN_ATTEMPT ? `/attempts/${env.GITHUB_RUN_ATTEMPT}` : '';
  const logUrl = env.GITHUB_RUN_ID
    ? `${server}/${owner}/${repo}/actions/runs/${env.GITHUB_RUN_ID}${attempt}`
    : `${server}/${owner}/${repo}/actions`;
  return { owner, repo, id, token: settings.githubToken, logUrl, environmentUrl: settings.environmentUrl };
}

/** Posts through @actions/github, loaded only when a deployment is in play (it is most of the bundle's weight). */
export const postWithOctokit: PostStatus = async (target, state, description, signal) => {
  const { getOctokit } = await import('@actions/github');
  const octokit = getOctokit(target.token, { request: { fetch: boundedFetch, signal } });
  await octokit.rest.repos.createDeploymentStatus({
    owner: target.owner,
    repo: target.repo,
    deployment_id: target.id,
    state,
    log_url: target.logUrl,
    environment_url: target.environmentUrl,
    description: description.slice(0, 140),
  });
};

/**
 * fetch with the body read here, at most GITHUB_BODY_MAX bytes after decompression (the body is then handed to Octokit
 * whole), so a gzip bomb or an endless body is a failed post, not a crash or a hang.
 */
async function boundedFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const response = await fetch(input, init);
  const reader = response.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (reader) {
    for (;;) {
      const { done, value } = (await reader.read()) as { done: boolean; value?: Uint8Array };
      if (done || !value) break;
      size += value.length;
      if (size > GITHUB_BODY_MAX) {
        await reader.cancel().catch(() => undefined);
        throw new Error(`the GitHub API answered more than ${GITHUB_BODY_MAX / 1024 / 1024} MiB`);
      }
      chunks.push(value);
    }
  }
  const headers = new Headers(response.headers);
  // The body is already decoded: its encoding and length no longer describe it.
  headers.delete('content-encoding');
  headers.delete('content-length');
  const empty = response.status === 204 || response.status === 304 || response.status < 200;
  return new Response(empty ? null : Buffer.concat(chunks), {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}

/** Keeps a GitHub Deployment in step with the gate. A failure to post is a warning, never a change of verdict. */
export class DeploymentStatuses {
  /** The posts in order: a status never overtakes the one before it. */
  private last: Promise<void> = Promise.resolve();

  constructor(
    private readonly target: DeploymentTarget,
    private readonly log: Log,
    private readonly post: PostStatus = postWithOctokit,
    /** The run's signal: a cancelled run stops waiting for GitHub. */
    private readonly signal?: AbortSignal,
    private readonly deadlineMs = GITHUB_DEADLINE_MS,
  ) {}

  /**
   * Posts a status after the ones before it, each bounded by the deadline and the run's signal. Never rejects; callers
   * that need not wait (the first "in_progress") do not await it.
   */
  update(state: DeploymentState, description: string): Promise<void> {
    this.last = this.last.then(() => this.send(state, description));
    return this.last;
  }

  private async send(state: DeploymentState, description: string): Promise<void> {
    const timeout = AbortSignal.timeout(this.deadlineMs);
    const signal = this.signal ? AbortSignal.any([this.signal, timeout]) : timeout;
    let timer: NodeJS.Timeout | undefined;
    const bounded = new Promise<never>((_, reject) => {
      const fail = () =>
        reject(
          new Error(
            timeout.aborted
              ? `GitHub did not answer within ${formatDuration(this.deadlineMs)}`
              : 'the run was cancelled',
          ),
        );
      if (signal.aborted) return fail();
      signal.addEventListener('abort', fail, { once: true });
      // Also without a signal-aware post (tests pass plain functions), the wait ends at the deadline.
      timer = setTimeout(fail, this.deadlineMs);
      timer.unref();
    });
    try {
      await Promise.race([this.post(this.target, state, description, signal), bounded]);
      this.log.info(`Deployment ${this.target.id}: ${state} (${description})`);
    } catch (err) {
      const status = (err as { status?: unknown }).status;
      const hint =
        status === 403 || status === 404 ? ' (does the workflow have "permissions: deployments: write"?)' : '';
      this.log.warning(
        `Could not set the status of deployment ${this.target.id} to ${state}: ${err instanceof Error ? err.message : String(err)}${hint}`,
      );
    } finally {
      clearTimeout(timer);
    }
  }
}

const STATE_FOR: Record<Report['result'], DeploymentState> = {
  succeeded: 'success',
  failed: 'failure',
  aborted: 'failure',
  'timed-out': 'failure',
  error: 'error',
  cancelled: 'error',
  paused: 'in_progress',
  superseded: 'failure',
};

/** What the release was left as, in the deployment's description. */
const REMEDY_WORDS: Readonly<Record<Remedy, string>> = {
  'abort-and-rollback': 'aborted and rolled back',
  abort: 'aborted',
  none: 'left as it is',
};

/** The deployment status and a one-line description (GitHub keeps 140 characters), e.g. "Batch 2/3 failed; aborted and rolled back". */
export function deploymentStatusFor(report: Report): { state: DeploymentState; description: string } {
  const order = report.order;
  const total = order?.batches.length ?? 0;
  const failedIndex = order && report.failedBatch ? order.batches.findIndex((b) => b.name === report.failedBatch) : -1;
  const current = order ? order.batches.findIndex((b) => !hasSucceeded(b.status)) : -1;
  const done = report.rollback?.changeOrderId
    ? `rollback ${report.rollback.state}`
    : report.remedy?.state === 'failed'
      ? 'abort FAILED'
      : REMEDY_WORDS[report.remedy?.applied ?? 'none'];
  let description = '';
  switch (report.result) {
    case 'succeeded':
      description = total ? `All ${total} batches succeeded` : 'Change order succeeded';
      break;
    case 'failed':
      description =
        failedIndex >= 0 ? `Batch ${failedIndex + 1}/${total} failed; ${done}` : `Change order failed; ${done}`;
      break;
    case 'aborted':
      description = `Change order was aborted outside the gate (${order ? batchesSucceeded(order) : 0}/${total} batches done)`;
      break;
    case 'timed-out':
      description = `Timed out after ${formatDuration(report.endedAt - report.startedAt)}${current >= 0 && total ? ` at batch ${current + 1}/${total}` : ''}; ${done}`;
      break;
    case 'cancelled':
      description = `Run cancelled; ${done}`;
      break;
    case 'error':
      description = `Gate error: ${report.reason}`;
      break;
    case 'superseded':
      description = `Superseded by change order ${report.verification?.newerChangeOrderId ?? '?'}`;
      break;
    case 'paused':
      description = report.waitingBatch
        ? `Paused: ${report.waitingBatch} waits for confirmation`
        : 'Paused: waits for approval';
      break;
  }
  // A pause the user accepts leaves the deployment in progress; one they do not is a failure.
  const state = report.result === 'paused' && !report.passes ? 'failure' : STATE_FOR[report.result];
  return { state, description: description.length > 140 ? `${description.slice(0, 139)}…` : description };
}
