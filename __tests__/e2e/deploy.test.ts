/**
 * End-to-end: deploy and gate in one step (issue 17). dist/ calls DeployApplication on the fake SAE, which checks the
 * request against the API model and starts a scripted change order; the action then gates that order like any other.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FakeCloud, release } from '../../__fixtures__/cloud.js';
import type { DeployScript } from '../../__fixtures__/cloud-app.js';
import { readableText, runAction, startAction, visibleLog } from '../../__fixtures__/action.js';
import { KEY_ID, SECRET, keyInputs, nextId, waitFor } from './helpers.js';

let cloud: FakeCloud;
beforeAll(async () => {
  cloud = await FakeCloud.start({ accessKeys: { [KEY_ID]: SECRET } });
});
afterAll(async () => {
  await cloud.close();
});

const IMAGE = 'registry.cn-hangzhou.aliyuncs.com/acme/shop:1.4.2';
/** What the runner sets, from which the default change-order description is made. */
const GITHUB_ENV = {
  GITHUB_REPOSITORY: 'acme/shop',
  GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
  GITHUB_ACTOR: 'octocat',
  GITHUB_RUN_ID: '4242',
};
const DESCRIPTION = 'acme/shop@0123456 by octocat (run 4242)';

/** A new app the fake knows, whose deploys do what `deploy` says. */
function app(deploy: DeployScript = {}): string {
  const id = nextId('shop');
  cloud.apps.script(id, { deploy });
  return id;
}

const inputs = (appId: string, over: Record<string, string> = {}) =>
  keyInputs(cloud.url, { 'app-id': appId, timeout: '30s', ...over });

const deploysOf = (appId: string) => cloud.apps.deploys.filter((d) => d.appId === appId);
const deployCalls = (appId: string) => cloud.callsFor('DeployApplication').filter((c) => c.query.AppId === appId);

