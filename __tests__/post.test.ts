import { describe, expect, it } from '@jest/globals';
import type { CredentialSource } from '../src/alicloud/credentials.js';
import type { Settings } from '../src/inputs/settings.js';
import { runPost, type PostCore, type PostDeps } from '../src/post.js';
import { NOT_RUNNING } from '../src/products/adapter.js';
import type { ChangeOrderService } from '../src/products/change-order.js';
import { STATE } from '../src/runner/state.js';
import { ApiError } from '../src/alicloud/api-error.js';
import { RecordingLog, ScriptedService, order } from './helpers/fakes.js';

/** The post step's view of @actions/core: inputs, the state main saved, and masking, over a recording log. */
class FakePostCore extends RecordingLog implements PostCore {
  inputs: Record<string, string> = {};
  state: Record<string, string> = {};
  secrets: string[] = [];
  inputsRead: string[] = [];
  getInput = (name: string): string => {
    this.inputsRead.push(name);
    return this.inputs[name] ?? '';
  };
  getState = (name: string): string => this.state[name] ?? '';
  setSecret = (secret: string): void => void this.secrets.push(secret);
}

const inputs = {
  'region-id': 'cn-hangzhou',
  'access-key-id': 'AKID-1',
  'access-key-secret': 'SECRET-1',
  'security-token': 'TOKEN-1',
};

interface Harness {
  core: FakePostCore;
  service: ScriptedService;
  summaries: string[];
  created: { settings: Settings; credentials: CredentialSource; debug?: (m: string) => void }[];
  deps: PostDeps;
}

/** A post step whose main step saved `state`, with the given inputs and a scripted cloud. */
function harness(
  state: Record<string, string>,
  extraInputs: Record<string, string> = {},
  overrides: Partial<PostDeps> = {},
): Harness {
  const core = new FakePostCore();
  core.state = state;
  core.inputs = { ...inputs, ...extraInputs };
  const service = new ScriptedService([order(1)]);
  const summaries: string[] = [];
  const created: Harness['created'] = [];
  const deps: PostDeps = {
    core,
    env: {},
    appendSummary: async (md) => void summaries.push(md),
    createService: (settings, credentials, debug): ChangeOrderService => {
      created.push({ settings, credentials, debug });
      return service;
    },
    ...overrides,
  };
  return { core, service, summaries, created, deps };
}

const started = { [STATE.changeOrderId]: 'co-1' };

describe('runPost: nothing to do', () => {
  it.each([
    ['main never started a watch', {}, /nothing to do \(the main step never started a watch\)/],
    [
      'main settled or remedied the release',
      { ...started, [STATE.done]: 'true' },
      /nothing to do \(the main step settled or remedied the release\)/,
    ],
  ])('when %s: says so at debug level and touches nothing', async (_, state, line) => {
    const h = harness(state);
    await expect(runPost(h.deps)).resolves.toBe('nothing');
    expect(h.core.lines).toEqual([{ level: 'debug', message: expect.stringMatching(line) }]);
    expect(h.core.inputsRead).toEqual([]);
    expect(h.created).toEqual([]);
    expect(h.service.aborts).toEqual([]);
    expect(h.summaries).toEqual([]);
  });

  it('leaves the release running when on-cancel is none, and says so in the log and the summary', async () => {
    const h = harness(started, { 'on-cancel': 'none' });
    await expect(runPost(h.deps)).resolves.toBe('nothing');
    expect(h.created).toEqual([]);
    expect(h.service.aborts).toEqual([]);
    expect(h.core.lines).toEqual([
      {
        level: 'info',
        message:
          'Post step: the main step ended before change order co-1 settled; on-cancel is none, so it is left running.',
      },
    ]);
    expect(h.summaries).toHaveLength(1);
    expect(h.summaries[0]).toMatch(/Post step:.*<code>co-1<\/code> settled; on-cancel is none/);
    expect(h.core.secrets).toEqual(expect.arrayContaining(['SECRET-1', 'TOKEN-1', 'AKID-1']));
  });

  it('ignores a summary that cannot be written when it leaves the release running', async () => {
    const h = harness(
      started,
      { 'on-cancel': 'none' },
      { appendSummary: () => Promise.reject(new Error('disk full')) },
    );
    await expect(runPost(h.deps)).resolves.toBe('nothing');
    expect(h.core.lines.map((l) => l.level)).toEqual(['info']);
  });
});

