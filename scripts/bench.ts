/**
 * npm run bench: how fast and light the bundled action is, against the fake SAE on 127.0.0.1. Every figure is a median
 * over several runs, start-up figures also as a ratio to bare `node -e 0` measured in the same session. Ends with one
 * line per target: figure, target, ok/over. A benchmark, not a test: it never fails the build.
 */
import { execFileSync, spawn } from 'node:child_process';
import ncc from '@vercel/ncc';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { FakeCloud, type OrderScript } from '../__fixtures__/cloud.js';
import { NODE, ROOT, startAction } from '../__fixtures__/action.js';
import { readCli } from './cli.js';
import { soak } from '../__fixtures__/soak.js';

readCli(
  `Usage: npm run bench

Measures the bundled action (start-up, memory, per-poll cost, latencies) against the fake SAE on 127.0.0.1 and prints
medians with ok/over per target; about 5 minutes. GATE_NODE=/path/to/node measures another Node. See
docs/performance.md.
`,
  {},
);

const KEY = 'LTAI-bench-key';
const SECRET = 'bench-secret';
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  // Every index below is within 0..s.length - 1 once s is not empty.
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2) : NaN;
};
/** The first of records the measurement needs; none means the run did not do what it measures, so it stops. */
const first = <T>(records: readonly T[], what: string): T => {
  const [record] = records;
  if (record === undefined) throw new Error(`bench: no ${what} recorded`);
  return record;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Usage {
  wallMs: number;
  cpuMs: number;
  rssMiB: number;
}

/**
 * A preload that writes the process's own CPU time (microsecond resolution) and peak RSS when it exits: /usr/bin/time
 * only has 10 ms resolution, too coarse for per-poll costs. Bare node gets the same preload, so ratios stay fair.
 * Peak RSS is VmHWM from /proc/self/status, not resourceUsage().maxRSS: Linux carries maxRSS across exec, so a child
 * forked from this (larger) process would report the parent's size.
 */
const PROBE = join(mkdtempSync(join(tmpdir(), 'bench-probe-')), 'probe.cjs');
writeFileSync(
  PROBE,
  `process.on('exit', () => {
     const fs = require('fs'); const u = process.resourceUsage();
     let hwm; try { hwm = Number(/VmHWM:\\s*(\\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'))[1]); } catch {}
     fs.writeFileSync(process.env.BENCH_OUT, JSON.stringify({ cpu: (u.userCPUTime + u.systemCPUTime) / 1000, rss: (hwm ?? u.maxRSS) / 1024 }));
   });`,
);

function measured(args: string[], env: Record<string, string>): Promise<Usage> {
  const out = join(mkdtempSync(join(tmpdir(), 'bench-')), 'usage.json');
  const started = performance.now();
  return new Promise((resolveRun, reject) => {
    const child = spawn(NODE, ['--require', PROBE, ...args], {
      env: { PATH: process.env.PATH ?? '', BENCH_OUT: out, ...env },
      stdio: 'ignore',
    });
    child.on('error', reject);
    child.on('close', () => {
      const wallMs = performance.now() - started;
      const { cpu, rss } = JSON.parse(readFileSync(out, 'utf8')) as { cpu: number; rss: number };
      resolveRun({ wallMs, cpuMs: cpu, rssMiB: rss });
    });
  });
}

function runnerEnv(inputs: Record<string, string>): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-run-'));
  const env: Record<string, string> = {
    GITHUB_OUTPUT: join(dir, 'o'),
    GITHUB_STEP_SUMMARY: join(dir, 's'),
    GITHUB_STATE: join(dir, 'st'),
    RUNNER_TEMP: dir,
  };
  // The runner creates the file-command files before the step starts; @actions/core refuses to write without them.
  for (const f of ['o', 's', 'st']) writeFileSync(join(dir, f), '');
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  return env;
}

