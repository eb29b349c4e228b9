/**
 * The retry decision for a Graph request, as a pure function of what came back and how much
 * time is left. Graph's throttling guidance says to wait at least `Retry-After` seconds after a
 * 429, because requests sent while throttled extend the throttling. 503 and 504 are transient
 * and retried the same way. Without `Retry-After`, the client backs off exponentially.
 */

/** First backoff step in ms; full jitter picks a wait between 0 and the step. */
export const BACKOFF_BASE_MS = 500;

/** Largest backoff step in ms, so a long outage still retries twice a minute. */
export const BACKOFF_CAP_MS = 30_000;

/** Statuses that mean "try again later" (Graph throttling and errors pages). */
const RETRYABLE_STATUSES = new Set([429, 503, 504]);

/** Outcome of one attempt: an HTTP status, or no response at all. */
export type AttemptResult = number | 'network' | 'timeout';

export interface RetryNow {
  /** Monotonic ms, the same clock as the deadline. */
  monotonicMs: number;
  /** Unix epoch ms, for `Retry-After` given as an HTTP date. */
  wallMs: number;
}

export type RetryDecision =
  /** The result is final: success, or an error that another attempt would not fix. */
  | { kind: 'final' }
  | { kind: 'retry'; waitMs: number; basis: 'retry-after' | 'backoff'; retryAfterMs: number | null }
  /** A retry was due, but waiting `waitMs` would pass the deadline. */
  | { kind: 'deadline'; waitMs: number; basis: 'retry-after' | 'backoff'; retryAfterMs: number | null };

/**
 * Parses `Retry-After` (RFC 9110 §10.2.3): delay seconds or an HTTP date, relative to
 * `nowWallMs`. Returns the wait in ms (0 for a date in the past), or null when the header is
 * missing or malformed.
 */
export function parseRetryAfter(value: string | undefined, nowWallMs: number): number | null {
  if (value === undefined) {
    return null;
  }
  const text = value.trim();

  if (/^\d+$/.test(text)) {
    return Number(text) * 1000;
  }

  const at = parseHttpDate(text);
  if (at === null) {
    return null;
  }
  return Math.max(0, at - nowWallMs);
}

/**
 * Parses the three HTTP-date forms of RFC 9110 §5.6.7 to epoch ms, or returns null. Only those
 * forms are tried, because `Date.parse` alone also reads "-5" and "1.5" as dates.
 */
function parseHttpDate(text: string): number | null {
  const imfOrRfc850 = /^[A-Za-z]{3,9}, \d{1,2}[ -][A-Za-z]{3}[ -]\d{2,4} \d{2}:\d{2}:\d{2} GMT$/;
  const asctime = /^[A-Za-z]{3} [A-Za-z]{3} [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/;

  let candidate: string;
  if (imfOrRfc850.test(text)) {
    candidate = text;
  } else if (asctime.test(text)) {
    // asctime carries no zone; HTTP dates are always GMT.
    candidate = `${text} GMT`;
  } else {
    return null;
  }

  const at = Date.parse(candidate);
  return Number.isNaN(at) ? null : at;
}

/**
 * Returns the exponential backoff wait with full jitter before attempt `attempt + 1`:
 * a random wait in [0, min(cap, base * 2^(attempt - 1))).
 */
export function backoffMs(attempt: number, random: () => number): number {
  const step = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * step);
}

/** Looks up a header by name, ignoring case. */
export function headerValue(headers: Readonly<Record<string, string>>, name: string): string | undefined {
  const lowerName = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === lowerName) {
      return value;
    }
  }
  return undefined;
}

/**
 * Decides what to do after attempt number `attempt` (1 for the first) ended with `result`.
 * 401 is not handled here: the caller refreshes the token once, which needs no wait.
 */
export function decideRetry(
  result: AttemptResult,
  headers: Readonly<Record<string, string>>,
  attempt: number,
  now: RetryNow,
  deadlineMs: number,
  random: () => number,
): RetryDecision {
  const retryable = typeof result !== 'number' || RETRYABLE_STATUSES.has(result);
  if (!retryable) {
    return { kind: 'final' };
  }

  const retryAfterMs = typeof result === 'number' ? parseRetryAfter(headerValue(headers, 'retry-after'), now.wallMs) : null;
  const basis = retryAfterMs === null ? 'backoff' : 'retry-after';
  const waitMs = retryAfterMs ?? backoffMs(attempt, random);

  // The next attempt needs some time of its own, so a wait that ends exactly at the deadline
  // is as useless as one that ends after it.
  if (now.monotonicMs + waitMs >= deadlineMs) {
    return { kind: 'deadline', waitMs, basis, retryAfterMs };
  }
  return { kind: 'retry', waitMs, basis, retryAfterMs };
}
