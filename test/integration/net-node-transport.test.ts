/**
 * The Node transport against a real loopback HTTPS server with a self-signed certificate, and a
 * real loopback HTTP CONNECT proxy, over real sockets.
 */

import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { TLSSocket } from 'node:tls';
import { after, before, test } from 'node:test';

import { generate } from 'selfsigned';

import { HttpNetworkError, HttpTimeoutError } from '../../main/core/net/errors.ts';
import { createMsalNetworkClient } from '../../main/core/net/msal-network.ts';
import { createNodeTransport, type NodeTransport, type NodeTransportOptions } from '../../main/core/net/node-transport.ts';

interface Served {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  socket: TLSSocket;
}

let caPem = '';
let server: https.Server;
let origin = '';
let connections = 0;
const served: Served[] = [];
/** Sockets that already carried a `/reset-on-reuse` request. */
const usedSockets = new WeakSet<object>();

let proxy: http.Server;
let proxyUrl = '';
const connectRequests: Array<{ target: string; authorization: string | undefined }> = [];
let proxyRejects = false;

const transports: NodeTransport[] = [];

function transport(options: NodeTransportOptions = {}): NodeTransport {
  const created = createNodeTransport({ extraCaPem: caPem, env: {}, ...options });
  transports.push(created);
  return created;
}

function handle(req: http.IncomingMessage, res: http.ServerResponse): void {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const socket = req.socket as TLSSocket;
    served.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString(), socket });

    switch (req.url) {
      case '/slow':
        // Sends no response; the client's timeout or abort ends the request.
        return;
      case '/reset':
        socket.destroy();
        return;
      case '/reset-on-reuse':
        // Imitates a server that closed an idle keep-alive connection as the request arrived.
        if (usedSockets.has(socket)) {
          socket.destroy();
          return;
        }
        usedSockets.add(socket);
        res.end('first');
        return;
      case '/big':
        res.end('x'.repeat(4096));
        return;
      case '/cookies':
        res.setHeader('Set-Cookie', ['a=1', 'b=2']);
        res.end();
        return;
      case '/json':
        res.setHeader('Content-Type', 'application/json');
        res.end('{"issuer":"https://127.0.0.1"}');
        return;
      default:
        res.statusCode = 201;
        res.setHeader('X-Echo-Method', req.method ?? '');
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify({ body: Buffer.concat(chunks).toString() }));
    }
  });
}

/** Handles CONNECT by tunnelling to 127.0.0.1 only, so no test traffic can leave the machine. */
function handleConnect(req: http.IncomingMessage, client: net.Socket, head: Buffer): void {
  connectRequests.push({ target: req.url ?? '', authorization: req.headers['proxy-authorization'] });
  const [host, port] = (req.url ?? '').split(':');
  if (proxyRejects || host !== '127.0.0.1') {
    client.end('HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n');
    return;
  }

  const upstream = net.connect(Number(port), '127.0.0.1', () => {
    client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    upstream.write(head);
    upstream.pipe(client);
    client.pipe(upstream);
  });
  upstream.on('error', () => client.destroy());
  client.on('error', () => upstream.destroy());
}

before(async () => {
  const pems = await generate([{ name: 'commonName', value: 'transport test' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }] }],
  });
  caPem = pems.cert;

  server = https.createServer({ cert: pems.cert, key: pems.private, keepAliveTimeout: 30_000 }, handle);
  // TCP accepts, counted when they happen: the server's TLS handshake may finish after the
  // client's, so 'secureConnection' could be counted late.
  server.on('connection', () => {
    connections += 1;
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  origin = `https://127.0.0.1:${(server.address() as net.AddressInfo).port}`;

  proxy = http.createServer((_req, res) => {
    res.statusCode = 405;
    res.end();
  });
  proxy.on('connect', handleConnect);
  proxy.listen(0, '127.0.0.1');
  await once(proxy, 'listening');
  proxyUrl = `http://127.0.0.1:${(proxy.address() as net.AddressInfo).port}`;
});

after(async () => {
  for (const created of transports) {
    created.close();
  }
  server.closeAllConnections();
  proxy.closeAllConnections();
  await Promise.all([new Promise((resolve) => server.close(resolve)), new Promise((resolve) => proxy.close(resolve))]);
});

