/** The scripts' command lines (scripts/cli.ts, node:util parseArgs): --help prints the usage and starts nothing; an unknown flag is an error. */
import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { ROOT } from '../__fixtures__/action.js';

const SCRIPTS = ['demo', 'bench', 'docs-summary', 'faults', 'fake-server', 'bundle', 'release'];

function tsx(script: string, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(resolve(ROOT, 'node_modules/.bin/tsx'), [resolve(ROOT, 'scripts', `${script}.ts`), ...args], {
      cwd: ROOT,
    });
    let [stdout, stderr] = ['', ''];
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

describe.each(SCRIPTS)('scripts/%s.ts', (script) => {
  it('prints its usage with --help and exits 0', async () => {
    const r = await tsx(script, '--help');
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(/^Usage: /);
  }, 30_000);

  it('refuses an unknown flag with the usage and exit code 2', async () => {
    const r = await tsx(script, '--scenaro', 'rollback');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Unknown option '--scenaro'");
    expect(r.stderr).toContain('Usage: ');
    expect(r.stdout).toBe('');
  }, 30_000);
});

describe('scripts/demo.ts', () => {
  it('opens with what it simulates and how to pick another scenario, and its own settings cause no warning', async () => {
    const r = await tsx('demo');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(
      /^Demo "deploy": the action deploys an image to an SAE app and gates the three-batch release it started, .* Another: npm run demo -- success or npm run demo -- unhealthy-app or npm run demo -- rollback or npm run demo -- timeout\.$/,
    );
    expect(r.stdout).toContain('result: succeeded');
    expect(r.stdout).toContain('deployed: true');
    expect(r.stdout).toMatch(/DeployApplication x1/);
    expect(lines.filter((l) => /warning/i.test(l))).toEqual([]);
  }, 60_000);

  it('shows a rollback: the order succeeds, the app does not, and the gate puts it back on the version before', async () => {
    const r = await tsx('demo', '--scenario', 'unhealthy-app');
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toContain(
      '::warning::The change order succeeded, but the app has 2 of 3 wanted instances running',
    );
    expect(r.stdout).toMatch(/Asking SAE to roll app \S+ back to version ver-\S+prev, as on-failure says/);
    expect(r.stdout).toMatch(/Watching change order rollback-\S+: Rollback Application of app shop-web/);
    expect(r.stdout).toMatch(
      /Rolled SAE app \S+ back to version ver-\S+prev: rollback change order rollback-\S+ succeeded\./,
    );
    expect(r.stdout).toContain('  remedy: rollback\n');
    expect(r.stdout).toMatch(/ {2}rollback-change-order-id: rollback-\S+\n/);
    expect(r.stdout).toMatch(/ListAppVersions x1, RollbackApplication x1/);
  }, 60_000);

  it('refuses an unknown scenario instead of playing another one', async () => {
    const r = await tsx('demo', 'rollbak');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'Unknown scenario "rollbak": use one of deploy, success, unhealthy-app, rollback, timeout',
    );
  }, 30_000);
});
