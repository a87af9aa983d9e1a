import { describe, expect, it } from '@jest/globals';
import { chooseChangeOrder } from '../../src/gate/find.js';
import { InputError } from '../../src/inputs/parse.js';
import { resolveTarget } from '../../src/inputs/target.js';
import type { EventInfo } from '../../src/runner/event.js';

const deployment = (payload: Record<string, unknown>): EventInfo => ({
  name: 'deployment',
  deployment: { id: 5, payload },
});

describe('resolveTarget', () => {
  it('takes the input first', () => {
    expect(
      resolveTarget({ changeOrderId: 'co-in', appId: 'app-in' }, deployment({ changeOrderId: 'co-payload' })),
    ).toEqual({
      changeOrderId: 'co-in',
      appId: 'app-in',
      source: 'the change-order-id input',
    });
  });
  it.each(['change-order-id', 'changeOrderId', 'ChangeOrderId'])('reads the deployment payload key %s', (key) => {
    expect(resolveTarget({}, deployment({ [key]: 'co-p' }))).toMatchObject({
      changeOrderId: 'co-p',
      source: 'the payload of deployment 5',
    });
  });
  it.each(['app-id', 'appId', 'AppId'])('reads the app from payload key %s', (key) => {
    expect(resolveTarget({}, deployment({ [key]: 'app-p' }))).toEqual({
      appId: 'app-p',
      source: 'the newest change order of app app-p',
    });
  });
  it('in deploy mode, gates the order the step starts, and refuses a payload that names another', () => {
    const deploy = { what: 'image x' };
    expect(resolveTarget({ appId: 'app-in', deploy }, deployment({ appId: 'app-payload' }))).toEqual({
      appId: 'app-in',
      source: 'the release this step starts',
    });
    expect(() => resolveTarget({ appId: 'app-in', deploy }, deployment({ changeOrderId: 'co-payload' }))).toThrow(
      /The payload of deployment 5 names a change order \("changeOrderId"\), and the deploy inputs start a new one/,
    );
  });

  it('refuses a payload ID that could smuggle query parameters', () => {
    expect(() => resolveTarget({}, deployment({ changeOrderId: 'x&Rollback=true' }))).toThrow(
      /deployment payload "changeOrderId"/,
    );
  });
  it('asks for something to gate when there is nothing', () => {
    expect(() => resolveTarget({}, { name: 'push' })).toThrow(InputError);
  });
});

describe('chooseChangeOrder', () => {
  it('prefers the newest order still in progress, whatever order the API lists them in', () => {
    const chosen = chooseChangeOrder([
      { id: 'a', status: 2, createTime: '2026-11-22 12:00:00' },
      { id: 'b', status: 1, createTime: '2026-11-22 09:00:00' },
      { id: 'c', status: 8, createTime: '2026-11-22 10:00:00' },
    ]);
    expect(chosen?.order.id).toBe('c');
    expect(chosen?.why).toMatch(/still in progress/);
  });
  it('falls back to the newest order', () => {
    expect(
      chooseChangeOrder([
        { id: 'a', status: 2, createTime: '2026-11-21 12:00:00' },
        { id: 'b', status: 3, createTime: '2026-11-22 09:00:00' },
      ])?.order.id,
    ).toBe('b');
  });
  it('has nothing to choose from an empty list', () => {
    expect(chooseChangeOrder([])).toBeUndefined();
  });
});
