/**
 * `HttpTransport` over Electron's `net.fetch`, which uses Chromium's network stack: the system
 * proxy settings (PAC and WPAD included) and the OS trust store. Errors are the same classes the
 * Node transport throws (`main/core/net/errors.ts`), so core code handles both alike.
 */

import type { Net, Session } from 'electron';

import { describeTarget, HttpAbortError, HttpNetworkError, HttpTimeoutError } from '../core/net/errors.ts';
import type { HttpRequest, HttpResponse, HttpTransport, Logger } from '../core/ports.ts';

export type NetApi = Pick<Net, 'fetch'>;
export type ProxyResolverApi = Pick<Session, 'resolveProxy'>;

export interface ElectronTransport extends HttpTransport {
  /** Reads the proxy Chromium uses for `proxyProbeUrl` and keeps it for `describeProxy`. */
  refreshProxy(): Promise<void>;
}

export interface ElectronTransportOptions {
  net: NetApi;
  /** The session whose proxy settings `net.fetch` follows (the default session). */
  session: ProxyResolverApi;
  logger: Logger;
  /** A URL the app calls, so the proxy shown is the one its requests take. */
  proxyProbeUrl: string;
  /** Largest response body accepted, in bytes; defaults to 8 MiB like the Node transport. */
  maxResponseBytes?: number;
}

const DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Turns Chromium's proxy result (PAC form, `"PROXY host:port; DIRECT"`) into a URL for display,
 * or null when the first choice is a direct connection.
 */
export function describePacResult(pac: string): string | null {
  const first = pac.split(';')[0]?.trim() ?? '';
  const match = /^(PROXY|HTTPS|SOCKS|SOCKS4|SOCKS5|QUIC)\s+(\S+)$/i.exec(first);
  if (match === null) {
    return null;
  }

  const scheme: Record<string, string> = { PROXY: 'http', HTTPS: 'https', SOCKS: 'socks4', SOCKS4: 'socks4', SOCKS5: 'socks5', QUIC: 'quic' };
  return `${scheme[match[1]!.toUpperCase()]}://${match[2]}`;
}

function checkUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TypeError(`Invalid request URL "${describeTarget(text)}": expected an absolute https URL.`);
  }
  // http is accepted on loopback only, where a token never leaves the machine.
  const plainLoopback = url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
  if (url.protocol !== 'https:' && !plainLoopback) {
    throw new TypeError(`Unsupported URL scheme ${url.protocol} in ${describeTarget(url)}: use https.`);
  }
  return url;
}

/** Returns the Node error code or Chromium `net::ERR_*` name of a failed fetch. */
function networkErrorCode(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  if (typeof cause?.code === 'string') {
    return cause.code;
  }
  const chromium = /net::(ERR_[A-Z0-9_]+)/.exec(String(error));
  return chromium?.[1] ?? 'UNKNOWN';
}

async function readBody(response: Response, target: string, maxBytes: number): Promise<string> {
  if (response.body === null) {
    return '';
  }

  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) {
      break;
    }
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new HttpNetworkError(target, 'ERESPONSETOOLARGE', `response body is larger than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Creates the transport; call `refreshProxy` once after `app` is ready. */
export function createElectronTransport(options: ElectronTransportOptions): ElectronTransport {
  const log = options.logger.child('net');
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  let proxy: string | null = null;

  const send = async (request: HttpRequest): Promise<HttpResponse> => {
    const url = checkUrl(request.url);
    const target = describeTarget(url);
    if (request.signal?.aborted === true) {
      throw new HttpAbortError(target, { cause: request.signal.reason });
    }

    // One controller carries the caller's abort and the timeout, and its reason says which fired.
    const controller = new AbortController();
    const onCallerAbort = (): void => controller.abort(new HttpAbortError(target, { cause: request.signal?.reason }));
    request.signal?.addEventListener('abort', onCallerAbort, { once: true });
    const timer =
      request.timeoutMs === undefined
        ? null
        : setTimeout(() => controller.abort(new HttpTimeoutError(target, request.timeoutMs ?? 0)), request.timeoutMs);

    try {
      const response = await options.net.fetch(url.href, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal: controller.signal,
        // Graph and the token endpoint never redirect; following one could carry the token elsewhere.
        redirect: 'manual',
        credentials: 'omit',
        cache: 'no-store',
      });
      if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
        throw new HttpNetworkError(target, 'EREDIRECT', 'the server responded with a redirect, which the app does not follow');
      }

      const body = await readBody(response, target, maxResponseBytes);
      const headers: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        headers[name.toLowerCase()] = value;
      });
      return { status: response.status, headers, body };
    } catch (error) {
      if (controller.signal.aborted && controller.signal.reason instanceof Error) {
        throw controller.signal.reason;
      }
      if (error instanceof HttpNetworkError) {
        throw error;
      }
      const detail = error instanceof Error ? error.message : String(error);
      throw new HttpNetworkError(target, networkErrorCode(error), detail, { cause: error });
    } finally {
      if (timer !== null) {
        clearTimeout(timer);
      }
      request.signal?.removeEventListener('abort', onCallerAbort);
    }
  };

  return {
    send,

    describeProxy: () => proxy,

    async refreshProxy() {
      let pac: string;
      try {
        pac = await options.session.resolveProxy(options.proxyProbeUrl);
      } catch (error) {
        log.warn('Reading the system proxy failed', { error: String(error) });
        return;
      }

      const next = describePacResult(pac);
      if (next !== proxy) {
        log.info('System proxy for the app', { proxy: next ?? 'direct' });
      }
      proxy = next;
    },
  };
}
