/**
 * A fake Alibaba Cloud SAE (2019-05-06) + EDAS (2017-08-01) ROA endpoint for tests: real HTTP on 127.0.0.1 (ephemeral
 * port), signatures checked exactly as @alicloud/pop-core 1.8.0 makes them, change orders that move along a scripted
 * timeline, and injectable faults. Reference: docs/api-notes.md and api-models/.
 *
 * Everything time-based is evaluated lazily against `options.now` when a request (or `order()`) looks at an order, so a
 * fake clock drives timelines without real waiting. The only real timers are those of `slow` faults.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkRequest, checkResponse, loadModel, operationFor, type OperationModel } from './contract.js';
import { APP_ROUTES, FakeApps, groupIdFor } from './cloud-app.js';

// ───────────────────────────────────────────── public types ─────────────────────────────────────────────

export type Product = 'sae' | 'edas';

export interface BatchScript {
  name: string;
  /** Defaults to `${orderId}-b${index+1}`. Must be unique across all orders of one FakeCloud. */
  id?: string;
}

/** One state of a change order. */
export interface Snapshot {
  /** SAE/EDAS change-order status code (0,1,2,3,6,7,8,9,10,11,12 or anything). */
  status: number;
  /** SAE only, default 0. */
  subStatus?: number;
  /** Status per batch (same length as order.batches; shorter is padded with 0, longer is cut). Default: all 0. */
  batches?: number[];
  errorMessage?: string;
}

export interface TimelineStep extends Snapshot {
  /**
   * How long this step lasts: after `reads` DescribeChangeOrder/GetChangeOrderInfo reads of this order, or after `ms`
   * milliseconds since the step began (whichever comes first); the last step lasts forever. A non-last step with neither
   * lasts until a ConfirmPipelineBatch/ContinuePipeline(Confirm=true) ends it (a manual-batch wait).
   */
  reads?: number;
  ms?: number;
}

/** Rewrites the whole response body object of DescribeChangeOrder / GetChangeOrderInfo; may mutate and return nothing. */
export type BodyRewriter = (body: Record<string, unknown>) => unknown;

export interface OrderScript {
  id: string;
  /** Default 'sae'. */
  product?: Product;
  /** Default 'app-1'. */
  appId?: string;
  /** Default 'demo'. */
  appName?: string;
  /** Text, default 'Deploy Application'. */
  coType?: string;
  /** Default 'CoDeploy'. */
  coTypeCode?: string;
  /** Default ''. */
  description?: string;
  /** 'YYYY-MM-DD HH:mm:ss'; default: the clock at addOrder(), in UTC+8. */
  createTime?: string;
  /** Default '1234567890123456'. */
  createUserId?: string;
  /** Default 'auto' for SAE, 'Automatic' for EDAS. */
  batchType?: string;
  /** Default true. */
  supportRollback?: boolean;
  batches: BatchScript[];
  timeline: TimelineStep[];
  /**
   * What an accepted abort does: the order becomes this snapshot after `abortSettleMs` (default 0) and stays there
   * (the timeline stops at the abort). Default: {status: 6, batches: current with running ones (1) turned into 6}.
   */
  onAbort?: Snapshot;
  abortSettleMs?: number;
  /**
   * Statuses at which an abort is accepted; at any other an abort is answered "not running". No document says which
   * statuses accept one (docs/api-notes.md#what-no-document-says): default 0, 1, 8, 9, 11, 12.
   */
  abortableStatuses?: number[];
  /**
   * EDAS: where the app runs. AbortAndRollbackChangeOrder applies only to deploy orders (CoDeploy) of apps on
   * Kubernetes clusters (ACK, Serverless Kubernetes); anything else is refused. Default 'kubernetes'.
   */
  cluster?: 'kubernetes' | 'ecs';
  /**
   * Extra raw fields merged into the Data object (SAE) / changeOrderInfo (EDAS) of the describe response (for shape
   * tests), or a function that rewrites the whole response body object (its return value, if not undefined, is sent;
   * a string is sent verbatim).
   */
  extra?: Record<string, unknown> | BodyRewriter;
}

export type Fault =
  /** HTTP 400 JSON {Code:'Throttling.User', Message:'Request was denied due to user flow control.', RequestId, …}. */
  | { kind: 'throttle' }
  /** JSON error body with that status (default code 'ServiceUnavailable' for 503, 'InternalError' for other 5xx, 'UnknownError' otherwise). */
  | { kind: 'http'; status: number; code?: string; message?: string }
  /** text/html gateway page, default 502. */
  | { kind: 'html'; status?: number }
  /** Destroy the socket without a response. */
  | { kind: 'reset' }
  /** Carry the request out (e.g. DeployApplication starts its order), then destroy the socket: the answer is lost. */
  | { kind: 'lost-answer' }
  /** Delay the (normal) response by ms; the request takes effect when the delay ends, even if the client gave up. */
  | { kind: 'slow'; ms: number }
  /** content-type application/json, HTTP 200, body truncated (invalid JSON). */
  | { kind: 'malformed' }
  /** HTTP 200, {Success:false, Code, Message, RequestId, ErrorCode, TraceId}. */
  | { kind: 'success-false'; code?: string; message?: string }
  /** Arbitrary response; status default 200, contentType default application/json;charset=utf-8; a string body is sent verbatim. */
  | { kind: 'body'; status?: number; body: unknown; contentType?: string }
  /** 400 InvalidChangeOrder.NotFound (SAE) / HTTP 200 with Code 500 (EDAS). */
  | { kind: 'not-found' }
  /**
   * An error body whose `Code` is numeric and whose real code is in `ErrorCode`: HTTP `status` (default 400) with
   * {RequestId, Code: status, ErrorCode, Message}; with status 200 (EDAS business errors) Code is `code` (default 500).
   */
  | { kind: 'error-code'; errorCode: string; status?: number; code?: number; message?: string };

export interface Call {
  /** Date.now() when received. */
  at: number;
  method: string;
  path: string;
  /**
   * Operation name: 'DescribeChangeOrder', 'GetChangeOrderInfo', 'AbortChangeOrder', 'AbortAndRollbackChangeOrder',
   * 'ConfirmPipelineBatch', 'ContinuePipeline', 'DescribePipeline', 'ListChangeOrders', 'ListRecentChangeOrder', or
   * 'unknown' (unknown path, or a known path with the wrong method). EDAS aborts use the same names as SAE's.
   */
  action: string;
  product: Product;
  /** Decoded query (last value wins for a repeated key). */
  query: Record<string, string>;
  /** Decoded x-www-form-urlencoded body, when the request had one (DeployApplication's body fields). */
  form?: Record<string, string>;
  /** Request headers, names lower-cased. */
  headers: Record<string, string>;
  /** The HMAC-SHA1 signature was present and matched (other auth checks — STS token, nonce, version — may still fail). */
  signatureOk: boolean;
  /** HTTP status we answered (0 for reset, or while a slow answer is pending). */
  status: number;
  fault?: Fault['kind'];
  /** RequestId of our answer. */
  requestId: string;
  /** What the request broke of the API model (empty when it kept to it); such a request is answered 400 ContractViolation. */
  contract: string[];
  /** The body we answered (parsed JSON, or the text sent verbatim), for contract tests. */
  answer?: unknown;
}

/** A request that broke the API model, or an answer of the fake that did (a bug of the fake). */
export interface Violation {
  readonly call: Call;
  readonly side: 'request' | 'response';
  readonly problems: readonly string[];
}

export interface StsKey {
  secret: string;
  token: string;
  /** ms epoch, compared with options.now. */
  expiresAt: number;
}

