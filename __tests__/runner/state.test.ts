import { describe, expect, it } from '@jest/globals';
import { planPost, STATE, type PostPlan } from '../../src/runner/state.js';

const NEVER_STARTED = { act: false, reason: 'the main step never started a watch' } as const;
const SETTLED = { act: false, reason: 'the main step settled or remedied the release' } as const;

describe('planPost', () => {
  const cases: [string, Record<string, string>, PostPlan][] = [
    ['no state at all', {}, NEVER_STARTED],
    ['done without an order', { [STATE.done]: 'true' }, NEVER_STARTED],
    ['an empty order ID', { [STATE.changeOrderId]: '' }, NEVER_STARTED],
    ['an order that settled', { [STATE.changeOrderId]: 'co-1', [STATE.done]: 'true' }, SETTLED],
    ['an order still open', { [STATE.changeOrderId]: 'co-1' }, { act: true, changeOrderId: 'co-1' }],
    // Only the exact word "true" closes the safety net; anything else leaves it armed.
    ['done is "false"', { [STATE.changeOrderId]: 'co-1', [STATE.done]: 'false' }, { act: true, changeOrderId: 'co-1' }],
    ['done is "TRUE"', { [STATE.changeOrderId]: 'co-1', [STATE.done]: 'TRUE' }, { act: true, changeOrderId: 'co-1' }],
    ['done is "1"', { [STATE.changeOrderId]: 'co-1', [STATE.done]: '1' }, { act: true, changeOrderId: 'co-1' }],
    ['done is empty', { [STATE.changeOrderId]: 'co-9', [STATE.done]: '' }, { act: true, changeOrderId: 'co-9' }],
  ];
  it.each(cases)('%s', (_, state, plan) => {
    expect(planPost((name) => state[name] ?? '')).toEqual(plan);
  });

  it('reads only the names main saves', () => {
    const asked: string[] = [];
    planPost((name) => {
      asked.push(name);
      return name === 'change-order-id' ? 'co-1' : '';
    });
    expect(asked.sort()).toEqual(['change-order-id', 'done']);
    expect(STATE).toEqual({
      changeOrderId: 'change-order-id',
      done: 'done',
      run: 'run',
      appId: 'app-id',
      remedy: 'remedy',
    });
  });
});
