/**
 * Hard limits on every request pop-core sends (ROA and STS alike), installed once on the httpx module that pop-core
 * calls (docs/api-notes.md#transport-and-pop-core). httpx's own timeouts do not close anything: its read timeout
 * rejects the read but leaves the socket open, so a body that trickles kept the process alive long after the result
 * was written, and it inflates gzip bodies without bound (0.6 MiB became 600 MB and the process died).
 *
 * - Deadline: a request gets `timeout` ms from start to the last byte of its body. When it passes, the request's
 *   sockets are destroyed and both the request and the read fail with a RequestTimeoutError.
 * - Size: a body may inflate to BODY_MAX bytes; past that the read stops, the socket is destroyed and the read fails
 *   with a ResponseTooLargeError (a malformed response, see api-error.ts).
 * - Keep-alive, but no socket outlives its deadline: requests share one keep-alive agent per protocol (a new TCP
 *   connection per poll cost about 0.7 ms of CPU in npm run bench), each through a thin agent of its own that
 *   remembers the request, so a deadline destroys that request and its socket. Idle pooled sockets are unref'd by
 *   Node and hold nothing open.
 */
import http from 'node:http';
import https from 'node:https';
import zlib from 'node:zlib';
import { AsyncLocalStorage } from 'node:async_hooks';
import httpx from 'httpx';

/** The most a response body may hold once decompressed. The largest real answers (a ListChangeOrders page) are ~100 KiB. */
export const BODY_MAX = 4 * 1024 * 1024;
/** When a caller gives no timeout (httpx's own default is 3 s). */
const DEFAULT_DEADLINE_MS = 30_000;

type Options = { timeout?: unknown; readTimeout?: unknown; agent?: unknown; [key: string]: unknown };
type HttpxModule = {
  request: (url: string, opts?: Options) => Promise<http.IncomingMessage>;
  read: (response: http.IncomingMessage, encoding?: BufferEncoding) => Promise<string | Buffer>;
  [INSTALLED]?: true;
};

const INSTALLED = Symbol.for('sae-release-gate.http-limits');

/**
 * The headers of the last response a call received. pop-core drops them when it turns an HTTP error into an Error, so
 * a caller that needs them (Retry-After on a 429) runs its request inside `responseHeaders.run({}, …)` and reads them
 * from its own store afterwards; concurrent calls each see their own.
 */
export const responseHeaders = new AsyncLocalStorage<{ headers?: http.IncomingHttpHeaders }>();

/** What a request in flight can be failed with, by its response. */
interface Deadline {
  readonly timer: NodeJS.Timeout;
  /** Destroys the request and its socket (at the deadline, or when a read fails). */
  readonly kill: () => void;
  /** Set by read(): fails the read in progress. */
  failRead?: (err: Error) => void;
}
const deadlines = new WeakMap<http.IncomingMessage, Deadline>();

function named(name: string, message: string): Error {
  const err = new Error(message);
  err.name = name;
  return err;
}

function deadlineOf(opts: Options): number {
  const ms = Number(opts.timeout ?? opts.readTimeout);
  return Number.isFinite(ms) && ms > 0 ? ms : DEFAULT_DEADLINE_MS;
}

/** httpx leaves a timer on the socket (unref'd) that would abort an already finished request later. */
function clearHttpxTimer(socket: unknown): void {
  if (!socket || typeof socket !== 'object') return;
  for (const s of Object.getOwnPropertySymbols(socket))
    if (s.description === 'TIMER::READ_TIMER') clearTimeout((socket as Record<symbol, NodeJS.Timeout>)[s]);
}

/** The keep-alive agents every request goes through. */
const SHARED = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };

/** An agent that hands each request to `base` and tells `onRequest` which request it was. */
function tracking(base: http.Agent, onRequest: (req: http.ClientRequest) => void): http.Agent {
  // addRequest is how http.request hands a request to its agent (Node's _http_agent.js); it is not in the typings.
  type WithAddRequest = http.Agent & { addRequest(req: http.ClientRequest, options: unknown): void };
  const agent = Object.create(base) as WithAddRequest;
  agent.addRequest = (req, options) => {
    onRequest(req);
    (base as WithAddRequest).addRequest(req, options);
  };
  return agent;
}

/** Installs the limits on httpx (idempotent). */
export function installHttpLimits(module: HttpxModule = httpx as unknown as HttpxModule): void {
  if (module[INSTALLED]) return;
  module[INSTALLED] = true;
  const request = module.request.bind(module);

  module.request = (url, opts = {}) => {
    const ms = deadlineOf(opts);
    let clientRequest: http.ClientRequest | undefined;
    const agent = tracking(
      String(url).startsWith('https:') ? SHARED.https : SHARED.http,
      (req) => (clientRequest = req),
    );
    const kill = (): void => void clientRequest?.destroy();
    return new Promise((resolve, reject) => {
      let response: http.IncomingMessage | undefined;
      const timer = setTimeout(() => {
        const err = named('RequestTimeoutError', `no complete answer within ${ms} ms (deadline)`);
        kill();
        if (response) {
          deadlines.get(response)?.failRead?.(err);
          response.destroy();
        }
        reject(err);
      }, ms);
      request(url, { ...opts, agent }).then(
        (res) => {
          response = res;
          deadlines.set(res, { timer, kill });
          const seen = responseHeaders.getStore();
          if (seen) seen.headers = res.headers;
          resolve(res);
        },
        (err: Error) => {
          clearTimeout(timer);
          kill();
          // As it is (its code says what failed); instanceof Error fails across realms anyway.
          reject(err);
        },
      );
    });
  };

  module.read = (response, encoding) =>
    new Promise((resolve, reject) => {
      const deadline = deadlines.get(response);
      clearHttpxTimer(response.socket);
      let settled = false;
      const finish = (err: Error | undefined, body?: Buffer): void => {
        if (settled) return;
        settled = true;
        if (deadline) {
          clearTimeout(deadline.timer);
          if (err) deadline.kill();
        }
        if (err) {
          response.destroy();
          readable.destroy();
          reject(err);
        } else resolve(encoding ? body!.toString(encoding) : body!);
      };
      if (deadline) deadline.failRead = (err) => finish(err);
      const coding = String(response.headers['content-encoding'] ?? '').toLowerCase();
      const readable: NodeJS.ReadableStream & { destroy(): void } =
        coding === 'gzip'
          ? response.pipe(zlib.createGunzip())
          : coding === 'deflate'
            ? response.pipe(zlib.createInflate())
            : response;
      const chunks: Buffer[] = [];
      let size = 0;
      readable.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > BODY_MAX)
          return finish(
            named(
              'ResponseTooLargeError',
              `the response body is larger than ${BODY_MAX / 1024 / 1024} MiB (decompressed)`,
            ),
          );
        chunks.push(chunk);
      });
      readable.on('error', (err: Error) => finish(err));
      readable.on('end', () => finish(undefined, Buffer.concat(chunks, size)));
      response.on('aborted', () => {
        const err = named('ConnectionClosed', 'the connection closed before the body ended');
        Object.assign(err, { code: 'ECONNRESET' });
        finish(err);
      });
    });
}

installHttpLimits();
