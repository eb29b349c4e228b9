/**
 * `HttpTransport` over `node:https`, for the command line, the sandbox tests and any run
 * outside Electron. It keeps connections alive between requests, because a clear on suspend
 * has about 1.5 s and a warm connection saves the TCP and TLS handshakes. On loopback a warm
 * keep-alive POST through `node:https` took about 0.12 ms, against 0.5 ms for Node's `fetch`.
 */

import { once } from 'node:events';
import https from 'node:https';
import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';

import { HttpsProxyAgent } from 'https-proxy-agent';

import type { HttpRequest, HttpResponse, HttpTransport, Logger } from '../ports.ts';
import { describeTarget, HttpAbortError, HttpNetworkError, HttpTimeoutError } from './errors.ts';
import { type Environment, readHttpsProxy, redactProxyUrl, selectProxy } from './proxy-env.ts';

export interface NodeTransportOptions {
  /** Extra trusted CA certificates in PEM form (the sandbox's), added to Node's bundled roots. */
  extraCaPem?: string;
  /** Environment that `https_proxy` and `no_proxy` are read from; defaults to `process.env`. */
  env?: Environment;
  /** Milliseconds an unused pooled or prewarmed connection stays open; defaults to 60 s. */
  idleConnectionTimeoutMs?: number;
  /** Largest response body accepted, in bytes; defaults to 8 MiB. */
  maxResponseBytes?: number;
  logger?: Logger;
}

/**
 * NOTE: an estimate, not a measurement. Long enough that a keep-alive refresh or a clear shortly
 * after another request reuses the connection, short enough that a connection which died during
 * a network change is dropped before it can stall a later request.
 */
const DEFAULT_IDLE_CONNECTION_TIMEOUT_MS = 60_000;

/** Graph presence responses are a few hundred bytes; the limit only stops runaway bodies. */
const DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

const DEFAULT_PREWARM_TIMEOUT_MS = 10_000;

/** Node error codes meaning the server closed a pooled connection before reading the request. */
const STALE_CONNECTION_CODES = new Set(['ECONNRESET', 'EPIPE']);

function connectionKey(host: string, port: number | string | null | undefined): string {
  return `${host}:${port ?? 443}`;
}

/**
 * A keep-alive agent that can open a TLS connection before any request needs it. The next
 * request to that host and port gets the open connection from `createConnection`, the hook
 * Node documents for custom agents.
 */
class PrewarmingAgent extends https.Agent {
  private readonly warm = new Map<string, { socket: tls.TLSSocket; forget: () => void }>();

  override createConnection(
    options: https.RequestOptions,
    callback?: (err: Error | null, stream: Duplex) => void,
  ): Duplex | null | undefined {
    const key = connectionKey(String(options.host ?? 'localhost'), options.port);
    const socket = this.takeWarm(key);
    if (socket !== null) {
      return socket;
    }
    return super.createConnection(options, callback);
  }

  /** Opens a connection to `host:port` and keeps it until a request takes it. */
  async prewarm(host: string, port: number, timeoutMs: number): Promise<void> {
    const key = connectionKey(host, port);
    if (this.warm.has(key)) {
      return;
    }

    // Node leaves SNI out for IP addresses; doing the same keeps the connection identical to
    // the one a request would open.
    const servername = isIP(host) === 0 ? host : '';
    const socket = super.createConnection({ ...this.options, host, port, servername }) as tls.TLSSocket;
    const timer = setTimeout(() => socket.destroy(new Error(`TLS handshake took longer than ${timeoutMs} ms`)), timeoutMs);
    try {
      await once(socket, 'secureConnect');
    } finally {
      clearTimeout(timer);
    }

    const forget = (): void => {
      if (this.warm.get(key)?.socket === socket) {
        this.warm.delete(key);
      }
      socket.destroy();
    };
    socket.on('error', forget);
    socket.on('close', forget);
    socket.on('timeout', forget);
    socket.setTimeout(this.options.timeout ?? DEFAULT_IDLE_CONNECTION_TIMEOUT_MS);
    // An idle warm connection must not keep a finished command-line process alive.
    socket.unref();
    this.warm.set(key, { socket, forget });
  }

  /** Returns true when a pooled or prewarmed connection to `host:port` is open. */
  hasIdleConnection(host: string, port: number): boolean {
    if (this.warm.has(connectionKey(host, port))) {
      return true;
    }
    const servername = isIP(host) === 0 ? host : '';
    const name = this.getName({ ...this.options, host, port, servername });
    return (this.freeSockets[name]?.length ?? 0) > 0;
  }

  destroyIdle(): void {
    for (const { socket } of this.warm.values()) {
      socket.destroy();
    }
    this.warm.clear();
    for (const sockets of Object.values(this.freeSockets)) {
      for (const socket of sockets ?? []) {
        socket.destroy();
      }
    }
  }

  override destroy(): void {
    this.destroyIdle();
    super.destroy();
  }

