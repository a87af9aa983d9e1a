/** action.yml is the contract: every declared input is read, every output set is declared, and the defaults parse. */
import { describe, expect, it } from '@jest/globals';
import { readInputs } from '../src/inputs/read.js';
import { outputsFor } from '../src/publish/outputs.js';
import { readActionYml } from '../scripts/docs.js';
import { order } from './helpers/fakes.js';

const action = readActionYml();
const declaredInputs = Object.keys(action.inputs).sort();
/** Inputs with a value the runner computes (an expression), not a literal to parse. */
const EXPRESSION_DEFAULTS = new Set(['github-token']);

function defaults(): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, i] of Object.entries(action.inputs))
    if (i.default !== undefined && !EXPRESSION_DEFAULTS.has(name)) values[name] = String(i.default);
  return values;
}

describe('action.yml contract', () => {
  it('declares every input the code reads, and the code reads every declared input', () => {
    const read = new Set<string>();
    readInputs((name) => {
      read.add(name);
      return (
        {
          ...defaults(),
          'change-order-id': 'co-1',
          'region-id': 'cn-hangzhou',
          'access-key-id': 'a',
          'access-key-secret': 'b',
        }[name] ?? ''
      );
    }, {});
    expect([...read].sort()).toEqual(declaredInputs);
  });

  it('parses every declared default to the documented value', () => {
    const { settings } = readInputs(
      (name) =>
        ({
          ...defaults(),
          'change-order-id': 'co-1',
          'region-id': 'cn-hangzhou',
          'access-key-id': 'a',
          'access-key-secret': 'b',
        })[name] ?? '',
      {},
    );
    expect(settings).toMatchObject({
      product: 'sae',
      timeoutMs: 1_800_000,
      pollIntervalMs: 10_000,
      requestTimeoutMs: 15_000,
      maxApiErrors: 10,
      onFailure: 'abort-and-rollback',
      onTimeout: 'abort',
      onCancel: 'abort',
      onManualBatch: 'wait',
      onApproval: 'wait',
      bakeTimeMs: 0,
      healthCheckFailures: 1,
      summary: true,
    });
  });

  it('declares exactly the outputs the code sets', () => {
    const outputs = outputsFor({
      product: 'SAE',
      changeOrderId: 'co',
      consoleUrl: '',
      result: 'succeeded',
      passes: true,
      reason: '',
      startedAt: 0,
      endedAt: 0,
      notes: [],
      order: order(2),
    });
    expect(Object.keys(outputs).sort()).toEqual(Object.keys(action.outputs).sort());
  });

  it('runs on node24 with a post step that always runs', () => {
    const runs = (readActionYml() as unknown as { runs: Record<string, string> }).runs;
    expect(runs).toEqual({ using: 'node24', main: 'dist/index.js', post: 'dist/post/index.js', 'post-if': 'always()' });
  });
});
