/**
 * Runs the simulated SAE on 127.0.0.1 until stopped, with the demo change order:
 *   tsx scripts/fake-server.ts [--port 18080] [--scenario success|rollback|timeout|unhealthy-app]
 * The CI workflow starts it, then runs the action from the repository (`uses: ./`) against it.
 */
import { FakeCloud } from '../__fixtures__/cloud.js';
import { readCli, usageExit } from './cli.js';
import { addDemoOrder, DEMO, SCENARIOS } from './scenarios.js';

const USAGE = `Usage: tsx scripts/fake-server.ts [--port 18080] [--scenario ${Object.keys(SCENARIOS).join('|')}]

Runs the simulated SAE on 127.0.0.1 with the demo change order ${DEMO.changeOrderId} until stopped.
`;
const { values } = readCli(USAGE, {
  port: { type: 'string', default: '18080' },
  scenario: { type: 'string', default: 'success' },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) usageExit(`--port ${values.port} is not a port number`, USAGE);
if (!SCENARIOS[values.scenario]) usageExit(`Unknown scenario "${values.scenario}"`, USAGE);
const cloud = await FakeCloud.start({ accessKeys: { [DEMO.keyId]: DEMO.secret }, port });
addDemoOrder(cloud, values.scenario);
console.log(`Simulated SAE listening on ${cloud.url} (change order ${DEMO.changeOrderId})`);
const stop = async (): Promise<void> => {
  console.log(`Stopping; it answered ${cloud.calls.length} calls.`);
  await cloud.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