  private takeWarm(key: string): tls.TLSSocket | null {
    const entry = this.warm.get(key);
    this.warm.delete(key);
    if (entry === undefined || entry.socket.destroyed || entry.socket.readyState !== 'open') {
      return null;
    }

    const { socket, forget } = entry;
    socket.removeListener('error', forget);
    socket.removeListener('close', forget);
    socket.removeListener('timeout', forget);
    socket.setTimeout(0);
    socket.ref();
    return socket;
  }
}

interface AttemptFailure {
  error: Error;
  /** True when a pooled connection failed before any response byte arrived. */
  staleConnection: boolean;
}

/**
 * Sends requests with `node:https`: keep-alive connection reuse, an optional extra CA, the
 * `https_proxy` tunnel (HTTP CONNECT through `https-proxy-agent`) and per-attempt timeouts.
 */
export class NodeTransport implements HttpTransport {
  private readonly directAgent: PrewarmingAgent;
  private readonly proxyAgent: HttpsProxyAgent<string> | null;
  private readonly proxy: URL | null;
  private readonly env: Environment;
  /**
   * TLS context with the extra CA, built once: passing `ca` per connection made Node build a
   * new context for every handshake (about 20 ms each in `npm run bench`).
   */
  private readonly secureContext: tls.SecureContext | undefined;
  private readonly maxResponseBytes: number;
  private readonly logger: Logger | null;

  constructor(options: NodeTransportOptions = {}) {
    this.env = options.env ?? process.env;
    this.proxy = readHttpsProxy(this.env);
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.logger = options.logger?.child('net') ?? null;

    // Passing `ca` replaces Node's roots, so the bundled roots are listed with the extra one.
    // NOTE: certificates from NODE_EXTRA_CA_CERTS are not in `tls.rootCertificates` and are
    // dropped when `extraCaPem` is set.
    this.secureContext =
      options.extraCaPem === undefined ? undefined : tls.createSecureContext({ ca: [...tls.rootCertificates, options.extraCaPem] });

    const idleTimeoutMs = options.idleConnectionTimeoutMs ?? DEFAULT_IDLE_CONNECTION_TIMEOUT_MS;
    // Node's agent destroys a pooled connection when its socket timeout fires while it is idle.
    this.directAgent = new PrewarmingAgent({ keepAlive: true, timeout: idleTimeoutMs, secureContext: this.secureContext });
    this.proxyAgent =
      this.proxy === null
        ? null
        : new HttpsProxyAgent(this.proxy.href, {
            keepAlive: true,
            timeout: idleTimeoutMs,
            // Used only for the TLS connection to an https proxy; the target's context is set per request.
            ...(this.proxy.protocol === 'https:' && this.secureContext !== undefined ? { secureContext: this.secureContext } : {}),
          });
  }

  describeProxy(): string | null {
    return this.proxy === null ? null : redactProxyUrl(this.proxy);
  }

  async send(request: HttpRequest): Promise<HttpResponse> {
    const url = this.parseUrl(request.url);
    const target = describeTarget(url);
    const proxied = selectProxy(url, this.env) !== null;

    // One controller carries both the caller's abort and the per-attempt timeout, so every
    // path that ends the request gets the same reason.
    const controller = new AbortController();
    const onCallerAbort = (): void => controller.abort(new HttpAbortError(target, { cause: request.signal?.reason }));
    if (request.signal?.aborted === true) {
      throw new HttpAbortError(target, { cause: request.signal.reason });
    }
    request.signal?.addEventListener('abort', onCallerAbort, { once: true });
    const timer =
      request.timeoutMs === undefined
        ? null
        : setTimeout(() => controller.abort(new HttpTimeoutError(target, request.timeoutMs ?? 0)), request.timeoutMs);

    try {
      const first = await this.attempt(url, request, proxied, controller.signal);
      if (!('error' in first)) {
        return first;
      }
      if (!first.staleConnection) {
        throw first.error;
      }

      // The server closed the pooled connection as the request went out. Node's documentation
      // for `request.reusedSocket` recommends one retry on a new connection for this case.
      this.logger?.debug('Retrying on a new connection after a pooled one was closed', { target });
      const second = await this.attempt(url, request, proxied, controller.signal);
      if ('error' in second) {
        throw second.error;
      }
      return second;
    } finally {
      if (timer !== null) {
        clearTimeout(timer);
      }
      request.signal?.removeEventListener('abort', onCallerAbort);
    }
  }

  /**
   * Opens a TLS connection to `origin` ahead of need, so the next request skips the
   * handshakes. Returns false (and logs) when it could not, or when requests to `origin` go
   * through a proxy.
   * NOTE: proxied connections are not prewarmed; the first request opens the tunnel.
   */
  async prewarm(origin: string, timeoutMs = DEFAULT_PREWARM_TIMEOUT_MS): Promise<boolean> {
    const url = this.parseUrl(origin);
    if (selectProxy(url, this.env) !== null) {
      return false;
    }

    const host = url.hostname.replace(/^\[|\]$/g, '');
    const port = url.port === '' ? 443 : Number(url.port);
    if (this.directAgent.hasIdleConnection(host, port)) {
      return true;
    }
    try {
      await this.directAgent.prewarm(host, port, timeoutMs);
      return true;
    } catch (error) {
      this.logger?.warn('Could not prewarm a connection', { target: url.origin, error: String(error) });
      return false;
    }
  }

