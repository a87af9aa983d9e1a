import { describe, expect, it } from '@jest/globals';
import type { ChangeOrderService } from '../src/products/change-order.js';
import type { DeployService, DeployValue } from '../src/products/deploy.js';
import { run, type Core, type Deps } from '../src/main.js';
import { FakeClock, ScriptedService, order } from './helpers/fakes.js';

class FakeCore implements Core {
  inputs: Record<string, string> = {};
  outputs: Record<string, string> = {};
  secrets: string[] = [];
  state: Record<string, string> = {};
  failed: string[] = [];
  logs: string[] = [];
  getInput = (name: string) => this.inputs[name] ?? '';
  setOutput = (name: string, value: unknown) => {
    this.outputs[name] = String(value);
  };
  setFailed = (message: string | Error) => {
    this.failed.push(String(message));
  };
  saveState = (name: string, value: unknown) => {
    this.state[name] = String(value);
  };
  setSecret = (secret: string) => {
    this.secrets.push(secret);
  };
  info = (m: string) => void this.logs.push(m);
  warning = (m: string | Error) => void this.logs.push(`warning: ${String(m)}`);
  notice = (m: string | Error) => void this.logs.push(`notice: ${String(m)}`);
  error = (m: string | Error) => void this.logs.push(`error: ${String(m)}`);
  debug = (m: string) => void this.logs.push(`debug: ${m}`);
}

function deps(core: FakeCore, service: ChangeOrderService, summaries: string[] = []): Deps {
  return {
    core,
    env: {},
    clock: new FakeClock(),
    appendSummary: async (md) => void summaries.push(md),
    createService: () => service,
  };
}

const inputs = {
  'change-order-id': 'co-1',
  'region-id': 'cn-hangzhou',
  'access-key-id': 'AKID-1',
  'access-key-secret': 'SECRET-1',
  'security-token': 'TOKEN-1',
  'poll-interval': '5s',
};

