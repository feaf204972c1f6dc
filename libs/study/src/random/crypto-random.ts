import { randomInt as nodeRandomInt } from 'node:crypto';
import type { Random } from './random';

// node's randomInt accepts ranges up to 2^48 - 1 (max exclusive).
const RANGE = 2 ** 48 - 1;

/** Production source: a trainee must not be able to predict when the next check comes. */
export function cryptoRandom(): Random {
  return { next: () => nodeRandomInt(0, RANGE) / RANGE };
}
