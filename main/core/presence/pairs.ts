/**
 * Availability/activity pairs that Microsoft Graph accepts. The tables come from the Graph API
 * reference pages presence-setpresence and presence-setuserpreferredpresence (v1.0 and beta):
 * the two actions accept different pairs, and Busy/Busy is valid only for preferred presence.
 */

export type SessionAvailability = 'Available' | 'Busy' | 'Away' | 'DoNotDisturb';

export interface PresencePair {
  availability: string;
  activity: string;
}

/** Pairs accepted by `setPresence`, in the order the tray menu shows them. */
export const SESSION_PAIRS: readonly PresencePair[] = [
  { availability: 'Available', activity: 'Available' },
  { availability: 'Busy', activity: 'InACall' },
  { availability: 'Busy', activity: 'InAConferenceCall' },
  { availability: 'Away', activity: 'Away' },
  { availability: 'DoNotDisturb', activity: 'Presenting' },
];

/** Pairs accepted by `setUserPreferredPresence`. */
export const PREFERRED_PAIRS: readonly PresencePair[] = [
  { availability: 'Available', activity: 'Available' },
  { availability: 'Busy', activity: 'Busy' },
  { availability: 'DoNotDisturb', activity: 'DoNotDisturb' },
  { availability: 'BeRightBack', activity: 'BeRightBack' },
  { availability: 'Away', activity: 'Away' },
  { availability: 'Offline', activity: 'OffWork' },
];

/** The activity used when a user picks only an availability ("Busy" from the menu). */
export const DEFAULT_ACTIVITY: Readonly<Record<SessionAvailability, string>> = {
  Available: 'Available',
  Busy: 'InACall',
  Away: 'Away',
  DoNotDisturb: 'Presenting',
};

/** Thrown before any HTTP call when a pair is not in the table for the action. */
export class InvalidPresencePairError extends Error {
  constructor(
    readonly pair: PresencePair,
    readonly action: 'setPresence' | 'setUserPreferredPresence',
  ) {
    const table = action === 'setPresence' ? SESSION_PAIRS : PREFERRED_PAIRS;
    const valid = table.map((p) => `${p.availability}/${p.activity}`).join(', ');
    super(
      `Invalid presence ${pair.availability}/${pair.activity} for ${action}. ` +
        `Use one of: ${valid}.`,
    );
    this.name = 'InvalidPresencePairError';
  }
}

function isInTable(table: readonly PresencePair[], pair: PresencePair): boolean {
  return table.some((p) => p.availability === pair.availability && p.activity === pair.activity);
}

/** Throws `InvalidPresencePairError` unless `setPresence` accepts the pair. */
export function assertSessionPair(pair: PresencePair): void {
  if (!isInTable(SESSION_PAIRS, pair)) {
    throw new InvalidPresencePairError(pair, 'setPresence');
  }
}

/** Throws `InvalidPresencePairError` unless `setUserPreferredPresence` accepts the pair. */
export function assertPreferredPair(pair: PresencePair): void {
  if (!isInTable(PREFERRED_PAIRS, pair)) {
    throw new InvalidPresencePairError(pair, 'setUserPreferredPresence');
  }
}

/** Returns the known spelling of an availability typed in any case, or null. */
export function parseSessionAvailability(text: string): SessionAvailability | null {
  const known: SessionAvailability[] = ['Available', 'Busy', 'Away', 'DoNotDisturb'];
  return known.find((name) => name.toLowerCase() === text.toLowerCase()) ?? null;
}
