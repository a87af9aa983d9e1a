/**
 * End-to-end: where the real API differs from what the gate first assumed (issue 14). Each test runs dist/ against the
 * fake, which follows the official models (__fixtures__/api-models): RAM actions, EDAS abort-and-rollback limits,
 * error codes in ErrorCode, aborts refused while an order waits, retryable codes, paging, EDAS list items and
 * ownership, and the creator field.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FakeCloud, release, type OrderScript } from '../../__fixtures__/cloud.js';
import { ROOT, runAction, visibleLog, type ActionRun } from '../../__fixtures__/action.js';
import { KEY_ID, SECRET, keyInputs, nextId } from './helpers.js';

let cloud: FakeCloud;

beforeAll(async () => {
  cloud = await FakeCloud.start({ accessKeys: { [KEY_ID]: SECRET } });
});
afterAll(async () => {
  await cloud.close();
});

const inputs = (id: string, over: Record<string, string> = {}, on = cloud) =>
  keyInputs(on.url, { 'change-order-id': id, timeout: '20s', ...over });
const callsOf = (action: string, id: string, on = cloud) =>
  on.callsFor(action).filter((c) => c.query.ChangeOrderId === id || c.query.PipelineId?.startsWith(`${id}-`));

/** Two batches; the second waits for a manual confirmation, forever unless confirmed. */
function waitingAtBatch2(id: string, over: Partial<OrderScript> = {}): OrderScript {
  return {
    id,
    batchType: over.product === 'edas' ? 'Manual' : 'manual',
    batches: [{ name: 'Batch 1 Change' }, { name: 'Batch 2 Change' }],
    timeline: [
      { status: 1, batches: [1, 0], reads: 1 },
      { status: 8, batches: [2, 8] },
      { status: 1, batches: [2, 1], reads: 1 },
      { status: 2, batches: [2, 2] },
    ],
    ...over,
  };
}

