/** ISO 8601 durations as Graph's `expirationDuration` uses them (`PT5M`, `PT1H30M`, `P1D`). */

const DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/**
 * Returns the length of an ISO 8601 duration in milliseconds, or null when `text` is not one.
 * Years and months are rejected because their length depends on the calendar.
 */
export function parseIsoDuration(text: string): number | null {
  const match = DURATION.exec(text);
  if (match === null || text === 'P' || text.endsWith('T')) {
    return null;
  }

  const [, weeks, days, hours, minutes, seconds] = match;
  const totalSeconds =
    Number(weeks ?? 0) * 7 * 86400 +
    Number(days ?? 0) * 86400 +
    Number(hours ?? 0) * 3600 +
    Number(minutes ?? 0) * 60 +
    Number(seconds ?? 0);
  return Math.round(totalSeconds * 1000);
}
