/**
 * Readback: whether `GET presence` shows what the session set. Graph can return 200 to
 * `setPresence` while reads keep the old value for minutes, because Teams clients poll. So the
 * session re-reads with growing gaps and reports `pending` until the read matches. A different
 * pair that is still shown after the last read wins over the session, for example a preferred
 * presence the user chose in Teams, and is reported as `overridden`.
 *
 * Readback only reads. It never sends a `setPresence` of its own.
 */

import type { Readback } from '../app-state.ts';
import type { PresencePair } from './pairs.ts';

/** Gaps between reads after the first one, which follows the write at once. */
export const READBACK_GAPS_MS: readonly number[] = [30_000, 2 * 60_000, 5 * 60_000];

/**
 * - `after-set`: reads that follow a new pair, where Graph may still lag.
 * - `keep-alive`: one read after a refresh of an unchanged pair, once the `after-set` reads
 *   ended. The pair has been in place for minutes, so a lag no longer explains a mismatch.
 */
export type ReadbackPhase = 'after-set' | 'keep-alive';

export interface ReadbackInput {
  phase: ReadbackPhase;
  expected: PresencePair;
  /** The pair the read returned, or null when the read failed. */
  shown: PresencePair | null;
  /** Zero-based index of this read within the `after-set` reads. */
  attempt: number;
  /** The readback before this read. */
  previous: Readback;
  /** Wall-clock ms of this read. */
  now: number;
}

export interface ReadbackDecision {
  readback: Readback;
  /** Wait before the next read, or null when reads stop until the next write. */
  nextReadInMs: number | null;
}

/** Compares two pairs the way Graph values must be compared: without regard to case. */
export function pairsMatch(left: PresencePair, right: PresencePair): boolean {
  return (
    left.availability.toLowerCase() === right.availability.toLowerCase() &&
    left.activity.toLowerCase() === right.activity.toLowerCase()
  );
}

/** Decides the readback after one read, and when to read again. */
export function decideReadback(input: ReadbackInput): ReadbackDecision {
  const { phase, expected, shown, attempt, previous, now } = input;

  if (shown !== null && pairsMatch(shown, expected)) {
    return { readback: { kind: 'confirmed', at: now }, nextReadInMs: null };
  }

  if (phase === 'keep-alive') {
    if (shown === null) {
      return { readback: previous, nextReadInMs: null };
    }
    return { readback: { kind: 'overridden', shown, at: now }, nextReadInMs: null };
  }

  const gap = READBACK_GAPS_MS[attempt];
  if (gap !== undefined) {
    const since = previous.kind === 'pending' ? previous.since : now;
    return { readback: { kind: 'pending', since, attempts: attempt + 1 }, nextReadInMs: gap };
  }

  if (shown === null) {
    return { readback: { kind: 'unknown' }, nextReadInMs: null };
  }
  return { readback: { kind: 'overridden', shown, at: now }, nextReadInMs: null };
}