const cloud = await FakeCloud.start({ accessKeys: { [KEY]: SECRET } });
let seq = 0;
function order(timeline: OrderScript['timeline']): string {
  const id = `bench-${++seq}`;
  cloud.addOrder({ id, batches: [{ name: 'B1' }, { name: 'B2' }], timeline });
  return id;
}
const inputs = (id: string, over: Record<string, string> = {}) => ({
  'change-order-id': id,
  'region-id': 'cn-hangzhou',
  endpoint: cloud.url,
  'access-key-id': KEY,
  'access-key-secret': SECRET,
  'poll-interval': '1s',
  timeout: '1m',
  ...over,
});
const reads = (id: string) =>
  cloud.calls.filter((c) => c.action === 'DescribeChangeOrder' && c.query.ChangeOrderId === id);
const aborts = (id: string) =>
  cloud.calls.filter((c) => c.action === 'AbortChangeOrder' && c.query.ChangeOrderId === id);

const RUNS = 9;
const lines: string[] = [];
const say = (s: string) => {
  console.log(s);
  lines.push(s);
};

// 1. Start-up. The runs of each kind take turns, so a slow spell of the machine hits them all alike.
// For scale, the floor: Node that loads node:http and node:crypto and makes one HMAC, as any signed API client must.
const FLOOR = join(dirname(PROBE), 'floor.cjs');
writeFileSync(FLOOR, `require('node:http'); require('node:crypto').createHmac('sha1', 'k').update('x').digest();`);
// And what @alicloud/pop-core alone costs: a CommonJS bundle (built as dist/ is) that loads it and creates a client.
const POP_CORE_DIR = join(ROOT, 'node_modules/.cache/sae-release-gate-bench');
mkdirSync(POP_CORE_DIR, { recursive: true });
writeFileSync(
  join(POP_CORE_DIR, 'entry.cjs'),
  `const PopCore = require('@alicloud/pop-core'); new PopCore.ROAClient({ endpoint: 'https://sae.cn-hangzhou.aliyuncs.com', apiVersion: '2019-05-06', accessKeyId: 'k', accessKeySecret: 's' });`,
);
const popCoreBundle = await ncc(join(POP_CORE_DIR, 'entry.cjs'), {
  esm: false,
  minify: true,
  quiet: true,
  cache: false,
});
const POP_CORE = join(POP_CORE_DIR, 'bundle.js');
writeFileSync(POP_CORE, popCoreBundle.code);
const bare: Usage[] = [];
const floor: Usage[] = [];
const popCore: Usage[] = [];
const whole: Usage[] = [];
const post: Usage[] = [];
const firstRequest: number[] = [];
for (let i = 0; i < RUNS; i++) {
  bare.push(await measured(['-e', '0'], {}));
  floor.push(await measured([FLOOR], {}));
  popCore.push(await measured(['--no-deprecation', POP_CORE], {}));
  const id = order([{ status: 2, batches: [2, 2] }]);
  const t0 = Date.now();
  whole.push(await measured([join(ROOT, 'dist/index.js')], runnerEnv(inputs(id))));
  firstRequest.push(first(reads(id), 'read').at - t0);
  // The post step after a run that settled (what follows every job): the state says there is nothing to do.
  post.push(
    await measured([join(ROOT, 'dist/post/index.js')], {
      ...runnerEnv(inputs(id)),
      STATE_done: 'true',
      'STATE_change-order-id': id,
    }),
  );
}
const medians = (us: Usage[]) => ({
  wall: median(us.map((u) => u.wallMs)),
  cpu: median(us.map((u) => u.cpuMs)),
  rss: median(us.map((u) => u.rssMiB)),
});
const b = medians(bare);
const w = medians(whole);
const describe = (name: string, u: ReturnType<typeof medians>) =>
  `${name.padEnd(27)} wall ${u.wall.toFixed(0)} ms (${(u.wall / b.wall).toFixed(2)}x), CPU ${u.cpu.toFixed(0)} ms (${(u.cpu / b.cpu).toFixed(2)}x), peak RSS ${u.rss.toFixed(1)} MiB (${(u.rss / b.rss).toFixed(2)}x)`;
