/**
 * A small HTTP(S) client that trusts one extra CA, for talking to the sandbox from the sign-in
 * browser stand-in, the remote control client and tests. It is not the app's transport.
 */

import http from 'node:http';
import https from 'node:https';
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';

export interface SimpleResponse {
  status: number;
  /** Header names in lower case; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: string;
}

export interface SimpleRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** PEM of the only CA to trust for https; without it Node's bundled CAs apply. */
  ca?: string;
  /** Limit for the whole exchange; default 10 s. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/** Sends one request over a fresh connection and reads the whole response as text. */
export function sendRequest(url: string, options: SimpleRequest = {}): Promise<SimpleResponse> {
  const target = new URL(url);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const headers = { ...options.headers };
  if (options.body !== undefined) {
    headers['content-length'] = String(Buffer.byteLength(options.body));
  }

  return new Promise((resolve, reject) => {
    const requestOptions = { method: options.method ?? 'GET', headers, agent: false as const };
    const request =
      target.protocol === 'https:'
        ? https.request(target, { ...requestOptions, ca: options.ca })
        : http.request(target, requestOptions);

    request.setTimeout(timeoutMs, () => {
      request.destroy(new Error(`Timed out after ${timeoutMs} ms waiting for ${target.origin}${target.pathname}.`));
    });
    request.on('error', reject);
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        resolve({
          status: response.statusCode ?? 0,
          headers: flattenHeaders(response.headers),
          body: Buffer.concat(chunks).toString('utf8'),
        });
      });
    });

    if (options.body !== undefined) {
      request.write(options.body);
    }
    request.end();
  });
}

function flattenHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) {
      flat[name] = Array.isArray(value) ? value.join(', ') : value;
    }
  }
  return flat;
}

/**
 * Creates an MSAL `system.networkClient` that trusts the sandbox's CA, for tests and tools that
 * talk to the sandbox before the app's transport exists. MSAL expects the body parsed as JSON.
 */
export function sandboxNetworkClient(caPem: string): INetworkModule {
  const send = async <T>(method: 'GET' | 'POST', url: string, options?: NetworkRequestOptions, timeoutMs?: number): Promise<NetworkResponse<T>> => {
    const response = await sendRequest(url, { method, headers: options?.headers, body: options?.body, ca: caPem, timeoutMs });
    let body: unknown = {};
    try {
      body = JSON.parse(response.body);
    } catch {
      // MSAL treats a body that is not JSON as empty, as its own fetch client does.
    }
    return { status: response.status, headers: response.headers, body: body as T };
  };

  return {
    sendGetRequestAsync: (url, options, timeout) => send('GET', url, options, timeout),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
  };
}