export interface FakeCloudOptions {
  /** Port on 127.0.0.1; default an ephemeral one (tests). The CI job that runs the action from the repository uses a fixed one. */
  port?: number;
  /** AK id -> secret; default { 'LTAI-test-key': 'test-secret-value' }. */
  accessKeys?: Record<string, string>;
  /**
   * STS credentials: AK id -> { secret, token, expiresAt (ms epoch) }; requests signed with such an AK must carry
   * x-acs-security-token equal to token and be before expiresAt, else 400 InvalidSecurityToken.MismatchWithAccessKey /
   * InvalidSecurityToken.Expired.
   */
  stsKeys?: Record<string, StsKey>;
  /** Clock for timelines, abort settling, STS expiry and default CreateTime; default Date.now. */
  now?: () => number;
  /** ListChangeOrders answers at most this many items a page, and says so in PageSize; default no limit. */
  maxPageSize?: number;
  /**
   * RAM actions the caller is granted; when set, a request whose action is not among them is refused 403 Forbidden.RAM.
   * SAE operations need sae:<Operation>; EDAS reads need edas:ReadApplication, EDAS changes edas:ManageApplication.
   */
  ramActions?: string[];
}

export interface OrderView {
  status: number;
  subStatus: number;
  batches: number[];
  aborted?: { rollback: boolean; at: number };
  /** Index of the current timeline step. */
  step: number;
  errorMessage: string;
}

// ───────────────────────────────────────────── constants ─────────────────────────────────────────────

export const SAE_API_VERSION = '2019-05-06';
export const EDAS_API_VERSION = '2017-08-01';
export const DEFAULT_ACCESS_KEY_ID = 'LTAI-test-key';
export const DEFAULT_ACCESS_KEY_SECRET = 'test-secret-value';

const JSON_CT = 'application/json;charset=utf-8';
const MAX_BODY = 1 << 20;
/**
 * Statuses at which an abort is accepted: certainly 1, probably 0/8/9; we also accept 11/12
 * (docs/api-notes.md#what-no-document-says).
 */
const ABORTABLE = [0, 1, 8, 9, 11, 12];
/** The RAM action each operation needs (SAE: one per operation; EDAS: read or manage the application). */
const RAM_ACTION: Record<string, string> = {
  'edas:GetChangeOrderInfo': 'edas:ReadApplication',
  'edas:ListRecentChangeOrder': 'edas:ReadApplication',
  'edas:AbortChangeOrder': 'edas:ManageApplication',
  'edas:AbortAndRollbackChangeOrder': 'edas:ManageApplication',
  'edas:ContinuePipeline': 'edas:ManageApplication',
  'edas:QueryApplicationStatus': 'edas:ReadApplication',
  'edas:RollbackChangeOrder': 'edas:ManageApplication',
};
export function ramActionFor(product: Product, action: string): string {
  return RAM_ACTION[`${product}:${action}`] ?? `${product}:${action}`;
}
const TERMINAL = new Set([2, 3, 6, 7, 10]);
const CO_STATUS_TEXT: Record<number, string> = {
  0: 'Preparing',
  1: 'Executing',
  2: 'Successful',
  3: 'Failed',
  6: 'Aborted',
  7: 'PartiallySuccessful',
  8: 'WaitingBatchConfirm',
  9: 'AutoBatchWait',
  10: 'SystemFailed',
  11: 'WaitingApproval',
  12: 'Approved',
};

interface Route {
  method: string;
  path: string;
  action: string;
  product: Product;
}
const SAE_PREFIX = '/pop/v1/sam/changeorder/';
const EDAS_PREFIX = '/pop/v5/changeorder/';
const ROUTES: Route[] = [
  { method: 'GET', path: `${SAE_PREFIX}DescribeChangeOrder`, action: 'DescribeChangeOrder', product: 'sae' },
  { method: 'PUT', path: `${SAE_PREFIX}AbortChangeOrder`, action: 'AbortChangeOrder', product: 'sae' },
  {
    method: 'PUT',
    path: `${SAE_PREFIX}AbortAndRollbackChangeOrder`,
    action: 'AbortAndRollbackChangeOrder',
    product: 'sae',
  },
  { method: 'GET', path: `${SAE_PREFIX}ListChangeOrders`, action: 'ListChangeOrders', product: 'sae' },
  { method: 'GET', path: `${SAE_PREFIX}ConfirmPipelineBatch`, action: 'ConfirmPipelineBatch', product: 'sae' },
  { method: 'GET', path: `${SAE_PREFIX}DescribePipeline`, action: 'DescribePipeline', product: 'sae' },
  { method: 'POST', path: `${EDAS_PREFIX}change_order_info`, action: 'GetChangeOrderInfo', product: 'edas' },
  { method: 'PUT', path: `${EDAS_PREFIX}change_order_abort`, action: 'AbortChangeOrder', product: 'edas' },
  {
    method: 'PUT',
    path: `${EDAS_PREFIX}change_order_abort_and_rollback`,
    action: 'AbortAndRollbackChangeOrder',
    product: 'edas',
  },
  { method: 'GET', path: `${EDAS_PREFIX}pipeline_batch_confirm`, action: 'ContinuePipeline', product: 'edas' },
  { method: 'POST', path: `${EDAS_PREFIX}change_order_list`, action: 'ListRecentChangeOrder', product: 'edas' },
];

// ───────────────────────────────────────────── signing (pure) ─────────────────────────────────────────────

function lowerKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
}

/**
 * The ROA string-to-sign exactly as pop-core 1.8.0 builds it (docs/api-notes.md#signing-roa-hmac-sha1): METHOD,
 * accept, content-md5, content-type, date, then the sorted `x-acs-*` headers, then path + sorted raw (decoded) query.
 */
export function stringToSign(
  method: string,
  path: string,
  query: Record<string, string>,
  headers: Record<string, string>,
): string {
  const h = lowerKeys(headers);
  const head = `${method}\n${h['accept'] ?? ''}\n${h['content-md5'] ?? ''}\n${h['content-type'] ?? ''}\n${h['date'] ?? ''}\n`;
  const canonicalHeaders = Object.keys(h)
    .filter((k) => k.startsWith('x-acs-'))
    .sort()
    .map((k) => `${k}:${h[k]!.replace(/[\t\n\r\f]/g, ' ').trim()}\n`) // k is one of h's own keys
    .join('');
  const keys = Object.keys(query).sort();
  const resource = keys.length ? `${path}?${keys.map((k) => `${k}=${query[k]}`).join('&')}` : path;
  return `${head}${canonicalHeaders}${resource}`;
}

/** base64(HMAC-SHA1(secret, utf8(stringToSign))) — the part after `acs <AK>:` in the authorization header. */
export function signatureFor(
  method: string,
  path: string,
  query: Record<string, string>,
  headers: Record<string, string>,
  secret: string,
): string {
  return createHmac('sha1', secret)
    .update(Buffer.from(stringToSign(method, path, query, headers), 'utf8'))
    .digest('base64');
}

/** RFC 3986 percent-encoding, as the V3 canonical query wants it (space as %20, `*` and `!'()` encoded, `~` kept). */
function percentEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `ACS3-HMAC-SHA256 Credential=<ak>,SignedHeaders=<a;b>,Signature=<hex>`, or undefined for any other form. */
function parseAcs3(auth: string): { credential: string; signedHeaders: string[]; signature: string } | undefined {
  const m = /^ACS3-HMAC-SHA256 Credential=([^,\s]+),SignedHeaders=([^,\s]+),Signature=([0-9a-f]+)$/.exec(auth);
  if (!m) return undefined;
  const [, credential = '', signedHeaders = '', signature = ''] = m;
  return { credential, signedHeaders: signedHeaders.split(';'), signature };
}

/**
 * The V3 (ACS3-HMAC-SHA256) string to sign: the algorithm, then the hex SHA-256 of the canonical request — method,
 * path, the query sorted by name with names and values percent-encoded, each signed header as `name:value` (lower-case
 * names, trimmed values, sorted), the signed header names joined by `;`, and the hex SHA-256 of the body.
 */