say(`node ${execFileSync(NODE, ['--version']).toString().trim()}, ${RUNS} runs each, medians`);
say(
  `bare node -e 0:             wall ${b.wall.toFixed(0)} ms, CPU ${b.cpu.toFixed(0)} ms, peak RSS ${b.rss.toFixed(1)} MiB`,
);
say(describe('floor (http + HMAC only):', medians(floor)));
say(describe('@alicloud/pop-core alone:', medians(popCore)));
say(
  `start to first API request: ${median(firstRequest).toFixed(0)} ms (${(median(firstRequest) / b.wall).toFixed(2)}x bare wall)`,
);
say(describe('whole run, settled order:', w));
say(describe('post step, nothing to do:', medians(post)));

// 2. Detection latency: flip the order to settled at a random moment, time until the process exits.
async function detection(pollS: number, runs: number): Promise<number> {
  const lat: number[] = [];
  for (let i = 0; i < runs; i++) {
    const id = order([{ status: 1, batches: [1, 0] }]);
    const { done } = startAction({ inputs: inputs(id, { 'poll-interval': `${pollS}s` }) });
    while (reads(id).length < 1) await sleep(5);
    await sleep(Math.random() * pollS * 1000);
    const flipped = Date.now();
    cloud.setSnapshot(id, { status: 2, batches: [2, 2] });
    await done;
    lat.push(Date.now() - flipped);
  }
  return median(lat);
}
const det1 = await detection(1, 7);
const det5 = await detection(5, 5);
say(`detection latency: ${det1.toFixed(0)} ms at poll-interval 1s, ${det5.toFixed(0)} ms at 5s (flip to exit)`);

// 3. Remedy latency.
const deadlineLat: number[] = [];
const sigintLat: number[] = [];
for (let i = 0; i < 5; i++) {
  const id = order([{ status: 1, batches: [1, 0] }]);
  await startAction({ inputs: inputs(id, { timeout: '2s' }) }).done;
  deadlineLat.push(first(aborts(id), 'abort').at - (first(reads(id), 'read').at + 2000));
  const id2 = order([{ status: 1, batches: [1, 0] }]);
  const { child, done } = startAction({ inputs: inputs(id2) });
  while (reads(id2).length < 1) await sleep(5);
  await sleep(300);
  const signalled = Date.now();
  child.kill('SIGINT');
  await done;
  sigintLat.push(first(aborts(id2), 'abort').at - signalled);
}
const dl = median(deadlineLat);
say(
  `remedy latency: deadline to abort request ${dl.toFixed(0)} ms (the first read approximates the deadline's start); SIGINT to abort request ${median(sigintLat).toFixed(0)} ms`,
);

// 4. Cost of watching: the CPU a 101-poll run uses beyond a 21-poll run, per poll, so start-up and most of the JIT's
// warm-up cancel out (on Node 24 polls 11 to 41 still cost 60% more than polls 41 to 101: functions called once a poll
// reach the optimising compilers late); requests per poll on the happy path. For scale, the floor: bare Node making the
// same keep-alive GET once a second with node:http. Each round runs all four at once (they are idle between polls), so
// a slow spell of the machine hits them alike; the figure is the median of the rounds.
const [SHORT, LONG, ROUNDS] = [21, 101, 2];
const FLOOR_POLLS = join(dirname(PROBE), 'floor-polls.cjs');
writeFileSync(
  FLOOR_POLLS,
  `const http = require('node:http'); const agent = new http.Agent({ keepAlive: true }); let left = Number(process.argv[2]);
   const poll = () => http.get(process.argv[3], { agent }, (res) => { let body = ''; res.setEncoding('utf8'); res.on('data', (d) => (body += d));
     res.on('end', () => { JSON.parse(body); if (--left > 0) setTimeout(poll, 1000); else agent.destroy(); }); });
   poll();`,
);
async function watching(polls: number): Promise<{ cpuMs: number; reads: number }> {
  const id = order([{ status: 1, batches: [1, 0] }]);
  const u = await measured(
    [join(ROOT, 'dist/index.js')],
    runnerEnv(inputs(id, { timeout: `${polls - 1}s`, 'on-timeout': 'none' })),
  );
  return { cpuMs: u.cpuMs, reads: reads(id).length };
}
const floorUrl = `${cloud.url}/pop/v1/sam/changeorder/DescribeChangeOrder?ChangeOrderId=none`;
const perPoll: number[] = [];
const floorPerPoll: number[] = [];
let readsPerPoll = NaN;
for (let round = 0; round < ROUNDS; round++) {
  const [short, long, floorShort, floorLong] = await Promise.all([
    watching(SHORT),
    watching(LONG),
    measured([FLOOR_POLLS, String(SHORT), floorUrl], {}),
    measured([FLOOR_POLLS, String(LONG), floorUrl], {}),
  ]);
  perPoll.push((long.cpuMs - short.cpuMs) / (long.reads - short.reads));
  floorPerPoll.push((floorLong.cpuMs - floorShort.cpuMs) / (LONG - SHORT));
  readsPerPoll = long.reads / LONG;
}
const cpuPerPoll = median(perPoll);
say(
  `cost of watching: ${(readsPerPoll * LONG).toFixed(0)} reads in ${LONG} polls (${readsPerPoll.toFixed(2)} per poll); CPU ${(cpuPerPoll * 100).toFixed(0)} ms per 100 polls (${cpuPerPoll.toFixed(2)} ms per poll, steady state; rounds ${perPoll.map((x) => x.toFixed(2)).join(', ')}); floor, bare Node's keep-alive GET: ${median(floorPerPoll).toFixed(2)} ms per poll`,
);