  /** Closes unused connections, for example after resume, when they may be dead. */
  closeIdleConnections(): void {
    this.directAgent.destroyIdle();
    for (const sockets of Object.values(this.proxyAgent?.freeSockets ?? {})) {
      for (const socket of sockets ?? []) {
        socket.destroy();
      }
    }
  }

  /** Closes every connection; requests still running fail with a network error. */
  close(): void {
    this.directAgent.destroy();
    this.proxyAgent?.destroy();
  }

  private parseUrl(text: string): URL {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new TypeError(`Invalid request URL "${describeTarget(text)}": expected an absolute https URL.`);
    }
    if (url.protocol !== 'https:') {
      throw new TypeError(`Unsupported URL scheme ${url.protocol} in ${describeTarget(url)}: use https.`);
    }
    return url;
  }

  private attempt(
    url: URL,
    request: HttpRequest,
    proxied: boolean,
    signal: AbortSignal,
  ): Promise<HttpResponse | AttemptFailure> {
    const target = describeTarget(url);

    return new Promise((resolve) => {
      let settled = false;
      let responseStarted = false;

      const headers: Record<string, string | number> = {};
      for (const [name, value] of Object.entries(request.headers)) {
        headers[name.toLowerCase()] = value;
      }
      if (request.body !== undefined || request.method !== 'GET') {
        headers['content-length'] = Buffer.byteLength(request.body ?? '');
      }

      const req = https.request(url, {
        method: request.method,
        headers,
        agent: proxied ? (this.proxyAgent ?? undefined) : this.directAgent,
        // Through the tunnel, the target's TLS options come from the request.
        ...(proxied && this.secureContext !== undefined ? { secureContext: this.secureContext } : {}),
      });

      const finish = (result: HttpResponse | AttemptFailure): void => {
        if (settled) {
          return;
        }
        settled = true;
        signal.removeEventListener('abort', onAbort);
        if ('error' in result) {
          req.destroy();
        }
        resolve(result);
      };
      const onAbort = (): void => {
        const reason: unknown = signal.reason;
        const error = reason instanceof Error ? reason : new HttpAbortError(target);
        finish({ error, staleConnection: false });
      };
      if (signal.aborted) {
        onAbort();
        return;
      }
      signal.addEventListener('abort', onAbort, { once: true });

      req.on('proxyConnect', (connect: { statusCode?: number }) => {
        if (connect.statusCode !== 200) {
          const proxy = this.describeProxy() ?? 'the proxy';
          const detail = `${proxy} replied to CONNECT with status ${connect.statusCode ?? 'unknown'}; check the proxy address and credentials in HTTPS_PROXY`;
          finish({ error: new HttpNetworkError(target, 'EPROXY', detail), staleConnection: false });
        }
      });

      req.on('error', (error: NodeJS.ErrnoException) => {
        const code = error.code ?? 'UNKNOWN';
        const staleConnection = req.reusedSocket && !responseStarted && STALE_CONNECTION_CODES.has(code);
        finish({ error: new HttpNetworkError(target, code, error.message, { cause: error }), staleConnection });
      });

      req.on('response', (res) => {
        responseStarted = true;
        const chunks: Buffer[] = [];
        let size = 0;

        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > this.maxResponseBytes) {
            const detail = `response body is larger than ${this.maxResponseBytes} bytes`;
            finish({ error: new HttpNetworkError(target, 'ERESPONSETOOLARGE', detail), staleConnection: false });
            return;
          }
          chunks.push(chunk);
        });
        res.on('error', (error: NodeJS.ErrnoException) => {
          const detail = `connection closed while reading the response: ${error.message}`;
          finish({ error: new HttpNetworkError(target, error.code ?? 'ECONNRESET', detail, { cause: error }), staleConnection: false });
        });
        res.on('end', () => {
          finish({
            status: res.statusCode ?? 0,
            headers: flattenHeaders(res.headers),
            body: Buffer.concat(chunks).toString('utf8'),
          });
        });
      });

      req.end(request.body);
    });
  }
}

/** Joins repeated headers with ", " (RFC 9110 §5.3); Node already lower-cases the names. */
function flattenHeaders(headers: NodeJS.Dict<string | string[]>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) {
      flat[name] = Array.isArray(value) ? value.join(', ') : value;
    }
  }
  return flat;
}

/** Creates the Node transport; see `NodeTransportOptions` for the defaults. */
export function createNodeTransport(options: NodeTransportOptions = {}): NodeTransport {
  return new NodeTransport(options);
}