export function acs3StringToSign(
  method: string,
  path: string,
  query: Record<string, string>,
  headers: Record<string, string>,
  signedHeaders: readonly string[],
  payloadHash: string,
): string {
  const h = lowerKeys(headers);
  const canonicalQuery = Object.keys(query)
    .sort()
    .map((k) => `${percentEncode(k)}=${percentEncode(query[k]!)}`) // k is one of query's own keys
    .join('&');
  const names = [...signedHeaders].sort();
  const canonicalHeaders = names.map((k) => `${k}:${(h[k] ?? '').trim()}\n`).join('');
  const canonicalRequest = [method, path || '/', canonicalQuery, canonicalHeaders, names.join(';'), payloadHash].join(
    '\n',
  );
  return `ACS3-HMAC-SHA256\n${createHash('sha256').update(canonicalRequest, 'utf8').digest('hex')}`;
}

function constantTimeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  if (x.length !== y.length) {
    timingSafeEqual(x, x); // spend comparable time anyway
    return false;
  }
  return timingSafeEqual(x, y);
}

// ───────────────────────────────────────────── internals ─────────────────────────────────────────────

interface BatchState {
  id: string;
  name: string;
  status: number;
  startTime?: number;
  updateTime?: number;
}

interface OrderState {
  seq: number;
  id: string;
  product: Product;
  appId: string;
  appName: string;
  coType: string;
  coTypeCode: string;
  description: string;
  createTime: string;
  createUserId: string;
  batchType: string;
  supportRollback: boolean;
  timeline: TimelineStep[];
  onAbort?: Snapshot;
  abortSettleMs: number;
  abortableStatuses: number[];
  cluster: 'kubernetes' | 'ecs';
  extra?: OrderScript['extra'];
  batches: BatchState[];
  status: number;
  subStatus: number;
  errorMessage: string;
  finishedAt?: number;
  step: number;
  stepStart: number;
  readsInStep: number;
  readsDoneAt?: number;
  /** Timeline stopped (setSnapshot, Confirm=false, abort settled). */
  pinned: boolean;
  abort?: { rollback: boolean; at: number; settleAt: number; snapshot: Snapshot; applied: boolean };
  /** Pipelines confirmed during the current step. */
  confirmed: Set<string>;
}

interface Reply {
  status: number;
  body: unknown;
  contentType?: string;
  /** Rewritten by a script's `extra` on purpose: not held to the model. */
  shaped?: boolean;
}

function formatTime(ms: number): string {
  // 'YYYY-MM-DD HH:mm:ss' in UTC+8 (the time zone is presumed: docs/api-notes.md#what-no-document-says).
  const d = new Date(ms + 8 * 3600_000);
  return Number.isFinite(d.getTime()) ? d.toISOString().slice(0, 19).replace('T', ' ') : '';
}

function positiveInt(v: string | undefined, fallback: number): number {
  if (v === undefined || !/^\d{1,9}$/.test(v.trim())) return fallback;
  const n = Number(v.trim());
  return n >= 1 ? n : fallback;
}

function batchStatuses(snap: Snapshot, count: number): number[] {
  return Array.from({ length: count }, (_, i) => {
    const s = snap.batches?.[i];
    return typeof s === 'number' ? s : 0;
  });
}

function readBody(req: http.IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) tooBig = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve(tooBig ? undefined : Buffer.concat(chunks)));
    req.on('error', () => resolve(undefined));
    req.on('close', () => {
      if (!req.complete) resolve(undefined);
    });
  });
}

// ───────────────────────────────────────────── the server ─────────────────────────────────────────────

/** The app of an order whose script names none: one app per order, so unrelated tests never supersede each other. */
export function defaultAppId(changeOrderId: string): string {
  return `app-of-${changeOrderId}`;
}

export class FakeCloud {
  readonly url: string;
  readonly calls: Call[] = [];
  /**
   * Every breach of the API model seen so far. close() rejects while any is left, so the test file that caused one
   * fails and names the field; a test that breaks the contract on purpose takes them with takeViolations().
   */
  readonly violations: Violation[] = [];
  /** The apps of the orders (status, instances, versions, rollbacks): see cloud-app.ts. */
  readonly apps: FakeApps;

  private readonly now: () => number;
  private readonly maxPageSize: number;
  private readonly ramActions?: Set<string>;
  private readonly accessKeys = new Map<string, string>();
  private readonly stsKeys = new Map<string, StsKey>();
  private readonly orders = new Map<string, OrderState>();
  private readonly pipelines = new Map<string, { order: OrderState; index: number }>();
  private readonly faults: { fault: Fault; action?: string; remaining: number }[] = [];
  private readonly nonces = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private requestSeq = 0;
  private orderSeq = 0;
  private closing?: Promise<void>;

  private constructor(
    private readonly server: http.Server,
    options: FakeCloudOptions,
  ) {
    const { port } = server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    this.now = options.now ?? Date.now;
    this.maxPageSize = options.maxPageSize ?? Infinity;
    if (options.ramActions) this.ramActions = new Set(options.ramActions);
    for (const [id, secret] of Object.entries(
      options.accessKeys ?? { [DEFAULT_ACCESS_KEY_ID]: DEFAULT_ACCESS_KEY_SECRET },
    ))
      this.accessKeys.set(id, secret);
    for (const [id, v] of Object.entries(options.stsKeys ?? {})) this.stsKeys.set(id, { ...v });
    this.apps = new FakeApps({
      orders: () => [...this.orders.values()].map((o) => (this.advance(o), o)),
      addOrder: (script) => this.addOrder(script),
      release: (id, opts) => release(id, opts),
      traceId: () => this.traceId(),
      popError: (...args) => this.popError(...args),
    });
  }

  static async start(options: FakeCloudOptions = {}): Promise<FakeCloud> {
    const server = http.createServer();
    // Idle keep-alive sockets are kept (pop-core's agent reuses them); close() destroys them. A short server idle
    // timeout would race with client reuse and produce spurious ECONNRESETs in long tests.
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const cloud = new FakeCloud(server, options);
    server.on('request', (req, res) => cloud.onRequest(req, res));
    server.on('clientError', (_err, socket) => {
      try {
        if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
        else socket.destroy();
      } catch {
        socket.destroy();
      }
    });
    server.on('error', () => undefined);
    return cloud;
  }

  // ─────────────── scripting API ───────────────

  addOrder(script: OrderScript): void {
    if (!script || typeof script.id !== 'string' || !script.id) throw new Error('addOrder: id is required');
    if (this.orders.has(script.id)) throw new Error(`addOrder: order ${script.id} already exists`);
    if (!Array.isArray(script.timeline) || script.timeline.length === 0)
      throw new Error(`addOrder: order ${script.id} needs at least one timeline step`);
    const product = script.product ?? 'sae';
    const batches: BatchState[] = (script.batches ?? []).map((b, i) => ({
      id: b.id ?? `${script.id}-b${i + 1}`,
      name: b.name,
      status: 0,
    }));
    const seen = new Set<string>();
    for (const b of batches) {
      if (seen.has(b.id) || this.pipelines.has(b.id)) throw new Error(`addOrder: pipeline id ${b.id} is not unique`);
      seen.add(b.id);
    }
    const t = this.now();
    const o: OrderState = {
      seq: ++this.orderSeq,
      id: script.id,
      product,
      // Each order is its own app unless the script says otherwise: orders of one app supersede each other.
      appId: script.appId ?? defaultAppId(script.id),
      appName: script.appName ?? 'demo',
      coType: script.coType ?? 'Deploy Application',
      coTypeCode: script.coTypeCode ?? 'CoDeploy',
      description: script.description ?? '',
      createTime: script.createTime ?? formatTime(t),
      createUserId: script.createUserId ?? '1234567890123456',
      batchType: script.batchType ?? (product === 'sae' ? 'auto' : 'Automatic'),
      supportRollback: script.supportRollback ?? true,
      timeline: script.timeline.map((s) => ({ ...s, batches: s.batches ? [...s.batches] : undefined })),
      onAbort: script.onAbort,
      abortSettleMs: script.abortSettleMs ?? 0,
      abortableStatuses: [...(script.abortableStatuses ?? ABORTABLE)],
      cluster: script.cluster ?? 'kubernetes',
      extra: script.extra,
      batches,
      status: 0,
      subStatus: 0,
      errorMessage: '',
      step: 0,
      stepStart: t,
      readsInStep: 0,
      pinned: false,
      confirmed: new Set(),
    };
    this.goTo(o, 0, t);
    this.orders.set(o.id, o);
    batches.forEach((b, index) => this.pipelines.set(b.id, { order: o, index }));
  }