// 5. Bundle sizes.
const files: [string, number, number][] = [];
const walk = (dir: string): void => {
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) walk(p);
    else if (/\.(js|cjs|mjs)$/.test(f))
      files.push([relative(ROOT, p), statSync(p).size, gzipSync(readFileSync(p)).length]);
  }
};
walk(resolve(ROOT, 'dist'));
for (const [f, size, gz] of files)
  say(`bundle ${f}: ${(size / 1024).toFixed(0)} KB (${(gz / 1024).toFixed(0)} KB gzip)`);
const mainBundle = files.find(([f]) => f === 'dist/index.js')?.[1] ?? NaN;
await cloud.close();

// 6. The 12-hour soak (issue 19): in process, fake clock, 10 s polls, hourly renewals, throttling bursts.
const soaked = await soak(12);
say(
  `soak, 12 h at 10 s: ${soaked.polls} reads (${soaked.throttled} throttled and retried), ${soaked.renewals} credential renewals, ${soaked.transitions} transitions; ${soaked.lines} log lines (bound ${soaked.lineBound}: transitions + a heartbeat a minute), ${soaked.debugLines} debug lines; heap after GC ${soaked.heapAt500MiB.toFixed(2)} MiB at poll 500, ${soaked.heapEndMiB.toFixed(2)} MiB at the end (growth ${soaked.heapGrowthMiB.toFixed(2)} MiB); summary ${(soaked.summaryBytes / 1024).toFixed(1)} KiB; result ${soaked.result}`,
);

const target = (name: string, figure: number, limit: number, unit: string, digits = 0) =>
  console.log(
    `${name}: ${figure.toFixed(digits)}${unit} (target <= ${limit.toFixed(digits)}${unit}) ${figure <= limit ? 'ok' : 'over'}`,
  );
console.log('\ntargets:');
target('start-up wall vs bare node', w.wall / b.wall, 1.5, 'x', 2);
target('start-up peak RSS vs bare node', w.rss / b.rss, 1.3, 'x', 2);
target('detection latency at 1s', det1, 1000 + 150, ' ms');
target('detection latency at 5s', det5, 5000 + 150, ' ms');
target('deadline to abort', dl, 250, ' ms');
target('requests per poll (happy path)', readsPerPoll, 1, '', 2);
target('CPU per poll', cpuPerPoll, 1, ' ms', 2);
target('main bundle', mainBundle / 1024, 800, ' KB');
target('soak heap growth, poll 500 to 12 h', soaked.heapGrowthMiB, 2, ' MiB', 2);
target('soak log lines vs bound', soaked.lines, soaked.lineBound, '');
target('soak summary', soaked.summaryBytes / 1024, 64, ' KiB', 1);
