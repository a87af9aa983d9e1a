/**
 * What went wrong with one API call, in a form the gate can act on and a person can read.
 * Built from pop-core's many error shapes and from 2xx bodies that say they failed
 * (docs/api-notes.md#errors-and-retries).
 */
export type ErrorKind =
  /** Throttling.*: back off and retry. */
  | 'throttled'
  /** 5xx, ServiceUnavailable, InternalError, a gateway page: retry. */
  | 'unavailable'
  /** The request or the connection timed out: retry. */
  | 'timeout'
  /** A socket error: retry. */
  | 'network'
  /** A body we cannot read (truncated JSON, missing fields): retry, it may be a passing fault. */
  | 'malformed'
  /** The API refused the request (permissions, not found, bad signature...): retrying will not help. */
  | 'rejected';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    /** The API operation, e.g. "DescribeChangeOrder". */
    readonly operation: string,
    /** The API's error code (e.g. "Throttling.User"), or our own for transport faults (e.g. "NonJsonResponse"). */
    readonly code: string,
    /** The API's message, or what we saw. */
    readonly detail: string,
    readonly kind: ErrorKind,
    readonly httpStatus?: number,
    readonly requestId?: string,
    /** How long the server asked us to wait (Retry-After), in ms, when it said. */
    readonly retryAfterMs?: number,
  ) {
    super(formatMessage(operation, code, detail, httpStatus, requestId));
  }

  /** Worth another try: everything but an outright refusal. */
  get transient(): boolean {
    return this.kind !== 'rejected';
  }

  /** What the user can do about it, when we know. */
  get hint(): string | undefined {
    return hintFor(this.code, this.operation);
  }

  /** The message with the hint after it in brackets: the one way an API error is told to a person. */
  get explained(): string {
    const hint = this.hint;
    return hint ? `${this.message} (${hint})` : this.message;
  }
}

function formatMessage(
  operation: string,
  code: string,
  detail: string,
  httpStatus?: number,
  requestId?: string,
): string {
  const where = [httpStatus ? `HTTP ${httpStatus}` : undefined, requestId ? `request ${requestId}` : undefined]
    .filter(Boolean)
    .join(', ');
  return `${operation} failed: ${code}${where ? ` (${where})` : ''}${detail ? `: ${detail}` : ''}`;
}

const SOCKET_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'EPIPE',
  'ENOTFOUND',
  'ECONNABORTED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
]);

/**
 * Codes that mean "try again later" whatever the HTTP status says (terraform's NeedRetry list,
 * docs/api-notes.md#errors-and-retries).
 */
function retryableCode(code: string): ErrorKind | undefined {
  if (/Throttling/i.test(code)) return 'throttled';
  if (
    code === 'ServiceUnavailable' ||
    code === 'InternalError' ||
    code === 'SignatureNonceUsed' ||
    // "The system is being upgraded. Try again later."
    code === 'System.Upgrading'
  )
    return 'unavailable';
  if (/^5\d\d$/.test(code)) return 'unavailable';
  return undefined;
}

/**
 * The error code of an error body. Both products may put a numeric `Code` (an HTTP-like status) beside the real code in
 * `ErrorCode`: the first non-empty, non-numeric one of ErrorCode, Code, then `fallback` wins; a numeric code only when
 * there is nothing else.
 */
export function bodyErrorCode(body: Record<string, unknown>, fallback?: string): string | undefined {
  const candidates = [body.ErrorCode, body.Code, fallback]
    .map((c) => (typeof c === 'string' || typeof c === 'number' ? String(c).trim() : ''))
    .filter((c) => c !== '' && c !== '空' && c !== '200' && !/^(success|ok)$/i.test(c));
  return candidates.find((c) => !/^\d+$/.test(c)) ?? candidates[0];
}

/** Classifies a code from a body that reported failure (HTTP 200 with Success:false or a non-200 Code). */
export function kindForCode(code: string, httpStatus?: number): ErrorKind {
  // HTTP 429 is "too many requests" whatever the body calls it (a gateway in front of the API may send no code at all).
  if (httpStatus === 429) return 'throttled';
  return retryableCode(code) ?? (httpStatus !== undefined && httpStatus >= 500 ? 'unavailable' : 'rejected');
}

