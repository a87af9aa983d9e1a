import { describe, expect, it } from '@jest/globals';
import { ApiError, type ErrorKind } from '../../src/alicloud/api-error.js';
import { retryPolicyFor, withRetry, type RetryOptions, type RetryPolicy } from '../../src/alicloud/retry.js';

describe('retryPolicyFor', () => {
  // A quarter of the poll interval to start (0.1 s to 2 s), up to three times it (1 s to 60 s); always 4 retries.
  it.each<[number, number, number]>([
    [100, 100, 1000],
    [400, 100, 1200],
    [1000, 250, 3000],
    [1002, 251, 3006],
    [5000, 1250, 15_000],
    [8000, 2000, 24_000],
    [10_000, 2000, 30_000],
    [20_000, 2000, 60_000],
    [3_600_000, 2000, 60_000],
  ])('a %i ms poll starts at %i ms and backs off to at most %i ms', (poll, minDelayMs, maxDelayMs) => {
    expect(retryPolicyFor(poll)).toEqual({ retries: 4, minDelayMs, maxDelayMs });
  });

  it('never starts above where it may grow to', () => {
    for (let poll = 0; poll <= 120_000; poll += 250) {
      const p = retryPolicyFor(poll);
      expect(p.minDelayMs).toBeLessThanOrEqual(p.maxDelayMs);
    }
  });
});

/** Millisecond delays keep these tests fast; withRetry's timing is p-retry's. */
const fast: RetryPolicy = { retries: 3, minDelayMs: 1, maxDelayMs: 2 };

const err = (kind: ErrorKind, code = `Code.${kind}`): ApiError =>
  new ApiError('DescribeChangeOrder', code, 'scripted', kind, kind === 'rejected' ? 403 : 503, 'REQ-1');

/** A call that throws each of `failures` in turn, then answers "ok". */
function scripted(failures: Error[]): { call: () => Promise<string>; calls: () => number } {
  let n = 0;
  return {
    call: async () => {
      const f = failures[n];
      n += 1;
      if (f !== undefined) throw f;
      return 'ok';
    },
    calls: () => n,
  };
}

function run(failures: Error[], options: Partial<RetryOptions> = {}) {
  const s = scripted(failures);
  const retried: [string, number, number][] = [];
  const result = withRetry('DescribeChangeOrder', s.call, {
    policy: fast,
    onRetry: (e, attempt, delayMs) => void retried.push([e.code, attempt, delayMs]),
    ...options,
  });
  return { result, calls: s.calls, retried };
}

