/**
 * Runs the simulated SAE on 127.0.0.1 until stopped, with the demo change order:
 *   tsx scripts/fake-server.ts [--port 18080] [--scenario success|rollback|timeout]
 * The CI workflow starts it, then runs the action from the repository (`uses: ./`) against it.
 */
import { FakeCloud } from '../__fixtures__/cloud.js';
import { addDemoOrder, DEMO } from './scenarios.js';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
};
const cloud = await FakeCloud.start({ accessKeys: { [DEMO.keyId]: DEMO.secret }, port: Number(arg('port', '18080')) });
addDemoOrder(cloud, arg('scenario', 'success'));
console.log(`Simulated SAE listening on ${cloud.url} (change order ${DEMO.changeOrderId})`);
const stop = async (): Promise<void> => {
  console.log(`Stopping; it answered ${cloud.calls.length} calls.`);
  await cloud.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