describe('run', () => {
  it('finds the newest running change order of app-id, and posts deployment statuses around the gate', async () => {
    const core = new FakeCore();
    core.inputs = {
      ...inputs,
      'change-order-id': '',
      'app-id': 'app-1',
      'deployment-id': '77',
      'github-token': 'GH-TOKEN',
      'environment-url': 'https://shop.example',
    };
    const service = new ScriptedService([
      order(1, { id: 'co-new' }),
      order(2, { id: 'co-new', batchStatuses: [2, 2] }),
    ]);
    service.listed = [
      { id: 'co-old', appId: 'app-1', status: 2, createTime: '2026-11-20 10:00:00' },
      { id: 'co-new', appId: 'app-1', status: 1, createTime: '2026-11-22 10:00:00' },
      { id: 'co-other', appId: 'app-2', status: 1, createTime: '2026-11-23 10:00:00' },
    ];
    const posted: [string, string][] = [];
    const report = await run({
      ...deps(core, service),
      env: { GITHUB_REPOSITORY: 'acme/shop', GITHUB_RUN_ID: '9' },
      postDeploymentStatus: async (t, state, description) => void posted.push([state, description]),
    });
    expect(report?.changeOrderId).toBe('co-new');
    expect(core.logs.join('\n')).toMatch(
      /Gating change order co-new of app app-1: the newest change order still in progress/,
    );
    expect(posted).toEqual([
      ['in_progress', 'Looking for the change order of app-1'],
      ['success', 'All 2 batches succeeded'],
    ]);
    expect(core.secrets).toContain('GH-TOKEN');
  });

  it('keeps the verdict when a deployment status cannot be posted', async () => {
    const core = new FakeCore();
    core.inputs = { ...inputs, 'deployment-id': '77', 'github-token': 'GH-TOKEN' };
    const report = await run({
      ...deps(core, new ScriptedService([order(2)])),
      env: { GITHUB_REPOSITORY: 'acme/shop' },
      postDeploymentStatus: async () =>
        Promise.reject(Object.assign(new Error('Resource not accessible by integration'), { status: 403 })),
    });
    expect(report?.result).toBe('succeeded');
    expect(core.failed).toEqual([]);
    expect(core.logs.join('\n')).toMatch(
      /warning: Could not set the status of deployment 77 to in_progress: .*deployments: write/,
    );
  });

  describe('deploy mode', () => {
    const deployInputs = {
      ...inputs,
      'change-order-id': '',
      'app-id': 'app-1',
      'image-url': 'registry.example.com/acme/shop:2',
      'deploy-parameters': '{"OssAkSecret": "OSS-SECRET-1", "Replicas": 2}',
    };
    const deployer = (id: string, sent: Record<string, DeployValue>[]): DeployService => ({
      product: 'SAE',
      deploy: async (_appId, fields) => {
        sent.push({ ...fields });
        return { changeOrderId: id, needsApproval: false };
      },
    });

    it('deploys, masks deploy-parameters before the call, gates the order it started and says so', async () => {
      const core = new FakeCore();
      core.inputs = deployInputs;
      const sent: Record<string, DeployValue>[] = [];
      const report = await run({
        ...deps(core, new ScriptedService([order(2, { id: 'co-dep', batchStatuses: [2] })])),
        env: { GITHUB_REPOSITORY: 'acme/shop', GITHUB_SHA: 'feedface00', GITHUB_ACTOR: 'me', GITHUB_RUN_ID: '3' },
        createDeployService: () => {
          // Masked before the deploy service even exists.
          expect(core.secrets).toContain('OSS-SECRET-1');
          return deployer('co-dep', sent);
        },
      });
      expect(sent).toEqual([
        {
          PackageType: 'Image',
          ImageUrl: 'registry.example.com/acme/shop:2',
          ChangeOrderDesc: 'acme/shop@feedfac by me (run 3)',
          OssAkSecret: 'OSS-SECRET-1',
          Replicas: 2,
        },
      ]);
      expect(report).toMatchObject({ changeOrderId: 'co-dep', deployed: true, result: 'succeeded' });
      expect(core.outputs).toMatchObject({ deployed: 'true', 'change-order-id': 'co-dep' });
      expect(core.state).toEqual({ 'change-order-id': 'co-dep', done: 'true', 'app-id': 'app-1', run: '3//' });
      expect(core.logs.join('\n')).not.toContain('OSS-SECRET-1');
    });

    it('keeps the started order in the outputs when the gate then fails', async () => {
      const core = new FakeCore();
      core.inputs = deployInputs;
      await run({
        ...deps(core, new ScriptedService([order(2)])),
        createDeployService: () => deployer('co-dep', []),
        createAppService: () => {
          throw new TypeError('a bug');
        },
      });
      expect(core.outputs).toMatchObject({ result: 'error', deployed: 'true', 'change-order-id': 'co-dep' });
      expect(core.failed[0]).toContain('a bug');
    });

    it('leaves deployed false when the deploy was refused', async () => {
      const core = new FakeCore();
      core.inputs = deployInputs;
      await run({
        ...deps(core, new ScriptedService([order(2)])),
        createDeployService: () => ({
          product: 'SAE',
          deploy: () => Promise.reject(new Error('boom')),
        }),
      });
      expect(core.outputs).toMatchObject({ result: 'error', deployed: 'false', 'change-order-id': '' });
    });
  });

  it('fails clearly when the app has no change orders', async () => {
    const core = new FakeCore();
    core.inputs = { ...inputs, 'change-order-id': '', 'app-id': 'app-9' };
    await run(deps(core, new ScriptedService([order(2)])));
    expect(core.outputs.result).toBe('error');
    expect(core.failed[0]).toMatch(/App app-9 has no change orders in SAE region cn-hangzhou/);
  });

  it('refuses to gate a change order of another app', async () => {
    const core = new FakeCore();
    core.inputs = { ...inputs, 'app-id': 'app-mine' };
    const service = new ScriptedService([order(2, { appId: 'app-theirs' })]);
    await run(deps(core, service));
    expect(core.outputs.result).toBe('error');
    expect(core.failed[0]).toMatch(/belongs to app app-theirs, not to app app-mine/);
    expect(service.aborts).toEqual([]);
  });

  it('needs a change order, an app, or a deployment payload before any call', async () => {
    const core = new FakeCore();
    core.inputs = { ...inputs, 'change-order-id': '' };
    let created = 0;
    await run({
      ...deps(core, new ScriptedService([order(2)])),
      createService: () => {
        created += 1;
        throw new Error('no');
      },
    });
    expect(created).toBe(0);
    expect(core.failed[0]).toMatch(/No change order to gate: set the "change-order-id" input, or "app-id"/);
  });

  it('masks every credential before doing anything, sets all outputs and passes a successful release', async () => {
    const core = new FakeCore();
    core.inputs = inputs;
    const summaries: string[] = [];
    const report = await run(deps(core, new ScriptedService([order(1), order(2, { batchStatuses: [2] })]), summaries));
    expect(core.secrets).toEqual(expect.arrayContaining(['SECRET-1', 'TOKEN-1', 'AKID-1']));
    expect(report?.result).toBe('succeeded');
    expect(core.failed).toEqual([]);
    expect(Object.keys(core.outputs).sort()).toEqual(
      [
        'app-id',
        'batches-succeeded',
        'batches-total',
        'change-order',
        'change-order-id',
        'console-url',
        'deployed',
        'duration-seconds',
        'error-message',
        'failed-batch',
        'remedy',
        'result',
        'rollback-change-order-id',
        'status',
        'status-text',
        'waiting-batch',
      ].sort(),
    );
    expect(core.outputs.deployed).toBe('false');
    expect(summaries).toHaveLength(1);
    expect(summaries[0]).toContain('Release succeeded');
    expect(core.logs.join('\n')).not.toMatch(/SECRET-1|TOKEN-1/);
    expect(core.state).toEqual({ 'change-order-id': 'co-1', done: 'true', run: '', 'app-id': '' });
  });

  it('fails the step once, for anything but success', async () => {
    const core = new FakeCore();
    core.inputs = inputs;
    await run(deps(core, new ScriptedService([order(3)])));
    expect(core.failed).toHaveLength(1);
    expect(core.failed[0]).toMatch(/^Result: failed\./);
    expect(core.outputs.result).toBe('failed');
  });

  it('fails on bad input before creating a client', async () => {
    const core = new FakeCore();
    core.inputs = { ...inputs, 'on-failure': 'explode' };
    let created = 0;
    await run({
      ...deps(core, new ScriptedService([order(2)])),
      createService: () => {
        created += 1;
        throw new Error('must not be called');
      },
    });
    expect(created).toBe(0);
    expect(core.failed[0]).toMatch(/Invalid input "on-failure"/);
    expect(core.outputs.result).toBe('error');
  });

  it('skips the summary when summary is false, and survives a summary that cannot be written', async () => {
    const core = new FakeCore();
    core.inputs = { ...inputs, summary: 'false' };
    const summaries: string[] = [];
    await run(deps(core, new ScriptedService([order(2)]), summaries));
    expect(summaries).toEqual([]);
    const core2 = new FakeCore();
    core2.inputs = inputs;
    await run({
      ...deps(core2, new ScriptedService([order(2)])),
      appendSummary: async () => Promise.reject(new Error('no GITHUB_STEP_SUMMARY')),
    });
    expect(core2.failed).toEqual([]);
    expect(core2.logs.join('\n')).toMatch(/warning: Could not write the job summary/);
  });

  it('turns an unexpected exception into result error without a stack trace for the user', async () => {
    const core = new FakeCore();
    core.inputs = inputs;
    const broken: ChangeOrderService = {
      product: 'SAE',
      describe: async () => ({}) as never,
      abort: async () => undefined,
      confirmBatch: async () => undefined,
      list: async () => [],
      consoleUrl: () => {
        throw new TypeError('boom');
      },
    };
    await run(deps(core, broken));
    expect(core.outputs.result).toBe('error');
    expect(core.failed[0]).toBe('Result: error. Release gate error: boom');
    expect(core.logs.filter((l) => !l.startsWith('debug')).join('\n')).not.toMatch(/at .*\.ts:\d+/);
  });
});