describe('runPost: applies on-cancel', () => {
  it.each([
    ['abort', false, 'Aborted the change order (on-cancel, from the post step).'],
    [
      'abort-and-rollback',
      true,
      'Aborted the change order and asked SAE to roll it back (on-cancel, from the post step).',
    ],
  ])('on-cancel %s: aborts the saved change order once and reports it', async (remedy, rollback, detail) => {
    // The saved state names the order; a different change-order-id input must not redirect the remedy.
    const h = harness(started, { 'on-cancel': remedy, 'change-order-id': 'co-other' });
    await expect(runPost(h.deps)).resolves.toBe('applied');
    expect(h.service.aborts).toEqual([{ id: 'co-1', rollback }]);
    expect(h.created).toHaveLength(1);
    expect(h.created[0]?.settings).toMatchObject({ changeOrderId: 'co-1', onCancel: remedy, regionId: 'cn-hangzhou' });
    expect(h.created[0]?.debug).toBeUndefined();
    expect(h.core.secrets).toEqual(expect.arrayContaining(['SECRET-1', 'TOKEN-1', 'AKID-1']));
    expect(h.core.lines).toContainEqual({
      level: 'warning',
      message: `Post step: the main step ended before change order co-1 settled; applying on-cancel (${remedy}).`,
    });
    expect(h.core.lines).toContainEqual({ level: 'info', message: detail });
    expect(h.core.lines.filter((l) => l.level === 'warning')).toHaveLength(1);
    expect(h.summaries).toEqual([
      `\n> 🧯 **Post step:** the gate stopped before change order <code>co-1</code> settled. ${detail}\n`,
    ]);
  });

  it('uses the default on-cancel (abort) when the input is unset', async () => {
    const h = harness(started);
    await expect(runPost(h.deps)).resolves.toBe('applied');
    expect(h.service.aborts).toEqual([{ id: 'co-1', rollback: false }]);
  });

  it('masks every credential before the service exists', async () => {
    const h = harness(started);
    let maskedAtCreate: string[] = [];
    h.deps = {
      ...h.deps,
      createService: () => {
        maskedAtCreate = [...h.core.secrets];
        return h.service;
      },
    };
    await runPost(h.deps);
    expect(maskedAtCreate).toEqual(expect.arrayContaining(['SECRET-1', 'TOKEN-1', 'AKID-1']));
  });

  it('passes raw responses to debug only when step debugging is on', async () => {
    const h = harness(started, {}, { env: { RUNNER_DEBUG: '1' } });
    await runPost(h.deps);
    const debug = h.created[0]?.debug;
    expect(debug).toBeDefined();
    debug?.('raw body');
    expect(h.core.lines).toContainEqual({ level: 'debug', message: 'raw body' });
  });

  it('counts an order that settled by itself as done, once a read shows it, without a warning about it', async () => {
    const settled = new ScriptedService([order(2)]);
    settled.abortErrors = [new ApiError('AbortChangeOrder', NOT_RUNNING, 'not running', 'rejected', 400)];
    const h = harness(started, {}, { createService: () => settled });
    await expect(runPost(h.deps)).resolves.toBe('applied');
    expect(settled.aborts).toEqual([]);
    expect(settled.describes).toBe(1);
    expect(h.core.lines).toContainEqual({
      level: 'info',
      message: 'Did not abort: SAE says the change order is not running, and a read shows it succeeded.',
    });
    expect(h.summaries[0]).toMatch(/a read shows it succeeded/);
  });

  it('warns when "not running" is not what a read shows: the order still runs', async () => {
    const h = harness(started);
    h.service.abortErrors = [new ApiError('AbortChangeOrder', NOT_RUNNING, 'not running', 'rejected', 400)];
    await expect(runPost(h.deps)).resolves.toBe('warned');
    expect(h.core.lines.filter((l) => l.level === 'warning').map((l) => l.message)).toContainEqual(
      'SAE refused to abort change order co-1 as not running, but a read shows it running: it was not stopped. Stop it in the console.',
    );
  });
});

