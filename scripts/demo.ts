/**
 * npm run demo [-- deploy|success|rollback|timeout|unhealthy-app]: runs the bundled action (dist/index.js) as the runner would, against the
 * built-in simulated SAE on 127.0.0.1, with a realistic three-batch release; by default (deploy) the action starts it
 * itself with DeployApplication. Prints the log as it happens, then the
 * outputs and the path of the job summary it wrote.
 */
import { resolve } from 'node:path';
import { FakeCloud } from '../__fixtures__/cloud.js';
import { ROOT, startAction } from '../__fixtures__/action.js';
import { readCli, usageExit } from './cli.js';
import { addDemoOrder, DEMO, DEMO_GITHUB_ENV, demoTarget, SCENARIOS, SCENARIO_STORIES } from './scenarios.js';

const names = Object.keys(SCENARIOS);
const USAGE = `Usage: npm run demo [-- SCENARIO]   (or -- --scenario SCENARIO)

Runs the bundled action (dist/index.js) against a simulated SAE on 127.0.0.1. Scenarios:
${names.map((n) => `  ${n.padEnd(9)} ${SCENARIO_STORIES[n]}`).join('\n')}
`;
const { values, positionals } = readCli(USAGE, { scenario: { type: 'string' } }, { maxPositionals: 1 });
if (values.scenario && positionals.length)
  usageExit('Give the scenario once: as an argument or with --scenario', USAGE);
const scenario = values.scenario ?? positionals[0] ?? 'deploy';
if (!SCENARIOS[scenario]) usageExit(`Unknown scenario "${scenario}": use one of ${names.join(', ')}`, USAGE);
const others = names.filter((n) => n !== scenario);
const cloud = await FakeCloud.start({ accessKeys: { [DEMO.keyId]: DEMO.secret } });
addDemoOrder(cloud, scenario);

const dir = resolve(ROOT, '.demo');
// Show the log as the runner would: without debug lines (shown only with debug logging on) and runner commands.
let partial = '';
function showLog(chunk: string): void {
  const lines = (partial + chunk).split('\n');
  partial = lines.pop() ?? '';
  for (const line of lines) if (!/^::(debug|add-mask|set-output|save-state)/.test(line)) console.log(`  | ${line}`);
}
console.log(
  `Demo "${scenario}": ${SCENARIO_STORIES[scenario]}, on a simulated SAE at ${cloud.url}. Another: ${others.map((n) => `npm run demo -- ${n}`).join(' or ')}.\n`,
);
const { done } = startAction({
  dir,
  env: DEMO_GITHUB_ENV,
  inputs: {
    ...demoTarget(scenario),
    'region-id': 'cn-hangzhou',
    endpoint: cloud.url,
    'access-key-id': DEMO.keyId,
    'access-key-secret': DEMO.secret,
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
const expected = {
  deploy: 'succeeded',
  success: 'succeeded',
  rollback: 'failed',
  timeout: 'timed-out',
  'unhealthy-app': 'failed',
}[scenario];
process.exitCode = run.outputs.result === expected ? 0 : 1;
