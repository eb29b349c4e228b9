/**
 * Bare `node:https` calls for the benchmark: the floor's clear request, and the untimed
 * `setPresence` that gives each timed clear a session to end. Nothing here retries or logs.
 */

import https from 'node:https';

export interface PresenceTarget {
  /** Origin requests go to: the delay proxy or the sandbox itself. */
  origin: string;
  presenceId: string;
  sessionId: string;
  /** Never logged or printed. */
  token: string;
}

export interface RawResponse {
  status: number;
  body: string;
}

/** Sends one POST with `agent` (false for a new connection) and reads the whole response. */
export function postJson(agent: https.Agent | false, url: string, token: string, body: object, ca: string): Promise<RawResponse> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = https.request(url, {
      method: 'POST',
      agent,
      ca,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(payload),
      },
    });
    request.setTimeout(30_000, () => request.destroy(new Error(`POST ${new URL(url).pathname} timed out after 30 s`)));
    request.on('error', reject);
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    request.end(payload);
  });
}

export function clearUrl(target: PresenceTarget): string {
  return `${target.origin}/v1.0/users/${target.presenceId}/presence/clearPresence`;
}

/** Sends the clear request exactly as the floor measures it. */
export function postClear(agent: https.Agent | false, target: PresenceTarget, ca: string): Promise<RawResponse> {
  return postJson(agent, clearUrl(target), target.token, { sessionId: target.sessionId }, ca);
}

/** Creates the app's session (Busy, 5 minutes), so the next clear ends a real one. */
export async function setSession(agent: https.Agent | false, target: PresenceTarget, ca: string): Promise<void> {
  const url = `${target.origin}/v1.0/users/${target.presenceId}/presence/setPresence`;
  const body = { sessionId: target.sessionId, availability: 'Busy', activity: 'InACall', expirationDuration: 'PT5M' };
  const response = await postJson(agent, url, target.token, body, ca);
  if (response.status < 200 || response.status > 299) {
    throw new Error(`setPresence before a timed clear returned ${response.status}: ${response.body.slice(0, 200)}`);
  }
}

/** Throws unless `response` is a 2xx, naming the case that got it. */
export function expectSuccess(response: RawResponse, what: string): void {
  if (response.status < 200 || response.status > 299) {
    throw new Error(`${what} returned ${response.status}, expected 2xx: ${response.body.slice(0, 200)}`);
  }
}
