import PopCore, { type ROAClient } from '@alicloud/pop-core';
import type { IncomingHttpHeaders } from 'node:http';
import { ApiError, bodyErrorCode, fromPopCoreError, kindForCode } from './api-error.js';
import type { CredentialSource } from './credentials.js';
import { responseHeaders } from './http-limits.js';

export type QueryValue = string | number | boolean | undefined;

export interface RoaOptions {
  /** e.g. https://sae.cn-hangzhou.aliyuncs.com */
  readonly endpoint: string;
  /** x-acs-version, e.g. 2019-05-06 */
  readonly apiVersion: string;
  readonly credentials: CredentialSource;
  readonly requestTimeoutMs: number;
  /** Receives raw responses (debug level only). */
  readonly debug?: (message: string) => void;
}

/**
 * Codes that mean success in a response body: "Code" is a string in models, a number in old samples
 * (docs/api-notes.md#sae-change-orders).
 */
const OK_CODES = new Set(['200', 'OK', 'ok', 'Success', 'success']);

/**
 * One signed ROA call through pop-core, with its quirks smoothed over: undefined query values dropped (they break the
 * signature), non-JSON pages and "failed" 2xx bodies turned into ApiErrors, null-prototype objects made plain.
 */
export class RoaTransport {
  private readonly client: ROAClient;

  constructor(private readonly options: RoaOptions) {
    this.client = new PopCore.ROAClient({
      endpoint: options.endpoint,
      apiVersion: options.apiVersion,
      credentialsProvider: { getCredentials: () => options.credentials.get() },
      opts: { timeout: options.requestTimeoutMs },
    });
  }

  /**
   * Sends one request and returns the parsed JSON body. `form` fields go in an x-www-form-urlencoded body (the fields
   * a model puts `in: body`, e.g. DeployApplication's); pop-core signs its MD5 and type. Throws ApiError.
   */
  async call(
    operation: string,
    method: 'GET' | 'PUT' | 'POST',
    path: string,
    query: Record<string, QueryValue>,
    form: Record<string, string> = {},
  ): Promise<Record<string, unknown>> {
    const defined: Record<string, string | number | boolean> = {};
    for (const [k, v] of Object.entries(query)) if (v !== undefined) defined[k] = v;
    const hasForm = Object.keys(form).length > 0;
    const formText = hasForm ? new URLSearchParams(form).toString() : '';
    const headers: Record<string, string> = hasForm ? { 'content-type': 'application/x-www-form-urlencoded' } : {};
    let result: unknown;
    const seen: { headers?: IncomingHttpHeaders } = {};
    try {
      result = await responseHeaders.run(seen, () =>
        this.client.request(method, path, defined, formText, headers, { timeout: this.options.requestTimeoutMs }),
      );
    } catch (err) {
      // pop-core's HTTP errors carry no headers; give them the answer's, so Retry-After reaches the retry.
      if (err && typeof err === 'object' && seen.headers && !('headers' in err))
        Object.assign(err, { headers: seen.headers });
      throw fromPopCoreError(operation, err);
    }
    if (typeof result === 'string') {
      // pop-core resolves (does not throw) with the raw text of a non-JSON page, e.g. a gateway's HTML 502
      // (docs/api-notes.md#transport-and-pop-core).
      this.options.debug?.(`${operation} answered a non-JSON body of ${result.length} characters`);
      throw new ApiError(
        operation,
        'NonJsonResponse',
        'the API answered with a page that is not JSON (a gateway error?)',
        'unavailable',
      );
    }
    if (!result || typeof result !== 'object' || Array.isArray(result)) {
      throw new ApiError(operation, 'MalformedResponse', 'the response body is not a JSON object', 'malformed');
    }
    const body = JSON.parse(JSON.stringify(result)) as Record<string, unknown>;
    this.options.debug?.(`${operation} response: ${JSON.stringify(body)}`);
    const requestId = typeof body.RequestId === 'string' ? body.RequestId : undefined;
    const code = scalar(body.Code);
    if (body.Success === false || (code !== undefined && !OK_CODES.has(code))) {
      const errorCode = bodyErrorCode(body) ?? 'Unsuccessful';
      const message = typeof body.Message === 'string' ? body.Message : 'the API reported failure';
      throw new ApiError(operation, errorCode, message, kindForCode(errorCode), 200, requestId);
    }
    return body;
  }
}

/** A code as text: strings and numbers only (anything else is not a code). */
function scalar(v: unknown): string | undefined {
  return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
}
