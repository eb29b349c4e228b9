/**
 * Ends an abandoned interactive sign-in. MSAL Node 7.2.4 has no cancel for
 * `acquireTokenInteractive`: its loopback listener waits for the browser's form_post forever.
 * Posting an OAuth error with the pending request's `state` settles MSAL's promise, and MSAL
 * then closes the listener itself.
 */

import { request } from 'node:http';

/** Loopback names MSAL uses in its redirect URI (`http://localhost:<port>`). */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1']);

/** Time allowed for the loopback listener in this process to respond. */
const RELEASE_TIMEOUT_MS = 2_000;

/** The loopback port and `state` of a pending sign-in, read from its authorize URL. */
export interface PendingLoopback {
  port: number;
  state: string;
}

/** Reads the loopback port and `state` from an authorize URL, or returns null if either is missing. */
export function readPendingLoopback(authorizeUrl: string): PendingLoopback | null {
  const query = new URL(authorizeUrl).searchParams;
  const redirectUri = query.get('redirect_uri');
  const state = query.get('state');
  if (redirectUri === null || state === null || state === '') {
    return null;
  }

  const redirect = new URL(redirectUri);
  const port = Number(redirect.port);
  if (redirect.protocol !== 'http:' || !LOOPBACK_HOSTS.has(redirect.hostname) || !Number.isInteger(port) || port <= 0) {
    return null;
  }
  return { port, state };
}

/**
 * Posts `error=access_denied` with the pending `state` to MSAL's listener on 127.0.0.1 (the
 * address MSAL binds), so the sign-in rejects and the port closes. Resolves with the HTTP
 * status, and rejects when the listener is already gone or does not respond in time.
 */
export function releaseLoopback(pending: PendingLoopback, description: string): Promise<number> {
  const body = new URLSearchParams({ error: 'access_denied', error_description: description, state: pending.state }).toString();

  return new Promise<number>((resolve, reject) => {
    const outgoing = request(
      {
        host: '127.0.0.1',
        port: pending.port,
        path: '/',
        method: 'POST',
        // No keep-alive agent: an idle socket would outlive the listener it talks to.
        agent: false,
        timeout: RELEASE_TIMEOUT_MS,
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error(`loopback listener on port ${pending.port} did not respond within ${RELEASE_TIMEOUT_MS} ms`)));
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}
