/** A fake GitHub REST API on 127.0.0.1 that records deployment statuses (GITHUB_API_URL points at it in tests). */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedStatus {
  owner: string;
  repo: string;
  deploymentId: number;
  authorization: string;
  body: { state?: string; log_url?: string; environment_url?: string; description?: string };
}

export class FakeGitHub {
  readonly statuses: RecordedStatus[] = [];
  /** Answer every status post with this HTTP status instead of 201 (to test that failures only warn). */
  failWith?: number;
  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  static async start(): Promise<FakeGitHub> {
    const holder: { self?: FakeGitHub } = {};
    const server = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => holder.self!.handle(req, raw, res));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    holder.self = new FakeGitHub(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return holder.self;
  }

  private handle(req: http.IncomingMessage, raw: string, res: http.ServerResponse): void {
    const m = /^\/repos\/([^/]+)\/([^/]+)\/deployments\/(\d+)\/statuses$/.exec(req.url ?? '');
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'POST' || !m) return reply(404, { message: 'Not Found' });
    let body: RecordedStatus['body'];
    try {
      body = JSON.parse(raw) as RecordedStatus['body'];
    } catch {
      return reply(400, { message: 'Problems parsing JSON' });
    }
    this.statuses.push({
      owner: m[1] ?? '',
      repo: m[2] ?? '',
      deploymentId: Number(m[3]),
      authorization: String(req.headers.authorization ?? ''),
      body,
    });
    if (this.failWith) return reply(this.failWith, { message: 'Resource not accessible by integration' });
    reply(201, { id: this.statuses.length, state: body.state });
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
