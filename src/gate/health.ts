/** One health probe: a GET that must answer 2xx within the timeout. */
export interface ProbeResult {
  readonly url: string;
  readonly ok: boolean;
  /** HTTP status, when there was an answer. */
  readonly status?: number;
  /** What went wrong, when it did. */
  readonly error?: string;
  /** ms epoch. */
  readonly at: number;
  readonly ms: number;
}

export type Probe = (url: string, timeoutMs: number) => Promise<Omit<ProbeResult, 'at'>>;

/** Probes with Node's fetch; never throws. */
export const fetchProbe: Probe = async (url, timeoutMs) => {
  const started = performance.now();
  try {
    const res = await fetch(url, {
      method: 'GET',
      redirect: 'follow',
      signal: AbortSignal.timeout(timeoutMs),
      headers: { 'user-agent': 'sae-release-gate health check' },
    });
    await res.body?.cancel().catch(() => undefined);
    const ms = Math.round(performance.now() - started);
    return res.ok
      ? { url, ok: true, status: res.status, ms }
      : { url, ok: false, status: res.status, error: `HTTP ${res.status}`, ms };
  } catch (err) {
    const ms = Math.round(performance.now() - started);
    const e = err as { name?: string; cause?: { code?: string }; message?: string };
    const error =
      e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (e.cause?.code ?? e.message ?? String(err));
    return { url, ok: false, error, ms };
  }
};

/** Counts consecutive failures per URL; unhealthy once any URL fails `threshold` times in a row. */
export class HealthChecks {
  private readonly streaks = new Map<string, number>();
  readonly results: ProbeResult[] = [];

  constructor(
    readonly urls: readonly string[],
    private readonly threshold: number,
    private readonly probe: Probe,
    private readonly timeoutMs: number,
    private readonly now: () => number,
  ) {}

  /** Probes every URL once; returns the failing result that crossed the threshold, if one did. */
  async round(): Promise<{ healthy: boolean; failed?: ProbeResult; results: ProbeResult[] }> {
    const at = this.now();
    const results = await Promise.all(
      this.urls.map(async (url) => ({ ...(await this.probe(url, this.timeoutMs)), at })),
    );
    this.results.push(...results);
    let failed: ProbeResult | undefined;
    for (const r of results) {
      const streak = r.ok ? 0 : (this.streaks.get(r.url) ?? 0) + 1;
      this.streaks.set(r.url, streak);
      if (streak >= this.threshold && !failed) failed = r;
    }
    return { healthy: results.every((r) => r.ok), failed, results };
  }
}