describe('withRetry', () => {
  it('answers at once when the call succeeds', async () => {
    const r = run([]);
    await expect(r.result).resolves.toBe('ok');
    expect(r.calls()).toBe(1);
    expect(r.retried).toEqual([]);
  });

  it.each<ErrorKind>(['throttled', 'unavailable', 'timeout', 'network', 'malformed'])(
    'retries a %s error and tells onRetry about it',
    async (kind) => {
      const r = run([err(kind)]);
      await expect(r.result).resolves.toBe('ok');
      expect(r.calls()).toBe(2);
      expect(r.retried).toEqual([[`Code.${kind}`, 1, expect.any(Number)]]);
      expect(r.retried[0]?.[2]).toBeGreaterThanOrEqual(1);
      expect(r.retried[0]?.[2]).toBeLessThanOrEqual(fast.maxDelayMs);
    },
  );

  it('ends at once on a rejected request, with that error and no retry', async () => {
    const refused = err('rejected', 'Forbidden.RAM');
    const r = run([refused]);
    await expect(r.result).rejects.toBe(refused);
    expect(r.calls()).toBe(1);
    expect(r.retried).toEqual([]);
  });

  it('retries a rejected code that alsoRetry names, and only that one', async () => {
    const busy = err('rejected', 'Application.ChangerOrderRunning');
    const alsoRetry = (e: ApiError) => e.code === 'Application.ChangerOrderRunning';
    const r = run([busy, busy], { alsoRetry });
    await expect(r.result).resolves.toBe('ok');
    expect(r.calls()).toBe(3);
    expect(r.retried.map(([code, attempt]) => [code, attempt])).toEqual([
      ['Application.ChangerOrderRunning', 1],
      ['Application.ChangerOrderRunning', 2],
    ]);

    const other = run([err('rejected', 'Forbidden.RAM')], { alsoRetry });
    await expect(other.result).rejects.toMatchObject({ code: 'Forbidden.RAM' });
    expect(other.calls()).toBe(1);
  });

  it('gives up after policy.retries retries with the last error; onRetry hears only about retries', async () => {
    const errors = [err('throttled', 'T1'), err('throttled', 'T2'), err('throttled', 'T3'), err('throttled', 'T4')];
    const r = run([...errors, err('throttled', 'never reached')]);
    await expect(r.result).rejects.toBe(errors[3]);
    expect(r.calls()).toBe(fast.retries + 1);
    expect(r.retried.map(([code, attempt]) => [code, attempt])).toEqual([
      ['T1', 1],
      ['T2', 2],
      ['T3', 3],
    ]);
  });

  it('classifies a raw pop-core error: a throttled one is retried', async () => {
    const raw = Object.assign(new Error('code: 400, Request was denied due to user flow control., requestid: R1'), {
      code: 'Throttling.User',
      statusCode: 400,
    });
    const r = run([raw]);
    await expect(r.result).resolves.toBe('ok');
    expect(r.retried).toEqual([['Throttling.User', 1, expect.any(Number)]]);
  });

  it('classifies a raw pop-core error: a refusal ends at once as an ApiError of the operation', async () => {
    const raw = Object.assign(new Error('code: 403, You are not authorized, requestid: R2'), {
      code: 'Forbidden.RAM',
      statusCode: 403,
    });
    const r = run([raw]);
    const thrown = await r.result.catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(ApiError);
    expect(thrown).toMatchObject({
      operation: 'DescribeChangeOrder',
      code: 'Forbidden.RAM',
      kind: 'rejected',
      httpStatus: 403,
      requestId: 'R2',
    });
    expect(r.calls()).toBe(1);
  });

  it('retries a socket error and throws it as a network ApiError when it persists', async () => {
    const reset = () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const r = run([reset(), reset(), reset(), reset()]);
    await expect(r.result).rejects.toMatchObject({ code: 'ECONNRESET', kind: 'network' });
    expect(r.calls()).toBe(4);
    expect(r.retried).toHaveLength(3);
  });

  it('stops when the signal aborts, rejecting with its reason rather than an API error', async () => {
    const controller = new AbortController();
    const reason = new Error('cancelled by the runner');
    const r = run([err('throttled'), err('throttled')], {
      policy: { retries: 3, minDelayMs: 60_000, maxDelayMs: 60_000 },
      signal: controller.signal,
      onRetry: () => controller.abort(reason),
    });
    await expect(r.result).rejects.toBe(reason);
    expect(r.calls()).toBe(1);
  });

  it('does not start when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('already gone'));
    const r = run([], { signal: controller.signal });
    await expect(r.result).rejects.toThrow('already gone');
    expect(r.calls()).toBe(0);
  });

  it('cuts the backoff to fit maxRetryTimeMs and stops retrying once it is spent', async () => {
    const errors = Array.from({ length: 9 }, (_, i) => err('throttled', `T${i + 1}`));
    const started = performance.now();
    const r = run([...errors], {
      policy: { retries: 8, minDelayMs: 60_000, maxDelayMs: 60_000 },
      maxRetryTimeMs: 20,
    });
    const thrown = await r.result.catch((e: unknown) => e);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(thrown).toBeInstanceOf(ApiError);
    expect(r.calls()).toBeGreaterThanOrEqual(2);
    expect(r.calls()).toBeLessThan(9);
    expect((thrown as ApiError).code).toBe(`T${r.calls()}`);
    // Every retry that happened was announced, in order, and the attempt that ran out of time was not.
    expect(r.retried.map(([code]) => code)).toEqual(errors.slice(0, r.calls() - 1).map((e) => e.code));
  });
});