  /** Queue a fault: the next `times` (default 1; Infinity allowed) requests matching `action` (or any request) get it. */
  injectFault(fault: Fault, opts: { action?: string; times?: number } = {}): void {
    const times = opts.times ?? 1;
    if (!(times > 0)) return;
    this.faults.push({ fault, action: opts.action, remaining: times });
  }

  /** Drop all queued faults. */
  clearFaults(): void {
    this.faults.length = 0;
  }

  /** The current snapshot of an order (after advancing its timeline by time; does not count as a read). */
  order(id: string): OrderView {
    const o = this.mustGet(id);
    this.advance(o);
    return {
      status: o.status,
      subStatus: o.subStatus,
      batches: o.batches.map((b) => b.status),
      ...(o.abort ? { aborted: { rollback: o.abort.rollback, at: o.abort.at } } : {}),
      step: o.step,
      errorMessage: o.errorMessage,
    };
  }

  /** Force the order to a snapshot now and stop its timeline (a pending abort will not override it). */
  setSnapshot(id: string, snap: Snapshot): void {
    const o = this.mustGet(id);
    this.advance(o);
    const t = this.now();
    if (o.abort) o.abort.applied = true;
    this.applySnapshot(o, snap, t);
    o.pinned = true;
    o.confirmed.clear();
  }

  /** Returns the violations recorded so far and forgets them (for tests that break the contract on purpose). */
  takeViolations(): Violation[] {
    return this.violations.splice(0, this.violations.length);
  }

  callsFor(action: string): Call[] {
    return this.calls.filter((c) => c.action === action);
  }

  addStsKey(id: string, v: StsKey): void {
    this.stsKeys.set(id, { ...v });
  }

  close(): Promise<void> {
    if (!this.closing) {
      for (const t of this.timers) clearTimeout(t);
      this.timers.clear();
      this.closing = new Promise<void>((resolve) => {
        this.server.close(() => resolve());
        this.server.closeAllConnections();
      });
    }
    return this.closing.then(() => {
      const left = this.takeViolations();
      if (!left.length) return;
      const lines = [
        ...new Set(left.map((v) => `  ${v.side} ${v.call.method} ${v.call.path}: ${v.problems.join('; ')}`)),
      ];
      throw new Error(
        `FakeCloud: ${left.length} breach(es) of the API model (__fixtures__/api-models):\n${lines.join('\n')}`,
      );
    });
  }

  // ─────────────── order state machine ───────────────

  private mustGet(id: string): OrderState {
    const o = this.orders.get(id);
    if (!o) throw new Error(`FakeCloud: no order ${id}`);
    return o;
  }

  private applySnapshot(o: OrderState, snap: Snapshot, at: number): void {
    const statuses = batchStatuses(snap, o.batches.length);
    o.batches.forEach((b, i) => {
      const s = statuses[i]!; // batchStatuses gives one status per batch
      if (s === b.status) return;
      if (b.startTime === undefined && b.status === 0) b.startTime = at; // first time it leaves 0
      b.status = s;
      b.updateTime = at;
    });
    o.status = snap.status;
    o.subStatus = snap.subStatus ?? 0;
    o.errorMessage = snap.errorMessage ?? '';
    if (TERMINAL.has(o.status)) o.finishedAt ??= at;
    else o.finishedAt = undefined;
  }

  /** The order's timeline step `index`; every caller keeps it in range, so a miss is a bug in this fake. */
  private stepOf(o: OrderState, index: number): TimelineStep {
    const step = o.timeline[index];
    if (!step) throw new Error(`FakeCloud: order ${o.id} has no timeline step ${index}`);
    return step;
  }

  private goTo(o: OrderState, index: number, at: number): void {
    const step = this.stepOf(o, index);
    o.step = index;
    o.stepStart = at;
    o.readsInStep = 0;
    o.readsDoneAt = step.reads !== undefined && step.reads <= 0 ? at : undefined;
    o.confirmed.clear();
    this.applySnapshot(o, step, at);
  }

  /** Moves the order along by time (and by reads already counted). */
  private advance(o: OrderState): void {
    const now = this.now();
    if (o.abort) {
      if (!o.abort.applied && now >= o.abort.settleAt) {
        o.abort.applied = true;
        this.applySnapshot(o, o.abort.snapshot, o.abort.settleAt);
        o.pinned = true;
        o.confirmed.clear();
      }
      return;
    }
    if (o.pinned) return;
    while (o.step < o.timeline.length - 1) {
      const s = this.stepOf(o, o.step);
      const byReads = s.reads !== undefined && o.readsInStep >= s.reads ? (o.readsDoneAt ?? o.stepStart) : Infinity;
      const byTime =
        s.ms !== undefined && Number.isFinite(s.ms) && now >= o.stepStart + Math.max(0, s.ms)
          ? o.stepStart + Math.max(0, s.ms)
          : Infinity;
      const at = Math.min(byReads, byTime);
      if (at === Infinity) break;
      this.goTo(o, o.step + 1, at);
    }
  }

  private countRead(o: OrderState): void {
    if (o.pinned || o.abort) return;
    o.readsInStep += 1;
    const s = this.stepOf(o, o.step);
    if (s.reads !== undefined && o.readsInStep === s.reads) o.readsDoneAt = this.now();
  }

  /** Returns true when the abort is accepted. */
  private tryAbort(o: OrderState, rollback: boolean): boolean {
    this.advance(o);
    if (!o.abortableStatuses.includes(o.status)) return false;
    if (o.abort) return true; // still settling from an earlier abort: accepted again, first record kept
    const at = this.now();
    const snapshot: Snapshot = o.onAbort ?? {
      status: 6,
      subStatus: 0,
      batches: o.batches.map((b) => (b.status === 1 ? 6 : b.status)),
    };
    o.abort = { rollback, at, settleAt: at + Math.max(0, o.abortSettleMs), snapshot, applied: false };
    this.advance(o);
    return true;
  }

  /** Confirm (or refuse) the waiting batch. Returns true when accepted. */
  private tryConfirm(pipelineId: string, product: Product, confirm: boolean): boolean {
    const entry = this.pipelines.get(pipelineId);
    if (!entry || entry.order.product !== product) return false;
    const o = entry.order;
    this.advance(o);
    if (o.abort || o.status !== 8 || o.batches[entry.index]?.status !== 8 || o.confirmed.has(pipelineId)) return false;
    const now = this.now();
    if (!confirm) {
      this.applySnapshot(
        o,
        {
          status: 6,
          subStatus: 0,
          errorMessage: o.errorMessage,
          batches: o.batches.map((b) => (b.status === 8 || b.status === 1 ? 6 : b.status)),
        },
        now,
      );
      o.pinned = true;
      o.confirmed.clear();
      return true;
    }
    if (!o.pinned && o.step < o.timeline.length - 1) this.goTo(o, o.step + 1, now);
    o.confirmed.add(pipelineId);
    return true;
  }

  private findOrder(id: string | undefined, product: Product): OrderState | undefined {
    if (!id) return undefined;
    const o = this.orders.get(id);
    return o && o.product === product ? o : undefined;
  }

