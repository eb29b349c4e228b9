/**
 * MSAL's `system.networkClient` over our `HttpTransport`. MSAL Node 7's built-in client uses
 * Node's global `fetch`, which ignores `HTTPS_PROXY` and the sandbox's CA, so without this
 * sign-in fails behind a corporate proxy even when Graph calls work.
 */

import { AuthError, type INetworkModule, type NetworkRequestOptions, type NetworkResponse } from '@azure/msal-node';

import type { HttpTransport, Logger } from '../ports.ts';
import { describeTarget, HttpTimeoutError, isAbortError } from './errors.ts';

export interface MsalNetworkOptions {
  /**
   * Limit in ms for a request MSAL gives no timeout (every POST: token, device code). MSAL's
   * own client then waits forever; 30 s is an estimate that lets a slow proxy finish.
   */
  defaultTimeoutMs?: number;
  logger?: Logger;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** MSAL's code for network failures (`ClientAuthErrorCodes.networkError` in msal-common 16). */
const MSAL_NETWORK_ERROR = 'network_error';

/** Parses a JSON body the way MSAL expects: an object, or `{}` when the body is not JSON. */
function parseBody(text: string): unknown {
  if (text.trim() === '') {
    return {};
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return {};
  }
}

/** Creates an MSAL network module that sends every request through `transport`. */
export function createMsalNetworkClient(transport: HttpTransport, options: MsalNetworkOptions = {}): INetworkModule {
  const logger = options.logger?.child('msal-net') ?? null;
  const defaultTimeoutMs = options.defaultTimeoutMs ?? DEFAULT_TIMEOUT_MS;

  async function send<T>(
    method: 'GET' | 'POST',
    url: string,
    request: NetworkRequestOptions | undefined,
    timeoutMs: number | undefined,
  ): Promise<NetworkResponse<T>> {
    const target = describeTarget(url);
    try {
      const response = await transport.send({
        method,
        url,
        headers: { ...(request?.headers ?? {}) },
        ...(method === 'POST' ? { body: request?.body ?? '' } : {}),
        timeoutMs: timeoutMs !== undefined && timeoutMs > 0 ? timeoutMs : defaultTimeoutMs,
      });
      logger?.debug('Identity request finished', { method, target, status: response.status });
      return { headers: response.headers, body: parseBody(response.body) as T, status: response.status };
    } catch (error) {
      // MSAL treats an AuthError with this code as a network failure, the same as its own
      // client does. The message names the target only: bodies carry codes and tokens.
      const detail = error instanceof HttpTimeoutError || isAbortError(error) ? 'Request timeout' : String(error);
      logger?.warn('Identity request failed', { method, target, error: detail });
      const wrapped = new AuthError(MSAL_NETWORK_ERROR, request?.correlationId ?? '', `Network request to ${target} failed: ${detail}`);
      wrapped.cause = error;
      throw wrapped;
    }
  }

  return {
    sendGetRequestAsync: <T>(url: string, request?: NetworkRequestOptions, timeout?: number) =>
      send<T>('GET', url, request, timeout),
    sendPostRequestAsync: <T>(url: string, request?: NetworkRequestOptions) => send<T>('POST', url, request, undefined),
  };
}
