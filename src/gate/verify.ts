import { fromPopCoreError, type ApiError } from '../alicloud/api-error.js';
import { withRetry, type RetryPolicy } from '../alicloud/retry.js';
import type { AppInstance, AppService, AppStatus } from '../products/app.js';
import type { Log } from '../runner/log.js';
import { raceSignal } from '../time/cancel.js';
import type { Clock } from '../time/clock.js';
import { formatDuration } from '../time/duration.js';
import type { HealthChecks, ProbeResult } from './health.js';

/**
 * After the change order succeeded: is the app really running it? Reads the app (status and instances) once, then,
 * with verify-time, keeps reading it and probing the health-check URLs for that long (the bake after the last batch).
 */

/** How a verification ended. Only `passed` lets the step pass; `superseded` and `error` never roll anything back. */
export type VerificationState = 'passed' | 'failed' | 'superseded' | 'error' | 'timed-out' | 'cancelled';

export interface Verification {
  readonly state: VerificationState;
  /** One sentence for the reason, the log and the summary. */
  readonly detail: string;
  /** What was checked, in the user's words, for the summary. */
  readonly checks: readonly string[];
  /** The change order that replaced the gated one (superseded). */
  readonly newerChangeOrderId?: string;
  /** The bake after the last batch: how long it was asked for and how long it ran. */
  readonly bake?: { readonly wantedMs: number; readonly ranMs: number; readonly reads: number };
  readonly probes: readonly ProbeResult[];
  readonly error?: ApiError;
}

/** What one read of the app says. Pure: the table test in verify.test.ts covers it. */
export type Judgement =
  | { readonly kind: 'healthy'; readonly checks: readonly string[] }
  | { readonly kind: 'superseded'; readonly newer: string }
  /** `checks`: what passed before the problem was found, for the summary. */
  | { readonly kind: 'unhealthy'; readonly problem: string; readonly checks: readonly string[] };

const INSTANCES_SHOWN = 3;

/** Judges one read of the app against the change order that was gated. */
export function judgeApp(
  changeOrderId: string,
  status: AppStatus,
  instances: readonly AppInstance[],
  knowsLastChangeOrder: boolean,
): Judgement {
  const checks: string[] = [];
  if (knowsLastChangeOrder) {
    const last = status.lastChangeOrderId;
    if (!last)
      return { kind: 'unhealthy', problem: 'names no last change order, so it cannot be running this one', checks };
    if (last !== changeOrderId) return { kind: 'superseded', newer: last };
    if (status.lastChangeOrderPhase !== 'succeeded' || status.lastChangeOrderRunning === true)
      return {
        kind: 'unhealthy',
        problem: `says its last change order ${last} is ${status.lastChangeOrderStatus ?? 'of unknown status'}${status.lastChangeOrderRunning ? ' and still running' : ''}`,
        checks,
      };
    checks.push(`the app's last change order is this one, with status ${status.lastChangeOrderStatus}`);
  }
  if (status.hasError)
    return { kind: 'unhealthy', problem: 'reports an error (SubStatus RUNNING_BUT_HAS_ERROR)', checks };
  if (knowsLastChangeOrder) checks.push('the app reports no error (SubStatus NORMAL)');
  const ready = instances.filter((i) => i.ready);
  const wanted = status.wantedInstances;
  if (ready.length < wanted || status.runningInstances < wanted) {
    const bad = instances
      .filter((i) => !i.ready)
      .slice(0, INSTANCES_SHOWN)
      .map((i) => `${i.id}: ${i.state}${i.message ? ` (${i.message})` : ''}`);
    return {
      kind: 'unhealthy',
      problem: `has ${ready.length} of ${wanted} wanted instances running and ready (${status.runningInstances} running)${bad.length ? `; ${bad.join('; ')}` : ''}`,
      checks,
    };
  }
  checks.push(`${ready.length} of ${wanted} wanted instances are running and ready`);
  return { kind: 'healthy', checks };
}

/** What the stages after the change order (verify, bake, rollback) share: the app, the order, and how to read. */
export interface AppStepOptions {
  readonly app: AppService;
  readonly appId: string;
  /** The change order that was gated. */
  readonly changeOrderId: string;
  readonly clock: Clock;
  readonly log: Log;
  readonly signal?: AbortSignal;
  readonly retry: RetryPolicy;
  readonly pollIntervalMs: number;
  /** Failed reads in a row (after retries) before the stage ends in `error` (input max-api-errors). */
  readonly maxApiErrors: number;
}

export interface VerifyOptions extends AppStepOptions {
  /** The bake after the last batch (input verify-time); 0 checks once. */
  readonly verifyTimeMs: number;
  /** ms epoch: the end of the run's timeout, which the bake counts against. */
  readonly deadline: number;
  /** The health-check URLs, probed on every read of the bake. */
  readonly health?: HealthChecks;
}