  /** Newest first by CreateTime (ties: later added = newer), then rotated by one so the newest comes LAST: never newest-first. */
  private listOrder(list: OrderState[]): OrderState[] {
    const sorted = [...list].sort((a, b) =>
      a.createTime < b.createTime ? 1 : a.createTime > b.createTime ? -1 : b.seq - a.seq,
    );
    return [...sorted.slice(1), ...sorted.slice(0, 1)];
  }

  // ─────────────── HTTP plumbing ───────────────

  private nextRequestId(): string {
    this.requestSeq += 1;
    return `FAKE-${String(this.requestSeq).padStart(4, '0')}-${randomBytes(4).toString('hex').toUpperCase()}-${randomBytes(6).toString('hex').toUpperCase()}`;
  }

  private traceId(): string {
    return randomBytes(15).toString('hex');
  }

  private onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    this.handle(req, res).catch((err: unknown) => {
      try {
        if (!res.headersSent && !res.destroyed) {
          const body = JSON.stringify({
            RequestId: 'FAKE-CRASH',
            HostId: '127.0.0.1',
            Code: 'InternalError',
            Message: `fake cloud bug: ${String(err)}`,
          });
          res.writeHead(500, { 'content-type': JSON_CT, 'content-length': Buffer.byteLength(body) });
          res.end(body);
        } else {
          res.destroy();
        }
      } catch {
        /* never crash */
      }
    });
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const at = Date.now();
    const body = await readBody(req);
    const method = (req.method ?? 'GET').toUpperCase();
    const rawUrl = req.url ?? '/';
    const qi = rawUrl.indexOf('?');
    const path = qi < 0 ? rawUrl : rawUrl.slice(0, qi);
    const query: Record<string, string> = Object.fromEntries(new URLSearchParams(qi < 0 ? '' : rawUrl.slice(qi + 1)));
    const headers: Record<string, string> = Object.fromEntries(
      Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(', ') : (v ?? '')]),
    );
    const route =
      ROUTES.find((r) => r.path === path && r.method === method) ??
      APP_ROUTES.find((r) => r.path === path && r.method === method);
    const product: Product = route?.product ?? (path.startsWith('/pop/v5/') ? 'edas' : 'sae');
    const requestId = this.nextRequestId();
    const call: Call = {
      at,
      method,
      path,
      action: route?.action ?? 'unknown',
      product,
      query,
      headers,
      signatureOk: false,
      status: 0,
      requestId,
      contract: [],
    };
    this.calls.push(call);

    if (body === undefined) {
      return this.reply(
        call,
        res,
        this.popError(
          product,
          requestId,
          413,
          'RequestEntityTooLarge',
          'The request body is too large or was not received completely.',
        ),
      );
    }

    const authError = this.authenticate(call, body, requestId);
    if (authError) return this.reply(call, res, authError);

    const breach = this.checkContract(call, body);
    if (breach) return this.reply(call, res, breach);

    const ram = route && ramActionFor(route.product, route.action);
    if (ram && this.ramActions && !this.ramActions.has(ram))
      return this.reply(
        call,
        res,
        this.popError(product, requestId, 403, 'Forbidden.RAM', `The caller is not authorized to perform ${ram}.`),
      );

    const fault = this.takeFault(call.action);
    if (fault?.kind === 'lost-answer' && route) {
      call.fault = fault.kind;
      const answer = this.dispatch(route, call);
      call.answer = answer.body;
      call.status = 0;
      req.socket.destroy();
      return;
    }
    if (fault) {
      call.fault = fault.kind;
      const handled = await this.applyFault(fault, call, req, res);
      if (handled) return;
    }

    if (route) {
      const answer = this.dispatch(route, call);
      if (!answer.shaped) this.checkAnswer(call, answer);
      return this.reply(call, res, answer);
    }
    const reply = this.popError(
      product,
      requestId,
      404,
      'InvalidAction.NotFound',
      `Specified api is not found, please check your url and method. (${method} ${path})`,
    );
    this.reply(call, res, reply);
  }

  /** Holds the request to the API model; a breach is recorded and answered 400 ContractViolation naming the field. */
  private checkContract(call: Call, body: Buffer): Reply | undefined {
    const form =
      body.length && /x-www-form-urlencoded/i.test(call.headers['content-type'] ?? '')
        ? Object.fromEntries(new URLSearchParams(body.toString('utf8')))
        : undefined;
    if (form) call.form = form;
    const { violations } = checkRequest(loadModel(), {
      method: call.method,
      path: call.path,
      query: call.query,
      ...(form ? { body: form } : {}),
    });
    if (!violations.length) return undefined;
    call.contract = violations;
    this.violations.push({ call, side: 'request', problems: violations });
    return this.popError(call.product, call.requestId, 400, 'ContractViolation', violations.join('; '));
  }

  /** Walks a 200 answer of the fake's own making against the model: a breach is the fake's bug, recorded as such. */
  private checkAnswer(call: Call, r: Reply): void {
    if (r.status !== 200 || typeof r.body !== 'object' || r.body === null) return;
    const op: OperationModel | undefined = operationFor(loadModel(), call.method, call.path);
    if (!op) return;
    const problems = checkResponse(op, r.body);
    if (problems.length) this.violations.push({ call, side: 'response', problems });
  }

  private reply(call: Call, res: http.ServerResponse, r: Reply): void {
    call.status = r.status;
    call.answer = r.body;
    if (res.destroyed || res.writableEnded) return;
    const text = typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
    res.writeHead(r.status, {
      'content-type': r.contentType ?? JSON_CT,
      'content-length': Buffer.byteLength(text),
      'x-acs-request-id': call.requestId,
    });
    res.end(text);
  }

  private popError(product: Product, requestId: string, status: number, code: string, message: string): Reply {
    const host = product === 'edas' ? 'edas.cn-hangzhou.aliyuncs.com' : 'sae.cn-hangzhou.aliyuncs.com';
    return {
      status,
      body: {
        RequestId: requestId,
        HostId: host,
        Code: code,
        Message: message,
        Recommend: `https://api.alibabacloud.com/troubleshoot?q=${encodeURIComponent(code)}&product=${product === 'edas' ? 'Edas' : 'sae'}&requestId=${requestId}`,
      },
    };
  }

  /** EDAS business errors come back as HTTP 200 with a numeric Code (docs/api-notes.md#edas-change-orders). */
  private edasError(requestId: string, code: number, message: string): Reply {
    return { status: 200, body: { Code: code, Message: message, RequestId: requestId } };
  }

  // ─────────────── auth ───────────────

  private authenticate(call: Call, body: Buffer, requestId: string): Reply | undefined {
    const h = call.headers;
    const err = (status: number, code: string, message: string) =>
      this.popError(call.product, requestId, status, code, message);
    const v3 = parseAcs3(h['authorization'] ?? '');
    const m = v3 ? undefined : /^acs ([^:\s]+):(\S+)$/.exec(h['authorization'] ?? '');
    if (!m && !v3)
      return err(
        400,
        'IncompleteSignature',
        'The request signature does not conform to Aliyun standards (missing or malformed authorization header).',
      );
    const akId = v3 ? v3.credential : (m![1] ?? '');
    const given = v3 ? v3.signature : (m![2] ?? '');
    const sts = this.stsKeys.get(akId);
    const secret = sts?.secret ?? this.accessKeys.get(akId);
    if (secret === undefined) return err(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
    let expectedStringToSign: string;
    let expected: string;
    if (v3) {
      // ACS3-HMAC-SHA256 (V3): the body's hash, every x-acs-* header and host signed, then the canonical request.
      const payloadHash = createHash('sha256').update(body).digest('hex');
      if (h['x-acs-content-sha256'] !== payloadHash)
        return err(400, 'IncompleteSignature', 'The x-acs-content-sha256 header does not match the body.');
      const unsigned = Object.keys(h).filter(
        (k) => (k.startsWith('x-acs-') || k === 'host' || k === 'content-type') && !v3.signedHeaders.includes(k),
      );
      if (!v3.signedHeaders.includes('host') || unsigned.length)
        return err(400, 'IncompleteSignature', `Unsigned headers: ${unsigned.join(', ') || 'host'}.`);
      if (!h['x-acs-date']) return err(400, 'IncompleteSignature', 'The x-acs-date header is required.');
      expectedStringToSign = acs3StringToSign(call.method, call.path, call.query, h, v3.signedHeaders, payloadHash);
      expected = createHmac('sha256', secret).update(Buffer.from(expectedStringToSign, 'utf8')).digest('hex');
    } else {
      if (h['x-acs-signature-method'] !== 'HMAC-SHA1')
        return err(400, 'IncompleteSignature', 'The x-acs-signature-method header must be HMAC-SHA1.');
      expectedStringToSign = stringToSign(call.method, call.path, call.query, h);
      expected = createHmac('sha1', secret).update(Buffer.from(expectedStringToSign, 'utf8')).digest('base64');
    }
    call.signatureOk = constantTimeEqual(expected, given);
    if (!call.signatureOk) {
      return err(
        400,
        'SignatureDoesNotMatch',
        `Specified signature does not match our calculation. server string to sign is:${expectedStringToSign}`,
      );
    }
    const md5 = h['content-md5'];
    if (md5 !== undefined && md5 !== createHash('md5').update(body).digest('base64')) {
      return err(400, 'ContentMD5NotMatched', 'The Content-MD5 you specified does not match the body.');
    }
    const version = h['x-acs-version'];
    const wanted = call.path.startsWith('/pop/v1/sam/')
      ? [SAE_API_VERSION]
      : call.path.startsWith('/pop/v5/')
        ? [EDAS_API_VERSION]
        : [SAE_API_VERSION, EDAS_API_VERSION];
    if (version === undefined || !wanted.includes(version))
      return err(
        400,
        'InvalidVersion',
        `Specified parameter Version is not valid. (x-acs-version: ${version ?? 'missing'})`,
      );
    if (sts) {
      const token = h['x-acs-security-token'];
      if (token === undefined || !constantTimeEqual(token, sts.token))
        return err(
          400,
          'InvalidSecurityToken.MismatchWithAccessKey',
          'The security token you are using does not match your access key.',
        );
      if (this.now() >= sts.expiresAt)
        return err(400, 'InvalidSecurityToken.Expired', 'Specified SecurityToken is expired.');
    }
    const nonce = h['x-acs-signature-nonce'];
    if (!nonce) return err(400, 'IncompleteSignature', 'The x-acs-signature-nonce header is required.');
    if (this.nonces.has(nonce)) return err(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.');
    this.nonces.add(nonce);
    return undefined;
  }

  // ─────────────── faults ───────────────

  private takeFault(action: string): Fault | undefined {
    const i = this.faults.findIndex((f) => f.action === undefined || f.action === action);
    if (i < 0) return undefined;
    const f = this.faults[i]!; // findIndex found it
    f.remaining -= 1;
    if (f.remaining <= 0) this.faults.splice(i, 1);
    return f.fault;
  }

  /** Returns true when the fault produced the answer (false: go on with the normal answer). */
  private async applyFault(
    fault: Fault,
    call: Call,
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ): Promise<boolean> {
    const rid = call.requestId;
    const product = call.product;
    switch (fault.kind) {
      case 'throttle':
        this.reply(
          call,
          res,
          this.popError(product, rid, 400, 'Throttling.User', 'Request was denied due to user flow control.'),
        );
        return true;
      case 'http': {
        const status =
          Number.isInteger(fault.status) && fault.status >= 100 && fault.status <= 999 ? fault.status : 500;
        const code =
          fault.code ?? (status === 503 ? 'ServiceUnavailable' : status >= 500 ? 'InternalError' : 'UnknownError');
        const message =
          fault.message ??
          (code === 'ServiceUnavailable'
            ? 'The request has failed due to a temporary failure of the server.'
            : code === 'InternalError'
              ? 'The request processing has failed due to some unknown error, exception or failure.'
              : 'The request failed.');
        this.reply(call, res, this.popError(product, rid, status, code, message));
        return true;
      }
      case 'html': {
        const status = fault.status ?? 502;
        const title = `${status} ${http.STATUS_CODES[status] ?? 'Error'}`;
        this.reply(call, res, {
          status,
          contentType: 'text/html',
          body: `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>Tengine</center>\r\n</body>\r\n</html>\r\n`,
        });
        return true;
      }
      case 'reset':
        call.status = 0;
        req.socket.destroy();
        return true;
      case 'slow':
        await this.delay(fault.ms);
        if (this.closing) return true;
        return false;
      case 'malformed':
        this.reply(call, res, {
          status: 200,
          body: `{"RequestId":"${rid}","Code":"200","Success":true,"Data":{"ChangeOrderId":"co","Status":1,"Pipelines":[{"PipelineId":"p`,
        });
        return true;
      case 'success-false': {
        const code = fault.code ?? 'InternalError';
        this.reply(call, res, {
          status: 200,
          body: {
            RequestId: rid,
            Code: code,
            Success: false,
            Message: fault.message ?? 'The request processing has failed.',
            ErrorCode: code,
            TraceId: this.traceId(),
          },
        });
        return true;
      }
      case 'body':
        this.reply(call, res, {
          status: fault.status ?? 200,
          body: fault.body === undefined ? '' : fault.body,
          contentType: fault.contentType ?? JSON_CT,
        });
        return true;
      case 'error-code': {
        const status = fault.status ?? 400;
        this.reply(call, res, {
          status,
          body: {
            RequestId: rid,
            Code: status === 200 ? (fault.code ?? 500) : (fault.code ?? status),
            ErrorCode: fault.errorCode,
            Message: fault.message ?? 'The request failed.',
          },
        });
        return true;
      }
      case 'not-found':
        this.reply(
          call,
          res,
          product === 'edas'
            ? this.edasError(rid, 500, 'change order not found')
            : this.popError(
                product,
                rid,
                400,
                'InvalidChangeOrder.NotFound',
                'The current change order does not exist.',
              ),
        );
        return true;
      default:
        return false;
    }
  }

  private delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(
        () => {
          this.timers.delete(t);
          resolve();
        },
        Math.max(0, Number.isFinite(ms) ? ms : 0),
      );
      this.timers.add(t);
    });
  }

  // ─────────────── operations ───────────────

  private dispatch(route: Route, call: Call): Reply {
    const q = call.query;
    const rid = call.requestId;
    const p = route.product;
    // Required-parameter checks answer the same way for both products (a gateway-level 400).
    const notEmpty = (name: string) =>
      this.popError(p, rid, 400, 'InvalidParameter.NotEmpty', `You must specify the parameter ${name}.`);
    const saeOk = (data: unknown): Reply => ({
      status: 200,
      body: { RequestId: rid, Code: '200', Success: true, Message: 'success', TraceId: this.traceId(), Data: data },
    });
    const saeNotFound = () =>
      this.popError(p, rid, 400, 'InvalidChangeOrder.NotFound', 'The current change order does not exist.');

    const app = this.apps.answer(p, route.action, q, rid, call.form ?? {});
    if (app) return app;
    switch (`${p}:${route.action}`) {
      case 'sae:DescribeChangeOrder': {
        if (!q.ChangeOrderId) return notEmpty('ChangeOrderId');
        const o = this.findOrder(q.ChangeOrderId, 'sae');
        if (!o) return saeNotFound();
        this.advance(o);
        const data = this.saeData(o);
        this.countRead(o);
        return this.withExtra(o, saeOk(data), data);
      }
      case 'sae:AbortChangeOrder':
      case 'sae:AbortAndRollbackChangeOrder': {
        if (!q.ChangeOrderId) return notEmpty('ChangeOrderId');
        const o = this.findOrder(q.ChangeOrderId, 'sae');
        if (!o) return saeNotFound();
        const rollback = route.action === 'AbortAndRollbackChangeOrder' || q.Rollback === 'true';
        if (!this.tryAbort(o, rollback))
          return this.popError(
            p,
            rid,
            400,
            'Application.ChangerOrder.Not.Running',
            'The change order is not running and cannot be terminated.',
          );
        return saeOk({ ChangeOrderId: o.id });
      }
      case 'sae:ListChangeOrders': {
        if (!q.AppId) return notEmpty('AppId');
        const page = positiveInt(q.CurrentPage, 1);
        const size = Math.min(positiveInt(q.PageSize, 10), this.maxPageSize);
        const all = this.listOrder(
          [...this.orders.values()].filter((o) => {
            if (o.product !== 'sae' || o.appId !== q.AppId) return false;
            this.advance(o);
            if (q.CoType && o.coTypeCode !== q.CoType) return false;
            if (q.CoStatus && String(o.status) !== q.CoStatus.trim()) return false;
            if (q.Key && !o.description.includes(q.Key)) return false;
            return true;
          }),
        );
        return saeOk({
          CurrentPage: page,
          PageSize: size,
          TotalSize: all.length,
          ChangeOrderList: all.slice((page - 1) * size, page * size).map((o) => ({
            ChangeOrderId: o.id,
            AppId: o.appId,
            Status: o.status,
            CoType: o.coType,
            CoTypeCode: o.coTypeCode,
            CreateTime: o.createTime,
            FinishTime: o.finishedAt !== undefined ? formatTime(o.finishedAt) : '',
            BatchCount: o.batches.length,
            BatchType: o.batchType,
            Description: o.description,
            Source: 'console',
            UserId: o.createUserId,
            CreateUserId: o.createUserId,
            GroupId: groupIdFor(o.appId),
          })),
        });
      }
      case 'sae:ConfirmPipelineBatch':
      case 'edas:ContinuePipeline': {
        if (!q.PipelineId) return notEmpty('PipelineId');
        if (q.Confirm === undefined || q.Confirm === '') return notEmpty('Confirm');
        const c = q.Confirm.trim().toLowerCase();
        if (c !== 'true' && c !== 'false')
          return this.popError(
            p,
            rid,
            400,
            'InvalidParameter.WithMessage',
            'The parameter Confirm must be true or false.',
          );
        const ok = this.tryConfirm(q.PipelineId, p, c === 'true');
        if (p === 'edas')
          return ok
            ? { status: 200, body: { Code: 200, Message: 'success', RequestId: rid } }
            : this.edasError(rid, 500, 'The pipeline is not waiting for confirmation.');
        return ok
          ? saeOk({ PipelineId: q.PipelineId })
          : this.popError(
              p,
              rid,
              400,
              'Application.InvalidStatus',
              'The change order is not waiting for this batch to be confirmed.',
            );
      }
      case 'sae:DescribePipeline': {
        if (!q.PipelineId) return notEmpty('PipelineId');
        const entry = this.pipelines.get(q.PipelineId);
        if (!entry || entry.order.product !== 'sae')
          return this.popError(p, rid, 400, 'InvalidPipeline.NotFound', 'The specified pipeline does not exist.');
        this.advance(entry.order);
        return saeOk(this.pipelineData(entry.order, entry.index));
      }
      case 'edas:GetChangeOrderInfo': {
        if (!q.ChangeOrderId) return notEmpty('ChangeOrderId');
        const o = this.findOrder(q.ChangeOrderId, 'edas');
        if (!o) return this.edasError(rid, 500, 'change order not found');
        this.advance(o);
        const info = this.edasInfo(o);
        this.countRead(o);
        return this.withExtra(
          o,
          { status: 200, body: { Code: 200, Message: 'success', RequestId: rid, changeOrderInfo: info } },
          info,
        );
      }
      case 'edas:AbortChangeOrder':
      case 'edas:AbortAndRollbackChangeOrder': {
        if (!q.ChangeOrderId) return notEmpty('ChangeOrderId');
        const o = this.findOrder(q.ChangeOrderId, 'edas');
        if (!o) return this.edasError(rid, 500, 'change order not found');
        const rollback = route.action === 'AbortAndRollbackChangeOrder' || q.Rollback === 'true';
        if (rollback && (o.cluster !== 'kubernetes' || o.coTypeCode !== 'CoDeploy'))
          return this.edasError(
            rid,
            400,
            'Only a change order that deploys an application in a Kubernetes cluster can be terminated and rolled back.',
          );
        if (!this.tryAbort(o, rollback))
          return this.edasError(rid, 500, 'The change order is not running and cannot be aborted.');
        return {
          status: 200,
          body: {
            Code: 200,
            Message: 'success',
            RequestId: rid,
            TraceId: this.traceId(),
            Data: { ChangeOrderId: o.id },
          },
        };
      }
      case 'edas:ListRecentChangeOrder': {
        if (!q.AppId) return notEmpty('AppId');
        const list = this.listOrder(
          [...this.orders.values()].filter((o) => o.product === 'edas' && o.appId === q.AppId),
        );
        for (const o of list) this.advance(o);
        return {
          status: 200,
          body: {
            Code: 200,
            Message: 'success',
            RequestId: rid,
            ChangeOrderList: {
              ChangeOrder: list.map((o) => ({
                ChangeOrderId: o.id,
                AppId: o.appId,
                CoType: o.coType,
                // The list documents no 7 ("partially executed" exists on the order only): the fake lists it as failed.
                Status: o.status === 7 ? 3 : o.status,
                CreateTime: o.createTime,
                FinishTime: o.finishedAt !== undefined ? formatTime(o.finishedAt) : '',
                CreateUserId: o.createUserId,
                UserId: o.createUserId,
                BatchCount: o.batches.length,
                BatchType: o.batchType,
                ChangeOrderDescription: o.description,
                CoTypeCode: o.coTypeCode,
                Source: 'console',
              })),
            },
          },
        };
      }
      default:
        return this.popError(
          p,
          rid,
          404,
          'InvalidAction.NotFound',
          'Specified api is not found, please check your url and method.',
        );
    }
  }

  private withExtra(o: OrderState, reply: Reply, data: Record<string, unknown>): Reply {
    const extra = o.extra;
    if (!extra) return reply;
    if (typeof extra === 'function') {
      const body = reply.body as Record<string, unknown>;
      const out = extra(body);
      return { ...reply, body: out === undefined ? body : out, shaped: true };
    }
    Object.assign(data, extra);
    return { ...reply, shaped: true };
  }

  private currentPipelineId(o: OrderState): string {
    const b = o.batches.find((x) => x.status !== 2) ?? o.batches[o.batches.length - 1];
    return b?.id ?? '';
  }

  private saeData(o: OrderState): Record<string, unknown> {
    return {
      AppId: o.appId,
      AppName: o.appName,
      ChangeOrderId: o.id,
      CoType: o.coType,
      CoTypeCode: o.coTypeCode,
      CreateTime: o.createTime,
      Description: o.description,
      Status: o.status,
      SubStatus: o.subStatus,
      Auto: /^auto/i.test(o.batchType),
      BatchType: o.batchType,
      BatchCount: o.batches.length,
      BatchWaitTime: 0,
      CurrentPipelineId: this.currentPipelineId(o),
      SupportRollback: o.supportRollback,
      ApprovalId: '',
      ErrorMessage: o.errorMessage,
      Pipelines: o.batches.map((b) => ({
        PipelineId: b.id,
        PipelineName: b.name,
        Status: b.status,
        BatchType: 0,
        ParallelCount: 0,
        ...(b.startTime !== undefined ? { StartTime: b.startTime } : {}),
        ...(b.updateTime !== undefined ? { UpdateTime: b.updateTime } : {}),
      })),
    };
  }

  private edasInfo(o: OrderState): Record<string, unknown> {
    return {
      ChangeOrderId: o.id,
      CoType: o.coType,
      Desc: o.description,
      ChangeOrderDescription: o.description,
      CreateTime: o.createTime,
      CreateUserId: o.createUserId,
      BatchCount: o.batches.length,
      BatchType: o.batchType,
      SupportRollback: o.supportRollback,
      Status: o.status,
      PipelineInfoList: {
        PipelineInfo: o.batches.map((b) => ({
          PipelineId: b.id,
          PipelineName: b.name,
          PipelineStatus: b.status,
          ...(b.startTime !== undefined ? { StartTime: String(b.startTime) } : {}),
          ...(b.updateTime !== undefined ? { UpdateTime: String(b.updateTime) } : {}),
        })),
      },
    };
  }

  private pipelineData(o: OrderState, index: number): Record<string, unknown> {
    const b = o.batches[index];
    if (!b) throw new Error(`FakeCloud: order ${o.id} has no batch ${index}`);
    const s = b.status;
    // Stage statuses: prepare, deploy, verify.
    const stages: [number, number, number] =
      s === 2 ? [2, 2, 2] : s === 1 ? [2, 1, 0] : s === 3 || s === 10 ? [2, 3, 0] : s === 6 ? [2, 6, 0] : [0, 0, 0];
    const failed = s === 3 || s === 10;
    const names = ['Prepare', 'Deploy instances', 'Verify'];
    const stageList = names.map((name, i) => {
      const stageId = `${b.id}-s${i + 1}`;
      const st = stages[i];
      const taskFailed = failed && i === 1;
      return {
        StageId: stageId,
        StageName: name,
        ExecutorType: 0,
        Status: st,
        TaskList: [
          {
            TaskId: `${stageId}-t1`,
            TaskName: i === 1 ? 'Update instances' : name,
            StageId: stageId,
            Status: st,
            Message: taskFailed ? 'failed' : st === 2 ? 'success' : '',
            ErrorCode: taskFailed ? 'Deploy.Failed' : '',
            ErrorMessage: taskFailed ? o.errorMessage || 'Readiness probe failed' : '',
            ErrorIgnore: 0,
            ShowManualIgnore: false,
          },
        ],
      };
    });
    // Three stages, so there is always a last one.
    const current = stageList.find((x) => x.Status !== 2) ?? stageList[stageList.length - 1]!;
    const next = o.batches[index + 1];
    return {
      PipelineId: b.id,
      PipelineName: b.name,
      // DescribePipeline documents 0, 1, 2, 3, 6 and 10 only: a batch that waits is "prepared for processing" here.
      PipelineStatus: [0, 1, 2, 3, 6, 10].includes(s) ? s : 0,
      CoStatus: CO_STATUS_TEXT[o.status] ?? String(o.status),
      CurrentStageId: current.StageId,
      NextPipelineId: next?.id ?? '',
      ShowBatch: o.status === 8 && s === 8,
      StageList: stageList,
    };
  }
}

