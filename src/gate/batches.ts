import { fromPopCoreError } from '../alicloud/api-error.js';
import { raceSignal } from '../time/cancel.js';
import type { Batch, ChangeOrder, ChangeOrderService } from '../products/change-order.js';
import { orderPhase, waitingBatch } from '../products/change-order.js';
import type { Clock } from '../time/clock.js';
import { formatDuration } from '../time/duration.js';
import type { HealthChecks, ProbeResult } from './health.js';
import type { Log } from '../runner/log.js';
import type { WatchEnd } from './watch.js';
import type { OnApproval, OnManualBatch } from '../inputs/settings.js';

export interface BatchPolicy {
  readonly onManualBatch: OnManualBatch;
  readonly onApproval: OnApproval;
  /** How long a finished batch must run healthy before the next one is released (confirm mode). */
  readonly bakeTimeMs: number;
}

/** What happened between two batches (confirm mode): for the summary. */
export interface BakeRecord {
  /** The batch that was baking (the one that just finished), by index in the order. */
  readonly batchIndex: number;
  /** When the gate first saw the next batch waiting, ms epoch. */
  readonly startedAt: number;
  /** When the gate released the next batch. */
  confirmedAt?: number;
  probes: ProbeResult[];
}

/**
 * Refusals of a confirm that mean "not yet": the request did nothing, so once a re-read shows the batch still waits it
 * is sent again, like after throttling.
 */
const NOT_YET = new Set(['Pipeline.Can.Not.Start.Next.Batch', 'Application.ChangerOrderRunning', 'System.Upgrading']);

/** How a definitive refusal differs from a request that may or may not have reached the API. */
function ambiguous(kind: string): boolean {
  return kind === 'timeout' || kind === 'network' || kind === 'malformed' || kind === 'unavailable';
}

/**
 * Decides what to do while a change order waits for a person (status 8 or 11), and in confirm mode releases the next
 * batch once the last one has baked and passed its health checks. ConfirmPipelineBatch changes state although it is a
 * GET: it is sent once per batch; after a refusal the order is re-read before another try, and after an ambiguous
 * failure (timeout, reset) it is not sent again at all.
 */
export class BatchGate {
  readonly bakes = new Map<number, BakeRecord>();
  private readonly sent = new Set<string>();
  private readonly announced = new Set<string>();

  constructor(
    private readonly service: ChangeOrderService,
    private readonly policy: BatchPolicy,
    private readonly clock: Clock,
    private readonly log: Log,
    private readonly health?: HealthChecks,
    /** The run's signal: a cancelled run stops waiting for a confirm at once. */
    private readonly signal?: AbortSignal,
  ) {}

  /** Called with every read of an order that has not settled; returns how the watch should end, or undefined to go on. */
  async onRead(order: ChangeOrder): Promise<WatchEnd | undefined> {
    const phase = orderPhase(order);
    if (phase === 'waiting-approval') {
      if (this.policy.onApproval === 'wait') return undefined;
      return { kind: 'paused', order, waiting: 'approval', passes: this.policy.onApproval === 'succeed' };
    }
    if (phase !== 'waiting-batch') return undefined;
    const { onManualBatch } = this.policy;
    if (onManualBatch === 'wait') return undefined;
    const batch = waitingBatch(order);
    if (onManualBatch !== 'confirm')
      return { kind: 'paused', order, waiting: 'batch', batch, passes: onManualBatch === 'succeed' };
    if (!batch) {
      this.once('no-batch', () =>
        this.log.warning(
          `Change order ${order.id} waits for a batch confirmation, but the response does not say which batch: waiting for a person.`,
        ),
      );
      return undefined;
    }
    if (this.sent.has(batch.id)) return undefined; // released already; the API has not caught up yet
    const index = order.batches.indexOf(batch);
    const bakingIndex = Math.max(0, index - 1);
    const now = this.clock.now();
    const bake = this.bakes.get(bakingIndex) ?? { batchIndex: bakingIndex, startedAt: now, probes: [] };
    this.bakes.set(bakingIndex, bake);
    const label = `batch ${index + 1}/${order.batches.length} "${batch.name}"`;

    if (this.health) {
      const round = await this.health.round();
      bake.probes.push(...round.results);
      if (round.failed)
        return { kind: 'unhealthy', order, probe: round.failed, afterBatch: index > 0 ? bakingIndex : undefined };
      if (!round.healthy) {
        this.log.warning(
          `Health check failed (${round.results
            .filter((r) => !r.ok)
            .map((r) => `${r.url}: ${r.error}`)
            .join('; ')}); not releasing ${label} until it passes.`,
        );
        return undefined;
      }
    }
    const left = this.policy.bakeTimeMs - (now - bake.startedAt);
    if (left > 0) {
      this.once(`bake-${batch.id}`, () =>
        this.log.info(
          `Baking ${index > 0 ? `batch ${index}/${order.batches.length}` : 'the release'} for ${formatDuration(this.policy.bakeTimeMs)} before releasing ${label}${this.health ? ', with health checks' : ''}.`,
        ),
      );
      return undefined;
    }
    await this.confirm(order, batch, label, bake);
    return undefined;
  }

  private async confirm(order: ChangeOrder, batch: Batch, label: string, bake: BakeRecord): Promise<void> {
    this.sent.add(batch.id);
    for (let attempt = 1; attempt <= 3; attempt++) {
      try {
        await raceSignal(this.service.confirmBatch(batch.id), this.signal);
        bake.confirmedAt = this.clock.now();
        this.log.info(
          `Released ${label} (confirmed after ${formatDuration(bake.confirmedAt - bake.startedAt)} of bake time).`,
        );
        return;
      } catch (err) {
        if (this.signal?.aborted) return;
        const error = fromPopCoreError('ConfirmPipelineBatch', err);
        if (ambiguous(error.kind)) {
          this.log.warning(
            `Releasing ${label} got no clear answer (${error.message}); it is not sent again, so a batch is never released twice. If the batch does not start, release it in the console.`,
          );
          return;
        }
        // A clear refusal: the request did nothing. Re-read before deciding to try again.
        const fresh = await raceSignal(this.service.describe(order.id), this.signal).catch(() => undefined);
        if (fresh && waitingBatch(fresh)?.id !== batch.id) return;
        if ((error.transient || NOT_YET.has(error.code)) && attempt < 3 && fresh) {
          this.log.info(`Releasing ${label} was refused (${error.message}); the order still waits, trying again.`);
          const slept = await this.clock.sleep(1000 * attempt, this.signal).then(
            () => true,
            () => false,
          );
          if (!slept) return;
          continue;
        }
        this.log.warning(
          `Could not release ${label}: ${error.message}. Release it in the console, or the gate will wait until the timeout.`,
        );
        return;
      }
    }
  }

  private once(key: string, say: () => void): void {
    if (this.announced.has(key)) return;
    this.announced.add(key);
    say();
  }
}
