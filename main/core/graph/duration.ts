/**
 * ISO 8601 durations as Graph's `expirationDuration` uses them ("PT1H", "PT4M30S"). Days are
 * rejected because a day is not always 24 hours, so an hour count says what is meant.
 */

/** Shortest `expirationDuration` that `setPresence` accepts: PT5M (Graph API reference). */
export const MIN_SESSION_EXPIRATION_MS = 5 * 60_000;

/** Longest `expirationDuration` that `setPresence` accepts: PT4H (Graph API reference). */
export const MAX_SESSION_EXPIRATION_MS = 4 * 60 * 60_000;

/** Raised for text that is not an hours/minutes/seconds ISO 8601 duration. */
export class InvalidDurationError extends Error {
  constructor(
    readonly text: string,
    reason: string,
  ) {
    super(`Invalid duration "${text}": ${reason}. Use ISO 8601 hours, minutes and seconds, for example PT30M, PT1H or PT1H30M.`);
    this.name = 'InvalidDurationError';
  }
}

const TIME_ONLY = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d{1,3})?)S)?$/i;

/** Parses "PT1H30M" and similar into milliseconds. Rejects days, negatives and other forms. */
export function parseIsoDuration(text: string): number {
  const trimmed = text.trim();

  if (trimmed.startsWith('-')) {
    throw new InvalidDurationError(text, 'negative durations are not allowed');
  }
  if (/^P(?:\d+W|\d+Y|\d+M|\d+D)/i.test(trimmed)) {
    throw new InvalidDurationError(text, 'years, months, weeks and days are not accepted; give hours instead (P1D is PT24H)');
  }

  const match = TIME_ONLY.exec(trimmed);
  if (match === null || trimmed.length <= 2) {
    throw new InvalidDurationError(text, 'not an ISO 8601 duration');
  }

  const hours = Number(match[1] ?? 0);
  const minutes = Number(match[2] ?? 0);
  const seconds = Number(match[3] ?? 0);
  const ms = Math.round(((hours * 60 + minutes) * 60 + seconds) * 1000);
  if (!Number.isSafeInteger(ms)) {
    throw new InvalidDurationError(text, 'the value is too large');
  }
  return ms;
}

/**
 * Formats milliseconds as an ISO 8601 duration, rounded to the nearest second:
 * 5_400_000 → "PT1H30M", 0 → "PT0S".
 */
export function formatIsoDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) {
    throw new RangeError(`Cannot format ${ms} ms as a duration: expected a finite number of milliseconds, 0 or more.`);
  }

  const totalSeconds = Math.round(ms / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;

  let text = 'PT';
  if (hours > 0) {
    text += `${hours}H`;
  }
  if (minutes > 0) {
    text += `${minutes}M`;
  }
  if (seconds > 0 || text === 'PT') {
    text += `${seconds}S`;
  }
  return text;
}

/** Throws unless `text` is a duration within PT5M..PT4H, the range `setPresence` accepts. */
export function assertSessionExpiration(text: string): number {
  const ms = parseIsoDuration(text);
  if (ms < MIN_SESSION_EXPIRATION_MS || ms > MAX_SESSION_EXPIRATION_MS) {
    throw new InvalidDurationError(text, 'setPresence accepts an expirationDuration from PT5M to PT4H');
  }
  return ms;
}
