/**
 * The sandbox's own time. Presence fades and expirations, token lifetimes and device code
 * expiry all read it, so a test can move an hour forward without waiting. Real sockets and
 * fault delays still run in real time.
 */

export interface SandboxClock {
  /** Current time in Unix epoch milliseconds. */
  now(): number;
  /** Moves time forward by `ms`; it never moves back. */
  advance(ms: number): void;
}

/**
 * Creates a clock that follows `source` plus everything passed to `advance`. The default source
 * is real time; pass `() => fakeClock.wallMs()` to share a test's fake clock, or a constant to
 * freeze time.
 */
export function createSandboxClock(source: () => number = Date.now): SandboxClock {
  let offsetMs = 0;

  return {
    now: () => source() + offsetMs,
    advance(ms: number): void {
      if (!Number.isFinite(ms) || ms < 0) {
        throw new RangeError(`Invalid clock step ${String(ms)} ms: pass a finite number of milliseconds >= 0.`);
      }
      offsetMs += ms;
    },
  };
}
