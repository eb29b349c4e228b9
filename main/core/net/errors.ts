/**
 * Errors every `HttpTransport` throws, so callers can tell a timeout, a dropped connection and
 * a cancelled request apart without knowing which transport (Node or Electron) sent it.
 * Messages name the origin and path only: query strings and bodies may carry secrets.
 */

/** Raised when one attempt takes longer than its `timeoutMs`. */
export class HttpTimeoutError extends Error {
  constructor(
    readonly target: string,
    readonly timeoutMs: number,
  ) {
    super(`Request to ${target} timed out after ${timeoutMs} ms. Check the network or the proxy, then try again.`);
    this.name = 'HttpTimeoutError';
  }
}

/**
 * Raised when the connection failed before a complete response arrived. `code` is the Node
 * error code (ECONNREFUSED, ECONNRESET, ENOTFOUND, CERT_HAS_EXPIRED, ...) or one of ours:
 * EPROXY (the proxy rejected the tunnel) and ERESPONSETOOLARGE.
 */
export class HttpNetworkError extends Error {
  constructor(
    readonly target: string,
    readonly code: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`Request to ${target} failed (${code}): ${detail}`, options);
    this.name = 'HttpNetworkError';
  }
}

/** Raised when the caller's `AbortSignal` fires; `name` is `AbortError` as the port requires. */
export class HttpAbortError extends Error {
  constructor(
    readonly target: string,
    options?: { cause?: unknown },
  ) {
    super(`Request to ${target} was cancelled.`, options);
    this.name = 'AbortError';
  }
}

/** Returns true for any abort error: ours, a DOMException from `fetch`, or Node's. */
export function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

/** Formats a URL for messages and logs as origin plus path, without the query or fragment. */
export function describeTarget(url: string | URL): string {
  try {
    const parsed = typeof url === 'string' ? new URL(url) : url;
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}
