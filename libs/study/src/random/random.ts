/**
 * Randomness behind an interface so check times are unpredictable in production yet replayable in
 * tests; domain code never calls Math.random.
 */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
}

/** Uniform integer in [min, max] (both inclusive). */
export function randomInt(random: Random, min: number, max: number): number {
  if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || max < min) {
    throw new RangeError(`randomInt needs integers min <= max, got ${min}, ${max}`);
  }
  return min + Math.floor(random.next() * (max - min + 1));
}

/**
 * mulberry32: a tiny, well-known 32-bit PRNG. Good enough for test sequences and simulations;
 * not for anything a trainee could profit from predicting (use cryptoRandom there).
 */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return {
    next() {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}