describe('deploy and gate', () => {
  it('deploys an image, with a form the fake checks against the model, and gates its order to success', async () => {
    const appId = app();
    const run = await runAction({ inputs: inputs(appId, { 'image-url': IMAGE }), env: GITHUB_ENV });
    expect(run.code).toBe(0);
    const call = deployCalls(appId)[0]!;
    expect(deployCalls(appId)).toHaveLength(1);
    expect(call.signatureOk).toBe(true);
    expect(call.contract).toEqual([]);
    expect(call.status).toBe(200);
    expect(call.query).toMatchObject({
      AppId: appId,
      PackageType: 'Image',
      ImageUrl: IMAGE,
      ChangeOrderDesc: DESCRIPTION,
    });
    const deployed = deploysOf(appId)[0]!;
    expect(run.outputs).toMatchObject({
      result: 'succeeded',
      deployed: 'true',
      'change-order-id': deployed.changeOrderId,
      'app-id': appId,
      'batches-total': '3',
      'batches-succeeded': '3',
    });
    // Gated exactly like a passed-in order: read to the end, then verified on the app.
    expect(
      cloud.callsFor('DescribeChangeOrder').filter((c) => c.query.ChangeOrderId === deployed.changeOrderId).length,
    ).toBeGreaterThan(1);
    expect(cloud.callsFor('DescribeApplicationStatus').filter((c) => c.query.AppId === appId)).toHaveLength(1);
    expect(run.state['change-order-id']).toBe(deployed.changeOrderId);
    const log = visibleLog(run);
    expect(log).toContain(`Deploying image ${IMAGE} to SAE app ${appId}`);
    expect(log).toContain('no deploy-parameters');
    expect(log).toContain(`Gating change order ${deployed.changeOrderId}, which this step started.`);
    expect(run.summary).toContain(`| **Deployed** | by this step: image ${IMAGE} |`);
    expect(run.summary).toContain(`| **Description** | ${DESCRIPTION} |`);
  });

  it('deploys a JAR: PackageType FatJar from the name, with its URL and version', async () => {
    const appId = app({ batchCount: 1 });
    const url = 'https://acme.oss-cn-hangzhou.aliyuncs.com/shop/shop-1.4.2.jar?Expires=1&Signature=x';
    const run = await runAction({
      inputs: inputs(appId, {
        'package-url': url,
        'package-version': '1.4.2',
        'change-order-description': 'shop 1.4.2',
      }),
    });
    expect(run.code).toBe(0);
    expect(deployCalls(appId)[0]!.query).toMatchObject({
      PackageType: 'FatJar',
      PackageUrl: url,
      PackageVersion: '1.4.2',
      ChangeOrderDesc: 'shop 1.4.2',
    });
    expect(deployCalls(appId)[0]!.contract).toEqual([]);
    expect(run.outputs).toMatchObject({ result: 'succeeded', deployed: 'true' });
  });

  it('passes deploy-parameters through as the model types them: query and body fields, JSON text kept as text', async () => {
    const appId = app({ batchCount: 1 });
    const envs = '[{"name":"MODE","value":"blue"}]';
    const params = {
      Replicas: 2,
      Jdk: 'Open JDK 8',
      Envs: envs,
      Labels: { team: 'shop' },
      EnableCpuBurst: true,
      AssociateEip: false,
      TerminationGracePeriodSeconds: 30,
    };
    const run = await runAction({
      inputs: inputs(appId, { 'image-url': IMAGE, 'deploy-parameters': JSON.stringify(params) }),
    });
    expect(run.code).toBe(0);
    const call = deployCalls(appId)[0]!;
    expect(call.contract).toEqual([]);
    expect(call.query).toMatchObject({
      Replicas: '2',
      Jdk: 'Open JDK 8',
      Envs: envs,
      Labels: '{"team":"shop"}',
      EnableCpuBurst: 'true',
      TerminationGracePeriodSeconds: '30',
    });
    // AssociateEip is a body field in the model: it goes in the signed form body, not the query.
    expect(call.query.AssociateEip).toBeUndefined();
    expect(call.form).toEqual({ AssociateEip: 'false' });
    expect(visibleLog(run)).toContain(
      '7 fields from deploy-parameters, values not shown: Replicas, Jdk, Envs, Labels, EnableCpuBurst, AssociateEip, TerminationGracePeriodSeconds',
    );
  });

  it.each([
    ['an unknown field', { Replicaz: 2 }, /"Replicaz" is not a DeployApplication field/],
    ['a field in the wrong case', { replicas: 2 }, /did you mean Replicas\?/],
    ['a number given as text', { Replicas: '2' }, /field Replicas is a string, not a number/],
    ['a boolean given as text', { EnableCpuBurst: 'yes' }, /field EnableCpuBurst is a string, not true or false/],
    ['a number out of the documented range', { TerminationGracePeriodSeconds: 301 }, /out of range: use 1 to 300/],
    ['a JSON field that is not the JSON the model says', { Labels: '[1,2]' }, /field Labels must hold a JSON object/],
    ['a field with its own input', { ImageUrl: 'x' }, /field ImageUrl has its own input: use "image-url"/],
    ['not an object', ['Replicas'], /not a JSON object/],
  ])('refuses %s before any API call', async (_what, params, message) => {
    const appId = app();
    const before = cloud.calls.length;
    const run = await runAction({
      inputs: inputs(appId, { 'image-url': IMAGE, 'deploy-parameters': JSON.stringify(params) }),
    });
    expect(run.code).toBe(1);
    expect(cloud.calls.length).toBe(before);
    expect(run.outputs['error-message']).toMatch(message);
    expect(run.outputs['error-message']).toContain('Invalid input "deploy-parameters"');
    expect(run.outputs).toMatchObject({ result: 'error', deployed: 'false' });
  });

  it.each([
    [{ 'change-order-id': 'co-1' }, /"change-order-id" cannot be combined with "image-url"/],
    [{ product: 'edas' }, /deploying to EDAS is out of scope/],
    [{ 'app-id': '' }, /Input "app-id" is required with "image-url"/],
    [{ 'package-url': 'https://x.example.com/a.jar', 'package-version': '1' }, /cannot both be set/],
  ])('refuses deploy inputs with %j before any API call', async (over, message) => {
    const before = cloud.calls.length;
    const run = await runAction({ inputs: inputs(nextId('shop'), { 'image-url': IMAGE, ...over }) });
    expect(run.code).toBe(1);
    expect(cloud.calls.length).toBe(before);
    expect(run.outputs['error-message']).toMatch(message);
  });

  it('asks for package-type when a .zip does not say whether it is PHP or Python', async () => {
    const before = cloud.calls.length;
    const run = await runAction({
      inputs: inputs(nextId('shop'), { 'package-url': 'https://x.example.com/site.zip', 'package-version': '3' }),
    });
    expect(run.code).toBe(1);
    expect(cloud.calls.length).toBe(before);
    expect(run.outputs['error-message']).toMatch(/Input "package-type" is required: .*\.zip.*PhpZip/);
  });

  it('fails at once when another change runs, naming it from ListChangeOrders and saying how to wait; never deploys over it', async () => {
    const appId = app();
    const running = nextId('running');
    cloud.addOrder(release(running, { appId, outcome: 'stuck', description: 'hotfix by alice' }));
    const run = await runAction({ inputs: inputs(appId, { 'image-url': IMAGE }) });
    expect(run.code).toBe(1);
    expect(deployCalls(appId)).toHaveLength(1);
    expect(deployCalls(appId)[0]!.status).toBe(400);
    expect(deploysOf(appId)).toEqual([]);
    const message = run.outputs['error-message'];
    expect(message).toContain('Application.ChangerOrderRunning');
    expect(message).toContain(`change order ${running}`);
    expect(message).toContain('"hotfix by alice"');
    expect(message).toMatch(/never deploys over a running change: wait for it to end/);
    expect(run.outputs).toMatchObject({ result: 'error', deployed: 'false' });
    // It neither watched nor touched the running order.
    expect(cloud.callsFor('AbortChangeOrder').filter((c) => c.query.ChangeOrderId === running)).toEqual([]);
    expect(cloud.order(running).aborted).toBeUndefined();
  });

  it.each([
    ['the answer was lost after SAE started the order', { kind: 'lost-answer' } as const, {}],
    [
      'the call timed out while SAE started the order',
      { kind: 'slow', ms: 1800 } as const,
      { 'request-timeout': '1s' },
    ],
  ])(
    'after an ambiguous failure (%s), finds the new order by its description and gates it, without a second deploy',
    async (_what, fault, over) => {
      const appId = app({ batchCount: 1 });
      // An older order with the same description is not taken for the new one.
      cloud.addOrder({
        id: nextId('older'),
        appId,
        description: DESCRIPTION,
        batches: [{ name: 'Batch 1 Change' }],
        timeline: [{ status: 2, batches: [2] }],
      });
      cloud.injectFault(fault, { action: 'DeployApplication' });
      const run = await runAction({ inputs: inputs(appId, { 'image-url': IMAGE, ...over }), env: GITHUB_ENV });
      expect(deployCalls(appId)).toHaveLength(1);
      const deployed = deploysOf(appId)[0]!;
      expect(run.code).toBe(0);
      expect(run.outputs).toMatchObject({
        result: 'succeeded',
        deployed: 'true',
        'change-order-id': deployed.changeOrderId,
      });
      const log = visibleLog(run);
      expect(log).toContain('It is not sent again');
      expect(log).toContain(`Found change order ${deployed.changeOrderId}`);
    },
  );

  it('after an ambiguous failure with no order appearing, fails with what is known and does not deploy again', async () => {
    const appId = app();
    cloud.injectFault({ kind: 'http', status: 503 }, { action: 'DeployApplication', times: 10 });
    const run = await runAction({ inputs: inputs(appId, { 'image-url': IMAGE }), env: GITHUB_ENV });
    cloud.clearFaults();
    expect(run.code).toBe(1);
    expect(deployCalls(appId)).toHaveLength(1);
    expect(deploysOf(appId)).toEqual([]);
    expect(run.outputs).toMatchObject({ result: 'error', deployed: 'false' });
    expect(run.outputs['error-message']).toContain('ServiceUnavailable');
    expect(run.outputs['error-message']).toContain('whether it started a release is unknown');
    expect(run.outputs['error-message']).toContain(JSON.stringify(DESCRIPTION));
    // It looked: once before the call, then three times after it.
    expect(cloud.callsFor('ListChangeOrders').filter((c) => c.query.AppId === appId)).toHaveLength(4);
  });

  it('retries a throttled deploy (a clear refusal: SAE did nothing) and gates the one order it starts', async () => {
    const appId = app({ batchCount: 1 });
    cloud.injectFault({ kind: 'throttle' }, { action: 'DeployApplication' });
    const run = await runAction({ inputs: inputs(appId, { 'image-url': IMAGE }) });
    expect(run.code).toBe(0);
    expect(deployCalls(appId).map((c) => c.status)).toEqual([400, 200]);
    expect(deploysOf(appId)).toHaveLength(1);
    expect(run.outputs).toMatchObject({ result: 'succeeded', deployed: 'true' });
  });

  it.each([
    ['fail', 1],
    ['succeed', 0],
  ])('a deploy that needs approval goes to on-approval (%s)', async (onApproval, code) => {
    const appId = app({ needsApproval: true });
    const run = await runAction({ inputs: inputs(appId, { 'image-url': IMAGE, 'on-approval': onApproval }) });
    expect(run.code).toBe(code);
    expect(run.outputs).toMatchObject({ result: 'paused', status: '11', deployed: 'true' });
    expect(visibleLog(run)).toContain(
      `The change needs approval (IsNeedApproval) before SAE runs it: on-approval is ${onApproval}.`,
    );
    // Waiting for approval is not a failure to remedy.
    expect(
      cloud.callsFor('AbortChangeOrder').filter((c) => c.query.ChangeOrderId === run.outputs['change-order-id']),
    ).toEqual([]);
  });

  it('applies on-failure to a release it started: the failed release is rolled back to the version before it', async () => {
    const appId = app({ outcome: 'fail-batch-2' });
    const run = await runAction({ inputs: inputs(appId, { 'image-url': IMAGE }) });
    expect(run.code).toBe(1);
    const id = deploysOf(appId)[0]!.changeOrderId;
    expect(run.outputs).toMatchObject({
      result: 'failed',
      deployed: 'true',
      'change-order-id': id,
      'failed-batch': 'Batch 2 Change',
      remedy: 'rollback',
    });
    expect(cloud.apps.rollbacks.filter((r) => r.appId === appId)).toHaveLength(1);
  });

  it('never shows a secret from deploy-parameters: not in the log (debug on), the summary, the outputs or the state', async () => {
    const appId = app({ batchCount: 1 });
    const secret = 'pa55-w0rd-9f8e7d6c';
    const ossSecret = 'oss-secret-1a2b3c4d5e';
    const params = {
      Envs: JSON.stringify([{ name: 'DB_PASSWORD', value: secret }]),
      OssAkSecret: ossSecret,
      OssAkId: 'LTAI-oss-reader',
    };
    const run = await runAction({
      inputs: inputs(appId, { 'image-url': IMAGE, 'deploy-parameters': JSON.stringify(params) }),
      env: { RUNNER_DEBUG: '1' },
    });
    expect(run.code).toBe(0);
    // The values reached SAE...
    expect(deployCalls(appId)[0]!.query.Envs).toContain(secret);
    expect(deployCalls(appId)[0]!.form?.OssAkSecret).toBe(ossSecret);
    // ...were masked before anything could print them, and appear nowhere a person or a later step could read.
    expect(run.stdout).toContain(`::add-mask::${secret}`);
    expect(run.stdout).toContain(`::add-mask::${ossSecret}`);
    const text = readableText(run);
    for (const value of [secret, ossSecret, params.Envs, 'LTAI-oss-reader']) expect(text).not.toContain(value);
    expect(visibleLog(run)).toContain('3 fields from deploy-parameters, values not shown: Envs, OssAkSecret, OssAkId');
  });

  it('gates the batches of the release it started: on-manual-batch confirm releases each waiting batch', async () => {
    const appId = app({ outcome: 'manual', batchCount: 2 });
    const run = await runAction({ inputs: inputs(appId, { 'image-url': IMAGE, 'on-manual-batch': 'confirm' }) });
    const id = deploysOf(appId)[0]!.changeOrderId;
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ result: 'succeeded', deployed: 'true', 'batches-succeeded': '2' });
    expect(cloud.callsFor('ConfirmPipelineBatch').filter((c) => c.query.PipelineId!.startsWith(`${id}-`))).toHaveLength(
      1,
    );
  });

  it('applies on-cancel to the release it started: SIGINT aborts that order, and the step reports it deployed', async () => {
    const appId = app({ outcome: 'stuck' });
    const { child, done } = startAction({ inputs: inputs(appId, { 'image-url': IMAGE, timeout: '60s' }) });
    await waitFor('the deploy', () => deploysOf(appId).length === 1);
    const id = deploysOf(appId)[0]!.changeOrderId;
    const reads = () => cloud.callsFor('DescribeChangeOrder').filter((c) => c.query.ChangeOrderId === id);
    await waitFor('two reads of the new order', () => reads().length >= 2);
    child.kill('SIGINT');
    const run = await done;
    expect(run.code).toBe(1);
    expect(run.outputs).toMatchObject({
      result: 'cancelled',
      remedy: 'abort',
      deployed: 'true',
      'change-order-id': id,
    });
    expect(cloud.callsFor('AbortChangeOrder').filter((c) => c.query.ChangeOrderId === id)).toHaveLength(1);
    expect(cloud.order(id).status).toBe(6);
    expect(run.state).toMatchObject({ 'change-order-id': id, done: 'true' });
  });
});