describe('1. the README RAM policies grant every action the gate calls', () => {
  /** The Action lists of the README's policy for a product (the JSON blocks under "RAM permissions"). */
  function readmeActions(product: 'sae' | 'edas'): string[] {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const start = readme.search(/^#+ RAM permissions$/m);
    expect(start).toBeGreaterThan(0);
    const rest = readme.slice(readme.indexOf('\n', start) + 1);
    const section = rest.slice(0, rest.search(/^#+ /m));
    const policies = [...section.matchAll(/```json\n([\s\S]*?)```/g)].map(
      (m) => JSON.parse(m[1] ?? '') as { Statement: { Action: string[]; Resource: string }[] },
    );
    const statements = policies
      .flatMap((p) => p.Statement)
      .filter((s) => s.Action.some((a) => a.startsWith(`${product}:`)));
    if (product === 'edas')
      for (const s of statements)
        expect(s.Resource).toMatch(/^acs:edas:[a-z0-9-]+:\d+:namespace\/[^/]+\/application\/[^/]+$/);
    return statements.flatMap((s) => s.Action);
  }

  let strict: FakeCloud;
  beforeAll(async () => {
    strict = await FakeCloud.start({
      accessKeys: { [KEY_ID]: SECRET },
      ramActions: [...readmeActions('sae'), ...readmeActions('edas')],
    });
  });
  afterAll(async () => {
    await strict.close();
  });
  const refused = () => strict.calls.filter((c) => c.status === 403);

  it('names only actions that exist: edas:ReadApplication and edas:ManageApplication for EDAS', () => {
    expect(readmeActions('edas').sort()).toEqual(['edas:ManageApplication', 'edas:ReadApplication']);
    expect(readmeActions('sae').every((a) => /^sae:[A-Z]\w+$/.test(a))).toBe(true);
  });

  it.each(['sae', 'edas'] as const)(
    '%s: find by app-id, confirm batches, verify the app, read a failed batch, abort, roll back: nothing is refused',
    async (product) => {
      const appId = nextId(`ram-app-${product}`);
      const confirmed = nextId('ram-confirm');
      strict.addOrder(waitingAtBatch2(confirmed, { product, appId }));
      const ok = await runAction({
        inputs: inputs('', { 'app-id': appId, product, 'on-manual-batch': 'confirm' }, strict),
      });
      expect(refused()).toEqual([]);
      expect(ok.outputs).toMatchObject({ result: 'succeeded', 'change-order-id': confirmed });
      expect(ok.summary).toContain('### Verification: ✅ passed');
      expect(
        strict.callsFor(product === 'sae' ? 'DescribeApplicationInstances' : 'QueryApplicationStatus'),
      ).not.toEqual([]);

      const failing = nextId('ram-fail');
      strict.addOrder(release(failing, { product, appId, outcome: 'stuck' }));
      const stopped = await runAction({
        inputs: inputs(
          failing,
          { 'app-id': appId, product, timeout: '3s', 'on-timeout': 'abort-and-rollback' },
          strict,
        ),
      });
      expect(refused()).toEqual([]);
      expect(stopped.outputs).toMatchObject({ result: 'timed-out', remedy: 'abort-and-rollback', status: '6' });

      // A release that failed on its own is rolled back to the version before it, and the rollback gated (issue 16).
      const finished = nextId('ram-finished');
      strict.addOrder(release(finished, { product, appId, outcome: 'fail-batch-1', batchCount: 1 }));
      const rolledBack = await runAction({ inputs: inputs(finished, { 'app-id': appId, product }, strict) });
      expect(refused()).toEqual([]);
      expect(rolledBack.outputs).toMatchObject({ result: 'failed', status: '3', remedy: 'rollback' });
      expect(strict.callsFor(product === 'sae' ? 'RollbackApplication' : 'RollbackChangeOrder')).toHaveLength(1);

      if (product === 'sae') {
        const broken = nextId('ram-broken');
        strict.addOrder(release(broken, { product, appId, outcome: 'stuck-with-error' }));
        const explained = await runAction({ inputs: inputs(broken, { product }, strict) });
        expect(refused()).toEqual([]);
        expect(explained.outputs.result).toBe('failed');
        expect(strict.callsFor('DescribePipeline').length).toBeGreaterThan(0);
      }
    },
  );
  it('sae: deploy and gate, a deploy refused over a running change, an ambiguous deploy: nothing is refused', async () => {
    const appId = nextId('ram-deploy');
    strict.apps.script(appId, { deploy: { batchCount: 1 } });
    const image = 'registry.cn-hangzhou.aliyuncs.com/acme/shop:1';
    const deployed = await runAction({ inputs: inputs('', { 'app-id': appId, 'image-url': image }, strict) });
    expect(refused()).toEqual([]);
    expect(deployed.outputs).toMatchObject({ result: 'succeeded', deployed: 'true' });

    strict.injectFault({ kind: 'lost-answer' }, { action: 'DeployApplication' });
    const recovered = await runAction({ inputs: inputs('', { 'app-id': appId, 'image-url': image }, strict) });
    expect(refused()).toEqual([]);
    expect(recovered.outputs).toMatchObject({ result: 'succeeded', deployed: 'true' });

    strict.addOrder(release(nextId('ram-running'), { appId, outcome: 'stuck' }));
    const blocked = await runAction({ inputs: inputs('', { 'app-id': appId, 'image-url': image }, strict) });
    expect(refused()).toEqual([]);
    expect(blocked.outputs['error-message']).toContain('Application.ChangerOrderRunning');
  });
});

describe('2. EDAS abort-and-rollback where it cannot work', () => {
  it.each([
    ['an app on ECS', { cluster: 'ecs' as const }],
    ['a change order that is not a deploy', { coTypeCode: 'CoRestartApplication', coType: 'Restart Application' }],
  ])('%s: refused, so the gate aborts at once without a rollback and says so', async (_name, over) => {
    const id = nextId('edas-norollback');
    cloud.addOrder(release(id, { product: 'edas', outcome: 'stuck', ...over }));
    const run = await runAction({
      inputs: inputs(id, { product: 'edas', timeout: '3s', 'on-timeout': 'abort-and-rollback' }),
    });
    expect(callsOf('AbortAndRollbackChangeOrder', id)).toHaveLength(1);
    expect(callsOf('AbortChangeOrder', id)).toHaveLength(1);
    expect(cloud.order(id).status).toBe(6);
    expect(run.outputs).toMatchObject({ result: 'timed-out', remedy: 'abort', status: '6' });
    expect(visibleLog(run)).toMatch(
      /EDAS refused to abort and roll back change order .*; aborting it without a rollback/,
    );
    expect(run.summary).toContain('without a rollback');
  });
});

describe('3. endpoints from the SDK endpoint maps', () => {
  // Every mapped region is checked through readInputs (__tests__/products/endpoints.test.ts); here dist/ itself, for
  // regions the map sends elsewhere and for the fallback rule. No request leaves the machine: the run stops at the
  // OIDC token, which this job cannot get (no ACTIONS_ID_TOKEN_REQUEST_* variables), after it has logged its endpoint.
  it.each([
    ['edas', 'me-east-1', 'https://edas.ap-northeast-1.aliyuncs.com'],
    ['edas', 'us-west-1', 'https://edas.ap-northeast-1.aliyuncs.com'],
    ['edas', 'cn-chengdu', 'https://edas.aliyuncs.com'],
    ['edas', 'cn-hangzhou', 'https://edas.cn-hangzhou.aliyuncs.com'],
    ['sae', 'ap-northeast-1', 'https://sae.ap-northeast-1.aliyuncs.com'],
  ])('%s in %s: %s', async (product, region, endpoint) => {
    const run = await runAction({
      inputs: {
        product,
        'region-id': region,
        'change-order-id': 'co-endpoint',
        'role-to-assume': 'acs:ram::1234567890123456:role/github-deploy',
        'oidc-provider-arn': 'acs:ram::1234567890123456:oidc-provider/github',
      },
    });
    expect(visibleLog(run)).toContain(`Endpoint: ${endpoint}.`);
    expect(run.outputs['error-message']).toContain('cannot request a GitHub OIDC token');
  });
});

describe('4. error codes in ErrorCode beside a numeric Code', () => {
  it('"another change is running" as {Code: 400, ErrorCode}: the abort is retried and lands', async () => {
    const id = nextId('errorcode-busy');
    cloud.addOrder(release(id, { outcome: 'stuck' }));
    cloud.injectFault(
      { kind: 'error-code', errorCode: 'Application.ChangerOrderRunning', message: 'Another change is running.' },
      { action: 'AbortChangeOrder', times: 1 },
    );
    const run = await runAction({ inputs: inputs(id, { timeout: '3s' }) });
    expect(callsOf('AbortChangeOrder', id)).toHaveLength(2);
    expect(run.outputs).toMatchObject({ result: 'timed-out', remedy: 'abort', status: '6' });
  });

  it('"not running" as {Code: 400, ErrorCode}: recognised, then the order is read and stopped at its batch', async () => {
    const id = nextId('errorcode-notrunning');
    cloud.addOrder(waitingAtBatch2(id));
    cloud.injectFault(
      { kind: 'error-code', errorCode: 'Application.ChangerOrder.Not.Running', message: 'not running' },
      { action: 'AbortChangeOrder', times: 1 },
    );
    const run = await runAction({ inputs: inputs(id, { timeout: '3s' }) });
    expect(cloud.callsFor('ConfirmPipelineBatch').filter((c) => c.query.PipelineId === `${id}-b2`)).toEqual([
      expect.objectContaining({ query: { PipelineId: `${id}-b2`, Confirm: 'false' } }),
    ]);
    expect(run.outputs).toMatchObject({ result: 'timed-out', remedy: 'abort', status: '6' });
  });
});

describe('5. a claim about the release comes only from a read', () => {
  it.each(['sae', 'edas'] as const)(
    '%s: an abort refused while the order waits at a manual batch: stopped with Confirm=false, reported from the read',
    async (product) => {
      const id = nextId(`waiting-${product}`);
      cloud.addOrder(waitingAtBatch2(id, { product, abortableStatuses: [0, 1] }));
      const run = await runAction({ inputs: inputs(id, { product, timeout: '3s' }) });
      const confirm = product === 'sae' ? 'ConfirmPipelineBatch' : 'ContinuePipeline';
      expect(cloud.callsFor(confirm).filter((c) => c.query.PipelineId === `${id}-b2`)).toEqual([
        expect.objectContaining({ query: { PipelineId: `${id}-b2`, Confirm: 'false' } }),
      ]);
      expect(cloud.order(id).status).toBe(6);
      expect(run.outputs).toMatchObject({ result: 'timed-out', remedy: 'abort', status: '6' });
      expect(visibleLog(run)).toMatch(/would not abort change order .* while it waits at batch 2\/2/);
      expect(run.summary).not.toContain('settled by itself');
    },
  );

  it('an abort refused while the order waits for approval: nothing is claimed, and the post step stays armed', async () => {
    const id = nextId('approval-refused');
    cloud.addOrder(release(id, { outcome: 'approval', abortableStatuses: [] }));
    const run = await runAction({ inputs: inputs(id, { timeout: '3s' }) });
    expect(run.outputs).toMatchObject({ result: 'timed-out', remedy: 'none', status: '11' });
    expect(visibleLog(run)).toMatch(
      /refused to abort change order .* as not running, but a read shows it waiting for approval/,
    );
    expect(run.summary).not.toContain('settled by itself');
    // main writes "done" once at its very end; no claim before that disarmed the post step.
    expect(run.files.match(/^done<<.*\ntrue$/gm)).toHaveLength(1);
  });

  it('an abort answered "not running" for an order that did settle: reported from the read', async () => {
    const id = nextId('settled-meanwhile');
    // Four reads (at 0, 1, 2 and 3 s, the deadline) see it running; the read after the refused abort sees it done.
    cloud.addOrder({
      id,
      batches: [{ name: 'Batch 1 Change' }],
      abortableStatuses: [],
      timeline: [
        { status: 1, batches: [1], reads: 4 },
        { status: 2, batches: [2] },
      ],
    });
    const run = await runAction({ inputs: inputs(id, { timeout: '3s' }) });
    expect(callsOf('AbortChangeOrder', id)).toHaveLength(1);
    expect(run.outputs).toMatchObject({ result: 'succeeded', remedy: 'none', status: '2' });
    expect(run.summary).toContain('settled by itself');
  });
});

describe('6. retryable codes', () => {
  it('System.Upgrading ("try again later") is transient', async () => {
    const id = nextId('upgrading');
    cloud.addOrder(release(id));
    cloud.injectFault(
      {
        kind: 'http',
        status: 400,
        code: 'System.Upgrading',
        message: 'The system is being upgraded. Try again later.',
      },
      { action: 'DescribeChangeOrder', times: 2 },
    );
    const run = await runAction({ inputs: inputs(id) });
    expect(run.outputs).toMatchObject({ result: 'succeeded', status: '2' });
  });

  it('a confirm refused with Pipeline.Can.Not.Start.Next.Batch: re-read, and sent again while the batch waits', async () => {
    const id = nextId('cannot-start');
    cloud.addOrder(waitingAtBatch2(id));
    cloud.injectFault(
      { kind: 'error-code', errorCode: 'Pipeline.Can.Not.Start.Next.Batch', message: 'The next batch cannot start.' },
      { action: 'ConfirmPipelineBatch', times: 1 },
    );
    const run = await runAction({ inputs: inputs(id, { 'on-manual-batch': 'confirm' }) });
    expect(cloud.callsFor('ConfirmPipelineBatch').filter((c) => c.query.PipelineId === `${id}-b2`)).toHaveLength(2);
    expect(run.outputs).toMatchObject({ result: 'succeeded', status: '2' });
  });
});

describe('7. paging with the PageSize and TotalSize the answer gives', () => {
  it('a server that caps pages at 20 still shows the running order on page 2', async () => {
    const capped = await FakeCloud.start({ accessKeys: { [KEY_ID]: SECRET }, maxPageSize: 20 });
    try {
      const appId = nextId('paged-app');
      for (let i = 0; i < 24; i++)
        capped.addOrder({
          id: `${appId}-old-${i}`,
          appId,
          batches: [{ name: 'B' }],
          timeline: [{ status: 2, batches: [2] }],
        });
      const running = `${appId}-running`;
      capped.addOrder(release(running, { appId }));
      // verify: false keeps verification's own ListChangeOrders read out of the pages counted here.
      const run = await runAction({ inputs: inputs('', { 'app-id': appId, verify: 'false' }, capped) });
      expect(capped.callsFor('ListChangeOrders').map((c) => c.query.CurrentPage)).toEqual(['1', '2']);
      expect(run.outputs).toMatchObject({ 'change-order-id': running, result: 'succeeded' });
    } finally {
      await capped.close();
    }
  });
});

describe('8. EDAS list items and app ownership', () => {
  it('change-order-type CoDeploy finds the EDAS deploy order by its CoTypeCode', async () => {
    const appId = nextId('edas-typed');
    const deploy = nextId('edas-deploy');
    cloud.addOrder(release(deploy, { product: 'edas', appId, createTime: '2026-01-01 10:00:00' }));
    cloud.addOrder(
      release(nextId('edas-restart'), {
        product: 'edas',
        appId,
        coType: 'Restart Application',
        coTypeCode: 'CoRestartApplication',
        createTime: '2026-01-01 11:00:00',
      }),
    );
    const run = await runAction({
      inputs: inputs('', { product: 'edas', 'app-id': appId, 'change-order-type': 'CoDeploy' }),
    });
    expect(run.outputs).toMatchObject({ 'change-order-id': deploy, result: 'succeeded' });
  });

  it('with app-id, an EDAS order of another app is refused: the app list does not hold it', async () => {
    const id = nextId('edas-foreign');
    cloud.addOrder(release(id, { product: 'edas', appId: 'edas-owner' }));
    const run = await runAction({ inputs: inputs(id, { product: 'edas', 'app-id': 'edas-someone-else' }) });
    expect(run.code).toBe(1);
    expect(run.outputs.result).toBe('error');
    expect(run.outputs['error-message']).toMatch(/is not among the change orders of app edas-someone-else/);
    expect(callsOf('AbortChangeOrder', id)).toEqual([]);
  });

  it('with app-id, an EDAS order of that app passes, and the log says how ownership was checked', async () => {
    const id = nextId('edas-own');
    cloud.addOrder(release(id, { product: 'edas', appId: 'edas-mine' }));
    const run: ActionRun = await runAction({ inputs: inputs(id, { product: 'edas', 'app-id': 'edas-mine' }) });
    expect(run.outputs.result).toBe('succeeded');
    expect(visibleLog(run)).toContain(`the change orders of app edas-mine list it`);
    expect(cloud.callsFor('ListRecentChangeOrder').filter((c) => c.query.AppId === 'edas-mine')).toHaveLength(1);
  });
});

describe('9. fields that are not there', () => {
  it('SAE names the creator only in the list: shown when the order was found by app-id', async () => {
    const appId = nextId('creator-app');
    const id = nextId('creator');
    cloud.addOrder(release(id, { appId, createUserId: 'creator-4242' }));
    const found = await runAction({ inputs: inputs('', { 'app-id': appId }) });
    expect(found.summary).toContain('by creator-4242');
    const direct = await runAction({ inputs: inputs(id) });
    expect(direct.outputs.result).toBe('succeeded');
    expect(direct.summary).not.toContain('creator-4242');
  });

  it('EDAS status 7 (partially executed) on the order is a failure; the list shows the order as failed', async () => {
    const id = nextId('edas-partial');
    cloud.addOrder({
      ...release(id, { product: 'edas', appId: 'edas-partial-app' }),
      timeline: [{ status: 7, batches: [2, 3, 0] }],
    });
    const run = await runAction({ inputs: inputs(id, { product: 'edas' }) });
    expect(run.outputs).toMatchObject({ result: 'failed', status: '7', remedy: 'none' });
  });
});
