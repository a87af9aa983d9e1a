"use strict";
exports.id = 358;
exports.ids = [358];
exports.modules = {

/***/ 3358:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  POST_DEADLINE_MS: () => (/* binding */ POST_DEADLINE_MS),
  defaultPostDeps: () => (/* binding */ defaultPostDeps),
  runPost: () => (/* binding */ runPost)
});

// NAMESPACE OBJECT: ./src/runner/core.ts
var core_namespaceObject = {};
__webpack_require__.r(core_namespaceObject);
__webpack_require__.d(core_namespaceObject, {
  SUMMARY_MAX: () => (SUMMARY_MAX),
  VALUE_MAX: () => (VALUE_MAX),
  appendSummary: () => (appendSummary),
  debug: () => (debug),
  error: () => (error),
  getIDToken: () => (getIDToken),
  getInput: () => (getInput),
  getState: () => (getState),
  info: () => (info),
  isDebug: () => (isDebug),
  logLine: () => (logLine),
  notice: () => (notice),
  saveState: () => (saveState),
  setFailed: () => (setFailed),
  setOutput: () => (setOutput),
  setSecret: () => (setSecret),
  warning: () => (warning)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: ./node_modules/@actions/core/lib/command.js
var lib_command = __webpack_require__(9635);
// EXTERNAL MODULE: ./node_modules/@actions/core/lib/file-command.js
var file_command = __webpack_require__(2902);
// EXTERNAL MODULE: ./node_modules/@actions/core/lib/utils.js
var utils = __webpack_require__(4679);
// EXTERNAL MODULE: ./src/runner/sanitize.ts
var sanitize = __webpack_require__(9063);
;// CONCATENATED MODULE: ./src/runner/secrets.ts
/**
 * Every secret the process knows, and the one scrubber that removes them from whatever leaves it: log lines, outputs,
 * the summary and the state (src/runner/core.ts sends everything through it). A server that echoes a token back (a
 * SignatureDoesNotMatch with the string-to-sign, an STS error with the OIDC token, a GitHub error) cannot get it out.
 */

const REDACTED = '***';
/** Shorter values are not secrets worth scrubbing (and would wreck every line they occur in). */
const MIN_LENGTH = 4;
const known = new Set();
/** Every form to scrub, longest first, so a secret inside another is not half-replaced. */
let secrets_forms = [];
/**
 * Registers a secret: the runner masks it (::add-mask::, each line of a multi-line value as well) and the scrubber
 * removes it, as it is and in its URL-encoded forms, from every string that leaves the process from now on.
 */
function registerSecret(secret) {
    if (typeof secret !== 'string' || secret.length < MIN_LENGTH || known.has(secret))
        return;
    known.add(secret);
    const variants = new Set([
        secret,
        encodeURIComponent(secret),
        encodeURIComponent(secret).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
    ]);
    for (const line of secret.split(/\r?\n/))
        if (line.trim().length >= MIN_LENGTH)
            variants.add(line.trim());
    for (const v of variants)
        (0,lib_command/* issueCommand */.L)('add-mask', {}, v);
    secrets_forms = [...new Set([...secrets_forms, ...variants])].sort((a, b) => b.length - a.length);
}
/** `text` with every registered secret replaced by "***". */
function scrub(text) {
    let out = text;
    for (const f of secrets_forms)
        if (out.includes(f))
            out = out.split(f).join(REDACTED);
    return out;
}
/** How many secrets are registered (for tests). */
function secretCount() {
    return known.size;
}

;// CONCATENATED MODULE: ./src/runner/core.ts







/**
 * Everything this module writes goes through two doors: scrub() removes every registered secret (src/runner/secrets.ts),
 * and log lines are then made single, bounded and command-free (src/runner/sanitize.ts). No caller can print past them.
 */
/** An output or a state value holds at most this many characters (the runner refuses files over 1 MiB in all). */
const VALUE_MAX = 64 * 1024;
/** The summary this process appends holds at most this many characters (GitHub refuses a step summary over 1 MiB). */
const SUMMARY_MAX = 512 * 1024;
/** A log line as it may be printed: secrets scrubbed, then sanitised. */
const logLine = (message) => (0,sanitize/* sanitizeLine */.g$)(scrub(message));
/**
 * Appends Markdown to the job summary, as core.summary.addRaw(markdown, true).write() does, through node:fs's callback
 * API: @actions/core's summary module loads fs/promises at import, which on Node 24 also loads readline and the REPL
 * history (1.3 MiB of the peak RSS of every run).
 */
function appendSummary(markdown) {
    const path = process.env.GITHUB_STEP_SUMMARY;
    if (!path) {
        return Promise.reject(new Error('Unable to find environment variable for $GITHUB_STEP_SUMMARY. Check if your runtime environment supports job summaries.'));
    }
    return new Promise((resolve, reject) => (0,external_node_fs_.appendFile)(path, (0,sanitize/* bound */.$s)(scrub(markdown), SUMMARY_MAX) + external_node_os_.EOL, { encoding: 'utf8' }, (err) => err ? reject(err) : resolve()));
}
const getInput = (name, options) => {
    const val = process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] || '';
    if (options?.required && !val)
        throw new Error(`Input required and not supplied: ${name}`);
    return options?.trimWhitespace === false ? val : val.trim();
};
/** Writes a key=value file command when the runner gave a file, else the legacy stdout command. */
function keyValue(file, legacy, name, raw) {
    const value = (0,sanitize/* bound */.$s)(scrub((0,utils/* toCommandValue */.E)(raw)), VALUE_MAX);
    const filePath = process.env[file] || '';
    if (filePath)
        return (0,file_command/* issueFileCommand */.n)(file.replace(/^GITHUB_/, ''), (0,file_command/* prepareKeyValueMessage */.v)(name, value));
    if (legacy === 'set-output')
        process.stdout.write(external_node_os_.EOL);
    (0,lib_command/* issueCommand */.L)(legacy, { name }, (0,utils/* toCommandValue */.E)(value));
}
const setOutput = (name, value) => keyValue('GITHUB_OUTPUT', 'set-output', name, value);
const saveState = (name, value) => keyValue('GITHUB_STATE', 'save-state', name, value);
const getState = (name) => process.env[`STATE_${name}`] || '';
const setSecret = (secret) => registerSecret(secret);
const isDebug = () => process.env.RUNNER_DEBUG === '1';
const debug = (message) => (0,lib_command/* issueCommand */.L)('debug', {}, logLine(message));
const info = (message) => void process.stdout.write(logLine(message) + external_node_os_.EOL);
const annotation = (command) => (message, properties = {}) => (0,lib_command/* issueCommand */.L)(command, (0,utils/* toCommandProperties */.k)(properties), logLine(message instanceof Error ? message.toString() : message));
const error = annotation('error');
const warning = annotation('warning');
const notice = annotation('notice');
const setFailed = (message) => {
    process.exitCode = 1;
    error(message);
};
/** Loads the whole of @actions/core (and its HTTP client) only when an OIDC token is needed. */
const getIDToken = async (audience) => {
    const core = await __webpack_require__.e(/* import() */ 988).then(__webpack_require__.bind(__webpack_require__, 4988));
    return core.getIDToken(audience);
};

;// CONCATENATED MODULE: ./src/alicloud/api-error.ts
class ApiError extends Error {
    operation;
    code;
    detail;
    kind;
    httpStatus;
    requestId;
    retryAfterMs;
    name = 'ApiError';
    constructor(
    /** The API operation, e.g. "DescribeChangeOrder". */
    operation, 
    /** The API's error code (e.g. "Throttling.User"), or our own for transport faults (e.g. "NonJsonResponse"). */
    code, 
    /** The API's message, or what we saw. */
    detail, kind, httpStatus, requestId, 
    /** How long the server asked us to wait (Retry-After), in ms, when it said. */
    retryAfterMs) {
        super(formatMessage(operation, code, detail, httpStatus, requestId));
        this.operation = operation;
        this.code = code;
        this.detail = detail;
        this.kind = kind;
        this.httpStatus = httpStatus;
        this.requestId = requestId;
        this.retryAfterMs = retryAfterMs;
    }
    /** Worth another try: everything but an outright refusal. */
    get transient() {
        return this.kind !== 'rejected';
    }
    /** What the user can do about it, when we know. */
    get hint() {
        return hintFor(this.code, this.operation);
    }
    /** The message with the hint after it in brackets: the one way an API error is told to a person. */
    get explained() {
        const hint = this.hint;
        return hint ? `${this.message} (${hint})` : this.message;
    }
}
function formatMessage(operation, code, detail, httpStatus, requestId) {
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
function retryableCode(code) {
    if (/Throttling/i.test(code))
        return 'throttled';
    if (code === 'ServiceUnavailable' ||
        code === 'InternalError' ||
        code === 'SignatureNonceUsed' ||
        // "The system is being upgraded. Try again later."
        code === 'System.Upgrading')
        return 'unavailable';
    if (/^5\d\d$/.test(code))
        return 'unavailable';
    return undefined;
}
/**
 * The error code of an error body. Both products may put a numeric `Code` (an HTTP-like status) beside the real code in
 * `ErrorCode`: the first non-empty, non-numeric one of ErrorCode, Code, then `fallback` wins; a numeric code only when
 * there is nothing else.
 */
function bodyErrorCode(body, fallback) {
    const candidates = [body.ErrorCode, body.Code, fallback]
        .map((c) => (typeof c === 'string' || typeof c === 'number' ? String(c).trim() : ''))
        .filter((c) => c !== '' && c !== '空' && c !== '200' && !/^(success|ok)$/i.test(c));
    return candidates.find((c) => !/^\d+$/.test(c)) ?? candidates[0];
}
/** Classifies a code from a body that reported failure (HTTP 200 with Success:false or a non-200 Code). */
function kindForCode(code, httpStatus) {
    // HTTP 429 is "too many requests" whatever the body calls it (a gateway in front of the API may send no code at all).
    if (httpStatus === 429)
        return 'throttled';
    return retryableCode(code) ?? (httpStatus !== undefined && httpStatus >= 500 ? 'unavailable' : 'rejected');
}
/** Retry-After, as seconds or an HTTP date, in ms from now; undefined when absent or unreadable. */
function parseRetryAfter(value, now = Date.now()) {
    const text = Array.isArray(value) ? value[0] : value;
    if (typeof text !== 'string' && typeof text !== 'number')
        return undefined;
    const s = String(text).trim();
    if (/^\d+$/.test(s))
        return Number(s) * 1000;
    const at = Date.parse(s);
    return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}
function retryAfterOf(e) {
    const response = (e.response && typeof e.response === 'object' ? e.response : {});
    const headers = (e.headers ?? response.headers);
    return headers && typeof headers === 'object' ? parseRetryAfter(headers['retry-after']) : undefined;
}
/** Turns whatever pop-core threw into an ApiError. */
function fromPopCoreError(operation, err) {
    if (err instanceof ApiError)
        return err;
    const e = (err ?? {});
    const name = typeof e.name === 'string' ? e.name : '';
    const rawCode = typeof e.code === 'string' || typeof e.code === 'number' ? String(e.code) : '';
    const message = typeof e.message === 'string' ? e.message : String(err);
    const status = typeof e.statusCode === 'number' ? e.statusCode : undefined;
    if (name === 'ResponseTooLargeError')
        return new ApiError(operation, 'ResponseTooLarge', firstClause(message), 'malformed', status);
    if (name === 'RequestTimeoutError')
        return new ApiError(operation, 'RequestTimeout', firstClause(message), 'timeout');
    if (SOCKET_CODES.has(rawCode))
        return new ApiError(operation, rawCode, 'the connection failed', 'network');
    // Node's HTTP parser refused the answer (HPE_INVALID_CONSTANT, HPE_HEADER_OVERFLOW...): a garbled answer from a
    // proxy or a bad connection, as passing as a reset.
    if (/^HPE_/.test(rawCode))
        return new ApiError(operation, rawCode, 'the answer could not be parsed as HTTP', 'network');
    if (name === 'FormatError')
        return new ApiError(operation, 'MalformedResponse', 'the response is not valid JSON', 'malformed', status);
    const body = (e.result && typeof e.result === 'object' ? e.result : {});
    const requestId = stringField(body, 'RequestId') ?? requestIdFromMessage(message);
    const code = bodyErrorCode(body, rawCode) || rawCode || (status !== undefined ? `HTTP${status}` : name || 'UnknownError');
    const detail = stringField(body, 'Message') ?? stringField(body, 'errorMsg') ?? apiMessageFrom(message);
    const kind = kindForCode(code, status);
    if (status === undefined && !rawCode) {
        // Not an API answer at all (a bug or an unexpected library error): keep it retryable but say what it was.
        return new ApiError(operation, 'ClientError', firstClause(message), 'network');
    }
    return new ApiError(operation, code, detail, kind, status, requestId, retryAfterOf(e));
}
function stringField(o, key) {
    const v = o[key];
    return typeof v === 'string' && v !== '' ? v : undefined;
}
/** pop-core's ROA message is "code: 400, <Message>, requestid: <id>" (docs/api-notes.md#errors-and-retries). */
function apiMessageFrom(message) {
    const m = /^code: \d+, (.*), requestid: .*$/s.exec(message);
    return m?.[1] ?? firstClause(message);
}
function requestIdFromMessage(message) {
    return /requestid: ([\w-]+)/i.exec(message)?.[1];
}
/** pop-core appends "<METHOD> <url> failed." to transport errors; the URL adds nothing for the user. */
function firstClause(message) {
    return message.replace(/\s*(GET|PUT|POST|DELETE)\s*https?:\/\/\S+ failed\.?$/, '').slice(0, 300);
}
const PERMISSION_CODES = /^(Resouce\.no\.permission|Forbidden|Forbidden\.RAM|NoPermission|Forbidden\.NoPermission)/;
function hintFor(code, operation) {
    if (PERMISSION_CODES.test(code))
        return `grant the RAM permission for ${operation} to these credentials (see "RAM permissions" in the README)`;
    if (code === 'InvalidChangeOrder.NotFound')
        return 'check change-order-id and region-id: the change order must exist in that region';
    if (code === 'InvalidAppId.NotFound' || code === 'InvalidApplication.NotFound')
        return 'check app-id and region-id';
    if (code === 'SignatureDoesNotMatch' || code === 'IncompleteSignature')
        return 'check access-key-secret: it does not match access-key-id';
    if (code === 'InvalidAccessKeyId.NotFound' || code === 'InvalidAccessKeyId')
        return 'check access-key-id: the AccessKey does not exist or is disabled';
    if (code.startsWith('InvalidSecurityToken'))
        return 'the STS security token is invalid or expired: refresh the credentials (or use OIDC)';
    if (/Throttling/i.test(code))
        return 'the API is rate-limiting these credentials: raise poll-interval';
    if (/^InvalidTimeStamp/i.test(code))
        return "the API found the request's time stamp out of range: check the clock of the runner (it must be within 15 minutes of real time)";
    if (code === 'RequestTimeout')
        return 'the API did not answer in time: check the endpoint, or raise request-timeout';
    return undefined;
}

// EXTERNAL MODULE: external "node:timers/promises"
var promises_ = __webpack_require__(8500);
;// CONCATENATED MODULE: ./src/time/clock.ts

const systemClock = {
    now: () => Date.now(),
    sleep: async (ms, signal) => {
        await (0,promises_.setTimeout)(ms, undefined, { signal });
    },
};

;// CONCATENATED MODULE: ./src/alicloud/credentials.ts
/** Fixed keys (from inputs or the environment). */
function staticCredentials(credentials, description) {
    const frozen = Object.freeze({ ...credentials });
    return { description, get: () => Promise.resolve(frozen) };
}

;// CONCATENATED MODULE: ./src/time/cancel.ts
/**
 * Settles with `promise`, or rejects with the signal's reason as soon as the signal fires. pop-core cannot cancel a
 * request, so a cancelled run stops waiting for it instead (the socket is dropped when the process exits).
 */
function raceSignal(promise, signal) {
    if (!signal)
        return promise;
    if (signal.aborted)
        return Promise.reject(abortReason(signal));
    return new Promise((resolve, reject) => {
        const onAbort = () => reject(abortReason(signal));
        signal.addEventListener('abort', onAbort, { once: true });
        promise.then((v) => {
            signal.removeEventListener('abort', onAbort);
            resolve(v);
        }, (e) => {
            signal.removeEventListener('abort', onAbort);
            reject(e instanceof Error ? e : new Error(String(e)));
        });
    });
}
function abortReason(signal) {
    const reason = signal.reason;
    return reason instanceof Error ? reason : new Error(String(reason));
}
/** Fires `ms` after `signal` does (at once plus `ms` if it already has); never fires without it. */
function graceAfter(signal, ms) {
    if (!signal)
        return undefined;
    const controller = new AbortController();
    const start = () => {
        const timer = setTimeout(() => controller.abort(new DOMException('cancelled', 'TimeoutError')), ms);
        timer.unref();
    };
    if (signal.aborted)
        start();
    else
        signal.addEventListener('abort', start, { once: true });
    return controller.signal;
}

;// CONCATENATED MODULE: ./src/time/duration.ts
const SECOND = 1000;
/** 5400000 -> "1h30m", 90000 -> "1m30s", 500 -> "0s". */
function formatDuration(ms) {
    let s = Math.max(0, Math.round(ms / SECOND));
    const d = Math.floor(s / 86400);
    s -= d * 86400;
    const h = Math.floor(s / 3600);
    s -= h * 3600;
    const m = Math.floor(s / 60);
    s -= m * 60;
    const parts = [d && `${d}d`, h && `${h}h`, m && `${m}m`, s && `${s}s`].filter(Boolean);
    return parts.length ? parts.join('') : '0s';
}

// EXTERNAL MODULE: ./node_modules/@alicloud/pop-core/index.js
var pop_core = __webpack_require__(511);
var pop_core_default = /*#__PURE__*/__webpack_require__.n(pop_core);
// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(7067);
var external_node_http_default = /*#__PURE__*/__webpack_require__.n(external_node_http_);
// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(4708);
var external_node_https_default = /*#__PURE__*/__webpack_require__.n(external_node_https_);
// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(8522);
var external_node_zlib_default = /*#__PURE__*/__webpack_require__.n(external_node_zlib_);
// EXTERNAL MODULE: external "node:async_hooks"
var external_node_async_hooks_ = __webpack_require__(6698);
// EXTERNAL MODULE: ./node_modules/httpx/lib/index.js
var lib = __webpack_require__(6584);
;// CONCATENATED MODULE: ./src/alicloud/http-limits.ts
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





/** The most a response body may hold once decompressed. The largest real answers (a ListChangeOrders page) are ~100 KiB. */
const BODY_MAX = 4 * 1024 * 1024;
/** When a caller gives no timeout (httpx's own default is 3 s). */
const DEFAULT_DEADLINE_MS = 30_000;
const INSTALLED = Symbol.for('sae-release-gate.http-limits');
/**
 * The headers of the last response a call received. pop-core drops them when it turns an HTTP error into an Error, so
 * a caller that needs them (Retry-After on a 429) runs its request inside `responseHeaders.run({}, …)` and reads them
 * from its own store afterwards; concurrent calls each see their own.
 */
const responseHeaders = new external_node_async_hooks_.AsyncLocalStorage();
const deadlines = new WeakMap();
function named(name, message) {
    const err = new Error(message);
    err.name = name;
    return err;
}
function deadlineOf(opts) {
    const ms = Number(opts.timeout ?? opts.readTimeout);
    return Number.isFinite(ms) && ms > 0 ? ms : DEFAULT_DEADLINE_MS;
}
/** httpx leaves a timer on the socket (unref'd) that would abort an already finished request later. */
function clearHttpxTimer(socket) {
    if (!socket || typeof socket !== 'object')
        return;
    for (const s of Object.getOwnPropertySymbols(socket))
        if (s.description === 'TIMER::READ_TIMER')
            clearTimeout(socket[s]);
}
/** The keep-alive agents every request goes through. */
const SHARED = { http: new (external_node_http_default()).Agent({ keepAlive: true }), https: new (external_node_https_default()).Agent({ keepAlive: true }) };
/** An agent that hands each request to `base` and tells `onRequest` which request it was. */
function tracking(base, onRequest) {
    const agent = Object.create(base);
    agent.addRequest = (req, options) => {
        onRequest(req);
        base.addRequest(req, options);
    };
    return agent;
}
/** Installs the limits on httpx (idempotent). */
function installHttpLimits(module = lib) {
    if (module[INSTALLED])
        return;
    module[INSTALLED] = true;
    const request = module.request.bind(module);
    module.request = (url, opts = {}) => {
        const ms = deadlineOf(opts);
        let clientRequest;
        const agent = tracking(String(url).startsWith('https:') ? SHARED.https : SHARED.http, (req) => (clientRequest = req));
        const kill = () => void clientRequest?.destroy();
        return new Promise((resolve, reject) => {
            let response;
            const timer = setTimeout(() => {
                const err = named('RequestTimeoutError', `no complete answer within ${ms} ms (deadline)`);
                kill();
                if (response) {
                    deadlines.get(response)?.failRead?.(err);
                    response.destroy();
                }
                reject(err);
            }, ms);
            request(url, { ...opts, agent }).then((res) => {
                response = res;
                deadlines.set(res, { timer, kill });
                const seen = responseHeaders.getStore();
                if (seen)
                    seen.headers = res.headers;
                resolve(res);
            }, (err) => {
                clearTimeout(timer);
                kill();
                // As it is (its code says what failed); instanceof Error fails across realms anyway.
                reject(err);
            });
        });
    };
    module.read = (response, encoding) => new Promise((resolve, reject) => {
        const deadline = deadlines.get(response);
        clearHttpxTimer(response.socket);
        let settled = false;
        const finish = (err, body) => {
            if (settled)
                return;
            settled = true;
            if (deadline) {
                clearTimeout(deadline.timer);
                if (err)
                    deadline.kill();
            }
            if (err) {
                response.destroy();
                readable.destroy();
                reject(err);
            }
            else
                resolve(encoding ? body.toString(encoding) : body);
        };
        if (deadline)
            deadline.failRead = (err) => finish(err);
        const coding = String(response.headers['content-encoding'] ?? '').toLowerCase();
        const readable = coding === 'gzip'
            ? response.pipe(external_node_zlib_default().createGunzip())
            : coding === 'deflate'
                ? response.pipe(external_node_zlib_default().createInflate())
                : response;
        const chunks = [];
        let size = 0;
        readable.on('data', (chunk) => {
            size += chunk.length;
            if (size > BODY_MAX)
                return finish(named('ResponseTooLargeError', `the response body is larger than ${BODY_MAX / 1024 / 1024} MiB (decompressed)`));
            chunks.push(chunk);
        });
        readable.on('error', (err) => finish(err));
        readable.on('end', () => finish(undefined, Buffer.concat(chunks, size)));
        response.on('aborted', () => {
            const err = named('ConnectionClosed', 'the connection closed before the body ended');
            Object.assign(err, { code: 'ECONNRESET' });
            finish(err);
        });
    });
}
installHttpLimits();

;// CONCATENATED MODULE: ./src/alicloud/sts.ts



const STS_API_VERSION = '2015-04-01';
const ASSUME_ROLE = 'STS AssumeRoleWithOIDC';
/**
 * A failure to get role credentials, from GitHub's token endpoint or from STS, with what to fix. Its message never holds
 * the token or a credential.
 */
class OidcError extends ApiError {
    get hint() {
        return oidcHint(this.code) ?? super.hint;
    }
}
function oidcHint(code) {
    if (code === 'IdTokenUnavailable')
        return 'add `permissions: id-token: write` (with `contents: read`) to the workflow or the job: without it GitHub gives the job no OIDC token (pull requests from forks never get one)';
    if (code === 'IdTokenDenied')
        return 'GitHub refused to issue an OIDC token to this job: check that the workflow or the job has `permissions: id-token: write`';
    if (code === 'AuthenticationFail.OIDCToken.Expired')
        return 'STS found the GitHub OIDC token expired (a fresh one is fetched for every exchange): check the clock of the runner';
    if (code === 'AuthenticationFail.OIDCToken.AudienceNotMatch')
        return 'set "audience" to a client ID of the RAM OIDC provider (default sts.aliyuncs.com), or add it to the provider';
    if (code === 'AuthenticationFail.OIDCToken.PublicKeyFingerprintMismatch')
        return 'update the fingerprint of the RAM OIDC provider for https://token.actions.githubusercontent.com (see "OIDC" in the README)';
    if (code.startsWith('AuthenticationFail.OIDCToken'))
        return 'STS did not accept the GitHub OIDC token: check the RAM OIDC provider of "oidc-provider-arn" (issuer https://token.actions.githubusercontent.com, client ID equal to "audience", current fingerprint)';
    if (code === 'AuthenticationFail.NoPermission' || code === 'NoPermission')
        return 'check "oidc-provider-arn", and that the trust policy of "role-to-assume" lets this repository in (its oidc:sub and oidc:aud conditions; see "OIDC" in the README)';
    if (code.startsWith('EntityNotExist'))
        return 'check "role-to-assume" and "oidc-provider-arn": the role or the OIDC provider does not exist';
    if (code === 'InvalidParameter.DurationSeconds')
        return '"role-session-expiration" is longer than the maximum session duration of the role: lower it, or raise the role\'s MaxSessionDuration';
    if (code === 'InvalidParameter.RoleSessionName')
        return 'check "role-session-name": 2 to 64 letters, digits or . @ _ -';
    return undefined;
}
/**
 * AssumeRoleWithOIDC through pop-core's RPCClient (docs/api-notes.md#sts-and-oidc): an anonymous call (no AccessKey, no
 * signature) sent as a POST form, so the token never sits in a URL, and pop-core's error messages (which carry the URL)
 * cannot reveal it either.
 */
class StsClient {
    endpoint;
    timeoutMs;
    client;
    constructor(endpoint, timeoutMs) {
        this.endpoint = endpoint;
        this.timeoutMs = timeoutMs;
        this.client = new (pop_core_default()).RPCClient({
            endpoint,
            apiVersion: STS_API_VERSION,
            // No AccessKey: pop-core then sends the request unsigned.
            credentialsProvider: { getCredentials: () => Promise.resolve({}) },
            opts: { timeout: timeoutMs },
        });
    }
    /** Exchanges the token for role credentials. Throws OidcError, whose message never holds the token. */
    async assumeRoleWithOidc(request) {
        let body;
        try {
            body = await this.client.request('AssumeRoleWithOIDC', {
                RoleArn: request.roleArn,
                OIDCProviderArn: request.oidcProviderArn,
                OIDCToken: request.oidcToken,
                RoleSessionName: request.roleSessionName,
                DurationSeconds: request.durationSeconds,
            }, 
            // pop-core compares the method with 'POST' exactly; anything else puts every parameter in the URL.
            { method: 'POST', timeout: this.timeoutMs });
        }
        catch (err) {
            throw stsError(err, request.oidcToken);
        }
        const c = (body && typeof body === 'object' ? body.Credentials : undefined);
        const field = (k) => {
            const v = c?.[k];
            return typeof v === 'string' && v !== '' ? v : undefined;
        };
        const accessKeyId = field('AccessKeyId');
        const accessKeySecret = field('AccessKeySecret');
        const securityToken = field('SecurityToken');
        if (!accessKeyId || !accessKeySecret || !securityToken) {
            throw new OidcError(ASSUME_ROLE, 'MalformedResponse', 'the answer has no Credentials (AccessKeyId, AccessKeySecret, SecurityToken)', 'malformed');
        }
        const expiration = Date.parse(field('Expiration') ?? '');
        return {
            accessKeyId,
            accessKeySecret,
            securityToken,
            expiration: Number.isFinite(expiration) ? expiration : undefined,
        };
    }
}
/** What pop-core's RPC client threw, as an OidcError with the token scrubbed from anything the server echoed. */
function stsError(err, token) {
    const scrub = (text) => (token ? text.split(token).join('***') : text).slice(0, 500);
    const e = (err ?? {});
    if (e.data && typeof e.data === 'object') {
        // A JSON answer with an error Code (pop-core checks the body, not the HTTP status). Its message ends with the URL,
        // so build ours from the body instead.
        const data = e.data;
        const raw = data.Code ?? e.code;
        const code = typeof raw === 'string' || typeof raw === 'number' ? String(raw) : 'UnknownError';
        const status = typeof e.entry?.response?.statusCode === 'number' ? e.entry.response.statusCode : undefined;
        const requestId = typeof data.RequestId === 'string' ? data.RequestId : undefined;
        return new OidcError(ASSUME_ROLE, scrub(code), scrub(typeof data.Message === 'string' ? data.Message : ''), kindForCode(code, status), status, requestId);
    }
    if (e.name === 'SyntaxError') {
        // json-bigint's parse error carries the whole page in `text`: say what it was, not what it said.
        return new OidcError(ASSUME_ROLE, 'NonJsonResponse', 'STS answered with a page that is not JSON (a gateway error?)', 'unavailable');
    }
    const base = fromPopCoreError(ASSUME_ROLE, err);
    return new OidcError(ASSUME_ROLE, scrub(base.code), scrub(base.detail), base.kind, base.httpStatus, base.requestId);
}

;// CONCATENATED MODULE: ./src/alicloud/oidc.ts





const TOKEN_OPERATION = 'GitHub OIDC token request';
/**
 * core.getIDToken, with the one failure users hit most said plainly: without `permissions: id-token: write` the runner
 * does not set ACTIONS_ID_TOKEN_REQUEST_URL / _TOKEN. Throws OidcError.
 */
function githubIdToken(env, fetch = (audience) => getIDToken(audience)) {
    return async (audience) => {
        const missing = ['ACTIONS_ID_TOKEN_REQUEST_URL', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN'].filter((name) => !env[name]);
        if (missing.length) {
            throw new OidcError(TOKEN_OPERATION, 'IdTokenUnavailable', `this job cannot request a GitHub OIDC token (${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set)`, 'rejected');
        }
        try {
            return await fetch(audience);
        }
        catch (err) {
            // @actions/core's message spans lines ("Failed to get ID Token.\n Error Code: ...") and may be retried.
            const detail = (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ').trim().slice(0, 300);
            const denied = /Error Code : 40[13]\b/.test(detail);
            throw new OidcError(TOKEN_OPERATION, denied ? 'IdTokenDenied' : 'IdTokenFailed', detail, denied ? 'rejected' : 'network');
        }
    };
}
const MINUTE = 60_000;
/** Renew this long before expiry at most; shorter sessions renew after 80% of their life. */
const RENEW_MARGIN_MS = 5 * MINUTE;
/**
 * The renewal rule, relative to the lifetime so it holds for any session length: renew 5 minutes before expiry, or after
 * 80% of the lifetime when that comes first (a 1h session renews at 55m, a 15m one at 12m, a 5s one at 4s).
 *
 * The lifetime is counted on the local clock from when the exchange started, capped by what was asked for: STS's
 * Expiration is by its own clock, and a runner clock that is off by minutes must not make credentials look valid
 * longer than they are (or already expired, which would renew on every request).
 */
function lifetimeOf(startedAt, requestedMs, expiration) {
    let expiresAt = startedAt + requestedMs;
    if (expiration !== undefined && expiration > startedAt)
        expiresAt = Math.min(expiresAt, expiration);
    const margin = Math.min(RENEW_MARGIN_MS, (expiresAt - startedAt) / 5);
    return { expiresAt, renewAt: expiresAt - margin, usableUntil: expiresAt - margin / 4 };
}
/**
 * Role credentials that renew themselves before they expire, so a release of several hours is watched (and stopped)
 * to the end. pop-core asks for credentials before every request (roa.ts), which is when this renews. Concurrent
 * requests during a renewal share one exchange. A failed renewal keeps the current credentials while they are still
 * good, and tries again later; only when none are left does get() throw.
 */
class RenewingCredentials {
    options;
    description;
    current;
    pending;
    retryAt = 0;
    /** How many exchanges were started (for tests and the log). */
    exchanges = 0;
    constructor(options) {
        this.options = options;
        this.description = options.label;
    }
    get() {
        const now = this.options.clock.now();
        const cur = this.current;
        if (cur && (now < cur.lifetime.renewAt || (now < this.retryAt && now < cur.lifetime.usableUntil)))
            return Promise.resolve(cur.credentials);
        this.pending ??= this.renew().finally(() => {
            this.pending = undefined;
        });
        return this.pending;
    }
    async renew() {
        const { clock, log } = this.options;
        const startedAt = clock.now();
        const first = this.exchanges === 0;
        this.exchanges += 1;
        let issued;
        try {
            issued = await this.options.exchange();
        }
        catch (err) {
            const error = err instanceof ApiError
                ? err
                : new OidcError('Role assumption', 'ClientError', err instanceof Error ? err.message : String(err), 'network');
            const cur = this.current;
            const now = clock.now();
            if (!cur || now >= cur.lifetime.usableUntil)
                throw error;
            const waitMs = Math.min(30_000, Math.max(0, (cur.lifetime.usableUntil - now) / 4));
            this.retryAt = now + waitMs;
            log.warning(`Could not renew the credentials of ${this.options.label}: ${error.explained}. The current ones are good until ${clockTime(cur.lifetime.expiresAt)}; trying again in ${formatDuration(waitMs)}.`);
            return cur.credentials;
        }
        const lifetime = lifetimeOf(startedAt, this.options.requestedMs, issued.expiration);
        const credentials = Object.freeze({
            accessKeyId: issued.accessKeyId,
            accessKeySecret: issued.accessKeySecret,
            securityToken: issued.securityToken,
        });
        this.current = { credentials, lifetime };
        this.retryAt = 0;
        log.info(`${first ? 'Assumed' : 'Renewed'} ${this.options.label} with a GitHub OIDC token: good until ${clockTime(lifetime.expiresAt)}, renewed from ${clockTime(lifetime.renewAt)}.`);
        return credentials;
    }
}
function clockTime(ms) {
    return `${new Date(ms).toISOString().slice(11, 19)} UTC`;
}
/** Credentials of the role in `settings`, from a fresh GitHub ID token for each exchange. */
function oidcCredentials(settings, deps) {
    const sts = new StsClient(settings.stsEndpoint, deps.requestTimeoutMs);
    return new RenewingCredentials({
        label: `role ${settings.roleArn} (session ${settings.roleSessionName})`,
        clock: deps.clock,
        log: deps.log,
        requestedMs: settings.sessionMs,
        exchange: async () => {
            const token = await raceSignal(withTimeout(deps.getIDToken(settings.audience), deps.requestTimeoutMs), deps.signal);
            if (!token)
                throw new OidcError(TOKEN_OPERATION, 'IdTokenFailed', 'GitHub answered with an empty token', 'network');
            deps.mask(token);
            const issued = await raceSignal(sts.assumeRoleWithOidc({
                roleArn: settings.roleArn,
                oidcProviderArn: settings.oidcProviderArn,
                roleSessionName: settings.roleSessionName,
                durationSeconds: Math.round(settings.sessionMs / 1000),
                oidcToken: token,
            }), deps.signal);
            for (const secret of [issued.accessKeySecret, issued.securityToken, issued.accessKeyId])
                deps.mask(secret);
            return issued;
        },
    });
}
/** The token request has its own retries and no deadline of ours; give it the request timeout. */
async function withTimeout(promise, ms) {
    let timer;
    const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new OidcError(TOKEN_OPERATION, 'RequestTimeout', `GitHub did not answer within ${formatDuration(ms)}`, 'timeout')), ms);
        timer.unref();
    });
    try {
        return await Promise.race([promise, timeout]);
    }
    finally {
        clearTimeout(timer);
    }
}

