/**
 * npm run test:faults: the fault matrix. Every fault the API can throw at the gate, crossed with every way a release
 * can end, run end to end: the bundled dist/index.js as a child process against its own fake SAE on 127.0.0.1.
 * The rule checked in every case: no false success, no crash, no stack trace for the user, no remedy on a release
 * that already succeeded, at most one remedy per run, and no secret anywhere a person or a later step could read.
 * Prints one line per case and ends with "N passed, N failed".
 */
import {
  FakeCloud,
  type BodyRewriter,
  type Fault,
  type OrderScript,
  type TimelineStep,
} from '../__fixtures__/cloud.js';
import { readableText, runAction, type ActionRun } from '../__fixtures__/action.js';
import { readCli } from './cli.js';

const USAGE = `Usage: npm run test:faults [-- FILTER]

Runs the fault matrix against dist/index.js (run npm run bundle first): every fault the fake SAE can inject, crossed
with every way a release can end. FILTER keeps only the faults whose name contains it. Ends with "N passed, N failed".
`;
const cli = readCli(USAGE, {}, { maxPositionals: 1 });

const KEY_ID = 'LTAI5tFAULTMATRIXkeyid';
const SECRET = 'FaultMatrixSecret-7f3a9c21b8e4';

type Outcome = 'success' | 'failure' | 'timeout';
const OUTCOMES: Outcome[] = ['success', 'failure', 'timeout'];

/** What the release does, by outcome; each read advances it one step. */
const TIMELINES: Record<Outcome, TimelineStep[]> = {
  success: [
    { status: 1, batches: [1, 0], reads: 1 },
    { status: 9, batches: [2, 0], reads: 1 },
    { status: 1, batches: [2, 1], reads: 1 },
    { status: 2, batches: [2, 2] },
  ],
  failure: [
    { status: 1, batches: [1, 0], reads: 1 },
    { status: 1, batches: [2, 1], reads: 1 },
    { status: 1, subStatus: 1, batches: [2, 1], errorMessage: 'Readiness probe failed' },
  ],
  timeout: [{ status: 1, batches: [1, 0] }],
};

interface Expect {
  result: string;
  remedy: string;
  /** Abort requests the API accepted. */
  accepted: number;
}
const NORMAL: Record<Outcome, Expect> = {
  success: { result: 'succeeded', remedy: 'none', accepted: 0 },
  failure: { result: 'failed', remedy: 'abort-and-rollback', accepted: 1 },
  timeout: { result: 'timed-out', remedy: 'abort', accepted: 1 },
};

interface FaultCase {
  name: string;
  /** Sets the fault up on a fresh cloud and order script (before the run). */
  arrange: (cloud: FakeCloud, script: OrderScript, outcome: Outcome) => void;
  inputs?: Record<string, string>;
  /** What to expect instead of the normal outcome, when the fault changes it. */
  expect?: (outcome: Outcome) => Expect;
  /** Steps to put in front of the timeline. */
  prelude?: TimelineStep[];
  /** Default sae. */
  product?: 'sae' | 'edas';
  /** The case answers a status no model documents, on purpose: the fake's own contract walk is told to expect it. */
  undocumented?: boolean;
}

/** Line breaks, workflow commands, ANSI escapes and controls: what a hostile API puts in any text field (issue 19). */
const HOSTILE = 'X\n::add-mask::leak\r::stop-commands::tok\r\n##[group]g\u0085::warning::n\u001b[31mred\u0000\u009b2J';

