/**
 * The presence journal: the session that may still be live at Microsoft, written before every
 * `setPresence` and closed by a successful clear or by the passing of its expiry. An open entry is
 * a pending clear, replayed at start, on resume and when the network returns.
 */

import type { PresencePair } from './pairs.ts';

/** The user's intent, kept so the session can re-assert it after a restart or a resume. */
export interface JournalIntent {
  pair: PresencePair;
  /** Wall-clock ms when the intent ends, or null for "until cleared". */
  intentUntil: number | null;
}

/**
 * A session that may be live. The identity fields and `expiresAt` are null only in an entry
 * recovered from a damaged file: the clear then uses the signed-in identity, and an unknown
 * expiry counts as not yet passed.
 */
export interface JournalEntry {
  presenceId: string | null;
  sessionId: string | null;
  /** Wall-clock ms after which Microsoft has ended the session on its own. */
  expiresAt: number | null;
  intent?: JournalIntent;
}

export interface JournalRecord {
  version: 1;
  entry: JournalEntry | null;
  /** The user paused the app: nothing is re-asserted at the next launch. */
  paused: boolean;
  /**
   * Wall-clock ms before which Graph asked for no more requests: the `Retry-After` a pending
   * clear received, kept so a relaunched app waits it out too.
   */
  retryNotBefore?: number;
}

export const EMPTY_JOURNAL: JournalRecord = { version: 1, entry: null, paused: false };

/** Stores the journal. `read` never throws: a damaged file is moved aside and read as well as it can be. */
export interface JournalStore {
  read(): Promise<JournalRecord>;
  /** Replaces the journal atomically; rejects when the file cannot be written. */
  write(record: JournalRecord): Promise<void>;
}

/** Returns whether the entry's session has ended at Microsoft on its own by `nowWallMs`. */
export function isEntryExpired(entry: JournalEntry, nowWallMs: number): boolean {
  return entry.expiresAt !== null && entry.expiresAt <= nowWallMs;
}
