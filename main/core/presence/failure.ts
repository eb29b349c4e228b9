/**
 * Maps a failed presence call to what the session does next. The Graph client throws
 * `GraphError` and the auth service throws `AuthError`. Both carry a `kind` string, so this
 * module reads that field instead of importing either class.
 */

import { redactSecrets } from '../log.ts';

/**
 * - `sign-in-required`: the token is gone or rejected; retrying without the user cannot help.
 * - `not-allowed`: consent, account type or permissions; retrying cannot help.
 * - `rejected`: Graph refused the request itself (400); retrying the same body cannot help.
 * - `throttled`: 429/503 past the caller's deadline; wait at least `retryAfterMs`.
 * - `unreachable`: network, timeout or a server error; retry later.
 * - `aborted`: the session cancelled the call itself.
 * - `unexpected`: an error without a known kind, most likely a bug; retry later.
 */
export type FailureCategory =
  | 'sign-in-required'
  | 'not-allowed'
  | 'rejected'
  | 'throttled'
  | 'unreachable'
  | 'aborted'
  | 'unexpected';

export interface Failure {
  category: FailureCategory;
  /** The error's message with anything that looks like a token removed. */
  message: string;
  /** Graph's Retry-After, in ms, when the error carries one. */
  retryAfterMs: number | null;
  requestId: string | null;
}

const CATEGORY_BY_KIND: Readonly<Record<string, FailureCategory>> = {
  // GraphError kinds
  unauthorized: 'sign-in-required',
  forbidden: 'not-allowed',
  'bad-request': 'rejected',
  'not-found': 'rejected',
  throttled: 'throttled',
  server: 'unreachable',
  network: 'unreachable',
  timeout: 'unreachable',
  aborted: 'aborted',
  // AuthError kinds
  'signed-out': 'sign-in-required',
  'interaction-required': 'sign-in-required',
  'admin-consent-needed': 'not-allowed',
  'personal-account': 'not-allowed',
  configuration: 'not-allowed',
  transient: 'unreachable',
  cancelled: 'aborted',
};

function readString(error: object, field: string): string | null {
  const value: unknown = (error as Record<string, unknown>)[field];
  return typeof value === 'string' ? value : null;
}

function readNumber(error: object, field: string): number | null {
  const value: unknown = (error as Record<string, unknown>)[field];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Classifies a rejection from `PresenceWriter` or from the token renewal. */
export function classifyFailure(error: unknown): Failure {
  if (typeof error !== 'object' || error === null) {
    return { category: 'unexpected', message: redactSecrets(String(error)), retryAfterMs: null, requestId: null };
  }

  const kind = readString(error, 'kind');
  const name = readString(error, 'name');
  let category: FailureCategory = 'unexpected';
  if (kind !== null && Object.hasOwn(CATEGORY_BY_KIND, kind)) {
    category = CATEGORY_BY_KIND[kind] ?? 'unexpected';
  } else if (name === 'AbortError') {
    category = 'aborted';
  }

  const message = readString(error, 'message') ?? String(error);
  return {
    category,
    message: redactSecrets(message),
    retryAfterMs: readNumber(error, 'retryAfterMs'),
    requestId: readString(error, 'requestId'),
  };
}

/** Returns whether the keep-alive may try again later; the other categories stop it. */
export function isRetryable(category: FailureCategory): boolean {
  return category === 'throttled' || category === 'unreachable' || category === 'unexpected';
}
