/**
 * A TCP proxy on 127.0.0.1 that makes loopback behave like a link with a round-trip time: each
 * chunk is forwarded half the RTT after it arrived, in each direction, in order. A new
 * connection also pays the TCP handshake: nothing from the client is forwarded until one RTT
 * after the accept, as if the SYN/SYN-ACK exchange had just completed. TLS passes through
 * untouched, so the client still verifies the sandbox's certificate for 127.0.0.1.
 */

import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface DelayProxyOptions {
  /** Where accepted connections are forwarded, normally the sandbox. */
  targetHost: string;
  targetPort: number;
  /** Round-trip time to add, in ms. With 0 the proxy forwards at once. */
  rttMs: number;
}

export interface DelayProxy {
  port: number;
  /** `https://127.0.0.1:PORT`, the origin clients use in place of the sandbox's. */
  origin: string;
  /** Connections accepted since the start (each is one TCP and one TLS handshake). */
  connections(): number;
  /** Closes the listener and every open connection. */
  close(): Promise<void>;
}

interface QueuedChunk {
  chunk: Buffer;
  dueAt: number;
}

/**
 * Forwards `from` to `to` with `delayMs` per chunk. Chunks leave in arrival order and never
 * before `notBefore()`, which models the handshake on the client side.
 */
function pipeWithDelay(from: net.Socket, to: net.Socket, delayMs: number, notBefore: () => number, timers: Set<NodeJS.Timeout>): void {
  const queue: QueuedChunk[] = [];
  let timer: NodeJS.Timeout | null = null;
  let ended = false;

  const flush = (): void => {
    timer = null;
    const now = performance.now();
    while (queue.length > 0 && queue[0]!.dueAt <= now + 0.5) {
      const next = queue.shift()!;
      if (!to.destroyed) {
        to.write(next.chunk);
      }
    }
    if (queue.length > 0) {
      schedule();
    } else if (ended && !to.destroyed) {
      to.end();
    }
  };

  const schedule = (): void => {
    if (timer !== null || queue.length === 0) {
      return;
    }
    const waitMs = Math.max(0, queue[0]!.dueAt - performance.now());
    const handle = setTimeout(() => {
      timers.delete(handle);
      flush();
    }, waitMs);
    timers.add(handle);
    timer = handle;
  };

  from.on('data', (chunk: Buffer) => {
    const previous = queue.at(-1)?.dueAt ?? 0;
    const dueAt = Math.max(performance.now() + delayMs, notBefore() + delayMs, previous);
    queue.push({ chunk, dueAt });
    schedule();
  });
  // A close without an end (the peer reset) still lets queued chunks out first, as the
  // network would have delivered them before the reset.
  const finish = (): void => {
    if (ended) {
      return;
    }
    ended = true;
    if (queue.length === 0 && !to.destroyed) {
      to.end();
    }
  };
  from.on('end', finish);
  from.on('close', finish);
}

/** Starts the proxy on a free port of 127.0.0.1. */
export async function startDelayProxy(options: DelayProxyOptions): Promise<DelayProxy> {
  if (!Number.isFinite(options.rttMs) || options.rttMs < 0) {
    throw new RangeError(`Invalid round-trip time ${String(options.rttMs)} ms: pass a finite number >= 0.`);
  }
  const halfRttMs = options.rttMs / 2;
  const sockets = new Set<net.Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let accepted = 0;

  // Half-open sockets let a FIN travel with the same delay as the bytes queued before it.
  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    accepted += 1;
    const handshakeDoneAt = performance.now() + options.rttMs;
    const upstream = net.connect({ host: options.targetHost, port: options.targetPort, allowHalfOpen: true });
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    sockets.add(client);
    sockets.add(upstream);

    const destroyBoth = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', destroyBoth);
    upstream.on('error', destroyBoth);
    client.on('close', () => sockets.delete(client));
    upstream.on('close', () => sockets.delete(upstream));

    pipeWithDelay(client, upstream, halfRttMs, () => handshakeDoneAt, timers);
    pipeWithDelay(upstream, client, halfRttMs, () => 0, timers);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  return {
    port,
    origin: `https://127.0.0.1:${port}`,
    connections: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) {
          clearTimeout(timer);
        }
        timers.clear();
        for (const socket of sockets) {
          socket.destroy();
        }
        sockets.clear();
        server.close(() => resolve());
      }),
  };
}
