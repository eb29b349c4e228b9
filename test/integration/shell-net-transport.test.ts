/**
 * The Electron transport over real loopback sockets. Node's own `fetch` stands in for
 * `net.fetch`: both implement the WHATWG fetch API the adapter calls.
 */

import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';

import { HttpNetworkError, HttpTimeoutError } from '../../main/core/net/errors.ts';
import { createElectronTransport, describePacResult } from '../../main/shell/net-transport.ts';
import { MemoryLog } from '../fakes/logger.ts';

type Handler = (request: IncomingMessage, body: string, response: ServerResponse) => void;

describe('shell net transport', () => {
  let server: Server;
  let origin = '';
  let handler: Handler = (_request, _body, response) => response.end();
  const sockets = new Set<Socket>();

  before(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => (body += chunk));
      request.on('end', () => handler(request, body, response));
    });
    server.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    for (const socket of sockets) {
      socket.destroy();
    }
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  function transport(maxResponseBytes?: number) {
    return createElectronTransport({
      net: { fetch: (input, init) => fetch(input, init) },
      session: { resolveProxy: async () => 'DIRECT' },
      logger: new MemoryLog().logger,
      proxyProbeUrl: 'https://graph.microsoft.com/',
      ...(maxResponseBytes === undefined ? {} : { maxResponseBytes }),
    });
  }

  it('sends method, headers and body', async () => {
    let seen: { method?: string; type?: string; body?: string } = {};
    handler = (request, body, response) => {
      seen = { method: request.method, type: request.headers['content-type'], body };
      response.writeHead(200, { 'Request-Id': 'abc-123' });
      response.end('{"ok":true}');
    };

    const response = await transport().send({
      method: 'POST',
      url: `${origin}/v1.0/users/x/presence/clearPresence`,
      headers: { 'Content-Type': 'application/json' },
      body: '{"sessionId":"s"}',
    });

    assert.equal(seen.method, 'POST');
    assert.equal(seen.type, 'application/json');
    assert.equal(seen.body, '{"sessionId":"s"}');
    assert.equal(response.status, 200);
    assert.equal(response.headers['request-id'], 'abc-123');
    assert.equal(response.body, '{"ok":true}');
  });

  it('returns error statuses', async () => {
    handler = (_request, _body, response) => {
      response.writeHead(429, { 'Retry-After': '7' });
      response.end();
    };

    const response = await transport().send({ method: 'GET', url: `${origin}/x`, headers: {} });

    assert.equal(response.status, 429);
    assert.equal(response.headers['retry-after'], '7');
  });

  it('times out a silent server', async () => {
    handler = () => {};
    await assert.rejects(transport().send({ method: 'GET', url: `${origin}/slow`, headers: {}, timeoutMs: 200 }), HttpTimeoutError);
  });

  it('aborts on the caller signal', async () => {
    handler = () => {};
    const controller = new AbortController();
    const sending = transport().send({ method: 'GET', url: `${origin}/slow`, headers: {}, signal: controller.signal });
    setTimeout(() => controller.abort(), 50);

    await assert.rejects(sending, (error: Error) => error.name === 'AbortError');
  });

  it('rejects an aborted signal at once', async () => {
    await assert.rejects(
      transport().send({ method: 'GET', url: `${origin}/x`, headers: {}, signal: AbortSignal.abort() }),
      (error: Error) => error.name === 'AbortError',
    );
  });

  it('maps a reset to a network error', async () => {
    handler = (request) => request.socket.destroy();
    await assert.rejects(transport().send({ method: 'GET', url: `${origin}/reset`, headers: {} }), HttpNetworkError);
  });

  it('maps a refused connection', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    await assert.rejects(
      transport().send({ method: 'GET', url: `http://127.0.0.1:${port}/`, headers: {} }),
      (error: HttpNetworkError) => error instanceof HttpNetworkError && error.code === 'ECONNREFUSED',
    );
  });

  it('refuses to follow a redirect', async () => {
    handler = (_request, _body, response) => {
      response.writeHead(302, { Location: 'https://elsewhere.example/' });
      response.end();
    };

    await assert.rejects(
      transport().send({ method: 'GET', url: `${origin}/moved`, headers: { Authorization: 'Bearer x' } }),
      (error: HttpNetworkError) => error.code === 'EREDIRECT',
    );
  });

  it('limits the response size', async () => {
    handler = (_request, _body, response) => response.end('x'.repeat(4096));
    await assert.rejects(
      transport(1024).send({ method: 'GET', url: `${origin}/big`, headers: {} }),
      (error: HttpNetworkError) => error.code === 'ERESPONSETOOLARGE',
    );
  });

  it('rejects plain http off loopback', async () => {
    await assert.rejects(transport().send({ method: 'GET', url: 'http://graph.microsoft.com/v1.0/me', headers: {} }), /Unsupported URL scheme http:/);
  });

  it('describes the system proxy', async () => {
    const electronTransport = createElectronTransport({
      net: { fetch },
      session: { resolveProxy: async () => 'PROXY proxy.corp.example:8080; DIRECT' },
      logger: new MemoryLog().logger,
      proxyProbeUrl: 'https://graph.microsoft.com/',
    });

    const before = electronTransport.describeProxy();
    await electronTransport.refreshProxy();

    assert.equal(before, null);
    assert.equal(electronTransport.describeProxy(), 'http://proxy.corp.example:8080');
  });
});

describe('pac result description', () => {
  const cases: Array<[string, string | null]> = [
    ['DIRECT', null],
    ['PROXY proxy:3128', 'http://proxy:3128'],
    ['HTTPS secure.proxy:443; DIRECT', 'https://secure.proxy:443'],
    ['SOCKS5 127.0.0.1:1080', 'socks5://127.0.0.1:1080'],
    ['DIRECT; PROXY proxy:3128', null],
    ['', null],
  ];
  for (const [pac, expected] of cases) {
    it(`describes "${pac}"`, () => {
      assert.equal(describePacResult(pac), expected);
    });
  }
});
