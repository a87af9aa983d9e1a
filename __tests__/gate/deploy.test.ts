/** startRelease: one DeployApplication call, retried only after a clear refusal; an ambiguous failure is resolved by listing. */
import { describe, expect, it } from '@jest/globals';
import { ApiError, type ErrorKind } from '../../src/alicloud/api-error.js';
import { DeployError, RECOVERY_LISTS, startRelease, THROTTLE_RETRIES } from '../../src/gate/deploy.js';
import type { DeploySettings } from '../../src/inputs/settings.js';
import type { ChangeOrderSummary } from '../../src/products/change-order.js';
import type { DeployService, DeployValue } from '../../src/products/deploy.js';
import { FakeClock, RecordingLog, ScriptedService } from '../helpers/fakes.js';

const DEPLOY: DeploySettings = {
  what: 'image acme/shop:1',
  packageType: 'Image',
  fields: {
    PackageType: 'Image',
    ImageUrl: 'acme/shop:1',
    ChangeOrderDesc: 'acme/shop@abc by me (run 1)',
    Envs: '[{"name":"K","value":"hidden-value"}]',
  },
  parameterNames: ['Envs'],
  description: 'acme/shop@abc by me (run 1)',
  secrets: ['hidden-value'],
};
const POLICY = { retries: 4, minDelayMs: 100, maxDelayMs: 1000 };
const error = (code: string, kind: ErrorKind, status = 400) =>
  new ApiError('DeployApplication', code, 'scripted', kind, status, 'REQ-9');

/** A deployer that answers from a script; `onCall` runs before each answer (e.g. to make an order appear). */
class ScriptedDeployer implements DeployService {
  readonly product = 'SAE';
  calls: Record<string, DeployValue>[] = [];
  constructor(
    private readonly steps: (ApiError | { changeOrderId: string; needsApproval: boolean })[],
    private readonly onCall?: () => void,
  ) {}
  async deploy(_appId: string, fields: Readonly<Record<string, DeployValue>>) {
    this.calls.push({ ...fields });
    this.onCall?.();
    const step = this.steps[Math.min(this.calls.length - 1, this.steps.length - 1)];
    if (step === undefined) throw new Error('ScriptedDeployer: no steps scripted');
    if (step instanceof ApiError) throw step;
    return step;
  }
}

const summary = (id: string, over: Partial<ChangeOrderSummary> = {}): ChangeOrderSummary => ({
  id,
  appId: 'app-1',
  status: 1,
  typeCode: 'CoDeploy',
  createTime: '2026-12-03 10:00:00',
  ...over,
});

function setup(
  steps: ConstructorParameters<typeof ScriptedDeployer>[0],
  onCall?: (s: ScriptedService) => void,
  signal?: AbortSignal,
) {
  const service = new ScriptedService([]);
  const deployer = new ScriptedDeployer(steps, () => onCall?.(service));
  const log = new RecordingLog();
  const clock = new FakeClock();
  const start = () =>
    startRelease({
      appId: 'app-1',
      deploy: DEPLOY,
      deployer,
      service,
      clock,
      log,
      pollIntervalMs: 1000,
      onApproval: 'fail',
      retryPolicy: POLICY,
      signal,
    });
  return { service, deployer, log, clock, start };
}

