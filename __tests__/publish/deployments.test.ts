import { describe, expect, it } from '@jest/globals';
import { DeploymentStatuses, deploymentStatusFor, deploymentTarget } from '../../src/publish/deployments.js';
import type { Report } from '../../src/gate/report.js';
import { RecordingLog, order } from '../helpers/fakes.js';

const base: Report = {
  product: 'SAE',
  changeOrderId: 'co',
  consoleUrl: '',
  result: 'succeeded',
  passes: true,
  reason: 'ok',
  startedAt: 0,
  endedAt: 90_000,
  notes: [],
  order: order(2, { batchStatuses: [2, 2, 2] }),
};

describe('deploymentStatusFor', () => {
  it.each<[Partial<Report>, string, string]>([
    [{}, 'success', 'All 3 batches succeeded'],
    [
      {
        result: 'failed',
        failedBatch: 'Batch 2 Change',
        order: order(6, { batchStatuses: [2, 6, 0] }),
        remedy: { requested: 'abort-and-rollback', applied: 'abort-and-rollback', state: 'applied', detail: '' },
      },
      'failure',
      'Batch 2/3 failed; aborted and rolled back',
    ],
    [
      { result: 'failed', failedBatch: 'Batch 1 Change', order: order(3, { batchStatuses: [3, 0, 0] }) },
      'failure',
      'Batch 1/3 failed; left as it is',
    ],
    [
      {
        result: 'timed-out',
        order: order(6, { batchStatuses: [2, 6, 0] }),
        remedy: { requested: 'abort', applied: 'abort', state: 'applied', detail: '' },
      },
      'failure',
      'Timed out after 1m30s at batch 2/3; aborted',
    ],
    [
      { result: 'timed-out', remedy: { requested: 'abort', applied: 'none', state: 'failed', detail: '' } },
      'failure',
      'Timed out after 1m30s; abort FAILED',
    ],
    [
      { result: 'cancelled', remedy: { requested: 'abort', applied: 'abort', state: 'applied', detail: '' } },
      'error',
      'Run cancelled; aborted',
    ],
    [{ result: 'error', reason: 'x'.repeat(300) }, 'error', `Gate error: ${'x'.repeat(127)}…`],
  ])('%# describes the outcome', (over, state, description) => {
    expect(deploymentStatusFor({ ...base, ...over })).toEqual({ state, description });
  });
});

describe('deploymentTarget', () => {
  const env = {
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_RUN_ID: '42',
    GITHUB_RUN_ATTEMPT: '2',
    GITHUB_SERVER_URL: 'https://github.example',
  };
  it('uses the deployment event, links to the run', () => {
    expect(
      deploymentTarget(
        { githubToken: 't' },
        { name: 'deployment', deployment: { id: 9, payload: {} } },
        env,
        new RecordingLog(),
      ),
    ).toEqual({
      owner: 'acme',
      repo: 'shop',
      id: 9,
      token: 't',
      logUrl: 'https://github.example/acme/shop/actions/runs/42/attempts/2',
      environmentUrl: undefined,
    });
  });
  it('prefers the deployment-id input, and needs a token', () => {
    expect(
      deploymentTarget(
        { githubToken: 't', deploymentId: 3 },
        { name: 'deployment', deployment: { id: 9, payload: {} } },
        env,
        new RecordingLog(),
      )?.id,
    ).toBe(3);
    const log = new RecordingLog();
    expect(deploymentTarget({ deploymentId: 3 }, { name: 'push' }, env, log)).toBeUndefined();
    expect(log.text()).toMatch(/github-token input is empty/);
  });
  it('does nothing without a deployment', () => {
    expect(
      deploymentTarget({ githubToken: 't' }, { name: 'workflow_dispatch' }, env, new RecordingLog()),
    ).toBeUndefined();
  });
});

describe('DeploymentStatuses', () => {
  const target = { owner: 'o', repo: 'r', id: 5, token: 't', logUrl: 'u' };

  it('gives up on a GitHub that never answers at the deadline, with a warning', async () => {
    const log = new RecordingLog();
    const never = () => new Promise<void>(() => undefined);
    const statuses = new DeploymentStatuses(target, log, never, undefined, 50);
    const started = Date.now();
    await statuses.update('in_progress', 'x');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(log.text(['warning'])).toContain('GitHub did not answer within');
  });

  it('stops waiting when the run is cancelled, and hands the signal to the post', async () => {
    const log = new RecordingLog();
    const controller = new AbortController();
    let seen: AbortSignal | undefined;
    const post = (_t: unknown, _s: unknown, _d: unknown, signal?: AbortSignal) => {
      seen = signal;
      return new Promise<void>(() => undefined);
    };
    const statuses = new DeploymentStatuses(target, log, post, controller.signal, 60_000);
    const pending = statuses.update('in_progress', 'x');
    controller.abort();
    await pending;
    expect(seen?.aborted).toBe(true);
    expect(log.text(['warning'])).toContain('the run was cancelled');
  });

  it('posts in order: a later status waits for the one before it', async () => {
    const log = new RecordingLog();
    const order: string[] = [];
    let release: () => void = () => undefined;
    const post = (_t: unknown, state: string) => {
      order.push(`start ${state}`);
      return state === 'in_progress'
        ? new Promise<void>((r) => (release = () => (order.push('end in_progress'), r())))
        : Promise.resolve();
    };
    const statuses = new DeploymentStatuses(target, log, post, undefined, 5000);
    void statuses.update('in_progress', 'a');
    const last = statuses.update('success', 'b');
    await new Promise((r) => setTimeout(r, 10));
    expect(order).toEqual(['start in_progress']);
    release();
    await last;
    expect(order).toEqual(['start in_progress', 'end in_progress', 'start success']);
  });
});