describe('run with a role assumed through GitHub OIDC', () => {
  const oidcInputs = {
    'change-order-id': 'co-1',
    'region-id': 'cn-hangzhou',
    'role-to-assume': 'acs:ram::1234567890123456:role/github-deploy',
    'oidc-provider-arn': 'acs:ram::1234567890123456:oidc-provider/github',
    'poll-interval': '5s',
  };

  it('without `permissions: id-token: write`, says to add it, and creates no client', async () => {
    const core = new FakeCore();
    core.inputs = oidcInputs;
    let created = 0;
    const report = await run({
      ...deps(core, new ScriptedService([order(2)])),
      createService: () => (created++, new ScriptedService([order(2)])),
    });
    expect(created).toBe(0);
    expect(report?.result).toBe('error');
    expect(core.outputs['error-message']).toMatch(
      /^GitHub OIDC token request failed: IdTokenUnavailable: this job cannot request a GitHub OIDC token \(ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set\) \(add `permissions: id-token: write`/,
    );
    expect(core.failed).toHaveLength(1);
    expect(core.logs.join('\n')).toContain(
      'Credentials: from the role-to-assume and oidc-provider-arn inputs (GitHub OIDC, renewed before expiry)',
    );
  });

  it('reports a refused token request at once (no retries), without the runner token', async () => {
    const core = new FakeCore();
    core.inputs = oidcInputs;
    let fetches = 0;
    const report = await run({
      ...deps(core, new ScriptedService([order(2)])),
      env: {
        ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1:1/t?api-version=2.0',
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'RUNNER-TOKEN',
      },
      getIDToken: async () => {
        fetches += 1;
        throw new Error('Error message: Failed to get ID Token. \n Error Code : 403\n Error Message: Forbidden');
      },
    });
    expect(fetches).toBe(1);
    expect(report?.result).toBe('error');
    expect(core.outputs['error-message']).toContain('IdTokenDenied');
    expect(core.logs.join('\n') + core.failed.join('\n')).not.toContain('RUNNER-TOKEN');
  });
});
