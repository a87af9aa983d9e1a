import type { ApiError } from '../alicloud/api-error.js';
import type { Batch, ChangeOrder } from '../products/change-order.js';
import { batchesSucceeded, orderPhase, waitingBatch } from '../products/change-order.js';
import { formatDuration } from '../time/duration.js';
import type { Log } from '../runner/log.js';
import { hasNotStarted, hasSucceeded, statusInfo } from '../products/status.js';

const HEARTBEAT_MS = 60_000;

/**
 * Turns a stream of change-order reads into a readable log: one line per transition (order status, each batch), a
 * heartbeat about once a minute with elapsed time and an estimate of what is left, and a clear call when a person
 * must act. Raw responses stay at debug level (the transport logs them).
 */
export class ProgressLog {
  private lastOrder?: ChangeOrder;
  private lastFailure?: string;
  private lastLineAt: number;
  private introduced = false;

  constructor(
    private readonly log: Log,
    private readonly consoleUrl: string,
    private readonly startedAt: number,
    private readonly deadline: number,
    /** on-manual-batch is confirm: a waiting batch is the gate's to release, not a person's. */
    private readonly confirmsBatches = false,
  ) {
    this.lastLineAt = startedAt;
  }

  /** Call with every successful read. */
  observe(order: ChangeOrder, now: number): void {
    const before = this.lastOrder;
    this.lastOrder = order;
    this.lastFailure = undefined;
    if (!this.introduced) {
      this.introduced = true;
      this.say(describeOrder(order), now);
      this.say(`Console: ${this.consoleUrl}`, now);
    }
    if (!before || before.status !== order.status || before.subStatus !== order.subStatus)
      this.orderChanged(order, now);
    const total = order.batches.length;
    order.batches.forEach((batch, i) => {
      const prev = before?.batches.find((b) => b.id === batch.id);
      if (prev?.status === batch.status) return;
      if (!prev && hasNotStarted(batch.status)) return; // nothing to say yet
      this.say(`${batchLabel(batch, i, total)} ${batchWords(batch)}`, now);
    });
    if (now - this.lastLineAt >= HEARTBEAT_MS) this.heartbeat(order, now);
  }

  /** Call when a status read failed after its retries. */
  readFailed(error: ApiError, consecutive: number, limit: number, now: number, note?: string): void {
    // The same failure again (a new order not found yet, a throttling burst) is said once, then at debug level: the
    // log grows with what changes, not with polls. The failure that ends the watch is always said.
    const key = `${error.operation}|${error.code}|${error.httpStatus ?? ''}|${note ? 'young' : ''}`;
    const line = `Could not read the change order (${consecutive}/${limit} failed reads in a row): ${error.message}${note ? `. ${note}` : ''}`;
    if (key === this.lastFailure && consecutive < limit) {
      this.log.debug(line);
      return;
    }
    this.lastFailure = key;
    this.log.warning(line);
    this.lastLineAt = now;
  }

  /** Call once per poll cycle even without a read, so long waits keep a pulse. */
  tick(now: number): void {
    if (this.lastOrder && now - this.lastLineAt >= HEARTBEAT_MS) this.heartbeat(this.lastOrder, now);
  }

  private orderChanged(order: ChangeOrder, now: number): void {
    const phase = orderPhase(order);
    const info = statusInfo(order.status);
    if (phase === 'stuck') {
      this.say(
        `Change order is ${info.text} but reports an error (SubStatus ${order.subStatus}): the release cannot finish on its own${order.errorMessage ? `: ${order.errorMessage}` : ''}`,
        now,
      );
    } else if (phase === 'waiting-batch' && this.confirmsBatches) {
      const waiting = waitingBatch(order);
      this.say(
        `Change order waits for the next batch to be confirmed${waiting ? ` (${waiting.name})` : ''}; on-manual-batch is confirm, so the gate releases it once the last batch has baked`,
        now,
      );
    } else if (phase === 'waiting-batch') {
      const waiting = waitingBatch(order);
      this.log.notice(
        `A person must act: change order ${order.id} waits for someone to confirm the next batch${waiting ? ` (${waiting.name})` : ''} in the console: ${this.consoleUrl}`,
      );
      this.lastLineAt = now;
    } else if (phase === 'waiting-approval') {
      this.log.notice(`A person must act: change order ${order.id} waits for approval: ${this.consoleUrl}`);
      this.lastLineAt = now;
    } else if (phase === 'unknown') {
      this.log.warning(
        `Change order reports status ${order.status}, which this action does not know; it keeps waiting (an unknown status never counts as success)`,
      );
      this.lastLineAt = now;
    } else {
      this.say(`Change order: ${info.text} (status ${order.status})`, now);
    }
  }

  private heartbeat(order: ChangeOrder, now: number): void {
    const done = batchesSucceeded(order);
    const running = order.batches.findIndex((b) => !hasSucceeded(b.status) && !hasNotStarted(b.status));
    const runningBatch = order.batches[running];
    const where = order.batches.length
      ? `, ${done}/${order.batches.length} batches done${runningBatch ? `, batch ${running + 1} ${statusInfo(runningBatch.status).text}` : ''}`
      : '';
    const estimate = estimateLeftMs(order, now);
    const left =
      estimate !== undefined ? `about ${formatDuration(estimate)} left by the pace of finished batches; ` : '';
    this.say(
      `Still waiting after ${formatDuration(now - this.startedAt)}: ${statusInfo(order.status).text}${where}; ${left}timeout in ${formatDuration(this.deadline - now)}`,
      now,
    );
  }

  private say(line: string, now: number): void {
    this.log.info(line);
    this.lastLineAt = now;
  }
}

function describeOrder(order: ChangeOrder): string {
  const app = order.appName ? `${order.appName}${order.appId ? ` (${order.appId})` : ''}` : order.appId;
  const kind = order.type ?? order.typeCode ?? 'change';
  const batches = order.batches.length
    ? `${order.batches.length} batch${order.batches.length === 1 ? '' : 'es'}`
    : 'no batches yet';
  return `Watching change order ${order.id}: ${kind}${app ? ` of app ${app}` : ''}, ${batches}${order.batchType ? `, ${order.batchType} release` : ''}`;
}

export function batchLabel(batch: Batch, index: number, total: number): string {
  return `Batch ${index + 1}/${total} "${batch.name}"`;
}

function batchWords(batch: Batch): string {
  const text = statusInfo(batch.status).text;
  if (hasSucceeded(batch.status) && batch.startTime && batch.updateTime && batch.updateTime >= batch.startTime) {
    return `${text} (took ${formatDuration(batch.updateTime - batch.startTime)})`;
  }
  return text;
}

/** Average time of the finished batches times the batches still to go, less what the current one has used. */
export function estimateLeftMs(order: ChangeOrder, now: number): number | undefined {
  const finished = order.batches.filter(
    (b) => hasSucceeded(b.status) && b.startTime && b.updateTime && b.updateTime >= b.startTime,
  );
  if (!finished.length) return undefined;
  const avg = finished.reduce((sum, b) => sum + (b.updateTime! - b.startTime!), 0) / finished.length;
  const left = order.batches.filter((b) => !hasSucceeded(b.status));
  if (!left.length) return undefined;
  const current = left.find((b) => b.startTime);
  const usedByCurrent = current?.startTime ? Math.max(0, now - current.startTime) : 0;
  return Math.max(0, avg * left.length - Math.min(usedByCurrent, avg));
}
