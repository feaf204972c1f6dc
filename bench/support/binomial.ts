import { binomialCdf } from '../../libs/face/src/verification-metrics';

/**
 * How high a rate can be and still look like `events` in `trials` at the given confidence: the exact
 * (Clopper–Pearson) one-sided upper bound — the p at which `events` or fewer would be seen with
 * probability 1 − level. 0 false accepts in 240 impostor trials bound FAR only to 1.24 %: the
 * benchmark prints this next to each rate so a small folder's "0 %" is read for what it is.
 */
export function rateUpperBound(events: number, trials: number, level = 0.95): number {
  if (!Number.isInteger(events) || !Number.isInteger(trials) || events < 0 || trials <= 0 || events > trials) {
    throw new RangeError(`rateUpperBound: need 0 ≤ events ≤ trials, trials > 0 (got ${events} of ${trials})`);
  }
  if (events === trials) return 1;
  const alpha = 1 - level;
  // P(X ≤ events) falls as p rises; bisect for the p where it equals alpha.
  let lo = events / trials;
  let hi = 1;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (binomialCdf(events, trials, mid) > alpha) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

export { binomialCdf };