/** Counts connections the server accepts while `work` runs. */
async function countConnections(work: () => Promise<void>): Promise<number> {
  const before = connections;
  await work();
  return connections - before;
}

test('POST returns status, headers and body', async () => {
  const response = await transport().send({ method: 'POST', url: `${origin}/echo`, headers: { 'Content-Type': 'text/plain' }, body: 'héllo' });

  assert.equal(response.status, 201);
  assert.equal(response.headers['x-echo-method'], 'POST');
  assert.deepEqual(JSON.parse(response.body), { body: 'héllo' });
});

test('POST sends byte length', async () => {
  await transport().send({ method: 'POST', url: `${origin}/echo`, headers: {}, body: 'héllo' });

  assert.equal(served.at(-1)?.headers['content-length'], '6');
});

test('header names lower case', async () => {
  const response = await transport().send({ method: 'GET', url: `${origin}/echo`, headers: {} });

  for (const name of Object.keys(response.headers)) {
    assert.equal(name, name.toLowerCase());
  }
});

test('repeated headers joined', async () => {
  const response = await transport().send({ method: 'GET', url: `${origin}/cookies`, headers: {} });

  assert.equal(response.headers['set-cookie'], 'a=1, b=2');
});

test('self-signed rejected without CA', async () => {
  const untrusting = createNodeTransport({ env: {} });
  transports.push(untrusting);

  await assert.rejects(untrusting.send({ method: 'GET', url: `${origin}/echo`, headers: {} }), (error: unknown) => {
    assert.ok(error instanceof HttpNetworkError);
    assert.match(error.code, /SELF_SIGNED|UNABLE_TO_VERIFY|DEPTH_ZERO/);
    return true;
  });
});

test('http URL rejected', async () => {
  await assert.rejects(transport().send({ method: 'GET', url: 'http://127.0.0.1:1/', headers: {} }), /use https/);
});

test('keep-alive reuses one connection', async () => {
  const reused = transport();

  const opened = await countConnections(async () => {
    for (let i = 0; i < 3; i += 1) {
      await reused.send({ method: 'POST', url: `${origin}/echo`, headers: {}, body: `${i}` });
    }
  });

  assert.equal(opened, 1);
});

test('prewarm opens the connection early', async () => {
  const warm = transport();

  const openedByPrewarm = await countConnections(async () => {
    assert.equal(await warm.prewarm(origin), true);
  });
  const openedBySend = await countConnections(async () => {
    await warm.send({ method: 'POST', url: `${origin}/echo`, headers: {}, body: 'x' });
  });

  assert.equal(openedByPrewarm, 1);
  assert.equal(openedBySend, 0);
});

test('prewarm skipped when pooled', async () => {
  const warm = transport();
  await warm.send({ method: 'GET', url: `${origin}/echo`, headers: {} });

  const opened = await countConnections(async () => {
    assert.equal(await warm.prewarm(origin), true);
  });

  assert.equal(opened, 0);
});

test('prewarm of closed port is false', async () => {
  const closed = net.createServer();
  closed.listen(0, '127.0.0.1');
  await once(closed, 'listening');
  const port = (closed.address() as net.AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));

  assert.equal(await transport().prewarm(`https://127.0.0.1:${port}`), false);
});

test('timeout raises HttpTimeoutError', async () => {
  await assert.rejects(transport().send({ method: 'GET', url: `${origin}/slow`, headers: {}, timeoutMs: 200 }), (error: unknown) => {
    assert.ok(error instanceof HttpTimeoutError);
    assert.equal(error.timeoutMs, 200);
    return true;
  });
});

test('abort raises AbortError', async () => {
  const controller = new AbortController();
  const pending = transport().send({ method: 'GET', url: `${origin}/slow`, headers: {}, signal: controller.signal });
  setTimeout(() => controller.abort(), 50);

  await assert.rejects(pending, { name: 'AbortError' });
});

test('aborted signal sends nothing', async () => {
  const count = served.length;

  await assert.rejects(
    transport().send({ method: 'GET', url: `${origin}/echo`, headers: {}, signal: AbortSignal.abort() }),
    { name: 'AbortError' },
  );
  assert.equal(served.length, count);
});

