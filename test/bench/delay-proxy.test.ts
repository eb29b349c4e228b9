/**
 * The benchmark's delay proxy over real loopback sockets: an echo server behind it must see the
 * bytes unchanged and in order, each exchange must take at least the configured round trip, and
 * a new connection one more for its handshake. Upper bounds are loose for a loaded machine.
 */

import assert from 'node:assert/strict';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';

import { startDelayProxy, type DelayProxy } from './delay-proxy.ts';

const RTT_MS = 80;
/** Slack for timers firing late on a busy 2-core machine. */
const SLACK_MS = 2000;

describe('delay proxy', () => {
  let echo: net.Server;
  let proxy: DelayProxy;
  const clients = new Set<net.Socket>();

  before(async () => {
    echo = net.createServer((socket) => socket.pipe(socket));
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    proxy = await startDelayProxy({ targetHost: '127.0.0.1', targetPort: (echo.address() as AddressInfo).port, rttMs: RTT_MS });
  });

  after(async () => {
    for (const socket of clients) {
      socket.destroy();
    }
    await proxy.close();
    await new Promise<void>((resolve) => echo.close(() => resolve()));
  });

  async function connect(): Promise<net.Socket> {
    const socket = net.connect({ host: '127.0.0.1', port: proxy.port });
    clients.add(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return socket;
  }

  /** Writes `text` and resolves with the ms until the same number of bytes came back. */
  function exchange(socket: net.Socket, text: string): Promise<{ echoed: string; elapsedMs: number }> {
    const startedAt = performance.now();
    return new Promise((resolve) => {
      let echoed = '';
      const onData = (chunk: Buffer): void => {
        echoed += chunk.toString('utf8');
        if (echoed.length >= text.length) {
          socket.off('data', onData);
          resolve({ echoed, elapsedMs: performance.now() - startedAt });
        }
      };
      socket.on('data', onData);
      socket.write(text);
    });
  }

  it('first exchange pays the handshake', async () => {
    const socket = await connect();
    const { elapsedMs } = await exchange(socket, 'hello');

    assert.ok(elapsedMs >= 2 * RTT_MS - 2, `took ${elapsedMs} ms, expected at least ${2 * RTT_MS} ms`);
    assert.ok(elapsedMs < 2 * RTT_MS + SLACK_MS, `took ${elapsedMs} ms`);
  });

  it('open connection pays one RTT', async () => {
    const socket = await connect();
    await exchange(socket, 'warm-up');
    const { elapsedMs } = await exchange(socket, 'again');

    assert.ok(elapsedMs >= RTT_MS - 2, `took ${elapsedMs} ms, expected at least ${RTT_MS} ms`);
    assert.ok(elapsedMs < RTT_MS + SLACK_MS, `took ${elapsedMs} ms`);
  });

  it('bytes arrive unchanged in order', async () => {
    const socket = await connect();
    const parts = Array.from({ length: 50 }, (_unused, index) => `part-${index};`);
    const expected = parts.join('');

    const received = new Promise<string>((resolve) => {
      let text = '';
      socket.on('data', (chunk: Buffer) => {
        text += chunk.toString('utf8');
        if (text.length >= expected.length) {
          resolve(text);
        }
      });
    });
    for (const part of parts) {
      socket.write(part);
    }

    assert.equal(await received, expected);
  });

  it('counts each accepted connection', async () => {
    const before = proxy.connections();
    await connect();
    await connect();
    await new Promise((resolve) => setTimeout(resolve, 50));

    assert.equal(proxy.connections() - before, 2);
  });

  it('forwards the end after queued bytes', async () => {
    const socket = await connect();
    const received = new Promise<string>((resolve) => {
      let text = '';
      socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      socket.on('end', () => resolve(text));
    });
    socket.end('last words');

    assert.equal(await received, 'last words');
  });

  it('rejects a negative RTT', async () => {
    await assert.rejects(startDelayProxy({ targetHost: '127.0.0.1', targetPort: 1, rttMs: -1 }), /Invalid round-trip time -1 ms/);
  });
});