/** Verifies the release and bakes it. Never throws: every way it can end is a Verification. */
export async function verifyRelease(o: VerifyOptions): Promise<Verification> {
  const { clock, log } = o;
  const app = `${o.app.product} app ${o.appId}`;
  const probes: ProbeResult[] = [];
  const first = await readApp(o);
  if ('state' in first) return { ...first, checks: [], probes };
  if (first.kind === 'superseded') return superseded(o, first.newer);
  if (first.kind === 'unhealthy')
    return {
      state: 'failed',
      detail: `The change order succeeded, but the app ${first.problem}.`,
      checks: first.checks,
      probes,
    };
  for (const c of first.checks) log.info(`Verified ${app}: ${c}.`);
  if (o.verifyTimeMs <= 0) return { state: 'passed', detail: `Verified ${app}.`, checks: first.checks, probes };

  const start = clock.now();
  const end = start + o.verifyTimeMs;
  let reads = 1;
  const bake = () => ({ wantedMs: o.verifyTimeMs, ranMs: clock.now() - start, reads });
  log.info(
    `Baking the release for ${formatDuration(o.verifyTimeMs)}: reading ${app}${o.health ? ' and probing the health-check URLs' : ''} every ${formatDuration(o.pollIntervalMs)}.`,
  );
  for (;;) {
    const now = clock.now();
    if (now >= end) break;
    if (now >= o.deadline)
      return {
        state: 'timed-out',
        detail: `The timeout ran out ${formatDuration(now - start)} into the ${formatDuration(o.verifyTimeMs)} bake after the last batch; the app was healthy until then.`,
        checks: first.checks,
        bake: bake(),
        probes,
      };
    try {
      await clock.sleep(Math.min(o.pollIntervalMs, end - now, o.deadline - now), o.signal);
    } catch {
      return {
        state: 'cancelled',
        detail: 'The run was cancelled during the bake.',
        checks: first.checks,
        bake: bake(),
        probes,
      };
    }
    const after = `${formatDuration(clock.now() - start)} into the bake`;
    if (o.health) {
      const round = await o.health.round();
      probes.push(...round.results);
      if (round.failed)
        return {
          state: 'failed',
          detail: `The change order succeeded, but health check ${round.failed.url} failed ${after}: ${round.failed.error ?? 'unhealthy'}.`,
          checks: first.checks,
          bake: bake(),
          probes,
        };
    }
    const seen = await readApp(o);
    reads += 1;
    if ('state' in seen) return { ...seen, checks: first.checks, bake: bake(), probes };
    if (seen.kind === 'superseded') return { ...superseded(o, seen.newer), bake: bake(), probes };
    if (seen.kind === 'unhealthy')
      return {
        state: 'failed',
        detail: `The change order succeeded, but ${after} the app ${seen.problem}.`,
        checks: first.checks,
        bake: bake(),
        probes,
      };
  }
  const probed = probes.length ? `, ${probes.filter((p) => p.ok).length}/${probes.length} health probes passed` : '';
  const checks = [
    ...first.checks,
    `stayed healthy for ${formatDuration(o.verifyTimeMs)} after the last batch (${reads} reads${probed})`,
  ];
  log.info(`Verified ${app}: it ${checks[checks.length - 1]}.`);
  return {
    state: 'passed',
    detail: `Verified ${app} and baked it for ${formatDuration(o.verifyTimeMs)}.`,
    checks,
    bake: bake(),
    probes,
  };
}

function superseded(o: VerifyOptions, newer: string): Verification {
  return {
    state: 'superseded',
    detail: `The change order succeeded, but a newer change order ${newer} has replaced it on ${o.app.product} app ${o.appId}; neither order was touched.`,
    checks: [],
    newerChangeOrderId: newer,
    probes: [],
  };
}

type Failed = Pick<Verification, 'state' | 'detail' | 'error'>;

/**
 * Reads the app's status and instances, retried like the change-order reads: each read with backoff, and up to
 * max-api-errors failed reads in a row, a poll interval apart, within the timeout. A refusal or running out (of
 * reads or of time) ends it in `error`.
 */
async function readApp(o: VerifyOptions): Promise<Judgement | Failed> {
  let failures = 0;
  for (;;) {
    try {
      const read = <T>(operation: string, call: () => Promise<T>) =>
        withRetry(`${o.app.product} ${operation}`, () => raceSignal(call(), o.signal), {
          policy: o.retry,
          signal: o.signal,
          onRetry: (e, attempt, delayMs) =>
            o.log.debug(`${operation} attempt ${attempt} failed (${e.message}); retrying in ${delayMs} ms`),
        });
      const status = await read('app status', () => o.app.status(o.appId));
      const instances = await read('app instances', () => o.app.instances(o.appId));
      return judgeApp(o.changeOrderId, status, instances, o.app.knowsLastChangeOrder);
    } catch (err) {
      if (o.signal?.aborted) return { state: 'cancelled', detail: 'The run was cancelled while verifying the app.' };
      const error = fromPopCoreError(`${o.app.product} app read`, err);
      failures += 1;
      // Failed reads in a row stop at max-api-errors, or at the timeout: one read still gets its own retries.
      const outOfTime = o.clock.now() + o.pollIntervalMs >= o.deadline;
      if (!error.transient || failures >= o.maxApiErrors || outOfTime)
        return {
          state: 'error',
          detail: `The change order succeeded, but the app could not be verified${outOfTime && error.transient && failures < o.maxApiErrors ? ' before the timeout' : ''}: ${error.explained}.`,
          error,
        };
      o.log.info(`Reading the app failed (${error.message}); trying again (${failures}/${o.maxApiErrors}).`);
      try {
        await o.clock.sleep(o.pollIntervalMs, o.signal);
      } catch {
        return { state: 'cancelled', detail: 'The run was cancelled while verifying the app.' };
      }
    }
  }
}