describe('startRelease', () => {
  it('stops waiting for a DeployApplication in flight once the cancel grace has passed, and says the outcome is unknown', async () => {
    const controller = new AbortController();
    const { deployer, start } = setup([], undefined, controller.signal);
    // The run is cancelled while the call is out, and SAE never answers.
    deployer.deploy = () => {
      controller.abort(new Error('received SIGINT'));
      return new Promise(() => undefined);
    };
    const began = Date.now();
    await expect(start()).rejects.toThrow(
      /cancelled while DeployApplication was in flight, and no answer came within 4\.5 s more: whether it started a release on app app-1 is unknown/,
    );
    expect(Date.now() - began).toBeGreaterThanOrEqual(4400);
    expect(Date.now() - began).toBeLessThan(7000);
  }, 15_000);

  it('returns the order DeployApplication started, and logs field names but no values', async () => {
    const { start, deployer, log } = setup([{ changeOrderId: 'co-9', needsApproval: true }]);
    await expect(start()).resolves.toEqual({ changeOrderId: 'co-9', needsApproval: true, recovered: false });
    expect(deployer.calls).toEqual([DEPLOY.fields]);
    expect(log.text()).toContain('1 field from deploy-parameters, values not shown: Envs');
    expect(log.text()).toContain('on-approval is fail');
    expect(log.text(['info', 'warning', 'notice', 'debug'])).not.toContain('hidden-value');
  });

  it(`retries throttling (SAE did nothing) up to ${THROTTLE_RETRIES} times, with growing waits`, async () => {
    const { start, deployer, clock } = setup([
      error('Throttling.User', 'throttled'),
      error('Throttling.User', 'throttled'),
      { changeOrderId: 'co-1', needsApproval: false },
    ]);
    const t0 = clock.now();
    await expect(start()).resolves.toMatchObject({ changeOrderId: 'co-1' });
    expect(deployer.calls).toHaveLength(3);
    expect(clock.now() - t0).toBe(100 + 200);
  });

  it.each([
    ['SignatureNonceUsed', 'unavailable'],
    ['System.Upgrading', 'unavailable'],
  ] as const)('retries %s too: SAE refused it before acting', async (code, kind) => {
    const { start, deployer } = setup([error(code, kind), { changeOrderId: 'co-1', needsApproval: false }]);
    await expect(start()).resolves.toMatchObject({ changeOrderId: 'co-1', recovered: false });
    expect(deployer.calls).toHaveLength(2);
  });

  it('gives up on throttling that does not end, with the API error', async () => {
    const { start, deployer } = setup([error('Throttling.User', 'throttled')]);
    await expect(start()).rejects.toThrow('Throttling.User');
    expect(deployer.calls).toHaveLength(THROTTLE_RETRIES + 1);
  });

  it('does not retry a refusal, and throws the API error as it is', async () => {
    const { start, deployer } = setup([error('InvalidParameter', 'rejected')]);
    await expect(start()).rejects.toBeInstanceOf(ApiError);
    expect(deployer.calls).toHaveLength(1);
  });

  it.each<[string, ErrorKind, number]>([
    ['RequestTimeout', 'timeout', 0],
    ['ECONNRESET', 'network', 0],
    ['ServiceUnavailable', 'unavailable', 503],
    ['MalformedResponse', 'malformed', 200],
  ])('after %s, never deploys again: finds the new order with our description', async (code, kind, status) => {
    const { start, deployer, service } = setup([error(code, kind, status)], (s) => {
      s.listed.push(
        summary('co-other', { description: 'someone else' }),
        summary('co-ours', { description: DEPLOY.description }),
      );
    });
    service.listed.push(summary('co-before', { status: 2, description: DEPLOY.description }));
    await expect(start()).resolves.toEqual({ changeOrderId: 'co-ours', needsApproval: false, recovered: true });
    expect(deployer.calls).toHaveLength(1);
  });

  it('keeps looking for a few polls: the order may appear late', async () => {
    const { start, service, clock } = setup([error('RequestTimeout', 'timeout', 0)]);
    const t0 = clock.now();
    const later = clock.sleep.bind(clock);
    clock.sleep = async (ms, signal) => {
      await later(ms, signal);
      service.listed.push(summary('co-late', { status: 11, description: DEPLOY.description }));
    };
    await expect(start()).resolves.toEqual({ changeOrderId: 'co-late', needsApproval: true, recovered: true });
    expect(clock.now() - t0).toBe(1000);
  });

  it('fails with what it knows when no order appears, after a bounded number of reads', async () => {
    const { start, deployer, clock } = setup([error('ServiceUnavailable', 'unavailable', 503)]);
    const t0 = clock.now();
    const failure = await start().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(DeployError);
    expect(String(failure)).toContain('whether it started a release is unknown');
    expect(String(failure)).toContain('ServiceUnavailable');
    expect(deployer.calls).toHaveLength(1);
    expect(clock.now() - t0).toBe((RECOVERY_LISTS - 1) * 1000);
  });

  it('refuses to choose when two new orders bear our description', async () => {
    const { start } = setup([error('RequestTimeout', 'timeout', 0)], (s) => {
      s.listed.push(
        summary('co-a', { description: DEPLOY.description }),
        summary('co-b', { description: DEPLOY.description }),
      );
    });
    await expect(start()).rejects.toThrow(/2 new change orders with this step's description \(co-a, co-b\)/);
  });

  it('names the running order when SAE says another change is in progress, and never deploys again', async () => {
    const { start, deployer, service } = setup([error('Application.ChangerOrderRunning', 'rejected')]);
    service.listed.push(
      summary('co-done', { status: 2, createTime: '2026-12-03 11:00:00' }),
      summary('co-running', { status: 1, type: 'Deploy Application', description: 'hotfix' }),
    );
    const failure = String(await start().catch((e: unknown) => e));
    expect(failure).toContain('change order co-running (Deploy Application) is running');
    expect(failure).toContain('https://console.example/co/co-running');
    expect(failure).toContain('wait for it to end');
    expect(deployer.calls).toHaveLength(1);
  });

  it('says so when SAE says a change runs but the list shows none', async () => {
    const { start } = setup([error('Application.ChangerOrderRunning', 'rejected')]);
    await expect(start()).rejects.toThrow(/shows no change order of the app in progress/);
  });

  it('does not deploy when the run was cancelled before the call', async () => {
    const controller = new AbortController();
    controller.abort(new Error('SIGINT'));
    const { start, deployer } = setup([{ changeOrderId: 'co-1', needsApproval: false }], undefined, controller.signal);
    await expect(start()).rejects.toThrow(/cancelled before DeployApplication was sent: no release was started/);
    expect(deployer.calls).toHaveLength(0);
  });

  it('says a release may have started when the run is cancelled while it looks for the order', async () => {
    const controller = new AbortController();
    const { start, deployer, clock } = setup([error('RequestTimeout', 'timeout', 0)], undefined, controller.signal);
    const sleep = clock.sleep.bind(clock);
    clock.sleep = async (ms, signal) => {
      controller.abort(new Error('SIGTERM'));
      await sleep(ms, signal);
    };
    await expect(start()).rejects.toThrow(/cancelled while looking for the change order .* is unknown/);
    expect(deployer.calls).toHaveLength(1);
  });
});
