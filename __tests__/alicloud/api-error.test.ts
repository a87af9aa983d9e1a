import { describe, expect, it } from '@jest/globals';
import { ApiError, fromPopCoreError, parseRetryAfter } from '../../src/alicloud/api-error.js';

/** Error shapes as pop-core 1.8.0 produces them (docs/api-notes.md#errors-and-retries). */
function popError(props: Record<string, unknown>): Error {
  return Object.assign(new Error(typeof props.message === 'string' ? props.message : 'x'), props);
}

describe('fromPopCoreError', () => {
  it.each([
    [
      'a JSON throttling error',
      popError({
        name: 'Throttling.UserError',
        code: 'Throttling.User',
        statusCode: 400,
        message: 'code: 400, Request was denied due to user flow control., requestid: REQ-1',
        result: {
          Code: 'Throttling.User',
          Message: 'Request was denied due to user flow control.',
          RequestId: 'REQ-1',
        },
      }),
      'throttled',
      'Throttling.User',
    ],
    [
      'a 503',
      popError({
        name: 'ServiceUnavailableError',
        code: 'ServiceUnavailable',
        statusCode: 503,
        message: 'code: 503, busy, requestid: R',
        result: {},
      }),
      'unavailable',
      'ServiceUnavailable',
    ],
    [
      'a 500 with an odd code',
      popError({
        name: 'FooError',
        code: 'Foo',
        statusCode: 500,
        message: 'code: 500, boom, requestid: R',
        result: {},
      }),
      'unavailable',
      'Foo',
    ],
    [
      'a read timeout',
      popError({ name: 'RequestTimeoutError', message: 'ReadTimeout(500). GET http://127.0.0.1:1/x failed.' }),
      'timeout',
      'RequestTimeout',
    ],
    [
      'a refused connection',
      popError({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:1GET http://127.0.0.1:1/x failed.' }),
      'network',
      'ECONNREFUSED',
    ],
    ['a reset', popError({ code: 'ECONNRESET', message: 'socket hang up' }), 'network', 'ECONNRESET'],
    [
      'bad JSON',
      popError({ name: 'FormatError', message: 'parse response to json error' }),
      'malformed',
      'MalformedResponse',
    ],
    [
      'an XML ACSError (no status)',
      popError({ name: 'ACSError', code: 'Throttling', message: 'Request denied hostid: h, requestid: R' }),
      'throttled',
      'Throttling',
    ],
    [
      'no permission',
      popError({
        name: 'Resouce.no.permissionError',
        code: 'Resouce.no.permission',
        statusCode: 400,
        message: 'code: 400, no, requestid: R-9',
        result: { Code: 'Resouce.no.permission', Message: 'You are not authorized', RequestId: 'R-9' },
      }),
      'rejected',
      'Resouce.no.permission',
    ],
    [
      'a gateway numeric errorCode',
      popError({
        name: '10007Error',
        code: 10007,
        statusCode: 403,
        message: 'code: 403, RAM/STS verification error, requestid: undefined',
        result: { errorCode: 10007, errorMsg: 'RAM/STS verification error' },
      }),
      'rejected',
      '10007',
    ],
  ])('classifies %s', (_name, err, kind, code) => {
    const e = fromPopCoreError('DescribeChangeOrder', err);
    expect(e.kind).toBe(kind);
    expect(e.code).toBe(code);
    expect(e.message).not.toMatch(/http:\/\//);
  });

  it('keeps the request id, the HTTP status and the API message, and adds a hint', () => {
    const e = fromPopCoreError(
      'AbortChangeOrder',
      popError({
        name: 'Resouce.no.permissionError',
        code: 'Resouce.no.permission',
        statusCode: 400,
        message: 'code: 400, You are not authorized, requestid: R-9',
        result: { Code: 'Resouce.no.permission', Message: 'You are not authorized', RequestId: 'R-9' },
      }),
    );
    expect(e.message).toBe(
      'AbortChangeOrder failed: Resouce.no.permission (HTTP 400, request R-9): You are not authorized',
    );
    expect(e.hint).toMatch(/RAM permission for AbortChangeOrder/);
    expect(e.transient).toBe(false);
  });
});

describe('ApiError.explained', () => {
  it('puts the hint after the message in brackets, and is the message alone without one', () => {
    const hinted = new ApiError('DescribeChangeOrder', 'SignatureDoesNotMatch', 'bad signature', 'rejected', 400);
    expect(hinted.hint).toBeTruthy();
    expect(hinted.explained).toBe(`${hinted.message} (${hinted.hint})`);
    const plain = new ApiError('DescribeChangeOrder', 'SomethingElse', 'odd', 'rejected', 400);
    expect(plain.hint).toBeUndefined();
    expect(plain.explained).toBe(plain.message);
  });
});

describe('faults classified by what they are (issue 19)', () => {
  it.each(['HPE_INVALID_CONSTANT', 'HPE_HEADER_OVERFLOW', 'HPE_INVALID_CHUNK_SIZE'])(
    'the HTTP parser error %s is transient',
    (code) => {
      const e = fromPopCoreError('Op', popError({ code, message: 'Parse Error: Expected HTTP/' }));
      expect(e).toMatchObject({ code, kind: 'network' });
      expect(e.transient).toBe(true);
    },
  );
  it('HTTP 429 without a Throttling code is throttling, and Retry-After is read', () => {
    const e = fromPopCoreError(
      'Op',
      popError({ code: 'TooManyRequests', statusCode: 429, headers: { 'retry-after': '3' }, message: 'code: 429, x' }),
    );
    expect(e.kind).toBe('throttled');
    expect(e.retryAfterMs).toBe(3000);
  });
  it.each([
    ['7', 7000],
    [['2'], 2000],
    ['soon', undefined],
    [undefined, undefined],
  ])('Retry-After %j is %p ms', (v, ms) => expect(parseRetryAfter(v)).toBe(ms));
  it('an HTTP-date Retry-After counts from now', () => {
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:10 GMT', Date.parse('2026-01-01T00:00:00Z'))).toBe(10_000);
  });
  it('InvalidTimeStamp.Expired hints at the runner clock', () => {
    const e = new ApiError(
      'Op',
      'InvalidTimeStamp.Expired',
      'Specified time stamp or date value is expired.',
      'rejected',
    );
    expect(e.explained).toMatch(/clock of the runner/);
  });
});