// ───────────────────────────────────────────── builders ─────────────────────────────────────────────

export type ReleaseOutcome = 'success' | `fail-batch-${number}` | 'stuck' | 'stuck-with-error' | 'manual' | 'approval';

export interface ReleaseOptions extends Partial<Omit<OrderScript, 'id' | 'batches' | 'timeline'>> {
  /** Default 'success'. */
  outcome?: ReleaseOutcome;
  /** Number of batches, default 3. */
  batchCount?: number;
  /** Each non-final, non-manual step lasts this many reads (default 1, unless `ms` is given). */
  reads?: number;
  /** Each non-final, non-manual step lasts this many ms. */
  ms?: number;
  /** For failures: the snapshot's errorMessage (default 'Readiness probe failed'). */
  errorMessage?: string;
}

/**
 * A scripted release of `batchCount` batches named "Batch N Change":
 * - success: 0 → 1 (batch 1 running) → … → 1 (batch N running) → 2
 * - fail-batch-K: 0 → 1 … → 1 (batch K running) → 3 (batch K failed) with errorMessage
 * - stuck: 0 → 1 (batch 1 running) forever
 * - stuck-with-error: 0 → 1 (batch 1 running) → 1 with SubStatus 1 and batch 1 failed, forever
 * - manual: 0 → 1 (batch 1 running) → 8 (batch 2 waits; only a confirm ends the step) → 1 (batch 2 running) → … → 2
 * - approval: 11 forever
 */
