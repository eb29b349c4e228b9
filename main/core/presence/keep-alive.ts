/**
 * The keep-alive schedule of the presence session as pure functions: how long each
 * `setPresence` requests Microsoft to keep the session, and when the next refresh goes out.
 *
 * Graph facts (Microsoft Graph API reference, presence-setpresence): `expirationDuration` accepts
 * PT5M to PT4H and defaults to PT5M. An `Available` session also times out 5 minutes after
 * the last `setPresence` and fades to AvailableInactive, then to Away. The two clocks differ, so
 * every refresh must come well inside 5 minutes whatever the expiration.
 */

import { MAX_SESSION_EXPIRATION_MS, MIN_SESSION_EXPIRATION_MS } from '../graph/duration.ts';

const MINUTE_MS = 60_000;

/** Default self-expiry bound, the `presence.selfExpiryMinutes` setting's default. */
export const DEFAULT_SELF_EXPIRY_MS = 10 * MINUTE_MS;

/** Gap between refreshes: one minute inside the 5-minute timeout of an Available session. */
export const KEEP_ALIVE_INTERVAL_MS = 4 * MINUTE_MS;

/**
 * First wait after a failed refresh. Each further failure doubles it, up to the keep-alive
 * interval, so an outage costs at most one attempt per interval.
 */
export const KEEP_ALIVE_RETRY_MS = 30_000;

/** Clamps the self-expiry setting into the range Graph accepts. */
export function clampSelfExpiry(selfExpiryMs: number): number {
  if (!Number.isFinite(selfExpiryMs)) {
    return DEFAULT_SELF_EXPIRY_MS;
  }
  return Math.min(MAX_SESSION_EXPIRATION_MS, Math.max(MIN_SESSION_EXPIRATION_MS, selfExpiryMs));
}

/**
 * Returns the `expirationDuration` for one `setPresence`, in whole seconds as ms: the self-expiry
 * bound, shortened to the time left in the user's intent, but never below PT5M. When less than
 * 5 minutes of intent remain, the session requests PT5M and clears at the intent's end itself.
 */
export function computeExpirationMs(selfExpiryMs: number, intentLeftMs: number | null): number {
  const bound = clampSelfExpiry(selfExpiryMs);
  if (intentLeftMs === null) {
    return floorToSecond(bound);
  }
  return floorToSecond(Math.max(MIN_SESSION_EXPIRATION_MS, Math.min(bound, intentLeftMs)));
}

/**
 * Returns the wait before the next refresh attempt after `consecutiveFailures` failed ones
 * (0 after a success). A Retry-After from Graph is always honoured, even past the interval.
 */
export function nextRefreshDelayMs(consecutiveFailures: number, retryAfterMs: number | null = null): number {
  let delay = KEEP_ALIVE_INTERVAL_MS;
  if (consecutiveFailures > 0) {
    const exponent = Math.min(consecutiveFailures - 1, 10);
    delay = Math.min(KEEP_ALIVE_INTERVAL_MS, KEEP_ALIVE_RETRY_MS * 2 ** exponent);
  }
  if (retryAfterMs !== null && retryAfterMs > delay) {
    delay = retryAfterMs;
  }
  return delay;
}

function floorToSecond(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}
