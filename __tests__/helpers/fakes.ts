import { ApiError, type ErrorKind } from '../../src/alicloud/api-error.js';
import type { Batch, ChangeOrder, ChangeOrderService, ChangeOrderSummary } from '../../src/products/change-order.js';
import type { Clock } from '../../src/time/clock.js';
import type { Log } from '../../src/runner/log.js';

/** A clock whose sleeps return at once and move time forward. */
export class FakeClock implements Clock {
  constructor(public t = 1_700_000_000_000) {}
  now(): number {
    return this.t;
  }
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    this.t += ms;
    await Promise.resolve();
    signal?.throwIfAborted();
  }
}

export class RecordingLog implements Log {
  lines: { level: 'info' | 'warning' | 'notice' | 'debug'; message: string }[] = [];
  info(message: string): void {
    this.lines.push({ level: 'info', message });
  }
  warning(message: string): void {
    this.lines.push({ level: 'warning', message });
  }
  notice(message: string): void {
    this.lines.push({ level: 'notice', message });
  }
  debug(message: string): void {
    this.lines.push({ level: 'debug', message });
  }
  text(levels: string[] = ['info', 'warning', 'notice']): string {
    return this.lines
      .filter((l) => levels.includes(l.level))
      .map((l) => l.message)
      .join('\n');
  }
}

export function order(status: number, opts: Partial<ChangeOrder> & { batchStatuses?: number[] } = {}): ChangeOrder {
  const batches: Batch[] = (opts.batchStatuses ?? []).map((s, i) => ({
    id: `p${i + 1}`,
    name: `Batch ${i + 1} Change`,
    status: s,
    startTime: s ? 1000 * i : undefined,
    updateTime: s ? 1000 * i + 500 : undefined,
  }));
  return {
    id: 'co-1',
    appId: 'app-1',
    appName: 'demo',
    subStatus: 0,
    supportRollback: true,
    batches,
    raw: { Status: status },
    ...opts,
    status,
  };
}

export const apiError = (code: string, kind: ErrorKind, httpStatus = 400): ApiError =>
  new ApiError('DescribeChangeOrder', code, 'scripted', kind, httpStatus, 'REQ-1');

/** Each describe() takes the next step of the script (an order or an error); the last step repeats. */
export class ScriptedService implements ChangeOrderService {
  readonly product = 'SAE';
  describes = 0;
  aborts: { id: string; rollback: boolean }[] = [];
  abortErrors: ApiError[] = [];
  /** What describe() answers after an accepted abort. */
  afterAbort?: ChangeOrder;
  constructor(private readonly steps: (ChangeOrder | ApiError)[]) {}
  async describe(_id: string): Promise<ChangeOrder> {
    if (this.aborts.length && this.afterAbort) return this.afterAbort;
    const step = this.steps[Math.min(this.describes, this.steps.length - 1)];
    this.describes += 1;
    if (step === undefined) throw new Error('ScriptedService: no steps scripted');
    if (step instanceof ApiError) throw step;
    return step;
  }
  async abort(id: string, rollback: boolean): Promise<void> {
    const e = this.abortErrors.shift();
    if (e) throw e;
    this.aborts.push({ id, rollback });
  }
  consoleUrl(id: string): string {
    return `https://console.example/co/${id}`;
  }
  confirms: string[] = [];
  confirmErrors: ApiError[] = [];
  async confirmBatch(batchId: string): Promise<void> {
    const e = this.confirmErrors.shift();
    if (e) throw e;
    this.confirms.push(batchId);
  }
  listed: ChangeOrderSummary[] = [];
  async list(appId: string, filter: { type?: string }): Promise<ChangeOrderSummary[]> {
    return this.listed.filter((o) => o.appId === appId && (!filter.type || o.typeCode === filter.type));
  }
}