;// CONCATENATED MODULE: ./src/alicloud/roa.ts



/**
 * Codes that mean success in a response body: "Code" is a string in models, a number in old samples
 * (docs/api-notes.md#sae-change-orders).
 */
const OK_CODES = new Set(['200', 'OK', 'ok', 'Success', 'success']);
/**
 * One signed ROA call through pop-core, with its quirks smoothed over: undefined query values dropped (they break the
 * signature), non-JSON pages and "failed" 2xx bodies turned into ApiErrors, null-prototype objects made plain.
 */
class RoaTransport {
    options;
    client;
    constructor(options) {
        this.options = options;
        this.client = new (pop_core_default()).ROAClient({
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
    async call(operation, method, path, query, form = {}) {
        const defined = {};
        for (const [k, v] of Object.entries(query))
            if (v !== undefined)
                defined[k] = v;
        const hasForm = Object.keys(form).length > 0;
        const formText = hasForm ? new URLSearchParams(form).toString() : '';
        const headers = hasForm ? { 'content-type': 'application/x-www-form-urlencoded' } : {};
        let result;
        const seen = {};
        try {
            result = await responseHeaders.run(seen, () => this.client.request(method, path, defined, formText, headers, { timeout: this.options.requestTimeoutMs }));
        }
        catch (err) {
            // pop-core's HTTP errors carry no headers; give them the answer's, so Retry-After reaches the retry.
            if (err && typeof err === 'object' && seen.headers && !('headers' in err))
                Object.assign(err, { headers: seen.headers });
            throw fromPopCoreError(operation, err);
        }
        if (typeof result === 'string') {
            // pop-core resolves (does not throw) with the raw text of a non-JSON page, e.g. a gateway's HTML 502
            // (docs/api-notes.md#transport-and-pop-core).
            this.options.debug?.(`${operation} answered a non-JSON body of ${result.length} characters`);
            throw new ApiError(operation, 'NonJsonResponse', 'the API answered with a page that is not JSON (a gateway error?)', 'unavailable');
        }
        if (!result || typeof result !== 'object' || Array.isArray(result)) {
            throw new ApiError(operation, 'MalformedResponse', 'the response body is not a JSON object', 'malformed');
        }
        const body = JSON.parse(JSON.stringify(result));
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
function scalar(v) {
    return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
}

;// CONCATENATED MODULE: ./src/products/adapter.ts
/** Error codes the adapters translate their product's answers into, so the shared code can react to them. */
const NOT_FOUND = 'InvalidChangeOrder.NotFound';
/** The order is no longer running, so it cannot be aborted (docs/api-notes.md#sae-change-orders). */
const NOT_RUNNING = 'Application.ChangerOrder.Not.Running';
/** EDAS "system busy, try again later": a passing refusal (retried), never "not running". */
const BUSY = 'System.Busy';

;// CONCATENATED MODULE: ./src/products/fields.ts

/**
 * JSON readers shared by the product adapters: an API body is `unknown` until one of these has read it. Fields that only
 * inform (names, times) are read leniently; fields that decide (status, success flags, IDs, booleans) strictly, and
 * anything else there is a malformed response, never a verdict (README "Answers the gate does not take on faith").
 */
/** One ListChangeOrders (SAE) or ListRecentChangeOrder (EDAS) entry; entries without an ID or a status are skipped. */
function parseSummary(item) {
    if (!item || typeof item !== 'object')
        return undefined;
    const o = item;
    const id = str(o.ChangeOrderId);
    const status = toInt(o.Status);
    if (!id || status === undefined)
        return undefined;
    return {
        id,
        appId: str(o.AppId),
        status,
        type: str(o.CoType),
        typeCode: str(o.CoTypeCode),
        createTime: str(o.CreateTime),
        // SAE items say Description, EDAS items ChangeOrderDescription.
        description: str(o.Description) ?? str(o.ChangeOrderDescription),
        createdBy: str(o.CreateUserId) ?? str(o.UserId),
    };
}
/**
 * One batch of a change order. SAE calls its status field `Status`, EDAS `PipelineStatus`; everything else is shared.
 * A batch with no readable status gets -1, which the status table knows as unknown (so it never counts as settled).
 */
function parseBatch(p, index, statusField) {
    const o = (p && typeof p === 'object' ? p : {});
    return {
        id: str(o.PipelineId) ?? `batch-${index + 1}`,
        name: str(o.PipelineName) ?? `Batch ${index + 1}`,
        status: batchStatus(o[statusField]),
        startTime: toInt(o.StartTime),
        updateTime: toInt(o.UpdateTime),
    };
}
/**
 * `Pipelines` is an array, but an old doc sample shows a single object (an XML-to-JSON artifact,
 * docs/api-notes.md#sae-change-orders).
 */
function asList(v) {
    if (Array.isArray(v))
        return v;
    if (v && typeof v === 'object')
        return [v];
    return [];
}
/** A batch status: absent is -1 (unknown, never settled); present but not an integer is a malformed response. */
function batchStatus(v) {
    if (v === undefined || v === null || v === '')
        return -1;
    const status = toInt(v);
    if (status === undefined)
        throw malformed('batch status', `a batch status is ${describe(v)}, not an integer`);
    return status;
}
/** An integer, or a string of digits; anything else (2.5, "2.5", NaN, true) is not one. */
function toInt(v) {
    if (typeof v === 'number' && Number.isSafeInteger(v))
        return v;
    if (typeof v === 'string' && /^-?\d+$/.test(v.trim()))
        return Number(v.trim());
    return undefined;
}
function str(v) {
    if (typeof v === 'string')
        return v === '' ? undefined : v;
    if (typeof v === 'number' || typeof v === 'boolean')
        return String(v);
    return undefined;
}
/** The one error a deciding field that does not parse becomes: malformed (retried as a passing fault, never believed). */
function malformed(operation, detail) {
    return new ApiError(operation, 'MalformedResponse', detail, 'malformed');
}
/** A value as a person reads it in an error message, short. */
function describe(v) {
    const text = typeof v === 'string' ? JSON.stringify(v) : (JSON.stringify(v) ?? String(v));
    return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
/**
 * A documented boolean: true or false, or its documented string form "true" / "false" (the ROA gateway sometimes
 * sends query-style strings). Absent is undefined; anything else (0, 1, "yes", "False ") is a malformed response.
 */
function strictBool(operation, field, v) {
    if (v === undefined || v === null)
        return undefined;
    if (v === true || v === 'true')
        return true;
    if (v === false || v === 'false')
        return false;
    throw malformed(operation, `${field} is ${describe(v)}, neither true nor false`);
}
/**
 * The status of a change order: required, and an integer. 2.5 or "2.5" is not read as 2: it is a malformed response.
 * An integer the status table does not know stays "unknown" (never settled, never a pass).
 */
function strictStatus(operation, v) {
    const status = toInt(v);
    if (status === undefined)
        throw malformed(operation, v === undefined
            ? 'the change order in the response has no Status'
            : `the Status is ${describe(v)}, not an integer`);
    return status;
}
/** The answer must be about the change order asked for: another ID (or none) is a malformed response, never a verdict. */
function checkIdentity(operation, v, requestedId) {
    if (typeof v === 'string' && v === requestedId)
        return;
    throw malformed(operation, v === undefined || v === null || v === ''
        ? `the answer does not say which change order it is about (asked for ${requestedId})`
        : `the answer is about change order ${describe(v)}, not ${requestedId}`);
}
/**
 * A body that says it succeeded, as documented: \`Success\` true (SAE), else a \`Code\` of 200 / "200" / "OK" (EDAS,
 * whose write answers have no Success). \`Success: "false"\`, 0, a 302 with {} or an empty body are not a success:
 * they are malformed, so a read is retried and a remedy is never counted as applied on them.
 */
function checkSucceeded(operation, body) {
    const success = body.Success;
    if (success !== undefined) {
        if (success === true || success === 'true')
            return;
        throw malformed(operation, `the answer says Success ${describe(success)}, not true`);
    }
    const code = body.Code;
    if (code === 200 || code === '200' || code === 'OK')
        return;
    throw malformed(operation, code === undefined ? 'the answer carries neither Success nor Code' : `the answer says Code ${describe(code)}`);
}
/**
 * An abort answer: a documented success, and, when it names an order (Data.ChangeOrderId), the order asked for.
 * SAE and EDAS abort answers carry the same Data.
 */
function checkAbortAnswer(operation, body, changeOrderId) {
    checkSucceeded(operation, body);
    const data = body.Data;
    if (data && typeof data === 'object' && 'ChangeOrderId' in data)
        checkIdentity(operation, data.ChangeOrderId, changeOrderId);
}

;// CONCATENATED MODULE: ./src/products/edas-app.ts


/**
 * EDAS app operations (2017-08-01, ROA). QueryApplicationStatus tells the instances but not which change order ran
 * last, so on EDAS the gate cannot see that a newer order replaced the gated one; and RollbackChangeOrder rolls a
 * change order back by its ID, with no version to choose.
 */
const PATHS = {
    status: '/pop/v5/app/app_status',
    rollback: '/pop/v5/oam/changeorder/rollback',
};
/** EccList.Ecc[].AppState of the model: 0 agent off, 1 stopped, 3 running but its health check URL fails, 7 running. */
const APP_STATES = {
    0: { text: 'AGENT_OFF', running: false, ready: false },
    1: { text: 'STOPPED', running: false, ready: false },
    3: { text: 'RUNNING_BUT_URL_FAILED', running: true, ready: false },
    7: { text: 'RUNNING', running: true, ready: true },
};
/** TaskState of the model: 0 unknown, 1 processing, 2 success, 3 failed. */
const TASK_STATES = { 0: 'UNKNOWN', 1: 'PROCESSING', 2: 'SUCCESS', 3: 'FAILED' };
function createEdasAppService(transport, translate) {
    const read = async (appId) => {
        const body = await translate(() => transport.call('QueryApplicationStatus', 'GET', PATHS.status, { AppId: appId }));
        return parseEdasApp(body.AppInfo, appId);
    };
    let last;
    return {
        product: 'EDAS',
        knowsLastChangeOrder: false,
        rollsBackToVersion: false,
        async status(appId) {
            last = read(appId);
            return (await last).status;
        },
        async instances(appId) {
            // One QueryApplicationStatus answers both: the instances of the status just read, else a fresh read.
            const answer = last ?? read(appId);
            last = undefined;
            return (await answer).instances;
        },
        previousVersion: () => Promise.resolve(undefined),
        async rollback({ changeOrderId }) {
            const body = await translate(() => transport.call('RollbackChangeOrder', 'PUT', PATHS.rollback, { ChangeOrderId: changeOrderId }));
            const data = body.Data && typeof body.Data === 'object' ? body.Data : {};
            const id = str(data.ChangeOrderId);
            if (!id)
                throw new ApiError('RollbackChangeOrder', 'MalformedResponse', 'the response names no ChangeOrderId', 'malformed');
            return { changeOrderId: id };
        },
    };
}
/** QueryApplicationStatus `AppInfo`: the app must be the one asked about; instance states outside the model are malformed. */
function parseEdasApp(info, appId) {
    const op = 'QueryApplicationStatus';
    const bad = (detail) => new ApiError(op, 'MalformedResponse', detail, 'malformed');
    const i = info && typeof info === 'object' ? info : undefined;
    const app = i?.Application && typeof i.Application === 'object' ? i.Application : undefined;
    if (!app)
        throw bad('the response has no AppInfo.Application object');
    if (str(app.ApplicationId) !== appId)
        throw bad(`the answer is about app ${str(app.ApplicationId) ?? '(none)'}, not ${appId}`);
    const wanted = toInt(app.InstanceCount);
    const running = toInt(app.RunningInstanceCount);
    if (wanted === undefined || running === undefined)
        throw bad('InstanceCount or RunningInstanceCount is not a number');
    const eccs = i.EccList && typeof i.EccList === 'object' ? i.EccList.Ecc : undefined;
    const instances = asList(eccs).map((e) => {
        const o = (e && typeof e === 'object' ? e : {});
        const id = str(o.EccId);
        if (!id)
            throw bad('an instance (ECC) has no EccId');
        const state = APP_STATES[toInt(o.AppState) ?? -1];
        if (!state)
            throw bad(`instance ${id} has an unknown AppState ${JSON.stringify(o.AppState)}`);
        const taskCode = toInt(o.TaskState);
        if (o.TaskState !== undefined && (taskCode === undefined || !TASK_STATES[taskCode]))
            throw bad(`instance ${id} has an unknown TaskState ${JSON.stringify(o.TaskState)}`);
        const task = taskCode === undefined ? undefined : TASK_STATES[taskCode];
        return {
            id,
            running: state.running,
            ready: state.ready && task !== 'FAILED',
            state: task ? `${state.text} / task ${task}` : state.text,
        };
    });
    return {
        status: { appId, hasError: false, wantedInstances: wanted, runningInstances: running },
        instances,
    };
}

;// CONCATENATED MODULE: ./src/products/endpoints.ts
/**
 * Default endpoints, from the official SDK clients' endpoint maps (__fixtures__/api-models/alicloud-api.json,
 * `endpoints`): a region in a product's map goes to the host the map names, any other region to the product's
 * regional rule `<product>.<region>.aliyuncs.com`. SAE's map sends every region it lists to that rule; EDAS sends
 * several regions to a central or to the Tokyo host. __tests__/products/endpoints.test.ts holds these to the model.
 */
/** EDAS regions whose endpoint is not edas.<region>.aliyuncs.com, by host. */
const EDAS_HOSTS = {
    'edas.ap-northeast-1.aliyuncs.com': [
        'ap-northeast-2-pop',
        'ap-south-1',
        'ap-southeast-3',
        'ap-southeast-5',
        'eu-west-1',
        'eu-west-1-oxs',
        'me-east-1',
        'rus-west-1-pop',
        'us-west-1',
    ],
    'edas.aliyuncs.com': [
        'cn-beijing-finance-1',
        'cn-beijing-finance-pop',
        'cn-beijing-gov-1',
        'cn-beijing-nu16-b01',
        'cn-chengdu',
        'cn-edge-1',
        'cn-fujian',
        'cn-haidian-cm12-c01',
        'cn-hangzhou-bj-b01',
        'cn-hangzhou-finance',
        'cn-hangzhou-internal-prod-1',
        'cn-hangzhou-internal-test-1',
        'cn-hangzhou-internal-test-2',
        'cn-hangzhou-internal-test-3',
        'cn-hangzhou-test-306',
        'cn-hongkong-finance-pop',
        'cn-huhehaote',
        'cn-qingdao-nebula',
        'cn-shanghai-et15-b01',
        'cn-shanghai-et2-b01',
        'cn-shanghai-finance-1',
        'cn-shanghai-inner',
        'cn-shanghai-internal-test-1',
        'cn-shenzhen-finance-1',
        'cn-shenzhen-inner',
        'cn-shenzhen-st4-d01',
        'cn-shenzhen-su18-b01',
        'cn-wuhan',
        'cn-yushanfang',
        'cn-zhangbei-na61-b01',
        'cn-zhangjiakou-na62-a01',
        'cn-zhengzhou-nebula-1',
    ],
};
const EDAS_MAP = new Map(Object.entries(EDAS_HOSTS).flatMap(([host, regions]) => regions.map((region) => [region, host])));
/** The SDK's host for a product in a region. */
function endpointHost(product, regionId) {
    if (product === 'edas')
        return EDAS_MAP.get(regionId) ?? `edas.${regionId}.aliyuncs.com`;
    return `sae.${regionId}.aliyuncs.com`;
}

;// CONCATENATED MODULE: ./src/products/edas.ts





/** EDAS OpenAPI version 2017-08-01, ROA style (docs/api-notes.md#edas-change-orders). */
const EDAS_API_VERSION = '2017-08-01';
const edas_PATHS = {
    confirm: '/pop/v5/changeorder/pipeline_batch_confirm',
    list: '/pop/v5/changeorder/change_order_list',
    info: '/pop/v5/changeorder/change_order_info',
    abort: '/pop/v5/changeorder/change_order_abort',
    abortAndRollback: '/pop/v5/changeorder/change_order_abort_and_rollback',
};
const edas = {
    id: 'edas',
    label: 'EDAS',
    apiVersion: EDAS_API_VERSION,
    endpointFor: (regionId) => `https://${endpointHost('edas', regionId)}`,
    create: (transport, regionId) => createEdasService(transport, regionId),
    createApp: (transport) => createEdasAppService(transport, translate),
};
function createEdasService(transport, regionId) {
    return {
        product: 'EDAS',
        async describe(changeOrderId) {
            // GetChangeOrderInfo is a POST that only reads (docs/api-notes.md#edas-change-orders).
            const body = await translate(() => transport.call('GetChangeOrderInfo', 'POST', edas_PATHS.info, { ChangeOrderId: changeOrderId }));
            checkSucceeded('GetChangeOrderInfo', body);
            return parseEdasChangeOrder(body.changeOrderInfo, changeOrderId);
        },
        async abort(changeOrderId, rollback) {
            // EDAS has a separate operation for "stop and roll back" (AbortAndRollbackChangeOrder).
            const [operation, path] = rollback
                ? ['AbortAndRollbackChangeOrder', edas_PATHS.abortAndRollback]
                : ['AbortChangeOrder', edas_PATHS.abort];
            const body = await translate(() => transport.call(operation, 'PUT', path, { ChangeOrderId: changeOrderId }));
            // Counted as applied only on a documented success (Code 200) about this very order.
            checkAbortAnswer(operation, body, changeOrderId);
        },
        async confirmBatch(batchId) {
            // ContinuePipeline: a GET that releases the next batch (docs/api-notes.md#edas-change-orders).
            const body = await translate(() => transport.call('ContinuePipeline', 'GET', edas_PATHS.confirm, { PipelineId: batchId, Confirm: true }));
            checkSucceeded('ContinuePipeline', body);
        },
        async stopAtBatch(batchId) {
            // Confirm=false: do not release the next batch, and end the change.
            const body = await translate(() => transport.call('ContinuePipeline', 'GET', edas_PATHS.confirm, { PipelineId: batchId, Confirm: false }));
            checkSucceeded('ContinuePipeline', body);
        },
        async list(appId, filter) {
            // ListRecentChangeOrder (a POST that only reads) has no type filter: filter here, by CoTypeCode or the type text.
            const body = await translate(() => transport.call('ListRecentChangeOrder', 'POST', edas_PATHS.list, { AppId: appId }));
            const wrapper = body.ChangeOrderList && typeof body.ChangeOrderList === 'object'
                ? body.ChangeOrderList.ChangeOrder
                : undefined;
            const all = asList(wrapper)
                .map(parseSummary)
                .filter((o) => !!o);
            const type = filter.type?.toLowerCase();
            return type ? all.filter((o) => o.type?.toLowerCase() === type || o.typeCode?.toLowerCase() === type) : all;
        },
        consoleUrl(changeOrderId) {
            const region = regionId ? `&regionNo=${encodeURIComponent(regionId)}` : '';
            return `https://edas.console.aliyun.com/#/changeOrderDetail?changeOrderId=${encodeURIComponent(changeOrderId)}${region}`;
        },
    };
}
/**
 * EDAS reports refusals as HTTP 200 with a numeric body Code and only a message to tell them apart
 * (docs/api-notes.md#edas-change-orders). Translate the two the gate must recognise; everything else keeps its numeric
 * code (5xx codes stay retryable).
 */
async function translate(call) {
    try {
        return await call();
    }
    catch (err) {
        if (!(err instanceof ApiError) || err.httpStatus !== 200)
            throw err;
        if (/not (be )?found|not exist|does ?n[o']t exist|不存在/i.test(err.detail))
            return rethrow(err, NOT_FOUND);
        // "System busy, cannot be stopped now" is a passing refusal, not "not running": retried, and only a read decides.
        if (/busy|繁忙|try again later|稍后/i.test(err.detail))
            throw new ApiError(err.operation, BUSY, `${err.detail} (EDAS code ${err.code})`, 'unavailable', err.httpStatus, err.requestId);
        if (/not (running|in progress|executing)|already (finished|completed|ended|terminated)|cannot be (aborted|terminated|stopped)|未在执行|已结束/i.test(err.detail))
            return rethrow(err, NOT_RUNNING);
        throw err;
    }
}
function rethrow(err, code) {
    throw new ApiError(err.operation, code, `${err.detail} (EDAS code ${err.code})`, 'rejected', err.httpStatus, err.requestId);
}
/**
 * Reads `changeOrderInfo` (lower-case c); batches sit under PipelineInfoList.PipelineInfo[]
 * (docs/api-notes.md#edas-change-orders).
 */
function parseEdasChangeOrder(info, requestedId) {
    if (!info || typeof info !== 'object' || Array.isArray(info)) {
        throw new ApiError('GetChangeOrderInfo', 'MalformedResponse', 'the response has no changeOrderInfo object', 'malformed');
    }
    const d = info;
    checkIdentity('GetChangeOrderInfo', d.ChangeOrderId, requestedId);
    const status = strictStatus('GetChangeOrderInfo', d.Status);
    const list = d.PipelineInfoList && typeof d.PipelineInfoList === 'object'
        ? d.PipelineInfoList.PipelineInfo
        : d.PipelineInfoList;
    return {
        id: requestedId,
        appId: str(d.AppId),
        appName: str(d.AppName),
        status,
        subStatus: 0,
        type: str(d.CoType),
        description: str(d.ChangeOrderDescription) ?? str(d.Desc),
        createTime: str(d.CreateTime),
        createdBy: str(d.CreateUserId),
        batchType: str(d.BatchType),
        supportRollback: strictBool('GetChangeOrderInfo', 'SupportRollback', d.SupportRollback),
        errorMessage: undefined,
        batches: asList(list).map((p, i) => parseBatch(p, i, 'PipelineStatus')),
        raw: info,
    };
}

;// CONCATENATED MODULE: ./src/products/sae-app.ts


/** SAE app operations (2019-05-06, ROA): all GETs but the rollback, every parameter in the query (sae-api.md §3.7–3.9). */
const sae_app_PATHS = {
    status: '/pop/v1/sam/app/describeApplicationStatus',
    config: '/pop/v1/sam/app/describeApplicationConfig',
    instances: '/pop/v1/sam/app/describeApplicationInstances',
    versions: '/pop/v1/sam/app/listAppVersions',
    rollback: '/pop/v1/sam/app/rollbackApplication',
    orders: '/pop/v1/sam/changeorder/ListChangeOrders',
};
/** DescribeApplicationStatus LastChangeOrderStatus, by the model's enumeration (sae-api.md §3.1.1 maps them 1:1 to codes). */
const ORDER_PHASES = {
    READY: 'waiting',
    RUNNING: 'running',
    SUCCESS: 'succeeded',
    FAIL: 'failed',
    SYSTEM_FAIL: 'failed',
    ABORT: 'aborted',
    WAIT_BATCH_CONFIRM: 'waiting',
    AUTO_BATCH_WAIT: 'waiting',
    WAIT_APPROVAL: 'waiting',
    APPROVED: 'waiting',
};
/** DescribeApplicationInstances InstanceContainerStatus values of the model; only Running runs. */
const CONTAINER_STATES = new Set([
    'Error',
    'CrashLoopBackOff',
    'ErrImagePull',
    'ImagePullBackOff',
    'Pending',
    'Unknown',
    'Terminating',
    'NotFound',
    'PodInitializing',
    'Init:0/1',
    'Running',
]);
/** InstanceHealthStatus values of the model, and whether a running instance in that state takes traffic. */
const HEALTH_READY = {
    Healthy: true,
    WithoutHealthCheckConfig: true,
    WithoutReadinessConfig: true,
    WithoutLivenessConfig: true,
    NotCheckedYet: false,
    LivenessUnhealthy: false,
    ReadinessUnhealthy: false,
    Unhealthy: false,
};
const PAGE_SIZE = 100;
const MAX_PAGES = 20;
function createSaeAppService(transport) {
    // DescribeApplicationInstances wants the group; SAE names it only on the app's change orders (ListChangeOrders
    // GroupId). Groups do not change during a run, so they are read once per app (a failed read is tried again).
    const groups = new Map();
    const groupsOf = (appId) => {
        let read = groups.get(appId);
        if (!read) {
            read = readGroups(transport, appId).catch((err) => {
                groups.delete(appId);
                throw err;
            });
            groups.set(appId, read);
        }
        return read;
    };
    return {
        product: 'SAE',
        knowsLastChangeOrder: true,
        rollsBackToVersion: true,
        async status(appId) {
            const [status, config] = await Promise.all([
                transport.call('DescribeApplicationStatus', 'GET', sae_app_PATHS.status, { AppId: appId }),
                transport.call('DescribeApplicationConfig', 'GET', sae_app_PATHS.config, { AppId: appId }),
            ]);
            return parseSaeAppStatus(status.Data, config.Data, appId);
        },
        async instances(appId) {
            const found = [];
            for (const groupId of await groupsOf(appId)) {
                for (let page = 1; page <= MAX_PAGES; page++) {
                    const body = await transport.call('DescribeApplicationInstances', 'GET', sae_app_PATHS.instances, {
                        AppId: appId,
                        GroupId: groupId,
                        CurrentPage: page,
                        PageSize: PAGE_SIZE,
                    });
                    const data = object(body.Data, 'DescribeApplicationInstances', 'Data');
                    const items = asList(data.Instances);
                    found.push(...items.map(parseSaeInstance));
                    const total = toInt(data.TotalSize);
                    if (items.length < PAGE_SIZE || (total !== undefined && page * PAGE_SIZE >= total))
                        break;
                }
            }
            return found;
        },
        async previousVersion(appId) {
            const body = await transport.call('ListAppVersions', 'GET', sae_app_PATHS.versions, { AppId: appId });
            if (!Array.isArray(body.Data))
                throw sae_app_malformed('ListAppVersions', 'the response has no Data list of versions');
            const versions = body.Data.map(parseSaeVersion).sort((a, b) => b.createdAt - a.createdAt);
            // The newest version is the one the change order deployed; the one before it is what the app ran before.
            return versions[1];
        },
        async rollback({ appId, versionId }) {
            if (!versionId)
                throw new ApiError('RollbackApplication', 'NoVersion', 'no version to roll back to', 'rejected');
            const body = await transport.call('RollbackApplication', 'PUT', sae_app_PATHS.rollback, {
                AppId: appId,
                VersionId: versionId,
            });
            const data = object(body.Data, 'RollbackApplication', 'Data');
            const changeOrderId = str(data.ChangeOrderId);
            if (!changeOrderId)
                throw sae_app_malformed('RollbackApplication', 'the response names no ChangeOrderId');
            const approval = data.IsNeedApproval;
            if (approval !== undefined && typeof approval !== 'boolean')
                throw sae_app_malformed('RollbackApplication', 'IsNeedApproval is neither true nor false');
            return { changeOrderId, needsApproval: approval === true };
        },
    };
}
async function readGroups(transport, appId) {
    const body = await transport.call('ListChangeOrders', 'GET', sae_app_PATHS.orders, {
        AppId: appId,
        CurrentPage: 1,
        PageSize: 50,
    });
    const data = object(body.Data, 'ListChangeOrders', 'Data');
    const ids = asList(data.ChangeOrderList)
        .map((o) => (o && typeof o === 'object' ? str(o.GroupId) : undefined))
        .filter((g) => !!g);
    if (!ids.length)
        throw sae_app_malformed('ListChangeOrders', `the change orders of app ${appId} name no instance group (GroupId)`);
    return [...new Set(ids)];
}
/** DescribeApplicationStatus + DescribeApplicationConfig `Data`: strict on every field that decides, and on the app. */
function parseSaeAppStatus(status, config, appId) {
    const op = 'DescribeApplicationStatus';
    const s = object(status, op, 'Data');
    if (str(s.AppId) !== appId)
        throw sae_app_malformed(op, `the answer is about app ${str(s.AppId) ?? '(none)'}, not ${appId}`);
    const lastId = str(s.LastChangeOrderId);
    const lastStatus = str(s.LastChangeOrderStatus);
    const phase = lastStatus === undefined ? undefined : ORDER_PHASES[lastStatus];
    if (lastStatus !== undefined && !phase)
        throw sae_app_malformed(op, `LastChangeOrderStatus ${JSON.stringify(lastStatus)} is unknown`);
    const running = s.LastChangeOrderRunning;
    if (running !== undefined && typeof running !== 'boolean')
        throw sae_app_malformed(op, 'LastChangeOrderRunning is neither true nor false');
    // The model spells it RUNNING_BUT_HAS_ERROR, terraform compares against runningButHasError (peers.md §0): both count.
    const sub = str(s.SubStatus)?.replace(/_/g, '').toLowerCase();
    if (sub !== undefined && sub !== 'normal' && sub !== 'runningbuthaserror')
        throw sae_app_malformed(op, `SubStatus ${JSON.stringify(str(s.SubStatus))} is unknown`);
    const runningInstances = toInt(s.RunningInstances);
    if (runningInstances === undefined || runningInstances < 0)
        throw sae_app_malformed(op, 'RunningInstances is not a number');
    const c = object(config, 'DescribeApplicationConfig', 'Data');
    if (str(c.AppId) !== undefined && str(c.AppId) !== appId)
        throw sae_app_malformed('DescribeApplicationConfig', `the answer is about app ${str(c.AppId)}, not ${appId}`);
    const wanted = toInt(c.Replicas);
    if (wanted === undefined || wanted < 0)
        throw sae_app_malformed('DescribeApplicationConfig', 'Replicas is not a number');
    return {
        appId,
        lastChangeOrderId: lastId,
        lastChangeOrderPhase: phase,
        lastChangeOrderStatus: lastStatus,
        lastChangeOrderRunning: running,
        hasError: sub === 'runningbuthaserror',
        wantedInstances: wanted,
        runningInstances,
    };
}
/** One DescribeApplicationInstances entry; a container or health state outside the model is malformed. */
function parseSaeInstance(item) {
    const op = 'DescribeApplicationInstances';
    const i = object(item, op, 'Instances[]');
    const id = str(i.InstanceId);
    if (!id)
        throw sae_app_malformed(op, 'an instance has no InstanceId');
    const container = str(i.InstanceContainerStatus);
    if (!container || !CONTAINER_STATES.has(container))
        throw sae_app_malformed(op, `instance ${id} has an unknown InstanceContainerStatus ${JSON.stringify(container ?? '')}`);
    const health = str(i.InstanceHealthStatus);
    if (health !== undefined && !Object.hasOwn(HEALTH_READY, health))
        throw sae_app_malformed(op, `instance ${id} has an unknown InstanceHealthStatus ${JSON.stringify(health)}`);
    const running = container === 'Running';
    return {
        id,
        running,
        ready: running && (health === undefined || HEALTH_READY[health] === true),
        state: health ? `${container} / ${health}` : container,
        message: str(i.UnhealthyMessage),
    };
}
function parseSaeVersion(item) {
    const v = object(item, 'ListAppVersions', 'Data[]');
    const id = str(v.Id);
    const createdAt = toInt(v.CreateTime);
    if (!id || createdAt === undefined)
        throw sae_app_malformed('ListAppVersions', 'a version has no Id or no CreateTime');
    return { id, createdAt };
}
function object(v, operation, what) {
    if (!v || typeof v !== 'object' || Array.isArray(v))
        throw sae_app_malformed(operation, `the response has no ${what} object`);
    return v;
}
function sae_app_malformed(operation, detail) {
    return new ApiError(operation, 'MalformedResponse', detail, 'malformed');
}

;// CONCATENATED MODULE: ./src/products/sae-deploy.ts


/** SAE DeployApplication (2019-05-06, ROA): a POST with most fields in the query and a few in a form body (docs/api-notes.md#sae-deployapplication). */
const PATH = '/pop/v1/sam/app/deployApplication';
/**
 * Every request field of DeployApplication, as the official SDK's model has it (api-models/alicloud-api.json):
 * its wire type, where it goes (query unless `in: 'body'`), and whether its text is JSON (`json`: the schema's type
 * when the model gives one, 'text' when only the docs show JSON). __tests__/products/deploy-fields.test.ts checks
 * this table against the model, so a refreshed model that adds or changes a field fails the tests until it is
 * copied here.
 */
const SAE_DEPLOY_FIELDS = {
    AcrAssumeRoleArn: { type: 'string' },
    AgentVersion: { type: 'string' },
    AlbIngressReadinessGate: { type: 'string' },
    AppId: { type: 'string' },
    AutoEnableApplicationScalingRule: { type: 'boolean' },
    BatchWaitTime: { type: 'number' },
    ChangeOrderDesc: { type: 'string' },
    Command: { type: 'string' },
    CommandArgs: { type: 'string', json: 'text' },
    Cpu: { type: 'number' },
    CustomHostAlias: { type: 'string', json: 'text' },
    CustomImageNetworkType: { type: 'string' },
    Deploy: { type: 'string' },
    Dotnet: { type: 'string' },
    EdasContainerVersion: { type: 'string' },
    EnableAhas: { type: 'string' },
    EnableCpuBurst: { type: 'boolean' },
    EnableGreyTagRoute: { type: 'boolean' },
    EnableNamespaceAgentVersion: { type: 'boolean' },
    EnableNewArms: { type: 'boolean' },
    EnablePrometheus: { type: 'boolean' },
    Envs: { type: 'string', json: 'text' },
    GpuConfig: { type: 'string' },
    Html: { type: 'string' },
    ImagePullSecrets: { type: 'string' },
    ImageUrl: { type: 'string' },
    JarStartArgs: { type: 'string' },
    JarStartOptions: { type: 'string' },
    Jdk: { type: 'string' },
    KafkaConfigs: { type: 'string', json: 'text' },
    Labels: { type: 'string', json: 'map' },
    Liveness: { type: 'string', json: 'text' },
    LokiConfigs: { type: 'string' },
    MaxSurgeInstanceRatio: { type: 'number' },
    MaxSurgeInstances: { type: 'number' },
    Memory: { type: 'number' },
    MicroRegistration: { type: 'string' },
    MicroserviceEngineConfig: { type: 'string', json: 'text' },
    MinReadyInstanceRatio: { type: 'number' },
    MinReadyInstances: { type: 'number' },
    MountDesc: { type: 'string', json: 'text' },
    MountHost: { type: 'string' },
    NasConfigs: { type: 'string', json: 'text' },
    NasId: { type: 'string' },
    NewSaeVersion: { type: 'string' },
    OidcRoleName: { type: 'string' },
    PackageType: { type: 'string' },
    PackageUrl: { type: 'string' },
    PackageVersion: { type: 'string' },
    PhpArmsConfigLocation: { type: 'string' },
    PhpConfigLocation: { type: 'string' },
    PostStart: { type: 'string', json: 'text' },
    PreStop: { type: 'string', json: 'text' },
    PvtzDiscoverySvc: { type: 'string', json: 'text' },
    Python: { type: 'string' },
    PythonModules: { type: 'string' },
    RaspConfig: { type: 'string', json: 'object' },
    Readiness: { type: 'string', json: 'text' },
    Replicas: { type: 'number' },
    SecretMountDesc: { type: 'string', json: 'text' },
    SecurityGroupId: { type: 'string' },
    SlsConfigs: { type: 'string', json: 'text' },
    SlsLogEnvTags: { type: 'string' },
    StartupProbe: { type: 'string', json: 'text' },
    TerminationGracePeriodSeconds: { type: 'number', min: 1, max: 300 },
    Timezone: { type: 'string' },
    TomcatConfig: { type: 'string', json: 'text' },
    UpdateStrategy: { type: 'string', json: 'text' },
    VSwitchId: { type: 'string' },
    WarStartOptions: { type: 'string' },
    WebContainer: { type: 'string' },
    AcrInstanceId: { type: 'string', in: 'body' },
    AssociateEip: { type: 'boolean', in: 'body' },
    ConfigMapMountDesc: { type: 'string', in: 'body', json: 'text' },
    EmptyDirDesc: { type: 'string', in: 'body', json: 'text' },
    EnableSidecarResourceIsolated: { type: 'boolean', in: 'body' },
    InitContainersConfig: { type: 'string', in: 'body', json: 'array' },
    MicroRegistrationConfig: { type: 'string', in: 'body', json: 'text' },
    OssAkId: { type: 'string', in: 'body' },
    OssAkSecret: { type: 'string', in: 'body' },
    OssMountDescs: { type: 'string', in: 'body', json: 'text' },
    Php: { type: 'string', in: 'body' },
    PhpConfig: { type: 'string', in: 'body' },
    ServiceTags: { type: 'string', in: 'body', json: 'text' },
    SidecarContainersConfig: { type: 'string', in: 'body', json: 'array' },
    SwimlanePvtzDiscoverySvc: { type: 'string', in: 'body', json: 'text' },
};
/** The package types DeployApplication documents (PackageType's valid values). */
const SAE_PACKAGE_TYPES = [
    'FatJar',
    'War',
    'Image',
    'PhpZip',
    'IMAGE_PHP_5_4',
    'IMAGE_PHP_5_4_ALPINE',
    'IMAGE_PHP_5_5',
    'IMAGE_PHP_5_5_ALPINE',
    'IMAGE_PHP_5_6',
    'IMAGE_PHP_5_6_ALPINE',
    'IMAGE_PHP_7_0',
    'IMAGE_PHP_7_0_ALPINE',
    'IMAGE_PHP_7_1',
    'IMAGE_PHP_7_1_ALPINE',
    'IMAGE_PHP_7_2',
    'IMAGE_PHP_7_2_ALPINE',
    'IMAGE_PHP_7_3',
    'IMAGE_PHP_7_3_ALPINE',
    'PythonZip',
];
function createSaeDeployService(transport) {
    return {
        product: 'SAE',
        async deploy(appId, fields) {
            const query = { AppId: appId };
            const body = {};
            for (const [name, value] of Object.entries(fields)) {
                if (SAE_DEPLOY_FIELDS[name]?.in === 'body')
                    body[name] = String(value);
                else
                    query[name] = value;
            }
            const answer = await transport.call('DeployApplication', 'POST', PATH, query, body);
            const data = answer.Data;
            if (!data || typeof data !== 'object' || Array.isArray(data))
                throw sae_deploy_malformed('the response has no Data object');
            const d = data;
            const changeOrderId = str(d.ChangeOrderId);
            if (!changeOrderId || typeof d.ChangeOrderId !== 'string')
                throw sae_deploy_malformed('the response names no ChangeOrderId');
            if (str(d.AppId) !== undefined && str(d.AppId) !== appId)
                throw sae_deploy_malformed(`the answer is about app ${str(d.AppId)}, not ${appId}`);
            const approval = d.IsNeedApproval;
            if (approval !== undefined && typeof approval !== 'boolean')
                throw sae_deploy_malformed('IsNeedApproval is neither true nor false');
            return { changeOrderId, needsApproval: approval === true };
        },
    };
}
function sae_deploy_malformed(detail) {
    return new ApiError('DeployApplication', 'MalformedResponse', detail, 'malformed');
}

;// CONCATENATED MODULE: ./src/products/status.ts
const PREPARING = 0;
const RUNNING = 1;
const TABLE = {
    0: { text: 'preparing', phase: 'running' },
    1: { text: 'running', phase: 'running' },
    2: { text: 'succeeded', phase: 'succeeded' },
    3: { text: 'failed', phase: 'failed' },
    6: { text: 'aborted', phase: 'aborted' },
    7: { text: 'partially executed', phase: 'failed' },
    8: { text: 'waiting for manual batch confirmation', phase: 'waiting-batch' },
    9: { text: 'waiting for the next automatic batch', phase: 'running' },
    10: { text: 'failed (system exception)', phase: 'failed' },
    11: { text: 'waiting for approval', phase: 'waiting-approval' },
    12: { text: 'approved, waiting to run', phase: 'running' },
};
/** Looks a status code up; an unknown code is never terminal, so the gate keeps polling (with a warning) until the deadline. */
function status_statusInfo(code) {
    const known = TABLE[code];
    return known ? { code, ...known } : { code, text: `unknown status ${code}`, phase: 'unknown' };
}
/** A batch (or order) whose code is this has finished successfully. */
function status_hasSucceeded(code) {
    return status_statusInfo(code).phase === 'succeeded';
}
/** Code 0, "preparing": for a batch, it has not started yet. */
function hasNotStarted(code) {
    return code === PREPARING;
}
/** Code 1: the batch (or order) is the one running now. */
function status_isRunning(code) {
    return code === RUNNING;
}
/** True for phases after which the change order can no longer change on its own. */
function isSettled(phase) {
    return phase === 'succeeded' || phase === 'failed' || phase === 'aborted';
}
/**
 * SubStatus 1 means the release hit an error and cannot finish, although Status stays "running"
 * (docs/api-notes.md#sae-change-orders).
 */
const SUB_STATUS_ERROR = 1;

;// CONCATENATED MODULE: ./src/products/sae.ts






/** SAE OpenAPI version 2019-05-06, ROA style (docs/api-notes.md#sae-change-orders). */
const SAE_API_VERSION = '2019-05-06';
const sae_PATHS = {
    list: '/pop/v1/sam/changeorder/ListChangeOrders',
    describe: '/pop/v1/sam/changeorder/DescribeChangeOrder',
    abort: '/pop/v1/sam/changeorder/AbortChangeOrder',
    confirm: '/pop/v1/sam/changeorder/ConfirmPipelineBatch',
    pipeline: '/pop/v1/sam/changeorder/DescribePipeline',
};
const sae = {
    id: 'sae',
    label: 'SAE',
    apiVersion: SAE_API_VERSION,
    endpointFor: (regionId) => `https://${endpointHost('sae', regionId)}`,
    create: (transport, regionId) => createSaeService(transport, regionId),
    createApp: (transport) => createSaeAppService(transport),
    deploy: { fields: SAE_DEPLOY_FIELDS, packageTypes: SAE_PACKAGE_TYPES, create: createSaeDeployService },
};
/** @param regionId for console links; unknown when only an endpoint was given. */
function createSaeService(transport, regionId) {
    return {
        product: 'SAE',
        async describe(changeOrderId) {
            const body = await transport.call('DescribeChangeOrder', 'GET', sae_PATHS.describe, { ChangeOrderId: changeOrderId });
            checkSucceeded('DescribeChangeOrder', body);
            return parseSaeChangeOrder(body.Data, changeOrderId);
        },
        async abort(changeOrderId, rollback) {
            // `Rollback=true` asks SAE to roll back what the order already changed (docs/api-notes.md#sae-change-orders).
            // Sent only when wanted, never as "undefined" (that would break the signature,
            // docs/api-notes.md#transport-and-pop-core).
            const body = await transport.call('AbortChangeOrder', 'PUT', sae_PATHS.abort, {
                ChangeOrderId: changeOrderId,
                Rollback: rollback ? true : undefined,
            });
            // Counted as applied only on a documented success about this very order (a 302 with {} is not one).
            checkAbortAnswer('AbortChangeOrder', body, changeOrderId);
        },
        async confirmBatch(batchId) {
            // A GET that changes state (docs/api-notes.md#sae-change-orders): Confirm=true releases the next batch.
            const body = await transport.call('ConfirmPipelineBatch', 'GET', sae_PATHS.confirm, {
                PipelineId: batchId,
                Confirm: true,
            });
            checkSucceeded('ConfirmPipelineBatch', body);
        },
        async stopAtBatch(batchId) {
            // Confirm=false: "terminate the process" instead of releasing the next batch.
            const body = await transport.call('ConfirmPipelineBatch', 'GET', sae_PATHS.confirm, {
                PipelineId: batchId,
                Confirm: false,
            });
            checkSucceeded('ConfirmPipelineBatch', body);
        },
        async describeBatchFailure(batchId) {
            const body = await transport.call('DescribePipeline', 'GET', sae_PATHS.pipeline, { PipelineId: batchId });
            return parseBatchFailures(body.Data);
        },
        async list(appId, filter) {
            // ListChangeOrders pages through the app's orders in no promised order (docs/api-notes.md#sae-change-orders);
            // read them all, up to a bound. The largest page size is documented nowhere: the pages are counted with the
            // PageSize and TotalSize the answer gives, not the size asked for, so a server that caps the page size loses no
            // order.
            const found = [];
            for (let page = 1; page <= LIST_MAX_PAGES; page++) {
                const body = await transport.call('ListChangeOrders', 'GET', sae_PATHS.list, {
                    AppId: appId,
                    CurrentPage: page,
                    PageSize: LIST_PAGE_SIZE,
                    CoType: filter.type,
                });
                const data = (body.Data && typeof body.Data === 'object' ? body.Data : {});
                const items = asList(data.ChangeOrderList);
                found.push(...items.map(parseSummary).filter((o) => !!o));
                const total = toInt(data.TotalSize);
                const size = toInt(data.PageSize) ?? items.length;
                if (!items.length || size < 1)
                    break;
                if (total !== undefined ? page * size >= total : items.length < size)
                    break;
            }
            return found;
        },
        consoleUrl(changeOrderId) {
            const region = regionId ? `&regionId=${encodeURIComponent(regionId)}` : '';
            return `https://sae.console.aliyun.com/#/AppList/ChangeOrderDetail?changeOrderId=${encodeURIComponent(changeOrderId)}${region}`;
        },
    };
}
/**
 * The stages and tasks of a DescribePipeline answer that failed or carry an error message
 * (docs/api-notes.md#sae-change-orders).
 */
function parseBatchFailures(data) {
    const d = (data && typeof data === 'object' ? data : {});
    const failures = [];
    for (const stage of asList(d.StageList)) {
        const st = (stage && typeof stage === 'object' ? stage : {});
        const stageName = str(st.StageName) ?? 'stage';
        const tasks = asList(st.TaskList).map((t) => (t && typeof t === 'object' ? t : {}));
        // Task status 5 is "pending retry": SAE will try it again, so it has not failed (yet).
        const bad = tasks.filter((t) => toInt(t.Status) !== TASK_PENDING_RETRY &&
            (status_statusInfo(toInt(t.Status) ?? -1).phase === 'failed' ||
                (str(t.ErrorMessage) && !/^success$/i.test(str(t.ErrorMessage)))));
        for (const t of bad)
            failures.push({
                stage: stageName,
                task: str(t.TaskName),
                message: str(t.ErrorMessage) ?? str(t.Message),
                code: str(t.ErrorCode),
            });
        if (!bad.length && status_statusInfo(toInt(st.Status) ?? -1).phase === 'failed')
            failures.push({ stage: stageName });
    }
    return failures;
}
const TASK_PENDING_RETRY = 5;
const LIST_PAGE_SIZE = 50;
const LIST_MAX_PAGES = 20;
/**
 * Reads DescribeChangeOrder's `Data`. Fields that only inform are read leniently; those that decide strictly: the
 * order must be the one asked for, its Status and SubStatus integers, SupportRollback a documented boolean.
 */
function parseSaeChangeOrder(data, requestedId) {
    const op = 'DescribeChangeOrder';
    if (!data || typeof data !== 'object' || Array.isArray(data)) {
        throw new ApiError(op, 'MalformedResponse', 'the response has no Data object', 'malformed');
    }
    const d = data;
    checkIdentity(op, d.ChangeOrderId, requestedId);
    const status = strictStatus(op, d.Status);
    const subStatus = d.SubStatus === undefined || d.SubStatus === null ? 0 : toInt(d.SubStatus);
    if (subStatus === undefined)
        throw malformed(op, `the SubStatus is ${describe(d.SubStatus)}, not an integer`);
    return {
        id: requestedId,
        appId: str(d.AppId),
        appName: str(d.AppName),
        status,
        subStatus,
        type: str(d.CoType),
        typeCode: str(d.CoTypeCode),
        description: str(d.Description),
        createTime: str(d.CreateTime),
        // DescribeChangeOrder names no creator: it comes from the ListChangeOrders item, when the order was found so.
        batchType: str(d.BatchType),
        supportRollback: strictBool(op, 'SupportRollback', d.SupportRollback),
        errorMessage: meaningfulError(str(d.ErrorMessage)),
        currentBatchId: str(d.CurrentPipelineId),
        batches: asList(d.Pipelines).map((p, i) => parseBatch(p, i, 'Status')),
        raw: data,
    };
}
/** SAE fills ErrorMessage with "success" on good orders (docs/api-notes.md#sae-change-orders). */
function meaningfulError(message) {
    if (!message || /^success$/i.test(message.trim()))
        return undefined;
    return message;
}

;// CONCATENATED MODULE: ./src/products/registry.ts


/** Every product the gate supports: a new one is a file beside sae.ts and edas.ts plus one entry here. */
const registry_PRODUCTS = { sae: sae, edas: edas };
/** Narrows an input value to a product the gate supports. */
function isProductId(value) {
    return Object.hasOwn(registry_PRODUCTS, value);
}

;// CONCATENATED MODULE: ./src/connect.ts




/** The source for the settings: fixed keys as they are, OIDC role credentials renewed before they expire. */
function credentialSourceFor(settings, deps) {
    if (settings.oidc)
        return oidcCredentials(settings.oidc, deps);
    if (!settings.credentials)
        throw new Error('no credentials in the settings');
    return staticCredentials(settings.credentials, settings.credentialsSource);
}
function createService(settings, credentials, debug) {
    return registry_PRODUCTS[settings.product].create(transportFor(settings, credentials, debug), settings.regionId);
}
/** The app-level service (status, instances, versions, rollback) the settings ask for, over its own signed transport. */
function createAppService(settings, credentials, debug) {
    return PRODUCTS[settings.product].createApp(transportFor(settings, credentials, debug));
}
/** The deploy call of the settings' product (SAE); the inputs refuse deploy inputs for a product without one. */
function createDeployService(settings, credentials, debug) {
    const deploy = PRODUCTS[settings.product].deploy;
    if (!deploy)
        throw new Error(`${PRODUCTS[settings.product].label} has no deploy call`);
    return deploy.create(transportFor(settings, credentials, debug));
}
function transportFor(settings, credentials, debug) {
    return new RoaTransport({
        endpoint: settings.endpoint,
        apiVersion: registry_PRODUCTS[settings.product].apiVersion,
        credentials,
        requestTimeoutMs: settings.requestTimeoutMs,
        debug,
    });
}

;// CONCATENATED MODULE: ./src/inputs/parse.ts

/** A bad input: the message names the input and the accepted form. */
class InputError extends Error {
    name = 'InputError';
}
const parse_SECOND = 1000;
const REMEDIES = ['abort-and-rollback', 'abort', 'none'];
/** IDs travel in URLs and signatures: letters, digits and a few separators only (no spaces, no ?&=). */
const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
function checkId(name, value) {
    if (!ID.test(value)) {
        throw new InputError(`Invalid input "${name}": ${quote(value)} is not an ID: use letters, digits, "-", "_", "." or ":" (at most 128 characters), e.g. 765fa5c0-9ebb-4bb4-b383-1f885447aaaa`);
    }
}
const REGION = /^[a-z]{2,}(?:-[a-z0-9]+){1,4}$/;
function parseRegion(value) {
    if (!REGION.test(value))
        throw new InputError(`Invalid input "region-id": ${quote(value)} is not a region ID such as cn-hangzhou or ap-southeast-1`);
    return value;
}
const LOOPBACK = new Set(['localhost', '[::1]']);
function isLoopback(hostname) {
    return LOOPBACK.has(hostname) || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}
/** An endpoint is https://host[:port]; plain http only for loopback (tests and the demo), never across a network. */
function parseEndpoint(value, name = 'endpoint', example = 'https://sae.cn-hangzhou.aliyuncs.com') {
    let url;
    try {
        url = new URL(value);
    }
    catch {
        throw new InputError(`Invalid input "${name}": ${quote(value)} is not a URL such as ${example}`);
    }
    const form = 'https://host[:port] with no path, query or credentials (http:// only for 127.0.0.1 or localhost)';
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
        throw new InputError(`Invalid input "${name}": ${quote(value)} must use https:// (plain http:// is only allowed for loopback hosts); expected ${form}`);
    }
    if (url.username || url.password || (url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
        throw new InputError(`Invalid input "${name}": ${quote(value)} must be ${form}`);
    }
    return `${url.protocol}//${url.host}`;
}
const DURATION = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;
/** Parses `3s`, `90s`, `15m`, `2h`, `1h30m`, `7d` (a bare number means seconds) into milliseconds, within [min, max]. */
function parseDuration(name, value, minMs, maxMs) {
    const v = value.toLowerCase();
    const form = 'a duration such as 10s, 2m or 1h30m';
    let ms;
    if (/^\d+$/.test(v))
        ms = Number(v) * parse_SECOND;
    else {
        const m = DURATION.exec(v);
        if (!v || !m || (!m[1] && !m[2] && !m[3] && !m[4]))
            throw new InputError(`Invalid input "${name}": ${quote(value)} is not ${form}`);
        ms = (Number(m[1] ?? 0) * 86400 + Number(m[2] ?? 0) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0)) * parse_SECOND;
    }
    if (!Number.isSafeInteger(ms) || ms < minMs || ms > maxMs) {
        throw new InputError(`Invalid input "${name}": ${quote(value)} is out of range: use ${form}, from ${formatDuration(minMs)} to ${formatDuration(maxMs)}`);
    }
    return ms;
}
function parseCount(name, value, min, max) {
    if (!/^\d{1,16}$/.test(value) || Number(value) < min || Number(value) > max) {
        throw new InputError(`Invalid input "${name}": ${quote(value)} is not a whole number from ${min} to ${max}`);
    }
    return Number(value);
}
function parseRemedy(name, value) {
    const v = value.toLowerCase();
    if (!REMEDIES.includes(v))
        throw new InputError(`Invalid input "${name}": ${quote(value)} is not one of ${REMEDIES.join(', ')}`);
    return v;
}
function parseChoice(name, value, choices) {
    const v = value.toLowerCase();
    if (!choices.includes(v))
        throw new InputError(`Invalid input "${name}": ${quote(value)} is not one of ${choices.join(', ')}`);
    return v;
}
/** Health checks reach the user's own application, so any http(s) URL is fine; nothing else is. */
function parseHealthUrl(value) {
    let url;
    try {
        url = new URL(value);
    }
    catch {
        url = undefined;
    }
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
        throw new InputError(`Invalid input "health-check-url": ${quote(value)} is not an http(s) URL; give one URL per line, e.g. https://shop.example.com/healthz`);
    }
    // fetch refuses every URL with credentials in it, and the value would be printed with the probe results: refuse it
    // here, naming the input but never the value (it holds a password).
    if (url.username || url.password) {
        throw new InputError(`Invalid input "health-check-url": a URL with credentials in it (user:password@host) is not accepted; the value is not shown. Use a URL that needs no credentials, e.g. https://shop.example.com/healthz`);
    }
}
function parseBoolean(name, value) {
    if (/^true$/i.test(value))
        return true;
    if (/^false$/i.test(value))
        return false;
    throw new InputError(`Invalid input "${name}": ${quote(value)} is not true or false`);
}
/** Quotes a value for an error message, shortened so a pasted blob cannot flood the log. */
function quote(value) {
    const shown = value.length > 80 ? `${value.slice(0, 77)}...` : value;
    return JSON.stringify(shown);
}

;// CONCATENATED MODULE: ./src/inputs/deploy.ts


/** The inputs that ask the action to start the release itself (deploy mode). */
const DEPLOY_INPUTS = [
    'image-url',
    'package-url',
    'package-version',
    'package-type',
    'deploy-parameters',
    'change-order-description',
];
/** DeployApplication fields that have their own input: deploy-parameters may not set them behind its back. */
const OWN_INPUT = {
    AppId: 'app-id',
    ImageUrl: 'image-url',
    PackageUrl: 'package-url',
    PackageVersion: 'package-version',
    PackageType: 'package-type',
    ChangeOrderDesc: 'change-order-description',
};
/** A package's type by its file name, where the name makes it plain (a .zip may be PHP or Python, so it does not). */
const BY_EXTENSION = { jar: 'FatJar', war: 'War' };
const IMAGE = /^[A-Za-z0-9][\x21-\x7e]{0,511}$/;
const VERSION = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$/;
const MAX_DESCRIPTION = 256;
/**
 * The deploy inputs, checked against the product's model before any call; undefined when none is set (gate-only
 * mode). Never quotes a deploy-parameters value in an error: they may be secrets. Throws InputError.
 */
function readDeploy(get, env, context) {
    const given = DEPLOY_INPUTS.filter((name) => get(name));
    if (!given.length)
        return undefined;
    const names = given.map((n) => `"${n}"`).join(', ');
    const model = registry_PRODUCTS[context.product].deploy;
    if (!model)
        throw new InputError(`Inputs ${names} deploy a release, which the action does for SAE only: deploying to ${registry_PRODUCTS[context.product].label} is out of scope for now; deploy with your own step and gate its change order with "change-order-id"`);
    if (context.changeOrderId)
        throw new InputError(`Input "change-order-id" cannot be combined with ${names}: either this step deploys (and gates the change order it starts), or it gates a change order started elsewhere`);
    if (!context.appId)
        throw new InputError(`Input "app-id" is required with ${names}: the ID of the SAE application to deploy`);
    const imageUrl = get('image-url');
    const packageUrl = get('package-url');
    const packageVersion = get('package-version');
    const packageTypeRaw = get('package-type');
    if (imageUrl && packageUrl)
        throw new InputError('Inputs "image-url" and "package-url" cannot both be set: deploy either an image or a package');
    if (!imageUrl && !packageUrl)
        throw new InputError(`Inputs ${names} need something to deploy: "image-url" (an image, e.g. registry.cn-hangzhou.aliyuncs.com/acme/shop:1.4.2) or "package-url" with "package-version" (a JAR, WAR or zip)`);
    const packageType = packageTypeRaw ? packageTypeOf(packageTypeRaw, model.packageTypes) : undefined;
    const fields = {};
    let what;
    if (imageUrl) {
        if (!IMAGE.test(imageUrl) || imageUrl.includes('://'))
            throw new InputError(`Invalid input "image-url": ${quote(imageUrl)} is not an image reference such as registry.cn-hangzhou.aliyuncs.com/acme/shop:1.4.2 (no scheme, no spaces)`);
        if (packageVersion)
            throw new InputError('Input "package-version" goes with "package-url": an image is versioned by its tag in "image-url"');
        const type = packageType ?? 'Image';
        if (!isImageType(type))
            throw new InputError(`Invalid input "package-type": ${quote(type)} is a package type, not an image type: with "image-url" use Image (the default) or an IMAGE_PHP_* type`);
        Object.assign(fields, { PackageType: type, ImageUrl: imageUrl });
        what = `image ${imageUrl}`;
    }
    else {
        const url = parsePackageUrl(packageUrl);
        if (!packageVersion)
            throw new InputError('Input "package-version" is required with "package-url": the version SAE records for the package, e.g. 1.4.2 or the commit SHA');
        if (!VERSION.test(packageVersion))
            throw new InputError(`Invalid input "package-version": ${quote(packageVersion)} is not a version: use letters, digits, ".", "_", "+" or "-" (at most 64 characters), e.g. 1.4.2`);
        const extension = /\.([A-Za-z0-9]+)$/.exec(url.pathname)?.[1]?.toLowerCase();
        const type = packageType ?? (extension ? BY_EXTENSION[extension] : undefined);
        if (!type)
            throw new InputError(`Input "package-type" is required: the type of ${quote(packageUrl)} is not plain from its name (${extension ? `.${extension}` : 'no extension'}); use ${model.packageTypes.filter((t) => !isImageType(t)).join(', ')}`);
        if (isImageType(type))
            throw new InputError(`Invalid input "package-type": ${quote(type)} is an image type: use "image-url" to deploy an image, or a package type (FatJar, War, PhpZip, PythonZip) with "package-url"`);
        Object.assign(fields, { PackageType: type, PackageUrl: packageUrl, PackageVersion: packageVersion });
        what = `${type} package ${url.origin}${url.pathname} version ${packageVersion}`;
    }
    const description = get('change-order-description') || defaultDescription(env);
    if (description.length > MAX_DESCRIPTION || /\p{Cc}/u.test(description))
        throw new InputError(`Invalid input "change-order-description": ${quote(description)} must be one line of at most ${MAX_DESCRIPTION} characters`);
    fields.ChangeOrderDesc = description;
    const { values, secrets } = parseDeployParameters(get('deploy-parameters'), model.fields);
    Object.assign(fields, values);
    return Object.freeze({
        what,
        packageType: String(fields.PackageType),
        fields: Object.freeze(fields),
        parameterNames: Object.keys(values),
        description,
        secrets,
    });
}
function packageTypeOf(value, types) {
    const type = types.find((t) => t.toLowerCase() === value.toLowerCase());
    if (!type)
        throw new InputError(`Invalid input "package-type": ${quote(value)} is not one of ${types.join(', ')}`);
    return type;
}
function isImageType(type) {
    return type === 'Image' || type.startsWith('IMAGE_');
}
function parsePackageUrl(value) {
    let url;
    try {
        url = new URL(value);
    }
    catch {
        url = undefined;
    }
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password)
        throw new InputError(`Invalid input "package-url": ${quote(value)} is not an http(s) URL of a package, e.g. https://acme.oss-cn-hangzhou.aliyuncs.com/shop/shop-1.4.2.jar`);
    return url;
}
/** `<repo>@<short sha> by <actor> (run <id>)`: the console then says where the release came from. */
function defaultDescription(env) {
    const clean = (v) => (v ?? '').replace(/\p{Cc}/gu, '').trim();
    const repo = clean(env.GITHUB_REPOSITORY) || 'GitHub Actions';
    const sha = clean(env.GITHUB_SHA).slice(0, 7);
    const actor = clean(env.GITHUB_ACTOR);
    const run = clean(env.GITHUB_RUN_ID);
    return [`${repo}${sha ? `@${sha}` : ''}`, actor && `by ${actor}`, run && `(run ${run})`]
        .filter(Boolean)
        .join(' ')
        .slice(0, MAX_DESCRIPTION);
}
/**
 * deploy-parameters: a JSON object of further DeployApplication fields. Each name must be one the model knows (and
 * not one with its own input), each value of the model's type: a number, a boolean, or a string. A string the model
 * documents as JSON text is sent as given (it stays a string: never parsed and re-encoded); such a field may also be
 * given as the JSON itself, which is sent as its text. Errors name the field and the type, never the value.
 */
function parseDeployParameters(raw, model) {
    const values = {};
    const secrets = [];
    if (!raw)
        return { values, secrets };
    const bad = (detail) => new InputError(`Invalid input "deploy-parameters": ${detail}`);
    let parsed;
    try {
        parsed = JSON.parse(raw);
    }
    catch {
        // The parser's message quotes the text, which may hold secrets: say where, not what.
        throw bad('it is not valid JSON: give a JSON object of DeployApplication fields, e.g. {"Replicas": 2}');
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
        throw bad('it is not a JSON object: give DeployApplication fields by name, e.g. {"Replicas": 2}');
    for (const [name, value] of Object.entries(parsed)) {
        if (Object.hasOwn(OWN_INPUT, name))
            throw bad(`field ${name} has its own input: use "${OWN_INPUT[name]}" instead`);
        const field = Object.hasOwn(model, name) ? model[name] : undefined;
        if (!field) {
            const near = Object.keys(model).find((k) => k.toLowerCase() === name.toLowerCase());
            throw bad(`${quote(name)} is not a DeployApplication field${near ? ` (did you mean ${near}?)` : ''}; the fields are those of the SAE API reference, e.g. Replicas, Envs, Jdk, UpdateStrategy`);
        }
        values[name] = checkValue(name, value, field, bad);
        collectSecrets(value, secrets);
    }
    return { values, secrets };
}
function checkValue(name, value, field, bad) {
    const got = value === null
        ? 'null'
        : Array.isArray(value)
            ? 'an array'
            : typeof value === 'object'
                ? 'an object'
                : `a ${typeof value}`;
    if (field.type === 'number') {
        if (typeof value !== 'number' || !Number.isFinite(value))
            throw bad(`field ${name} is ${got}, not a number`);
        if ((field.min !== undefined && value < field.min) || (field.max !== undefined && value > field.max))
            throw bad(`field ${name} is out of range: use ${field.min} to ${field.max}`);
        return value;
    }
    if (field.type === 'boolean') {
        if (typeof value !== 'boolean')
            throw bad(`field ${name} is ${got}, not true or false`);
        return value;
    }
    if (typeof value === 'string') {
        if (field.json && field.json !== 'text')
            checkJson(name, value, field.json, bad);
        return value;
    }
    if (field.json && value !== null && typeof value === 'object') {
        const text = JSON.stringify(value);
        if (field.json !== 'text')
            checkJson(name, text, field.json, bad);
        return text;
    }
    throw bad(`field ${name} is ${got}, not a string${field.json ? ' (or the JSON it holds)' : ''}${typeof value === 'number' || typeof value === 'boolean' ? `: write it in quotes, e.g. "${name}": "${String(value)}"` : ''}`);
}
/** A field the model serialises from a schema must hold JSON of that schema's shape. */
function checkJson(name, text, shape, bad) {
    let v;
    try {
        v = JSON.parse(text);
    }
    catch {
        throw bad(`field ${name} must hold JSON (a JSON ${shape === 'array' ? 'array' : 'object'}), and it does not parse`);
    }
    const isArray = Array.isArray(v);
    const ok = shape === 'array' ? isArray : !!v && typeof v === 'object' && !isArray;
    if (!ok)
        throw bad(`field ${name} must hold a JSON ${shape === 'array' ? 'array' : 'object'}`);
    if (shape === 'map' && Object.values(v).some((x) => typeof x !== 'string'))
        throw bad(`field ${name} must hold a JSON object of strings`);
}
/**
 * Every string a value holds, whole and (for JSON text) leaf by leaf: any of them may be a secret. Words too short or
 * too common to be one (a flag, a number) are left out: masking "true" or "1" would blank them out of every log line.
 */
function collectSecrets(value, out) {
    if (typeof value === 'string') {
        const maskable = (v) => v.trim().length >= 4 && !/^\s*(true|false|null|-?\d+(\.\d+)?)\s*$/i.test(v);
        if (maskable(value))
            out.push(value);
        // A multi-line value is also masked line by line, in case one line is printed on its own.
        if (/[\r\n]/.test(value))
            out.push(...value.split(/\r?\n|\r/).filter(maskable));
        if (/^\s*[[{]/.test(value)) {
            try {
                collectSecrets(JSON.parse(value), out);
            }
            catch {
                // Not JSON after all: the whole string is masked.
            }
        }
    }
    else if (Array.isArray(value))
        for (const v of value)
            collectSecrets(v, out);
    else if (value && typeof value === 'object') {
        out.push(JSON.stringify(value));
        for (const v of Object.values(value))
            collectSecrets(v, out);
    }
}

;// CONCATENATED MODULE: ./src/inputs/read.ts




const MAX_TIMEOUT_MS = 7 * 24 * 3600 * parse_SECOND;
const MAX_POLL_MS = 3600 * parse_SECOND;
const MAX_REQUEST_TIMEOUT_MS = 5 * 60 * parse_SECOND;
/**
 * Parses the action's inputs. `input(name)` returns the raw value ('' when unset); `env` supplies the documented
 * environment fallbacks. Throws InputError before anything talks to the API.
 */
function readInputs(input, env) {
    const warnings = [];
    const get = (name) => (input(name) ?? '').trim();
    const product = (get('product') || 'sae').toLowerCase();
    if (!isProductId(product))
        throw new InputError(`Invalid input "product": ${quote(get('product'))} is not one of ${Object.keys(registry_PRODUCTS).join(', ')}`);
    const adapter = registry_PRODUCTS[product];
    const changeOrderId = get('change-order-id');
    if (changeOrderId)
        checkId('change-order-id', changeOrderId);
    const appId = get('app-id') || undefined;
    if (appId)
        checkId('app-id', appId);
    const changeOrderType = get('change-order-type') || undefined;
    if (changeOrderType && !/^[A-Za-z][A-Za-z0-9 _-]{0,63}$/.test(changeOrderType)) {
        throw new InputError(`Invalid input "change-order-type": ${quote(changeOrderType)} is not a change-order type such as CoDeploy, CoRestartApplication or CoScaleOut`);
    }
    const deploymentRaw = get('deployment-id');
    const deploymentId = deploymentRaw
        ? parseCount('deployment-id', deploymentRaw, 1, Number.MAX_SAFE_INTEGER)
        : undefined;
    const environmentUrl = get('environment-url') || undefined;
    if (environmentUrl && !/^https?:\/\/[^\s]+$/.test(environmentUrl))
        throw new InputError(`Invalid input "environment-url": ${quote(environmentUrl)} is not an http(s) URL`);
    const githubToken = get('github-token') || undefined;
    const deploy = readDeploy(get, env, { product, changeOrderId, appId });
    const regionRaw = get('region-id') || firstSet(env, REGION_VARIABLES)?.value || '';
    const regionId = regionRaw ? parseRegion(regionRaw) : undefined;
    const endpointRaw = get('endpoint');
    let endpoint;
    if (endpointRaw)
        endpoint = parseEndpoint(endpointRaw);
    else if (regionId)
        endpoint = adapter.endpointFor(regionId);
    else
        throw new InputError('Input "region-id" is required (or set the ALIBABA_CLOUD_REGION_ID environment variable): a region ID such as cn-hangzhou');
    const { credentials, oidc, source, fromEnvironment } = readCredentials(get, env, warnings);
    const timeoutMs = parseDuration('timeout', get('timeout') || '30m', parse_SECOND, MAX_TIMEOUT_MS);
    if (fromEnvironment && credentials?.securityToken && timeoutMs > STS_EXPORT_WARN_MS)
        warnings.push(`timeout is ${formatDuration(timeoutMs)} and the credentials are STS keys from ${source}: keys exported by an earlier step (aliyun/configure-aliyun-credentials-action lasts 1800 s by default) may expire before the release ends, and with them the gate's ability to read and abort it; use role-to-assume and oidc-provider-arn, which renew them`);
    const pollIntervalMs = parseDuration('poll-interval', get('poll-interval') || '10s', parse_SECOND, MAX_POLL_MS);
    // Throttling is the real API's: a plain http:// endpoint is a local simulator (http is refused for any other host).
    if (pollIntervalMs < 5 * parse_SECOND && !endpoint.startsWith('http://'))
        warnings.push(`poll-interval is ${pollIntervalMs / parse_SECOND}s: polling faster than every 5s may get the API to throttle these credentials`);
    const requestTimeoutMs = parseDuration('request-timeout', get('request-timeout') || '15s', parse_SECOND, MAX_REQUEST_TIMEOUT_MS);
    const maxApiErrors = parseCount('max-api-errors', get('max-api-errors') || '10', 1, 1000);
    const onFailure = parseRemedy('on-failure', get('on-failure') || 'abort-and-rollback');
    const onTimeout = parseRemedy('on-timeout', get('on-timeout') || 'abort');
    const onCancel = parseRemedy('on-cancel', get('on-cancel') || 'abort');
    const summary = parseBoolean('summary', get('summary') || 'true');
    const onManualBatch = parseChoice('on-manual-batch', get('on-manual-batch') || 'wait', [
        'wait',
        'confirm',
        'succeed',
        'fail',
    ]);
    const onApproval = parseChoice('on-approval', get('on-approval') || 'wait', ['wait', 'succeed', 'fail']);
    const bakeTimeMs = parseDuration('bake-time', get('bake-time') || '0s', 0, MAX_TIMEOUT_MS);
    const healthCheckUrls = input('health-check-url')
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter(Boolean);
    for (const url of healthCheckUrls)
        parseHealthUrl(url);
    const healthCheckFailures = parseCount('health-check-failures', get('health-check-failures') || '1', 1, 100);
    const { verify, verifyTimeMs } = readVerify(get);
    if (verifyTimeMs >= timeoutMs)
        warnings.push(`verify-time (${formatDuration(verifyTimeMs)}) is not shorter than timeout (${formatDuration(timeoutMs)}), which also covers the release: the bake after the last batch cannot finish in time, so the result would be timed-out; raise timeout`);
    if (healthCheckUrls.length && onManualBatch !== 'confirm' && !verifyTimeMs)
        warnings.push('health-check-url is only used with on-manual-batch: confirm (between batches, before the next one is released) or with verify-time (after the last batch)');
    return {
        settings: Object.freeze({
            product,
            changeOrderId,
            appId,
            changeOrderType,
            deploymentId,
            environmentUrl,
            githubToken,
            regionId,
            endpoint,
            credentials,
            oidc,
            credentialsSource: source,
            timeoutMs,
            pollIntervalMs,
            requestTimeoutMs,
            maxApiErrors,
            onFailure,
            onTimeout,
            onCancel,
            summary,
            onManualBatch,
            onApproval,
            bakeTimeMs,
            healthCheckUrls,
            healthCheckFailures,
            verify,
            verifyTimeMs,
            ...(deploy ? { deploy } : {}),
        }),
        warnings,
    };
}
/** verify and verify-time: a bake after the last batch is a verification, so it cannot go with verify: false. */
function readVerify(get) {
    const verify = parseBoolean('verify', get('verify') || 'true');
    const raw = get('verify-time') || '0s';
    const verifyTimeMs = parseDuration('verify-time', raw, 0, MAX_TIMEOUT_MS);
    if (!verify && verifyTimeMs > 0)
        throw new InputError(`Invalid input "verify-time": ${quote(raw)} needs verify: true (the bake after the last batch is part of the verification); set verify-time to 0s or remove it, or set verify to true`);
    return { verify, verifyTimeMs };
}
/**
 * Environment credentials, in the order they are read: the names the Alibaba Cloud SDKs and CLI document, which are
 * also the three families aliyun/configure-aliyun-credentials-action exports (its ALICLOUD_* names are Terraform's,
 * ALICLOUD_ACCESS_KEY and ALICLOUD_SECRET_KEY; the CLI reads ALICLOUD_ACCESS_KEY_ID and ALICLOUD_ACCESS_KEY_SECRET).
 * A key ID, its secret and its token always come from one family: never a key of one tool with a token of another.
 */
const ENV_FAMILIES = [
    {
        name: 'ALIBABA_CLOUD_*',
        id: ['ALIBABA_CLOUD_ACCESS_KEY_ID'],
        secret: ['ALIBABA_CLOUD_ACCESS_KEY_SECRET'],
        token: ['ALIBABA_CLOUD_SECURITY_TOKEN'],
    },
    {
        name: 'ALIBABACLOUD_*',
        id: ['ALIBABACLOUD_ACCESS_KEY_ID'],
        secret: ['ALIBABACLOUD_ACCESS_KEY_SECRET'],
        token: ['ALIBABACLOUD_SECURITY_TOKEN'],
    },
    {
        name: 'ALICLOUD_*',
        id: ['ALICLOUD_ACCESS_KEY_ID', 'ALICLOUD_ACCESS_KEY'],
        secret: ['ALICLOUD_ACCESS_KEY_SECRET', 'ALICLOUD_SECRET_KEY'],
        token: ['ALICLOUD_SECURITY_TOKEN'],
    },
];
/** The region's environment fallbacks, in the same order (ALICLOUD_REGION is Terraform's name). */
const REGION_VARIABLES = ['ALIBABA_CLOUD_REGION_ID', 'ALIBABACLOUD_REGION_ID', 'ALICLOUD_REGION_ID', 'ALICLOUD_REGION'];
/** configure-aliyun-credentials-action's sessions last 1800 s by default; warn when the gate may outlive them. */
const STS_EXPORT_WARN_MS = 25 * 60 * parse_SECOND;
/** The first of `names` that is set (not blank) in `env`, with its trimmed value. */
function firstSet(env, names) {
    for (const name of names) {
        const value = (env[name] ?? '').trim();
        if (value)
            return { name, value };
    }
    return undefined;
}
/**
 * Precedence: OIDC inputs, then the key inputs, then the environment (ENV_FAMILIES, in order). Mixing OIDC and key
 * inputs is refused.
 */
function readCredentials(get, env, warnings) {
    const id = get('access-key-id');
    const secret = get('access-key-secret');
    const token = get('security-token');
    const oidc = readOidc(get, env, warnings);
    if (oidc) {
        const keys = [id && 'access-key-id', secret && 'access-key-secret', token && 'security-token'].filter(Boolean);
        if (keys.length)
            throw new InputError(`Inputs "role-to-assume" and "oidc-provider-arn" (OIDC) cannot be combined with ${keys.map((k) => `"${k}"`).join(', ')}: give either the role to assume or the keys, not both`);
        const unused = ENV_FAMILIES.find((f) => firstSet(env, f.id));
        const ignored = unused ? `; the ${unused.name} keys in the environment are not used` : '';
        return {
            oidc,
            source: `the role-to-assume and oidc-provider-arn inputs (GitHub OIDC, renewed before expiry)${ignored}`,
        };
    }
    if (id || secret || token) {
        if (!id)
            throw new InputError('Input "access-key-id" is required when "access-key-secret" or "security-token" is given: the AccessKey ID, e.g. ${{ secrets.ALIBABA_CLOUD_ACCESS_KEY_ID }}');
        if (!secret)
            throw new InputError('Input "access-key-secret" is required when "access-key-id" is given: the AccessKey secret, e.g. ${{ secrets.ALIBABA_CLOUD_ACCESS_KEY_SECRET }}');
        return {
            credentials: { accessKeyId: id, accessKeySecret: secret, securityToken: token || undefined },
            source: token
                ? 'the access-key-id, access-key-secret and security-token inputs'
                : 'the access-key-id and access-key-secret inputs',
        };
    }
    for (const family of ENV_FAMILIES) {
        const envId = firstSet(env, family.id);
        const envSecret = firstSet(env, family.secret);
        if (!envId && !envSecret)
            continue;
        if (!envId || !envSecret)
            throw new InputError(`Inputs "access-key-id" and "access-key-secret" are not set and the environment has only half a key pair: ${(envId ? family.secret : family.id).join(' or ')} is missing`);
        const envToken = firstSet(env, family.token);
        return {
            credentials: { accessKeyId: envId.value, accessKeySecret: envSecret.value, securityToken: envToken?.value },
            source: `the ${family.name} environment variables`,
            fromEnvironment: true,
        };
    }
    throw new InputError('Credentials are required: inputs "role-to-assume" and "oidc-provider-arn" (a RAM role assumed with GitHub OIDC), or inputs "access-key-id" and "access-key-secret" (or the ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET environment variables, as aliyun/configure-aliyun-credentials-action exports them)');
}
const ROLE_ARN = /^acs:ram::\d+:role\/[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const PROVIDER_ARN = /^acs:ram::\d+:oidc-provider\/[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const SESSION_NAME = /^[A-Za-z0-9.@_-]{2,64}$/;
const MIN_SESSION_MS = 15 * 60 * parse_SECOND;
const MAX_SESSION_MS = 12 * 3600 * parse_SECOND;
/** The OIDC inputs, all read (so action.yml and the code agree) and checked only when a role is to be assumed. */
function readOidc(get, env, warnings) {
    const roleArn = get('role-to-assume');
    const oidcProviderArn = get('oidc-provider-arn');
    const audience = get('audience') || 'sts.aliyuncs.com';
    const sessionName = get('role-session-name');
    const expiration = get('role-session-expiration') || '1h';
    const stsEndpoint = get('sts-endpoint') || 'https://sts.aliyuncs.com';
    if (!roleArn && !oidcProviderArn) {
        if (sessionName)
            warnings.push('role-session-name is only used with role-to-assume and oidc-provider-arn; it is ignored');
        return undefined;
    }
    if (!roleArn)
        throw new InputError('Input "role-to-assume" is required with "oidc-provider-arn": the ARN of the RAM role to assume, e.g. acs:ram::1234567890123456:role/github-deploy');
    if (!oidcProviderArn)
        throw new InputError('Input "oidc-provider-arn" is required with "role-to-assume": the ARN of the RAM OIDC provider for GitHub, e.g. acs:ram::1234567890123456:oidc-provider/github');
    if (!ROLE_ARN.test(roleArn))
        throw new InputError(`Invalid input "role-to-assume": ${quote(roleArn)} is not a RAM role ARN such as acs:ram::1234567890123456:role/github-deploy`);
    if (!PROVIDER_ARN.test(oidcProviderArn))
        throw new InputError(`Invalid input "oidc-provider-arn": ${quote(oidcProviderArn)} is not a RAM OIDC provider ARN such as acs:ram::1234567890123456:oidc-provider/github`);
    if (!/^[\x21-\x7e]{1,256}$/.test(audience))
        throw new InputError(`Invalid input "audience": ${quote(audience)} is not an audience such as sts.aliyuncs.com (the client ID of the RAM OIDC provider)`);
    const roleSessionName = sessionName || defaultSessionName(env);
    if (!SESSION_NAME.test(roleSessionName))
        throw new InputError(`Invalid input "role-session-name": ${quote(roleSessionName)} is not a session name: use 2 to 64 letters, digits, ".", "@", "_" or "-"`);
    const sessionMs = parseDuration('role-session-expiration', expiration, parse_SECOND, MAX_SESSION_MS);
    if (sessionMs < MIN_SESSION_MS) {
        throw new InputError(`Invalid input "role-session-expiration": ${quote(expiration)} is shorter than STS allows: use 15m or more (up to the role's maximum session duration, at most 12h); the credentials are renewed before they expire, so the session length does not limit the release`);
    }
    return Object.freeze({
        roleArn,
        oidcProviderArn,
        audience,
        roleSessionName,
        sessionMs,
        stsEndpoint: parseEndpoint(stsEndpoint, 'sts-endpoint', 'https://sts.aliyuncs.com'),
    });
}
/** gh-<run id>-<owner>.<repo>, cut to STS's 64 characters; it shows in ActionTrail as who used the role. */
function defaultSessionName(env) {
    const clean = (v) => (v ?? '')
        .trim()
        .replace(/\//g, '.')
        .replace(/[^A-Za-z0-9.@_-]/g, '_');
    const name = ['gh', clean(env.GITHUB_RUN_ID), clean(env.GITHUB_REPOSITORY)].filter(Boolean).join('-').slice(0, 64);
    return name.length >= 2 && name !== 'gh' ? name : 'sae-release-gate';
}

;// CONCATENATED MODULE: ./src/runner/log.ts
/**
 * Where raw API responses go: the debug log, but only when step debugging is on (RUNNER_DEBUG=1, what
 * core.isDebug() reads). Otherwise every poll would serialise and print a response nobody sees.
 */
function rawResponseLog(log, env) {
    return env.RUNNER_DEBUG === '1' ? (message) => log.debug(message) : undefined;
}

;// CONCATENATED MODULE: ./src/products/change-order.ts

function orderPhase(order) {
    const { phase } = status_statusInfo(order.status);
    if (!isSettled(phase) && order.subStatus === SUB_STATUS_ERROR)
        return 'stuck';
    return phase;
}
function batchesSucceeded(order) {
    return order.batches.filter((b) => hasSucceeded(b.status)).length;
}
/** The batch that waits for confirmation: the one whose status says so, else the current one. */
function waitingBatch(order) {
    return (order.batches.find((b) => status_statusInfo(b.status).phase === 'waiting-batch') ??
        order.batches.find((b) => b.id === order.currentBatchId));
}
/** The batch that failed, if any: a failed or aborted batch, else (when the order is stuck) the batch that was running. */
function failedBatch(order) {
    const failed = order.batches.find((b) => statusInfo(b.status).phase === 'failed');
    if (failed)
        return failed;
    if (orderPhase(order) === 'stuck') {
        return order.batches.find((b) => b.id === order.currentBatchId) ?? order.batches.find((b) => isRunning(b.status));
    }
    return undefined;
}

// EXTERNAL MODULE: ./node_modules/p-retry/index.js + 1 modules
var p_retry = __webpack_require__(4995);
;// CONCATENATED MODULE: ./src/alicloud/retry.ts



/**
 * The backoff follows the poll interval: a quarter of it to start (0.1 s to 2 s), doubling with jitter up to three
 * times it (1 s to 60 s). A 10 s poll retries after ~2 s, 4 s, 8 s, 16 s (before jitter); a 1 s poll (tests) after 0.25 s...
 */
function retryPolicyFor(pollIntervalMs) {
    return {
        retries: 4,
        minDelayMs: clamp(pollIntervalMs / 4, 100, 2000),
        maxDelayMs: clamp(pollIntervalMs * 3, 1000, 60_000),
    };
}
function clamp(v, lo, hi) {
    return Math.min(hi, Math.max(lo, Math.round(v)));
}
/** Runs an API call with jittered exponential backoff on transient errors; other errors end it at once. Throws ApiError. */
async function withRetry(operation, call, options) {
    const retryable = (e) => e.transient || (options.alsoRetry?.(e) ?? false);
    try {
        return await (0,p_retry/* default */.Ay)(call, {
            retries: options.policy.retries,
            minTimeout: options.policy.minDelayMs,
            maxTimeout: options.policy.maxDelayMs,
            randomize: true,
            signal: options.signal,
            maxRetryTime: options.maxRetryTimeMs,
            // p-retry asks shouldRetry only once it knows a retry can follow (time and retries left, not a bug's
            // TypeError), so announcing here never says "retrying" for an attempt that is the last.
            shouldRetry: async ({ error, attemptNumber, retryDelay }) => {
                const apiError = fromPopCoreError(operation, error);
                if (!retryable(apiError))
                    return false;
                // Retry-After is honoured, but bounded by the policy's longest delay: a server cannot park the gate.
                const extra = Math.min(apiError.retryAfterMs ?? 0, options.policy.maxDelayMs) - retryDelay;
                options.onRetry?.(apiError, attemptNumber, retryDelay + Math.max(0, extra));
                if (extra > 0)
                    await (0,promises_.setTimeout)(extra, undefined, { signal: options.signal });
                return true;
            },
        });
    }
    catch (err) {
        if (options.signal?.aborted)
            throw err;
        throw fromPopCoreError(operation, err);
    }
}

;// CONCATENATED MODULE: ./src/gate/remedy.ts







/** Another change on the app is mid-flight; worth waiting for when writing (docs/api-notes.md#errors-and-retries). */
const remedy_BUSY = new Set(['Application.ChangerOrderRunning', 'Application.InvalidStatus']);
/** See RemedyOptions.cancelGraceMs: SIGINT, then SIGTERM 7.5 s later, then a kill at 10 s. */
const CANCEL_GRACE_MS = 4500;
/**
 * Stops the release as asked. Retried on transient errors (a repeated abort is harmless: it answers "not running").
 * Callers run it at most once per run (see Gate), and never for a settled release.
 */
async function applyRemedy(options) {
    const { service, changeOrderId, remedy, log } = options;
    const by = options.input ? ` (${options.input})` : '';
    if (remedy === 'none') {
        return {
            requested: 'none',
            applied: 'none',
            state: 'skipped',
            detail: `Left the release as it is${options.input ? `: ${options.input} is none` : ''}.`,
        };
    }
    const rollback = remedy === 'abort-and-rollback';
    const words = rollback ? 'abort and roll back' : 'abort';
    log.info(`Asking ${service.product} to ${words} change order ${changeOrderId}${by}`);
    const grace = graceAfter(options.signal, options.cancelGraceMs ?? CANCEL_GRACE_MS);
    const deadline = grace
        ? AbortSignal.any([AbortSignal.timeout(options.deadlineMs), grace])
        : AbortSignal.timeout(options.deadlineMs);
    const abort = (withRollback) => withRetry('AbortChangeOrder', () => raceSignal(service.abort(changeOrderId, withRollback), deadline), {
        policy: options.retry,
        signal: deadline,
        maxRetryTimeMs: options.deadlineMs,
        alsoRetry: (e) => remedy_BUSY.has(e.code),
        onRetry: (e, attempt, delayMs) => log.info(`Abort attempt ${attempt} failed (${e.message}); retrying in ${delayMs} ms`),
    });
    const failure = (err) => isTimeout(err)
        ? new ApiError('AbortChangeOrder', 'RemedyTimeout', grace?.aborted
            ? `the run was cancelled and no answer came within ${formatDuration(options.cancelGraceMs ?? CANCEL_GRACE_MS)} more`
            : `no answer within ${formatDuration(options.deadlineMs)}`, 'timeout')
        : fromPopCoreError('AbortChangeOrder', err);
    let error;
    try {
        await abort(rollback);
        return {
            requested: remedy,
            applied: remedy,
            state: 'applied',
            detail: rollback
                ? `Aborted the change order and asked ${service.product} to roll it back${by}.`
                : `Aborted the change order${by}.`,
        };
    }
    catch (err) {
        error = failure(err);
    }
    if (rollback && rollbackRefused(error)) {
        // EDAS rolls back only deploy orders of apps on Kubernetes clusters; SAE may refuse it too. The release must not
        // go on because the rollback flavour was refused: stop it plainly, at once.
        log.warning(`${service.product} refused to abort and roll back change order ${changeOrderId} (${error.message}); aborting it without a rollback instead.`);
        try {
            await abort(false);
            return {
                requested: remedy,
                applied: 'abort',
                state: 'applied',
                detail: `${service.product} refused to roll back (${error.code}), so the action aborted the change order without a rollback${by}: roll the app back in the console if it needs it.`,
            };
        }
        catch (err) {
            error = failure(err);
        }
    }
    // "Not running" is only the API's word: the order may be waiting for a person and refuse an abort in that state.
    if (error.code === NOT_RUNNING)
        return afterNotRunning(options, words, deadline);
    return {
        requested: remedy,
        applied: 'none',
        state: 'failed',
        error,
        detail: `Failed to ${words} change order ${changeOrderId}: ${error.explained}. The release may still be running: stop it in the console.`,
    };
}
/** A clear refusal of the rollback flavour itself, as opposed to "not running", "not found" or "busy". */
function rollbackRefused(error) {
    return error.kind === 'rejected' && error.code !== NOT_RUNNING && error.code !== NOT_FOUND && !remedy_BUSY.has(error.code);
}
/**
 * After an abort answered "not running": read the order, and claim only what the read shows. An order that waits
 * for a manual batch is stopped the documented way (Confirm=false), then read again. Only a read that shows a final
 * status gives `already-settled`; anything else is `failed`, so the post step stays armed.
 */
async function afterNotRunning(options, words, deadline) {
    const { service, changeOrderId: id, remedy, log } = options;
    const product = service.product;
    const failed = (detail, order) => ({
        requested: remedy,
        applied: 'none',
        state: 'failed',
        detail,
        ...(order ? { order } : {}),
    });
    const read = () => withRetry(`${product} DescribeChangeOrder`, () => raceSignal(service.describe(id), deadline), {
        policy: options.retry,
        signal: deadline,
        maxRetryTimeMs: options.deadlineMs,
    });
    let order;
    try {
        order = await read();
    }
    catch (err) {
        return failed(`Did not ${words}: ${product} says change order ${id} is not running, but it could not be read to confirm (${failureText(err)}). Check it in the console.`);
    }
    const phase = orderPhase(order);
    const text = status_statusInfo(order.status).text;
    if (phase !== 'stuck' && isSettled(phase))
        return {
            requested: remedy,
            applied: 'none',
            state: 'already-settled',
            order,
            detail: `Did not ${words}: ${product} says the change order is not running, and a read shows it ${text}.`,
        };
    const batch = phase === 'waiting-batch' ? waitingBatch(order) : undefined;
    if (!batch || !service.stopAtBatch)
        return failed(`${product} refused to ${words} change order ${id} as not running, but a read shows it ${text}: it was not stopped. Stop it in the console.`, order);
    const label = `batch ${order.batches.indexOf(batch) + 1}/${order.batches.length} "${batch.name}"`;
    log.info(`${product} would not ${words} change order ${id} while it waits at ${label}; stopping it there instead (confirm the batch with Confirm=false).`);
    try {
        // A GET that changes state: sent once, never retried.
        await raceSignal(service.stopAtBatch(batch.id), deadline);
    }
    catch (err) {
        return failed(`${product} would not ${words} change order ${id} while it waits at ${label}, and refused to stop it there (${failureText(err)}). Stop it in the console.`, order);
    }
    const after = await read().catch(() => undefined);
    return {
        requested: remedy,
        applied: 'abort',
        state: 'applied',
        ...(after ? { order: after } : { order }),
        detail: `${product} would not ${words} change order ${id} while it waited at ${label}, so the action stopped it there (Confirm=false)${after ? `; a read shows it ${status_statusInfo(after.status).text}` : ''}.`,
    };
}
function failureText(err) {
    return isTimeout(err) ? 'no answer in time' : fromPopCoreError('DescribeChangeOrder', err).message;
}
function isTimeout(err) {
    return err instanceof DOMException && err.name === 'TimeoutError';
}

// EXTERNAL MODULE: ./src/runner/state.ts
var state = __webpack_require__(6003);
;// CONCATENATED MODULE: ./src/post.ts










/**
 * The post step's whole budget: it runs after a cancellation, when the runner will not wait long. Everything (the
 * credentials, the abort and its retries, the read after a "not running") shares one deadline below it, leaving time
 * for the summary line.
 */
const POST_DEADLINE_MS = 8000;
const POST_REMEDY_MS = 6500;
const defaultPostDeps = () => ({
    core: core_namespaceObject,
    env: process.env,
    appendSummary: appendSummary,
    createService: createService,
});
/**
 * The safety net. If main was killed before the release settled and before a remedy was confirmed (state `done` is not
 * "true"), apply on-cancel once, best-effort. Never fails the job: problems become warnings.
 */
async function runPost(deps = defaultPostDeps()) {
    const c = deps.core;
    const plan = (0,state/* planPost */.ig)((name) => c.getState(name));
    if (!plan.act) {
        c.debug(`Post step: nothing to do (${plan.reason}).`);
        return 'nothing';
    }
    const { changeOrderId } = plan;
    const startedAt = Date.now();
    try {
        const { settings } = readInputs((name) => (name === 'change-order-id' ? changeOrderId : c.getInput(name)), deps.env);
        const foreign = (0,state/* foreignState */.uC)((name) => c.getState(name), deps.env, settings.appId);
        if (foreign) {
            c.warning(`Post step: left change order ${changeOrderId} alone: ${foreign}.`);
            return 'nothing';
        }
        // The remedy main was applying when it stopped (an on-failure abort-and-rollback, say) wins over on-cancel.
        const inFlight = post_parseRemedy(c.getState(state/* STATE */.c4.remedy));
        const remedy = inFlight ?? settings.onCancel;
        const input = inFlight
            ? 'the remedy the main step was applying, from the post step'
            : 'on-cancel, from the post step';
        for (const s of [
            settings.credentials?.accessKeySecret,
            settings.credentials?.securityToken,
            settings.credentials?.accessKeyId,
            deps.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN,
        ])
            if (s)
                c.setSecret(s);
        if (remedy === 'none') {
            c.info(`Post step: the main step ended before change order ${changeOrderId} settled; on-cancel is none, so it is left running.`);
            await deps
                .appendSummary(`\n> 🧯 **Post step:** the gate stopped before change order <code>${changeOrderId}</code> settled; on-cancel is none, so the release was left running.\n`)
                .catch(() => undefined);
            return 'nothing';
        }
        const credentials = credentialSourceFor(settings, {
            clock: systemClock,
            log: c,
            mask: (s) => c.setSecret(s),
            getIDToken: githubIdToken(deps.env, deps.getIDToken),
            requestTimeoutMs: settings.requestTimeoutMs,
        });
        const service = deps.createService(settings, credentials, rawResponseLog(c, deps.env));
        c.warning(`Post step: the main step ended before change order ${changeOrderId} settled; applying ${inFlight ? `the remedy it was applying (${remedy})` : `on-cancel (${remedy})`}.`);
        const outcome = await applyRemedy({
            service,
            changeOrderId,
            remedy,
            input,
            retry: { retries: 3, minDelayMs: 250, maxDelayMs: 1500 },
            log: c,
            deadlineMs: Math.max(500, POST_REMEDY_MS - (Date.now() - startedAt)),
        });
        if (outcome.state === 'failed')
            c.warning(outcome.detail);
        else
            c.info(outcome.detail);
        await deps
            .appendSummary(`\n> 🧯 **Post step:** the gate stopped before change order <code>${changeOrderId}</code> settled. ${escapeLine(outcome.detail)}\n`)
            .catch((e) => c.warning(`Could not append to the job summary: ${String(e)}`));
        return outcome.state === 'failed' ? 'warned' : 'applied';
    }
    catch (err) {
        const message = err instanceof InputError ? err.message : fromPopCoreError('post step', err).message;
        c.warning(`Post step could not check change order ${changeOrderId}: ${message}`);
        return 'warned';
    }
}
function post_parseRemedy(value) {
    return value === 'abort' || value === 'abort-and-rollback' || value === 'none' ? value : undefined;
}
function escapeLine(text) {
    return text.replace(/[<>&|`]/g, (ch) => `&#${ch.charCodeAt(0)};`).replace(/\s+/g, ' ');
}


/***/ })

};
;