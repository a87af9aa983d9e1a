/** The hard limits on pop-core's HTTP client: a deadline that closes the socket, a cap on the inflated body. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import httpx from 'httpx';
import { BODY_MAX, installHttpLimits } from '../../src/alicloud/http-limits.js';

let server: http.Server;
let url: string;
const open = new Set<import('node:net').Socket>();
let connections = 0;
let trickleSocketClosed = false;

beforeAll(async () => {
  installHttpLimits();
  server = http.createServer((req, res) => {
    if (req.url === '/trickle') {
      res.writeHead(200, { 'content-type': 'application/json' });
      const t = setInterval(() => res.write(' '), 50);
      res.on('close', () => clearInterval(t));
      req.socket.on('close', () => (trickleSocketClosed = true));
    } else if (req.url === '/bomb') {
      res.writeHead(200, { 'content-encoding': 'gzip', 'content-type': 'application/json' });
      res.end(gzipSync(Buffer.alloc(BODY_MAX + 1024)));
    } else if (req.url === '/gzip') {
      res.writeHead(200, { 'content-encoding': 'gzip', 'content-type': 'application/json' });
      res.end(gzipSync('{"ok":true}'));
    } else res.end('{"plain":1}');
  });
  server.on('connection', (s) => {
    connections += 1;
    open.add(s);
    s.on('close', () => open.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const get = async (path: string, timeout = 2000): Promise<string> =>
  String(await httpx.read(await httpx.request(`${url}${path}`, { timeout }), 'utf8'));

describe('http limits', () => {
  it('reads plain and gzip bodies as before, one after the other over one kept-alive connection', async () => {
    const before = connections;
    expect(await get('/plain')).toBe('{"plain":1}');
    expect(await get('/gzip')).toBe('{"ok":true}');
    // A finished request gives its socket back to the shared keep-alive pool (Node unrefs idle pooled sockets, so it
    // holds no process open); only a deadline or a failed read destroys it (the tests below).
    expect(connections - before).toBe(1);
  });

  it('fails a body that trickles at the deadline and closes its socket', async () => {
    const started = Date.now();
    await expect(get('/trickle', 300)).rejects.toMatchObject({ name: 'RequestTimeoutError' });
    expect(Date.now() - started).toBeLessThan(1500);
    await new Promise((r) => setTimeout(r, 50));
    expect(trickleSocketClosed).toBe(true);
  });

  it('fails a body that inflates past the cap, without reading it all', async () => {
    await expect(get('/bomb')).rejects.toMatchObject({ name: 'ResponseTooLargeError' });
  });
});
