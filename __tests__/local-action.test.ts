/**
 * @github/local-action runs the action from its sources with its own @actions/core, and shows the outputs it set.
 * src/local-action.ts hands run() the whole @actions/core for that: runner/core.ts, which local-action cannot see,
 * would leave it saying "No outputs were set!".
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FakeCloud } from '../__fixtures__/cloud.js';
import { ROOT } from '../__fixtures__/action.js';

const KEY = 'LTAI-local-action';
const SECRET = 'local-action-secret-value';
let cloud: FakeCloud;
let dir: string;

beforeAll(async () => {
  cloud = await FakeCloud.start({ accessKeys: { [KEY]: SECRET } });
  dir = mkdtempSync(join(tmpdir(), 'local-action-'));
});
afterAll(async () => {
  await cloud.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('npm run local-action', () => {
  it('runs the main and post steps from the sources and shows the outputs', async () => {
    cloud.addOrder({
      id: 'co-local-action',
      appId: 'app-local',
      batches: [{ name: 'Batch 1' }, { name: 'Batch 2' }],
      timeline: [
        { status: 1, batches: [2, 1], reads: 1 },
        { status: 2, batches: [2, 2] },
      ],
    });
    // .env.example, pointed at this test's fake cloud and key.
    const env = readFileSync(resolve(ROOT, '.env.example'), 'utf8')
      .replace(/^INPUT_CHANGE-ORDER-ID=.*$/m, 'INPUT_CHANGE-ORDER-ID=co-local-action')
      .replace(/^INPUT_ENDPOINT=.*$/m, `INPUT_ENDPOINT=${cloud.url}`)
      .replace(/^INPUT_ACCESS-KEY-ID=.*$/m, `INPUT_ACCESS-KEY-ID=${KEY}`)
      .replace(/^INPUT_ACCESS-KEY-SECRET=.*$/m, `INPUT_ACCESS-KEY-SECRET=${SECRET}`)
      .replace(/^GITHUB_STEP_SUMMARY=.*$/m, `GITHUB_STEP_SUMMARY=${join(dir, 'summary.md')}`);
    writeFileSync(join(dir, '.env'), env);

    const child = spawn(
      resolve(ROOT, 'node_modules/.bin/local-action'),
      ['run', ROOT, 'src/local-action.ts', join(dir, '.env'), '--post', 'src/local-action-post.ts'],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dir } },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    await new Promise((r) => child.on('close', r));

    expect(out).toContain('Running Post Step');
    expect(out).not.toContain('No outputs were set');
    const table = out.slice(out.indexOf('Action Outputs'));
    expect(table).toMatch(/'result'\s*│\s*'succeeded'/);
    expect(table).toMatch(/'batches-succeeded'\s*│\s*'2'/);
    expect(table).toMatch(/'change-order-id'\s*│\s*'co-local-action'/);
    expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toContain('co-local-action');
    expect(cloud.calls.filter((c) => c.query.ChangeOrderId === 'co-local-action').length).toBeGreaterThan(0);
  }, 120_000);
});
