/** One request as the sandbox's route handlers see it, and the state they share. */

import type { IncomingHttpHeaders } from 'node:http';
import type { SandboxClock } from './clock.ts';
import type { PresenceBook } from './graph/presence-book.ts';
import type { IdentityState } from './identity/identity-state.ts';
import type { SigningKey } from './identity/jwt.ts';
import type { SecretLedger } from './secret-ledger.ts';

export interface SandboxCall {
  method: string;
  /** The URL path, without the query. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  bodyText: string;
  /** `https://host:port` as the client addressed the sandbox, from the Host header. */
  origin: string;
  /** The ID the sandbox gave this request: Graph's `request-id`, Entra's trace ID. */
  requestId: string;
  /** The `client-request-id` the client sent (header, else query), or null. */
  clientRequestId: string | null;
}

/**
 * Strictness of the `sessionId` check in setPresence and clearPresence: equal to the token's
 * `appid` (`app-id`, the default), merely present (`present`), or none (`off`, where a missing
 * sessionId means the token's `appid`). Whether Graph itself checks it is not documented.
 */
export type SessionIdCheck = 'app-id' | 'present' | 'off';

export interface SandboxContext {
  clock: SandboxClock;
  key: SigningKey;
  identity: IdentityState;
  presence: PresenceBook;
  ledger: SecretLedger;
  settings: { sessionIdCheck: SessionIdCheck };
}

/** Returns the first value of a header. */
export function firstHeader(call: SandboxCall, name: string): string | undefined {
  const value = call.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
