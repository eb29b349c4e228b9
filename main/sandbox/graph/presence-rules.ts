/**
 * Microsoft's presence rules as the sandbox enforces them. They are kept apart from the app's
 * own pair table in `main/core/presence/pairs.ts` on purpose. The sandbox is the oracle the app
 * is tested against, so a mistake in one table must not hide in the other.
 *
 * Sources: Graph API reference pages presence-setpresence, presence-setuserpreferredpresence
 * and the concept page cloud-communications-manage-presence-state (v1.0 and beta).
 */

export interface PresencePair {
  availability: string;
  activity: string;
}

/** Pairs `setPresence` accepts. */
export const SESSION_PAIRS: readonly PresencePair[] = [
  { availability: 'Available', activity: 'Available' },
  { availability: 'Busy', activity: 'InACall' },
  { availability: 'Busy', activity: 'InAConferenceCall' },
  { availability: 'Away', activity: 'Away' },
  // NOTE: an older revision of the setPresence page stated that DoNotDisturb could not be set.
  // The current page lists DoNotDisturb/Presenting, and the sandbox follows the current page.
  { availability: 'DoNotDisturb', activity: 'Presenting' },
];

/** Pairs `setUserPreferredPresence` accepts; they differ from the session pairs. */
export const PREFERRED_PAIRS: readonly PresencePair[] = [
  { availability: 'Available', activity: 'Available' },
  { availability: 'Busy', activity: 'Busy' },
  { availability: 'DoNotDisturb', activity: 'DoNotDisturb' },
  { availability: 'BeRightBack', activity: 'BeRightBack' },
  { availability: 'Away', activity: 'Away' },
  { availability: 'Offline', activity: 'OffWork' },
];

const MINUTE_MS = 60 * 1000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/** setPresence `expirationDuration`: default and allowed range (PT5M to PT4H). */
export const SESSION_EXPIRATION = { defaultMs: 5 * MINUTE_MS, minMs: 5 * MINUTE_MS, maxMs: 240 * MINUTE_MS } as const;

/** An Available session fades to Available/AvailableInactive, then to Away/Away, unless refreshed. */
export const FADE_TO_INACTIVE_MS = 5 * MINUTE_MS;
export const FADE_TO_AWAY_MS = 10 * MINUTE_MS;

/** Default lifetime of a preferred presence set without `expirationDuration`. */
export function defaultPreferredExpirationMs(availability: string): number {
  return availability === 'DoNotDisturb' || availability === 'Busy' ? DAY_MS : 7 * DAY_MS;
}

/**
 * Rank of a session availability in the aggregate; higher wins. Microsoft documents
 * DoNotDisturb > Busy > Available > Away.
 */
export function availabilityRank(availability: string): number {
  switch (availability) {
    case 'DoNotDisturb':
      return 4;
    case 'Busy':
      return 3;
    case 'Available':
      return 2;
    case 'Away':
      return 1;
    default:
      // NOTE: the documented order covers only the four values above. Other values (from a
      // Teams session a test adds) rank below Away, which is a guess.
      return 0;
  }
}

/**
 * Returns the table's spelling of `pair` when it is in the table, comparing without regard to
 * case, or null. Graph documents the values in PascalCase and lower camel case in different
 * places, so the sandbox accepts either and stores PascalCase.
 */
export function findPair(table: readonly PresencePair[], pair: PresencePair): PresencePair | null {
  const match = table.find(
    (entry) =>
      entry.availability.toLowerCase() === pair.availability.toLowerCase() &&
      entry.activity.toLowerCase() === pair.activity.toLowerCase(),
  );
  return match === undefined ? null : { ...match };
}

export function describePairs(table: readonly PresencePair[]): string {
  return table.map((pair) => `${pair.availability}/${pair.activity}`).join(', ');
}