/** What no case may ever show: a command line we did not write, a raw control character, an unbounded line or output. */
function hostileChecks(run: ActionRun): string[] {
  const why: string[] = [];
  const ours = /^::(debug|error|warning|notice|add-mask|set-output|save-state)( [^:]*)?::/;
  if (run.stdout.split('\n').some((l) => /^\s*(::|##\[)/.test(l) && !ours.test(l))) why.push('INJECTED COMMAND');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/.test(run.stdout)) why.push('RAW CONTROL CHARACTER');
  if (run.stdout.split('\n').some((l) => l.length > 8300)) why.push('UNBOUNDED LOG LINE');
  if (Object.values(run.outputs).some((v) => v.length > 64 * 1024)) why.push('UNBOUNDED OUTPUT');
  return why;
}

const onDescribe = (fault: Fault, times: number) => (cloud: FakeCloud) =>
  cloud.injectFault(fault, { action: 'DescribeChangeOrder', times });
const rewrite =
  (fn: (data: Record<string, unknown>) => void): BodyRewriter =>
  (body) => {
    if (body.Data && typeof body.Data === 'object') fn(body.Data as Record<string, unknown>);
  };

const FAULTS: FaultCase[] = [
  { name: 'throttling burst', arrange: onDescribe({ kind: 'throttle' }, 4) },
  { name: 'HTTP 500', arrange: onDescribe({ kind: 'http', status: 500 }, 2) },
  { name: 'HTTP 503', arrange: onDescribe({ kind: 'http', status: 503 }, 2) },
  { name: 'HTML 502 page', arrange: onDescribe({ kind: 'html', status: 502 }, 2) },
  { name: 'connection reset', arrange: onDescribe({ kind: 'reset' }, 2) },
  {
    name: 'slower than request-timeout',
    arrange: onDescribe({ kind: 'slow', ms: 2500 }, 1),
    inputs: { 'request-timeout': '1s' },
  },
  { name: 'truncated JSON', arrange: onDescribe({ kind: 'malformed' }, 2) },
  {
    name: 'HTTP 200 Success:false (transient code)',
    arrange: onDescribe({ kind: 'success-false', code: 'ServiceUnavailable' }, 2),
  },
  {
    name: 'HTTP 200 Success:false (refusal)',
    arrange: onDescribe({ kind: 'success-false', code: 'Resouce.no.permission', message: 'You are not authorized' }, 1),
    expect: () => ({ result: 'error', remedy: 'none', accepted: 0 }),
  },
  {
    name: 'missing Data',
    arrange: onDescribe({ kind: 'body', body: { RequestId: 'R', Code: '200', Success: true, Message: 'success' } }, 2),
  },
  { name: 'missing Pipelines', arrange: (_c, s) => void (s.extra = rewrite((d) => delete d.Pipelines)) },
  {
    name: 'Pipelines as an object',
    arrange: (_c, s) =>
      void (s.extra = rewrite((d) => void (d.Pipelines = Array.isArray(d.Pipelines) ? d.Pipelines[0] : d.Pipelines))),
  },
  {
    name: 'unknown status code',
    arrange: () => undefined,
    prelude: [{ status: 42, batches: [0, 0], reads: 2 }],
    undocumented: true,
  },
  {
    name: 'status flapping',
    arrange: () => undefined,
    prelude: [
      { status: 1, batches: [1, 0], reads: 1 },
      { status: 9, batches: [1, 0], reads: 1 },
      { status: 0, batches: [1, 0], reads: 1 },
      { status: 1, batches: [1, 0], reads: 1 },
    ],
  },
  { name: 'InvalidChangeOrder.NotFound at first', arrange: onDescribe({ kind: 'not-found' }, 2) },
  {
    name: 'abort answered Not.Running',
    arrange: (cloud) =>
      cloud.injectFault(
        {
          kind: 'body',
          status: 400,
          body: {
            RequestId: 'R',
            Code: 'Application.ChangerOrder.Not.Running',
            Message: 'The change order is not running and cannot be terminated.',
          },
        },
        { action: 'AbortChangeOrder', times: 5 },
      ),
    // The order did not really settle (the fake refused the abort while it still ran): the gate re-reads it and keeps its verdict, claiming no remedy.
    expect: (o) => (o === 'success' ? NORMAL.success : { ...NORMAL[o], remedy: 'none', accepted: 0 }),
  },
  {
    name: 'abort throttled',
    arrange: (cloud) => cloud.injectFault({ kind: 'throttle' }, { action: 'AbortChangeOrder', times: 2 }),
  },
  // Refusal forms of issue 14: a numeric Code with the real code in ErrorCode, System.Upgrading, EDAS refusing
  // abort-and-rollback, and aborts refused while the order waits for a person.
  {
    name: 'ErrorCode body on reads (503, Code 503, ErrorCode ServiceUnavailable)',
    arrange: onDescribe({ kind: 'error-code', status: 503, errorCode: 'ServiceUnavailable' }, 2),
  },
  {
    name: 'ErrorCode body on reads (400, Code 400, ErrorCode Throttling.User)',
    arrange: onDescribe({ kind: 'error-code', errorCode: 'Throttling.User' }, 3),
  },
  {
    name: 'ErrorCode body: abort answered another change is running',
    arrange: (cloud) =>
      cloud.injectFault(
        { kind: 'error-code', errorCode: 'Application.ChangerOrderRunning' },
        { action: 'AbortChangeOrder', times: 1 },
      ),
  },
  {
    name: 'ErrorCode body: abort answered Not.Running',
    arrange: (cloud) =>
      cloud.injectFault(
        { kind: 'error-code', errorCode: 'Application.ChangerOrder.Not.Running' },
        { action: 'AbortChangeOrder', times: 5 },
      ),
    // The order still runs: a read says so, and the gate claims no remedy.
    expect: (o) => (o === 'success' ? NORMAL.success : { ...NORMAL[o], remedy: 'none', accepted: 0 }),
  },
  {
    name: 'System.Upgrading on reads',
    arrange: onDescribe({ kind: 'http', status: 400, code: 'System.Upgrading' }, 2),
  },
  {
    name: 'System.Upgrading on the abort',
    arrange: (cloud) =>
      cloud.injectFault(
        { kind: 'http', status: 400, code: 'System.Upgrading' },
        { action: 'AbortChangeOrder', times: 1 },
      ),
  },
  {
    name: 'EDAS abort-and-rollback refused (app on ECS)',
    product: 'edas',
    arrange: (_c, s) => void (s.cluster = 'ecs'),
    inputs: { product: 'edas', 'on-timeout': 'abort-and-rollback' },
    // EDAS has no SubStatus: the "failure" timeline runs into the timeout too. The rollback is refused; the plain
    // abort that follows is accepted.
    expect: (o) => (o === 'success' ? NORMAL.success : { result: 'timed-out', remedy: 'abort', accepted: 1 }),
  },
  {
    name: 'abort refused while waiting at a manual batch',
    arrange: (_c, s, o) => {
      s.abortableStatuses = [0, 1];
      if (o === 'timeout')
        s.timeline = [
          { status: 1, batches: [1, 0], reads: 1 },
          { status: 8, batches: [2, 8] },
        ];
    },
    // Timeout: the abort is refused as "not running", a read shows the order waiting, and Confirm=false stops it.
    expect: (o) => (o === 'timeout' ? { result: 'timed-out', remedy: 'abort', accepted: 0 } : NORMAL[o]),
  },
  {
    name: 'abort refused while waiting for approval',
    arrange: (_c, s, o) => {
      if (o !== 'timeout') return;
      s.abortableStatuses = [];
      s.timeline = [{ status: 11, batches: [0, 0] }];
    },
    // Nothing can stop it: the remedy is reported failed, with the status a read shows.
    expect: (o) => (o === 'timeout' ? { result: 'timed-out', remedy: 'none', accepted: 0 } : NORMAL[o]),
  },
  // Issue 19, the network is hostile. The class number leads the name, so `npm run test:faults -- "[1]"` runs one
  // class and the counts per class are printed at the end. Every case also gets the checks of hostileChecks().
  {
    name: '[1] hostile text in every field of the order',
    undocumented: true,
    arrange: (_c, s) => {
      Object.assign(s, { appName: HOSTILE, coType: HOSTILE, description: HOSTILE });
      s.batches = s.batches.map((b, i) => ({ name: `${HOSTILE}-${i}` }));
      s.timeline = s.timeline.map((t) => (t.errorMessage ? { ...t, errorMessage: HOSTILE } : t));
    },
  },
  {
    name: '[1] hostile message on transient read faults',
    arrange: onDescribe({ kind: 'success-false', code: 'Throttling.User', message: HOSTILE }, 2),
  },
  {
    name: '[1] hostile message on a throttled abort',
    arrange: (cloud) => {
      cloud.injectFault(
        { kind: 'success-false', code: 'Throttling.User', message: HOSTILE },
        { action: 'AbortChangeOrder', times: 1 },
      );
      cloud.injectFault(
        { kind: 'success-false', code: 'Throttling.User', message: HOSTILE },
        { action: 'AbortAndRollbackChangeOrder', times: 1 },
      );
    },
  },
  {
    name: '[2] read error echoes the secret, plain and URL-encoded',
    arrange: onDescribe(
      {
        kind: 'http',
        status: 503,
        code: 'ServiceUnavailable',
        message: `string to sign:GET\nkey:${SECRET}\nq=${encodeURIComponent(SECRET)}`,
      },
      2,
    ),
  },
  {
    name: '[5] answers larger than the body cap',
    arrange: onDescribe({ kind: 'body', body: `{"RequestId":"${'x'.repeat(5 * 1024 * 1024)}"}` }, 2),
  },
  {
    name: '[5] a 1 MB Description and ErrorMessage',
    arrange: (_c, s) => {
      s.description = 'D'.repeat(1_000_000);
      s.timeline = s.timeline.map((t) => (t.errorMessage ? { ...t, errorMessage: 'E'.repeat(1_000_000) } : t));
    },
  },
];

interface CaseResult {
  label: string;
  ok: boolean;
  why: string[];
  ms: number;
}

async function runCase(fault: FaultCase, outcome: Outcome): Promise<CaseResult> {
  const started = Date.now();
  const cloud = await FakeCloud.start({ accessKeys: { [KEY_ID]: SECRET } });
  const id = `co-${fault.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}-${outcome}`;
  const script: OrderScript = {
    id,
    product: fault.product ?? 'sae',
    appId: 'app-faults',
    batches: [{ name: 'Batch 1' }, { name: 'Batch 2' }],
    timeline: [...(fault.prelude ?? []), ...TIMELINES[outcome]],
  };
  fault.arrange(cloud, script, outcome);
  cloud.addOrder(script);
  let run: ActionRun;
  try {
    run = await runAction({
      inputs: {
        'change-order-id': id,
        'region-id': 'cn-hangzhou',
        endpoint: cloud.url,
        'access-key-id': KEY_ID,
        'access-key-secret': SECRET,
        'poll-interval': '1s',
        timeout: outcome === 'timeout' ? '5s' : '40s',
        ...fault.inputs,
      },
    });
  } finally {
    if (fault.undocumented)
      cloud.violations.splice(0, cloud.violations.length, ...cloud.violations.filter((v) => v.side !== 'response'));
    await cloud.close();
  }
  const expected = fault.expect?.(outcome) ?? NORMAL[outcome];
  const aborts = cloud.calls.filter(
    (c) => c.action === 'AbortChangeOrder' || c.action === 'AbortAndRollbackChangeOrder',
  );
  // EDAS refuses at HTTP 200 with another numeric Code: an abort counts as accepted only when its body says so too.
  const accepted = aborts.filter((c) => {
    const body = (c.answer && typeof c.answer === 'object' ? c.answer : {}) as { Code?: unknown; Success?: unknown };
    return (
      c.status === 200 &&
      body.Success !== false &&
      (body.Code === undefined || body.Code === 200 || body.Code === '200')
    );
  }).length;
  const why: string[] = [];
  const out = run.outputs;
  if (out.result !== expected.result) why.push(`result ${out.result}, expected ${expected.result}`);
  if (out.result === 'succeeded' && expected.result !== 'succeeded') why.push('FALSE SUCCESS');
  if ((out.remedy ?? 'none') !== expected.remedy) why.push(`remedy ${out.remedy}, expected ${expected.remedy}`);
  if (accepted !== expected.accepted) why.push(`${accepted} accepted aborts, expected ${expected.accepted}`);
  if (accepted > 1) why.push('MORE THAN ONE REMEDY');
  if (out.result === 'succeeded' && aborts.length) why.push('REMEDY ON A SUCCEEDED RELEASE');
  const wantCode = out.result === 'succeeded' ? 0 : 1;
  if (run.code !== wantCode) why.push(`exit code ${run.code}, expected ${wantCode}`);
  const text = readableText(run);
  if (
    /^\s+at .+:\d+:\d+\)?$/m.test(
      run.stdout
        .split('\n')
        .filter((l) => !l.startsWith('::debug::'))
        .join('\n') + run.stderr,
    ) ||
    /TypeError|ReferenceError/.test(text)
  )
    why.push('stack trace or crash in the output');
  if (text.includes(SECRET) || text.includes(encodeURIComponent(SECRET))) why.push('SECRET LEAKED');
  why.push(...hostileChecks(run));
  return {
    label: `${fault.name} × ${outcome}: result=${out.result} remedy=${out.remedy} aborts=${aborts.length} (accepted ${accepted})`,
    ok: why.length === 0,
    why,
    ms: Date.now() - started,
  };
}

const only = cli.positionals[0];
const cases = FAULTS.filter((f) => !only || f.name.includes(only)).flatMap((f) => OUTCOMES.map((o) => [f, o] as const));
const results: CaseResult[] = [];
const CONCURRENCY = 4;
let next = 0;
const t0 = Date.now();
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    while (next < cases.length) {
      const [fault, outcome] = cases[next++];
      const r = await runCase(fault, outcome).catch((e: unknown): CaseResult => ({
        label: `${fault.name} × ${outcome}`,
        ok: false,
        why: [`harness error: ${String(e)}`],
        ms: 0,
      }));
      results.push(r);
      console.log(
        `${r.ok ? 'ok  ' : 'FAIL'} ${r.label} (${(r.ms / 1000).toFixed(1)}s)${r.ok ? '' : ` — ${r.why.join('; ')}`}`,
      );
    }
  }),
);
const passed = results.filter((r) => r.ok).length;
console.log(
  `fault matrix: ${FAULTS.length} faults × ${OUTCOMES.length} outcomes in ${((Date.now() - t0) / 1000).toFixed(0)}s`,
);
const byClass = new Map<string, { passed: number; total: number }>();
for (const r of results) {
  const klass = /^\[(\d+)\]/.exec(r.label)?.[1] ?? 'other';
  const c = byClass.get(klass) ?? { passed: 0, total: 0 };
  c.total += 1;
  if (r.ok) c.passed += 1;
  byClass.set(klass, c);
}
for (const [klass, c] of [...byClass].sort())
  console.log(`${klass === 'other' ? 'other faults' : `issue 19 class ${klass}`}: ${c.passed}/${c.total} passed`);
const falseSuccesses = results.filter((r) => r.why.includes('FALSE SUCCESS')).length;
console.log(`${falseSuccesses} false successes`);
console.log(`${passed} passed, ${results.length - passed} failed`);
process.exitCode = passed === results.length ? 0 : 1;
