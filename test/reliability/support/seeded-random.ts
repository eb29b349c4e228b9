/**
 * A seeded pseudo-random generator (mulberry32), so a failing run can be repeated with the seed
 * it printed. `RELIABILITY_SEED` sets the seed; otherwise it comes from the clock.
 */

export interface SeededRandom {
  readonly seed: number;
  /** Returns a number in [0, 1). */
  next(): number;
  /** Returns an integer in [min, max]. */
  int(min: number, max: number): number;
}

/** Returns the seed from `RELIABILITY_SEED`, or a new one. */
export function chooseSeed(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.RELIABILITY_SEED;
  if (text !== undefined && text !== '') {
    const seed = Number(text);
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new RangeError(`Invalid RELIABILITY_SEED "${text}": use a whole number from 0 to 4294967295.`);
    }
    return seed;
  }
  return Date.now() % 0x100000000;
}

export function seededRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    seed,
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
  };
}