export function release(id: string, opts: ReleaseOptions = {}): OrderScript {
  const { outcome = 'success', batchCount = 3, reads, ms, errorMessage = 'Readiness probe failed', ...rest } = opts;
  const n = Math.max(1, Math.trunc(batchCount));
  const dur: Pick<TimelineStep, 'reads' | 'ms'> =
    ms !== undefined ? { ms, ...(reads !== undefined ? { reads } : {}) } : { reads: reads ?? 1 };
  const progress = (k: number, s: number) => Array.from({ length: n }, (_, i) => (i < k ? 2 : i === k ? s : 0));
  const zeros = progress(-1, 0).map(() => 0);
  const timeline: TimelineStep[] = [{ status: 0, batches: zeros, ...dur }];
  let batchType = rest.batchType;
  if (outcome === 'success') {
    for (let k = 0; k < n; k++) timeline.push({ status: 1, batches: progress(k, 1), ...dur });
    timeline.push({ status: 2, batches: progress(n, 2) });
  } else if (outcome.startsWith('fail-batch-')) {
    const f = Math.min(n, Math.max(1, Number(outcome.slice('fail-batch-'.length)) || 1)) - 1;
    for (let k = 0; k <= f; k++) timeline.push({ status: 1, batches: progress(k, 1), ...dur });
    timeline.push({ status: 3, batches: progress(f, 3), errorMessage });
  } else if (outcome === 'stuck') {
    timeline.push({ status: 1, batches: progress(0, 1) });
  } else if (outcome === 'stuck-with-error') {
    timeline.push({ status: 1, batches: progress(0, 1), ...dur });
    timeline.push({ status: 1, subStatus: 1, batches: progress(0, 3), errorMessage });
  } else if (outcome === 'manual') {
    batchType ??= rest.product === 'edas' ? 'Manual' : 'manual';
    timeline.push({ status: 1, batches: progress(0, 1), ...dur });
    for (let k = 1; k < n; k++) {
      timeline.push({ status: 8, batches: progress(k, 8) });
      timeline.push({ status: 1, batches: progress(k, 1), ...dur });
    }
    timeline.push({ status: 2, batches: progress(n, 2) });
  } else if (outcome === 'approval') {
    timeline.length = 0;
    timeline.push({ status: 11, batches: zeros });
  } else {
    throw new Error(`release: unknown outcome ${String(outcome)}`);
  }
  return {
    ...rest,
    ...(batchType !== undefined ? { batchType } : {}),
    id,
    batches: Array.from({ length: n }, (_, i) => ({ name: `Batch ${i + 1} Change`, id: `${id}-b${i + 1}` })),
    timeline,
  };
}

/** `release(id, {...opts, batchCount: 3})`. */
export function threeBatchRelease(id: string, opts: Omit<ReleaseOptions, 'batchCount'> = {}): OrderScript {
  return release(id, { ...opts, batchCount: 3 });
}

/** Constructor options for a pop-core ROAClient pointed at the fake (default AK). */
export function clientConfig(
  cloud: FakeCloud,
  product: Product = 'sae',
): { endpoint: string; apiVersion: string; accessKeyId: string; accessKeySecret: string; opts: { timeout: number } } {
  return {
    endpoint: cloud.url,
    apiVersion: product === 'sae' ? SAE_API_VERSION : EDAS_API_VERSION,
    accessKeyId: DEFAULT_ACCESS_KEY_ID,
    accessKeySecret: DEFAULT_ACCESS_KEY_SECRET,
    opts: { timeout: 2000 },
  };
}