/** Retry-After, as seconds or an HTTP date, in ms from now; undefined when absent or unreadable. */
export function parseRetryAfter(value: unknown, now = Date.now()): number | undefined {
  const text: unknown = Array.isArray(value) ? (value as unknown[])[0] : value;
  if (typeof text !== 'string' && typeof text !== 'number') return undefined;
  const s = String(text).trim();
  if (/^\d+$/.test(s)) return Number(s) * 1000;
  const at = Date.parse(s);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

function retryAfterOf(e: { headers?: unknown; response?: unknown }): number | undefined {
  const response = (e.response && typeof e.response === 'object' ? e.response : {}) as { headers?: unknown };
  const headers = (e.headers ?? response.headers) as Record<string, unknown> | undefined;
  return headers && typeof headers === 'object' ? parseRetryAfter(headers['retry-after']) : undefined;
}

/** Turns whatever pop-core threw into an ApiError. */
export function fromPopCoreError(operation: string, err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const e = (err ?? {}) as {
    name?: unknown;
    code?: unknown;
    statusCode?: unknown;
    message?: unknown;
    result?: unknown;
    headers?: unknown;
    response?: unknown;
  };
  const name = typeof e.name === 'string' ? e.name : '';
  const rawCode = typeof e.code === 'string' || typeof e.code === 'number' ? String(e.code) : '';
  const message = typeof e.message === 'string' ? e.message : String(err);
  const status = typeof e.statusCode === 'number' ? e.statusCode : undefined;
  if (name === 'ResponseTooLargeError')
    return new ApiError(operation, 'ResponseTooLarge', firstClause(message), 'malformed', status);
  if (name === 'RequestTimeoutError') return new ApiError(operation, 'RequestTimeout', firstClause(message), 'timeout');
  if (SOCKET_CODES.has(rawCode)) return new ApiError(operation, rawCode, 'the connection failed', 'network');
  // Node's HTTP parser refused the answer (HPE_INVALID_CONSTANT, HPE_HEADER_OVERFLOW...): a garbled answer from a
  // proxy or a bad connection, as passing as a reset.
  if (/^HPE_/.test(rawCode))
    return new ApiError(operation, rawCode, 'the answer could not be parsed as HTTP', 'network');
  if (name === 'FormatError')
    return new ApiError(operation, 'MalformedResponse', 'the response is not valid JSON', 'malformed', status);
  const body = (e.result && typeof e.result === 'object' ? e.result : {}) as Record<string, unknown>;
  const requestId = stringField(body, 'RequestId') ?? requestIdFromMessage(message);
  const code =
    bodyErrorCode(body, rawCode) || rawCode || (status !== undefined ? `HTTP${status}` : name || 'UnknownError');
  const detail = stringField(body, 'Message') ?? stringField(body, 'errorMsg') ?? apiMessageFrom(message);
  const kind = kindForCode(code, status);
  if (status === undefined && !rawCode) {
    // Not an API answer at all (a bug or an unexpected library error): keep it retryable but say what it was.
    return new ApiError(operation, 'ClientError', firstClause(message), 'network');
  }
  return new ApiError(operation, code, detail, kind, status, requestId, retryAfterOf(e));
}

function stringField(o: Record<string, unknown>, key: string): string | undefined {
  const v = o[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** pop-core's ROA message is "code: 400, <Message>, requestid: <id>" (docs/api-notes.md#errors-and-retries). */
function apiMessageFrom(message: string): string {
  const m = /^code: \d+, (.*), requestid: .*$/s.exec(message);
  return m?.[1] ?? firstClause(message);
}

function requestIdFromMessage(message: string): string | undefined {
  return /requestid: ([\w-]+)/i.exec(message)?.[1];
}

/** pop-core appends "<METHOD> <url> failed." to transport errors; the URL adds nothing for the user. */
function firstClause(message: string): string {
  return message.replace(/\s*(GET|PUT|POST|DELETE)\s*https?:\/\/\S+ failed\.?$/, '').slice(0, 300);
}

const PERMISSION_CODES = /^(Resouce\.no\.permission|Forbidden|Forbidden\.RAM|NoPermission|Forbidden\.NoPermission)/;

function hintFor(code: string, operation: string): string | undefined {
  if (PERMISSION_CODES.test(code))
    return `grant the RAM permission for ${operation} to these credentials (see "RAM permissions" in the README)`;
  if (code === 'InvalidChangeOrder.NotFound')
    return 'check change-order-id and region-id: the change order must exist in that region';
  if (code === 'InvalidAppId.NotFound' || code === 'InvalidApplication.NotFound') return 'check app-id and region-id';
  if (code === 'SignatureDoesNotMatch' || code === 'IncompleteSignature')
    return 'check access-key-secret: it does not match access-key-id';
  if (code === 'InvalidAccessKeyId.NotFound' || code === 'InvalidAccessKeyId')
    return 'check access-key-id: the AccessKey does not exist or is disabled';
  if (code.startsWith('InvalidSecurityToken'))
    return 'the STS security token is invalid or expired: refresh the credentials (or use OIDC)';
  if (/Throttling/i.test(code)) return 'the API is rate-limiting these credentials: raise poll-interval';
  if (/^InvalidTimeStamp/i.test(code))
    return "the API found the request's time stamp out of range: check the clock of the runner (it must be within 15 minutes of real time)";
  if (code === 'RequestTimeout') return 'the API did not answer in time: check the endpoint, or raise request-timeout';
  return undefined;
}
