/**
 * A hostile server for tests: it stands in front of a real fake (FakeCloud, FakeSts, FakeGitHub) on 127.0.0.1 and,
 * for any request a rule matches, answers whatever the rule says instead: any status, headers, body, byte stream,
 * delay, or nothing at all. Requests no rule matches are passed through to the upstream fake unchanged, so a test can
 * break one call of an otherwise working release.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HostileRequest {
  readonly method: string;
  /** Path and query. */
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
  /** The request body as text (STS sends a form). */
  readonly body: string;
}

export interface HostileAnswer {
  /** Default 200. */
  status?: number;
  headers?: Record<string, string>;
  /** Sent at once (a string or bytes); an object is sent as JSON. */
  body?: string | Buffer | Record<string, unknown>;
  /** Sent after `body`, one chunk every `everyMs`, for ever unless `count` is given: a body that trickles. */
  trickle?: { chunk: string; everyMs: number; count?: number };
  /** Wait this long before answering. */
  delayMs?: number;
  /** Never answer (the connection stays open until the client gives up). */
  hang?: boolean;
  /** Close the socket instead of answering. */
  reset?: boolean;
  /** Write these bytes to the socket as the whole answer, status line and headers included (broken HTTP), then close. */
  raw?: string;
}

export interface HostileRule {
  readonly match: (req: HostileRequest) => boolean;
  /** The answer, or a function of the request and of the upstream's own answer (already read; undefined on error). */
  readonly answer: HostileAnswer | ((req: HostileRequest, upstream: Upstream | undefined) => HostileAnswer | undefined);
  /** How many requests it takes (default all). */
  times?: number;
  /** Needs the upstream's answer first (for rewriting it). */
  readonly readUpstream?: boolean;
}

export interface Upstream {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** Matches a ROA or RPC operation by name: in the path (ROA) or the Action parameter (RPC, query or form). */
export function operation(name: string): (req: HostileRequest) => boolean {
  return (req) =>
    (req.url.split('?')[0] ?? '').endsWith(`/${name}`) ||
    new URLSearchParams(req.url.split('?')[1] ?? '').get('Action') === name ||
    new URLSearchParams(req.body).get('Action') === name;
}

export class HostileServer {
  readonly requests: HostileRequest[] = [];
  private readonly rules: HostileRule[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
    private readonly upstream: string,
  ) {}

  /** Starts in front of `upstream` (a base URL such as FakeCloud's). */
  static async start(upstream: string): Promise<HostileServer> {
    const holder: { self?: HostileServer } = {};
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => void holder.self!.handle(req, Buffer.concat(chunks), res));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    holder.self = new HostileServer(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, upstream);
    return holder.self;
  }

  /** Adds a rule; the first rule that matches (and has uses left) answers. */
  on(rule: HostileRule): this {
    this.rules.push(rule);
    return this;
  }

  private async handle(req: http.IncomingMessage, raw: Buffer, res: http.ServerResponse): Promise<void> {
    const request: HostileRequest = {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      headers: req.headers,
      body: raw.toString(),
    };
    this.requests.push(request);
    const rule = this.rules.find((r) => (r.times ?? Infinity) > 0 && r.match(request));
    if (!rule) return this.pass(req, raw, res);
    if (rule.times !== undefined) rule.times -= 1;
    let answer: HostileAnswer | undefined;
    if (typeof rule.answer === 'function') {
      const upstream = rule.readUpstream ? await this.fetchUpstream(req, raw).catch(() => undefined) : undefined;
      answer = rule.answer(request, upstream);
      if (!answer) {
        if (upstream)
          return this.send(res, {
            status: upstream.status,
            headers: plainHeaders(upstream.headers),
            body: upstream.body,
          });
        return this.pass(req, raw, res);
      }
    } else answer = rule.answer;
    this.send(res, answer);
  }

  private send(res: http.ServerResponse, a: HostileAnswer): void {
    if (a.reset) return void res.socket?.destroy();
    if (a.raw !== undefined) {
      const socket = res.socket;
      if (!socket) return;
      socket.end(a.raw);
      return;
    }
    if (a.hang) return;
    const go = (): void => {
      const body =
        a.body === undefined
          ? ''
          : typeof a.body === 'string' || Buffer.isBuffer(a.body)
            ? a.body
            : JSON.stringify(a.body);
      res.writeHead(a.status ?? 200, { 'content-type': 'application/json;charset=utf-8', ...(a.headers ?? {}) });
      if (!a.trickle) return void res.end(body);
      res.write(body);
      let left = a.trickle.count ?? Infinity;
      const tick = (): void => {
        if (res.destroyed) return;
        if (left-- <= 0) return void res.end();
        res.write(a.trickle!.chunk);
        this.later(tick, a.trickle!.everyMs);
      };
      this.later(tick, a.trickle.everyMs);
    };
    if (a.delayMs) this.later(go, a.delayMs);
    else go();
  }

  private later(fn: () => void, ms: number): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  private fetchUpstream(req: http.IncomingMessage, raw: Buffer): Promise<Upstream> {
    return new Promise((resolve, reject) => {
      const target = new URL(req.url ?? '/', this.upstream);
      const headers = { ...req.headers, host: target.host };
      delete headers['accept-encoding'];
      const up = http.request(target, { method: req.method, headers }, (r) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () =>
          resolve({ status: r.statusCode ?? 0, headers: r.headers, body: Buffer.concat(chunks).toString() }),
        );
        r.on('error', reject);
      });
      up.on('error', reject);
      up.end(raw);
    });
  }

  private pass(req: http.IncomingMessage, raw: Buffer, res: http.ServerResponse): void {
    this.fetchUpstream(req, raw).then(
      (u) => this.send(res, { status: u.status, headers: plainHeaders(u.headers), body: u.body }),
      () => res.socket?.destroy(),
    );
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function plainHeaders(h: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h))
    if (v !== undefined && !['content-length', 'transfer-encoding', 'connection', 'content-encoding'].includes(k))
      out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}