describe('runPost: warns when it cannot', () => {
  it('warns (and never throws) when the API refuses the abort, and says so in the summary', async () => {
    const h = harness(started);
    h.service.abortErrors = [new ApiError('AbortChangeOrder', 'Forbidden.RAM', 'no permission', 'rejected', 403)];
    await expect(runPost(h.deps)).resolves.toBe('warned');
    expect(h.service.aborts).toEqual([]);
    const warnings = h.core.lines.filter((l) => l.level === 'warning').map((l) => l.message);
    expect(warnings).toHaveLength(2);
    expect(warnings[1]).toMatch(
      /^Failed to abort change order co-1: AbortChangeOrder failed: Forbidden\.RAM \(HTTP 403\): no permission.*stop it in the console\.$/,
    );
    expect(h.summaries).toHaveLength(1);
    expect(h.summaries[0]).toMatch(/Failed to abort change order co-1/);
  });

  it('escapes what the server said before it reaches the summary, on one line', async () => {
    const h = harness(started);
    h.service.abortErrors = [
      new ApiError('AbortChangeOrder', 'Forbidden', '<img src=x>|`x`&\n## injected', 'rejected', 403),
    ];
    await runPost(h.deps);
    const [ours, detail] = (h.summaries[0] ?? '').split(' settled. ');
    expect(ours).toBe('\n> 🧯 **Post step:** the gate stopped before change order <code>co-1</code>');
    expect(detail).toContain('&#60;img src=x&#62;&#124;&#96;x&#96;&#38; ## injected');
    expect(detail?.slice(0, -1)).not.toMatch(/[<>|`\n]/);
    expect(detail?.endsWith('\n')).toBe(true);
  });

  it('warns when an input is invalid, before any service exists', async () => {
    const h = harness(started, { 'on-cancel': 'explode' });
    await expect(runPost(h.deps)).resolves.toBe('warned');
    expect(h.created).toEqual([]);
    expect(h.core.lines).toEqual([
      {
        level: 'warning',
        message: expect.stringMatching(
          /^Post step could not check change order co-1: Invalid input "on-cancel": "explode"/,
        ),
      },
    ]);
    expect(h.summaries).toEqual([]);
  });

  it('warns with the API error when wiring the service throws', async () => {
    const h = harness(
      started,
      {},
      {
        createService: () => {
          throw Object.assign(new Error('refused'), { code: 'ECONNREFUSED' });
        },
      },
    );
    await expect(runPost(h.deps)).resolves.toBe('warned');
    expect(h.core.lines).toEqual([
      {
        level: 'warning',
        message: 'Post step could not check change order co-1: post step failed: ECONNREFUSED: the connection failed',
      },
    ]);
  });

  it('warns when the summary cannot be written after the remedy, and still reports the remedy', async () => {
    const h = harness(started, {}, { appendSummary: () => Promise.reject(new Error('disk full')) });
    await expect(runPost(h.deps)).resolves.toBe('applied');
    expect(h.service.aborts).toEqual([{ id: 'co-1', rollback: false }]);
    expect(h.core.lines).toContainEqual({
      level: 'warning',
      message: 'Could not append to the job summary: Error: disk full',
    });
  });
});

describe('runPost: only its own run and app, and the remedy main was applying (issue 19)', () => {
  const env = { GITHUB_RUN_ID: '77', GITHUB_RUN_ATTEMPT: '2', GITHUB_ACTION: 'gate' };
  it('applies the remedy main was applying, rollback included, over on-cancel', async () => {
    const h = harness({ ...started, [STATE.remedy]: 'abort-and-rollback' }, { 'on-cancel': 'abort' });
    await expect(runPost(h.deps)).resolves.toBe('applied');
    expect(h.service.aborts).toEqual([{ id: 'co-1', rollback: true }]);
  });
  it.each([
    ['no run recorded', {}, env],
    ['another run', { [STATE.run]: '76/1/gate' }, env],
    ['another attempt', { [STATE.run]: '77/1/gate' }, env],
    ['a run recorded where there is none', { [STATE.run]: '77/2/gate' }, {}],
  ])('leaves the order alone when the state comes from %s', async (_, state, runEnv) => {
    const h = harness({ ...started, ...state }, { 'on-cancel': 'abort' }, { env: runEnv });
    await expect(runPost(h.deps)).resolves.toBe('nothing');
    expect(h.service.aborts).toEqual([]);
    expect(h.core.text(['warning'])).toMatch(
      /left change order co-1 alone: .*not recorded by the main step of this run/,
    );
  });
  it('acts on a state of its own run', async () => {
    const h = harness({ ...started, [STATE.run]: '77/2/gate' }, { 'on-cancel': 'abort' }, { env });
    await expect(runPost(h.deps)).resolves.toBe('applied');
    expect(h.service.aborts).toEqual([{ id: 'co-1', rollback: false }]);
  });
  it('leaves alone an order main recorded for another app', async () => {
    const h = harness({ ...started, [STATE.appId]: 'app-b' }, { 'on-cancel': 'abort', 'app-id': 'app-a' });
    await expect(runPost(h.deps)).resolves.toBe('nothing');
    expect(h.service.aborts).toEqual([]);
    expect(h.core.text(['warning'])).toMatch(/recorded for app "app-b", not app-id "app-a"/);
  });
});
