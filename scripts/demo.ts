/**
 * npm run demo [-- success|rollback|timeout]: runs the bundled action (dist/index.js) as the runner would, against the
 * built-in simulated SAE on 127.0.0.1, with a realistic three-batch release. Prints the log as it happens, then the
 * outputs and the path of the job summary it wrote.
 */
import { resolve } from 'node:path';
import { FakeCloud, type TimelineStep } from '../__tests__/fake/cloud.js';
import { ROOT, startAction } from '../__tests__/helpers/action.js';

const scenario = process.argv[2] ?? 'success';
const timelines: Record<string, TimelineStep[]> = {
  success: [
    { status: 0, batches: [0, 0, 0], ms: 800 },
    { status: 1, batches: [1, 0, 0], ms: 2500 },
    { status: 9, batches: [2, 0, 0], ms: 1200 },
    { status: 1, batches: [2, 1, 0], ms: 2500 },
    { status: 9, batches: [2, 2, 0], ms: 1200 },
    { status: 1, batches: [2, 2, 1], ms: 2500 },
    { status: 2, batches: [2, 2, 2] },
  ],
  rollback: [
    { status: 1, batches: [1, 0, 0], ms: 2500 },
    { status: 1, batches: [2, 1, 0], ms: 2500 },
    { status: 1, subStatus: 1, batches: [2, 1, 0], errorMessage: 'Readiness probe failed: HTTP probe failed with statuscode: 503' },
  ],
  timeout: [{ status: 1, batches: [1, 0, 0] }],
};
if (!timelines[scenario]) {
  console.error(`Unknown scenario "${scenario}": use one of ${Object.keys(timelines).join(', ')}`);
  process.exit(2);
}

const keyId = 'LTAI-demo-key';
const secret = 'demo-secret-do-not-print';
const cloud = await FakeCloud.start({ accessKeys: { [keyId]: secret } });
const id = '765fa5c0-9ebb-4bb4-b383-1f885447demo';
cloud.addOrder({
  id,
  appId: '7171a6ca-d1cd-4928-8642-7d5cfe69demo',
  appName: 'shop-web',
  coType: 'Deploy Application',
  coTypeCode: 'CoDeploy',
  description: 'image: registry.cn-hangzhou.aliyuncs.com/acme/shop-web:1.4.2',
  createUserId: 'release-bot',
  batches: [{ name: 'Batch 1 Change' }, { name: 'Batch 2 Change' }, { name: 'Batch 3 Change' }],
  timeline: timelines[scenario],
  abortSettleMs: 1500,
});

const dir = resolve(ROOT, '.demo');
// Show the log as the runner would: without debug lines (shown only with debug logging on) and runner commands.
let partial = '';
function showLog(chunk: string): void {
  const lines = (partial + chunk).split('\n');
  partial = lines.pop() ?? '';
  for (const line of lines) if (!/^::(debug|add-mask|set-output|save-state)/.test(line)) console.log(`  | ${line}`);
}
console.log(`Simulated SAE listening on ${cloud.url}; scenario "${scenario}". Running dist/index.js:\n`);
const { done } = startAction({
  dir,
  inputs: {
    'change-order-id': id,
    'region-id': 'cn-hangzhou',
    endpoint: cloud.url,
    'access-key-id': keyId,
    'access-key-secret': secret,
    'poll-interval': '1s',
    timeout: scenario === 'timeout' ? '6s' : '2m',
  },
  onStdout: (chunk) => showLog(chunk),
});
const run = await done;
await cloud.close();
console.log(`\nThe action exited with code ${run.code}. Outputs:`);
for (const [k, v] of Object.entries(run.outputs)) if (k !== 'change-order') console.log(`  ${k}: ${v}`);
const counts = new Map<string, number>();
for (const c of cloud.calls) counts.set(c.action, (counts.get(c.action) ?? 0) + 1);
console.log(`\nAPI calls the simulated SAE received: ${[...counts].map(([a, k]) => `${a} x${k}`).join(', ')}`);
console.log(`Job summary written to ${resolve(dir, 'summary.md')}`);
// The default scenario must pass; the others are meant to fail the step, which is the point of showing them.
const expected = { success: 'succeeded', rollback: 'failed', timeout: 'timed-out' }[scenario];
process.exitCode = run.outputs.result === expected ? 0 : 1;
