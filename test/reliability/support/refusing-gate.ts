/**
 * A TCP relay on 127.0.0.1 in front of the sandbox. The Graph base URL points at it, so a test
 * can make Graph refuse connections for real: `refuse()` stops listening and drops every open
 * connection, and `open()` listens on the same port again. TLS runs end to end through it.
 */

import { once } from 'node:events';
import net from 'node:net';

export class RefusingGate {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  private portValue = 0;
  /** True between a call to `open` or `refuse` and the moment the change took effect. */
  changing = false;

  constructor(private readonly targetPort: number) {}

  get port(): number {
    return this.portValue;
  }

  get origin(): string {
    return `https://127.0.0.1:${this.portValue}`;
  }

  isOpen(): boolean {
    return this.server !== null;
  }

  /** Listens on the gate's port (a free one the first time). */
  async open(): Promise<void> {
    if (this.server !== null) {
      return;
    }
    this.changing = true;
    try {
      const server = net.createServer((client) => this.relay(client));
      server.listen(this.portValue, '127.0.0.1');
      await once(server, 'listening');
      this.portValue = (server.address() as net.AddressInfo).port;
      this.server = server;
    } finally {
      this.changing = false;
    }
  }

  /** Stops listening and drops open connections, so the next connect gets ECONNREFUSED. */
  async refuse(): Promise<void> {
    const server = this.server;
    if (server === null) {
      return;
    }
    this.changing = true;
    this.server = null;
    try {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of this.sockets) {
        socket.destroy();
      }
      this.sockets.clear();
      await closed;
    } finally {
      this.changing = false;
    }
  }

  async close(): Promise<void> {
    await this.refuse();
  }

  private relay(client: net.Socket): void {
    const upstream = net.connect(this.targetPort, '127.0.0.1');
    this.sockets.add(client);
    this.sockets.add(upstream);
    const drop = (): void => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on('error', drop);
    upstream.on('error', drop);
    client.on('close', drop);
    upstream.on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  }
}
