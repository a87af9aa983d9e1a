import { describe, expect, it } from '@jest/globals';
import { checkAbortAnswer, checkSucceeded, strictBool, strictStatus, toInt } from '../../src/products/fields.js';
import { parseEdasChangeOrder } from '../../src/products/edas.js';
import { parseSaeChangeOrder } from '../../src/products/sae.js';

/** Issue 19, class 3: the fields that decide are parsed strictly; anything else is malformed, never a verdict. */
/** The error `fn` throws (undefined when it throws none). */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}
const MALFORMED = { name: 'ApiError', code: 'MalformedResponse', kind: 'malformed' };

describe('strict readers', () => {
  it.each([
    [2, 2],
    ['2', 2],
    [' 12 ', 12],
    [2.5, undefined],
    ['2.5', undefined],
    [Number.NaN, undefined],
    [true, undefined],
    ['', undefined],
    [1e300, undefined],
  ])('toInt(%p) is %p', (v, want) => expect(toInt(v)).toBe(want));

  it.each([2.5, '2.5', 'two', null, undefined, true, {}])('status %p is malformed', (v) =>
    expect(thrown(() => strictStatus('Op', v))).toMatchObject(MALFORMED),
  );

  it.each([
    [true, true],
    ['true', true],
    [false, false],
    ['false', false],
    [undefined, undefined],
  ])('boolean %p is %p', (v, want) => expect(strictBool('Op', 'F', v)).toBe(want));

  it.each([0, 1, 'yes', 'False', 'TRUE ', {}])('boolean %p is malformed', (v) =>
    expect(thrown(() => strictBool('Op', 'F', v))).toMatchObject(MALFORMED),
  );

  it.each([
    { Success: true },
    { Success: 'true' },
    { Code: 200 },
    { Code: '200' },
    { Code: 'OK' },
    { Success: true, Code: '200' },
  ])('%j is a documented success', (body) => expect(() => checkSucceeded('Op', body)).not.toThrow());

  it.each([{}, { Success: 'false' }, { Success: 0 }, { Success: 1 }, { Code: 302 }, { Code: '' }, { Message: 'ok' }])(
    '%j is not a documented success',
    (body) => expect(thrown(() => checkSucceeded('Op', body))).toMatchObject(MALFORMED),
  );

  it('an abort answer about another order is not an accepted abort', () => {
    expect(() => checkAbortAnswer('Abort', { Success: true, Data: { ChangeOrderId: 'co-1' } }, 'co-1')).not.toThrow();
    expect(
      thrown(() => checkAbortAnswer('Abort', { Success: true, Data: { ChangeOrderId: 'co-2' } }, 'co-1')),
    ).toMatchObject(MALFORMED);
    expect(thrown(() => checkAbortAnswer('Abort', {}, 'co-1'))).toMatchObject(MALFORMED);
  });
});

describe('identity and strict fields of a change order', () => {
  const sae = { ChangeOrderId: 'co-1', Status: 2, SubStatus: 0, SupportRollback: true, Pipelines: [] };
  const edas = { ChangeOrderId: 'co-1', Status: 2, SupportRollback: true };
  it.each([
    ['another order', { ChangeOrderId: 'co-2' }],
    ['no order ID', { ChangeOrderId: undefined }],
    ['status 2.5', { Status: 2.5 }],
    ['status "2.5"', { Status: '2.5' }],
    ['SupportRollback "no"', { SupportRollback: 'no' }],
    ['a batch status 2.5', { Pipelines: [{ PipelineId: 'p', Status: 2.5 }] }],
  ])('SAE: %s is malformed', (_, change) =>
    expect(thrown(() => parseSaeChangeOrder({ ...sae, ...change }, 'co-1'))).toMatchObject(MALFORMED),
  );

  it.each([
    ['another order', { ChangeOrderId: 'co-2' }],
    ['status 2.5', { Status: 2.5 }],
    ['SupportRollback 0', { SupportRollback: 0 }],
  ])('EDAS: %s is malformed', (_, change) =>
    expect(thrown(() => parseEdasChangeOrder({ ...edas, ...change }, 'co-1'))).toMatchObject(MALFORMED),
  );

  it('reads SupportRollback "false" as false, so no rollback is sent', () => {
    expect(parseSaeChangeOrder({ ...sae, SupportRollback: 'false' }, 'co-1').supportRollback).toBe(false);
    expect(parseEdasChangeOrder({ ...edas, SupportRollback: 'false' }, 'co-1').supportRollback).toBe(false);
  });
});
