/** End-to-end: finding the change order (deployment payload, app-id) and GitHub Deployment statuses, against loopback fakes. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeCloud } from '../../__fixtures__/cloud.js';
import { FakeGitHub } from '../../__fixtures__/github.js';
import { readableText, runAction } from '../../__fixtures__/action.js';
import { KEY_ID, SECRET, keyInputs, nextId } from './helpers.js';

const GH_TOKEN = 'ghs_fakeTokenForTests123';
let cloud: FakeCloud;
let github: FakeGitHub;

beforeAll(async () => {
  cloud = await FakeCloud.start({ accessKeys: { [KEY_ID]: SECRET } });
  github = await FakeGitHub.start();
});
afterAll(async () => {
  await cloud.close();
  await github.close();
});

const inputs = (over: Record<string, string> = {}) =>
  keyInputs(cloud.url, { timeout: '20s', 'github-token': GH_TOKEN, ...over });

function deploymentEvent(id: number, payload: unknown): Record<string, string> {
  const path = join(mkdtempSync(join(tmpdir(), 'event-')), 'event.json');
  writeFileSync(path, JSON.stringify({ deployment: { id, payload, environment: 'production' } }));
  return {
    GITHUB_EVENT_NAME: 'deployment',
    GITHUB_EVENT_PATH: path,
    GITHUB_API_URL: github.url,
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_RUN_ID: '1234',
    GITHUB_SERVER_URL: 'https://github.com',
  };
}

describe('deployment events', () => {
  it('gates the change order named in the payload and posts in_progress then success', async () => {
    const id = nextId('dep');
    cloud.addOrder({
      id,
      appId: 'app-d',
      batches: [{ name: 'B1' }, { name: 'B2' }],
      timeline: [
        { status: 1, batches: [1, 0], reads: 1 },
        { status: 1, batches: [2, 1], reads: 1 },
        { status: 2, batches: [2, 2] },
      ],
    });
    const run = await runAction({
      inputs: inputs({ 'environment-url': 'https://shop.example.com' }),
      env: deploymentEvent(101, { changeOrderId: id, appId: 'app-d' }),
    });
    expect(run.code).toBe(0);
    expect(run.outputs['change-order-id']).toBe(id);
    const mine = github.statuses.filter((s) => s.deploymentId === 101);
    expect(mine.map((s) => s.body.state)).toEqual(['in_progress', 'success']);
    expect(mine[1]!.body).toMatchObject({
      description: 'All 2 batches succeeded',
      log_url: 'https://github.com/acme/shop/actions/runs/1234',
      environment_url: 'https://shop.example.com',
    });
    expect(mine.every((s) => s.owner === 'acme' && s.repo === 'shop' && s.authorization.endsWith(GH_TOKEN))).toBe(true);
    expect(readableText(run)).not.toContain(GH_TOKEN);
  });

  it('posts failure with what happened when the release fails', async () => {
    const id = nextId('dep-fail');
    cloud.addOrder({
      id,
      appId: 'app-d',
      batches: [{ name: 'B1' }, { name: 'B2' }, { name: 'B3' }],
      timeline: [
        { status: 1, batches: [2, 1, 0], reads: 1 },
        { status: 1, subStatus: 1, batches: [2, 1, 0], errorMessage: 'probe failed' },
      ],
    });
    const run = await runAction({
      inputs: inputs(),
      env: deploymentEvent(102, JSON.stringify({ 'change-order-id': id })),
    });
    expect(run.code).toBe(1);
    const last = github.statuses.filter((s) => s.deploymentId === 102).at(-1);
    expect(last?.body).toMatchObject({ state: 'failure', description: 'Batch 2/3 failed; aborted and rolled back' });
  });

  it("finds the app's newest running change order when the payload names only the app", async () => {
    const app = nextId('app');
    cloud.addOrder({
      id: nextId('old'),
      appId: app,
      createTime: '2026-11-01 10:00:00',
      batches: [{ name: 'B1' }],
      timeline: [{ status: 2, batches: [2] }],
    });
    const running = nextId('running');
    cloud.addOrder({
      id: running,
      appId: app,
      createTime: '2026-11-02 10:00:00',
      batches: [{ name: 'B1' }],
      timeline: [
        { status: 1, batches: [1], reads: 1 },
        { status: 2, batches: [2] },
      ],
    });
    cloud.addOrder({
      id: nextId('newer-done'),
      appId: app,
      createTime: '2026-11-03 10:00:00',
      coTypeCode: 'CoRestartApplication',
      batches: [{ name: 'B1' }],
      timeline: [{ status: 2, batches: [2] }],
    });
    const run = await runAction({ inputs: inputs(), env: deploymentEvent(103, { appId: app }) });
    expect(run.code).toBe(0);
    expect(run.outputs['change-order-id']).toBe(running);
    expect(run.stdout).toMatch(
      new RegExp(`Gating change order ${running} of app ${app}: the newest change order still in progress`),
    );
    expect(cloud.callsFor('ListChangeOrders').some((c) => c.query.AppId === app)).toBe(true);
  });

  it('keeps the verdict when GitHub refuses the status', async () => {
    const id = nextId('dep-403');
    cloud.addOrder({ id, batches: [{ name: 'B1' }], timeline: [{ status: 2, batches: [2] }] });
    github.failWith = 403;
    try {
      const run = await runAction({ inputs: inputs(), env: deploymentEvent(104, { changeOrderId: id }) });
      expect(run.code).toBe(0);
      expect(run.outputs.result).toBe('succeeded');
      expect(run.stdout).toMatch(
        /::warning::Could not set the status of deployment 104 to success: .*deployments: write/,
      );
    } finally {
      github.failWith = undefined;
    }
  });
});

describe('app-id', () => {
  it('narrows the search with change-order-type, across pages', async () => {
    const app = nextId('paged');
    for (let i = 0; i < 60; i++)
      cloud.addOrder({
        id: `${app}-r${i}`,
        appId: app,
        coTypeCode: 'CoRestartApplication',
        createTime: `2026-10-01 10:${String(i).padStart(2, '0')}:00`,
        batches: [{ name: 'B' }],
        timeline: [{ status: 2, batches: [2] }],
      });
    const deploy = `${app}-deploy`;
    cloud.addOrder({
      id: deploy,
      appId: app,
      coTypeCode: 'CoDeploy',
      createTime: '2026-09-01 10:00:00',
      batches: [{ name: 'B' }],
      timeline: [{ status: 2, batches: [2] }],
    });
    // verify: false keeps verification's own ListChangeOrders read (the app's instance group) out of the count.
    const run = await runAction({
      inputs: inputs({ 'app-id': app, 'change-order-type': 'CoDeploy', verify: 'false' }),
    });
    expect(run.code).toBe(0);
    expect(run.outputs['change-order-id']).toBe(deploy);
    const all = await runAction({ inputs: inputs({ 'app-id': app, verify: 'false' }) });
    expect(all.outputs['change-order-id']).toBe(`${app}-r59`);
    expect(cloud.callsFor('ListChangeOrders').filter((c) => c.query.AppId === app && !c.query.CoType).length).toBe(2);
  });

  it('fails clearly for an app without change orders, naming the app and region', async () => {
    const run = await runAction({ inputs: inputs({ 'app-id': 'app-without-orders' }) });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/::error::.*App app-without-orders has no change orders in SAE region cn-hangzhou/);
  });

  it('refuses a change order that belongs to another app, and touches nothing', async () => {
    const id = nextId('theirs');
    cloud.addOrder({ id, appId: 'app-theirs', batches: [{ name: 'B' }], timeline: [{ status: 1, batches: [1] }] });
    const run = await runAction({ inputs: inputs({ 'change-order-id': id, 'app-id': 'app-mine' }) });
    expect(run.code).toBe(1);
    expect(run.outputs.result).toBe('error');
    expect(run.stdout).toMatch(/belongs to app app-theirs, not to app app-mine/);
    expect(cloud.callsFor('AbortChangeOrder').filter((c) => c.query.ChangeOrderId === id)).toEqual([]);
  });

  it('finds EDAS change orders with ListRecentChangeOrder', async () => {
    const app = nextId('edas-app');
    const id = nextId('edas-co');
    cloud.addOrder({
      id,
      product: 'edas',
      appId: app,
      batches: [{ name: 'B' }],
      timeline: [{ status: 2, batches: [2] }],
    });
    const run = await runAction({ inputs: inputs({ product: 'edas', 'app-id': app }) });
    expect(run.code).toBe(0);
    expect(run.outputs['change-order-id']).toBe(id);
    expect(cloud.callsFor('ListRecentChangeOrder').some((c) => c.query.AppId === app && c.method === 'POST')).toBe(
      true,
    );
  });

  it('needs something to gate, before any call', async () => {
    const before = cloud.calls.length;
    const run = await runAction({ inputs: inputs() });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/::error::No change order to gate/);
    expect(cloud.calls.length).toBe(before);
  });
});