test('reset raises ECONNRESET', async () => {
  await assert.rejects(transport().send({ method: 'GET', url: `${origin}/reset`, headers: {} }), (error: unknown) => {
    assert.ok(error instanceof HttpNetworkError);
    assert.equal(error.code, 'ECONNRESET');
    return true;
  });
});

test('closed pooled connection retried once', async () => {
  const pooled = transport();
  await pooled.send({ method: 'GET', url: `${origin}/reset-on-reuse`, headers: {} });

  const response = await pooled.send({ method: 'GET', url: `${origin}/reset-on-reuse`, headers: {} });

  assert.equal(response.body, 'first');
});

test('refused raises ECONNREFUSED', async () => {
  const closed = net.createServer();
  closed.listen(0, '127.0.0.1');
  await once(closed, 'listening');
  const port = (closed.address() as net.AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));

  await assert.rejects(transport().send({ method: 'GET', url: `https://127.0.0.1:${port}/`, headers: {} }), (error: unknown) => {
    assert.ok(error instanceof HttpNetworkError);
    assert.equal(error.code, 'ECONNREFUSED');
    assert.match(error.message, new RegExp(`127\\.0\\.0\\.1:${port}`));
    return true;
  });
});

test('oversized response rejected', async () => {
  await assert.rejects(transport({ maxResponseBytes: 1024 }).send({ method: 'GET', url: `${origin}/big`, headers: {} }), (error: unknown) => {
    assert.ok(error instanceof HttpNetworkError);
    assert.equal(error.code, 'ERESPONSETOOLARGE');
    return true;
  });
});

test('every request goes through the proxy', async () => {
  const proxied = transport({ env: { HTTPS_PROXY: proxyUrl } });
  const connectsBefore = connectRequests.length;
  const port = new URL(origin).port;

  for (let i = 0; i < 3; i += 1) {
    const response = await proxied.send({ method: 'POST', url: `${origin}/echo`, headers: {}, body: `${i}` });
    assert.equal(response.status, 201);
  }

  // One tunnel, kept alive for all three requests.
  assert.deepEqual(connectRequests.slice(connectsBefore).map((c) => c.target), [`127.0.0.1:${port}`]);
});

test('proxy credentials sent, not shown', async () => {
  const withCredentials = new URL(proxyUrl);
  withCredentials.username = 'alice';
  withCredentials.password = 's3cret';
  const proxied = transport({ env: { https_proxy: withCredentials.href } });

  await proxied.send({ method: 'GET', url: `${origin}/echo`, headers: {} });

  assert.equal(connectRequests.at(-1)?.authorization, `Basic ${Buffer.from('alice:s3cret').toString('base64')}`);
  assert.equal(proxied.describeProxy(), proxyUrl);
});

test('no proxy describes null', () => {
  assert.equal(transport().describeProxy(), null);
});

test('NO_PROXY bypasses the proxy', async () => {
  const bypassing = transport({ env: { HTTPS_PROXY: proxyUrl, NO_PROXY: '127.0.0.1' } });
  const connectsBefore = connectRequests.length;

  await bypassing.send({ method: 'GET', url: `${origin}/echo`, headers: {} });

  assert.equal(connectRequests.length, connectsBefore);
});

test('proxy rejection raises EPROXY', async () => {
  proxyRejects = true;
  try {
    await assert.rejects(transport({ env: { HTTPS_PROXY: proxyUrl } }).send({ method: 'GET', url: `${origin}/echo`, headers: {} }), (error: unknown) => {
      assert.ok(error instanceof HttpNetworkError);
      assert.equal(error.code, 'EPROXY');
      assert.match(error.message, /407/);
      return true;
    });
  } finally {
    proxyRejects = false;
  }
});

test('MSAL client goes through the proxy', async () => {
  const proxied = transport({ env: { HTTPS_PROXY: proxyUrl } });
  const connectsBefore = connectRequests.length;

  const response = await createMsalNetworkClient(proxied).sendGetRequestAsync<{ issuer: string }>(`${origin}/json`);

  assert.equal(response.body.issuer, 'https://127.0.0.1');
  assert.equal(connectRequests.length, connectsBefore + 1);
});
