import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';

import { readPendingLoopback, releaseLoopback } from '../../main/core/auth/loopback-release.ts';

function authorizeUrl(query: Record<string, string>): string {
  return `https://127.0.0.1:9443/tenant/oauth2/v2.0/authorize?${new URLSearchParams(query).toString()}`;
}

describe('readPendingLoopback', () => {
  it('reads port and state', () => {
    const url = authorizeUrl({ redirect_uri: 'http://localhost:51234', state: 'eyJpZCI6IjEyMyJ9' });

    assert.deepEqual(readPendingLoopback(url), { port: 51234, state: 'eyJpZCI6IjEyMyJ9' });
  });

  it('rejects a missing state', () => {
    assert.equal(readPendingLoopback(authorizeUrl({ redirect_uri: 'http://localhost:51234' })), null);
  });

  it('rejects a missing redirect', () => {
    assert.equal(readPendingLoopback(authorizeUrl({ state: 'abc' })), null);
  });

  it('rejects a remote redirect', () => {
    assert.equal(readPendingLoopback(authorizeUrl({ redirect_uri: 'http://example.com:51234', state: 'abc' })), null);
  });

  it('rejects a portless redirect', () => {
    assert.equal(readPendingLoopback(authorizeUrl({ redirect_uri: 'http://localhost', state: 'abc' })), null);
  });
});

describe('releaseLoopback', () => {
  const servers: Server[] = [];

  after(() => {
    for (const server of servers) {
      server.close();
    }
  });

  it('posts error and state as a form', async () => {
    let received = { method: '', type: '', body: '' };
    const server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      request.on('end', () => {
        received = { method: request.method ?? '', type: request.headers['content-type'] ?? '', body };
        response.end('ok');
      });
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;

    const status = await releaseLoopback({ port, state: 'state+/=' }, 'cancelled');

    const form = new URLSearchParams(received.body);
    assert.equal(status, 200);
    assert.equal(received.method, 'POST');
    assert.equal(received.type, 'application/x-www-form-urlencoded');
    assert.equal(form.get('error'), 'access_denied');
    assert.equal(form.get('state'), 'state+/=');
  });

  it('rejects when nothing listens', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));

    await assert.rejects(releaseLoopback({ port, state: 'abc' }, 'cancelled'), /ECONNREFUSED/);
  });
});
