/**
 * Error rates of a verifier from its genuine (same person) and impostor (different people) distances,
 * as bench:face-models reports them to choose a recogniser. Rule everywhere: a pair is accepted when
 * its distance is ≤ the threshold (as `decideOutcome` does). Pure functions, no tfjs.
 */

export interface Interval {
  lower: number;
  upper: number;
}

export interface OperatingPoint {
  /** Accept when distance ≤ threshold (−Infinity: nothing accepted, Infinity: everything). */
  threshold: number;
  falseRejects: number;
  falseAccepts: number;
  frr: number;
  far: number;
}

/** P(X ≤ k) for X ~ Binomial(n, p), summed in log space so large n does not underflow. */
export function binomialCdf(k: number, n: number, p: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  if (p <= 0) return 1;
  if (p >= 1) return 0;
  const logOdds = Math.log(p) - Math.log1p(-p);
  let logTerm = n * Math.log1p(-p);
  let max = logTerm;
  const logs = [logTerm];
  for (let i = 0; i < k; i++) {
    logTerm += Math.log((n - i) / (i + 1)) + logOdds;
    logs.push(logTerm);
    if (logTerm > max) max = logTerm;
  }
  return Math.min(1, Math.exp(max) * logs.reduce((s, l) => s + Math.exp(l - max), 0));
}

function checkCounts(events: number, trials: number, level: number): void {
  if (!Number.isInteger(events) || !Number.isInteger(trials) || events < 0 || trials <= 0 || events > trials) {
    throw new RangeError(`need 0 ≤ events ≤ trials, trials > 0 (got ${events} of ${trials})`);
  }
  if (!(level > 0 && level < 1)) throw new RangeError(`confidence level must be in (0, 1), got ${level}`);
}

/** The p in [lo, hi] where the decreasing function f(p) crosses `target`, by bisection. */
function bisectDecreasing(f: (p: number) => number, target: number, lo: number, hi: number): number {
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (f(mid) > target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * Exact (Clopper–Pearson) two-sided interval for a rate seen as `events` in `trials`: each tail holds
 * (1 − level) / 2. Exact rather than normal-approximated because the interesting rates here are 0 or a
 * handful of events, where the approximation gives intervals below 0 or far too narrow.
 */
export function clopperPearson(events: number, trials: number, level = 0.95): Interval {
  checkCounts(events, trials, level);
  // By symmetry, so the CDF sums stay short (at most n / 2 terms) for rates near 1.
  if (events > trials / 2) {
    const m = clopperPearson(trials - events, trials, level);
    return { lower: 1 - m.upper, upper: 1 - m.lower };
  }
  const tail = (1 - level) / 2;
  // Upper: the p at which `events` or fewer would be seen with probability `tail`.
  const upper = events === trials ? 1 : bisectDecreasing((p) => binomialCdf(events, trials, p), tail, events / trials, 1);
  // Lower: the p at which `events` or more would be seen with probability `tail` (P(X ≥ k) rises with p).
  const lower = events === 0 ? 0 : bisectDecreasing((p) => binomialCdf(events - 1, trials, p), 1 - tail, 0, events / trials);
  return { lower, upper };
}

function sortedCopy(xs: readonly number[], label: string): number[] {
  if (xs.length === 0) throw new RangeError(`${label}: need at least one distance`);
  for (const x of xs) if (Number.isNaN(x)) throw new RangeError(`${label}: NaN distance`);
  return Float64Array.from(xs).sort() as unknown as number[];
}

/** Count of sorted values ≤ t (binary search). */
function countAtMost(sorted: ArrayLike<number>, t: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function ratesAt(genuine: readonly number[], impostor: readonly number[], threshold: number): OperatingPoint {
  const g = sortedCopy(genuine, 'genuine');
  const i = sortedCopy(impostor, 'impostor');
  return pointAt(g, i, threshold);
}

function pointAt(g: ArrayLike<number>, i: ArrayLike<number>, threshold: number): OperatingPoint {
  const falseRejects = g.length - countAtMost(g, threshold);
  const falseAccepts = countAtMost(i, threshold);
  return { threshold, falseRejects, falseAccepts, frr: falseRejects / g.length, far: falseAccepts / i.length };
}

/** Every threshold at which some rate changes, plus −Infinity (nothing accepted). */
function candidateThresholds(g: ArrayLike<number>, i: ArrayLike<number>): number[] {
  const all = Float64Array.from([...Array.from(g), ...Array.from(i)]).sort();
  const out = [-Infinity];
  for (const v of all) if (v !== out[out.length - 1]) out.push(v);
  return out;
}

/**
 * Equal-error rate: at the threshold where |FRR − FAR| is smallest, their mean. With few pairs the two
 * curves jump past each other; the mean at the closest point is the usual reading of "where they cross".
 */
export function equalErrorRate(genuine: readonly number[], impostor: readonly number[]): OperatingPoint & { eer: number } {
  const g = sortedCopy(genuine, 'genuine');
  const i = sortedCopy(impostor, 'impostor');
  let best: OperatingPoint | null = null;
  for (const t of candidateThresholds(g, i)) {
    const p = pointAt(g, i, t);
    if (!best || Math.abs(p.frr - p.far) < Math.abs(best.frr - best.far)) best = p;
  }
  const b = best as OperatingPoint;
  return { ...b, eer: (b.frr + b.far) / 2 };
}

/**
 * The most permissive threshold whose FAR is ≤ maxFar, and the FRR it costs. With n impostor pairs only
 * ⌊maxFar · n⌋ false accepts are allowed: below 1 / maxFar pairs that is 0, and the point is then "no
 * impostor accepted at all" — the caller's bounds say how little that proves.
 */
export function frrAtFar(genuine: readonly number[], impostor: readonly number[], maxFar: number): OperatingPoint {
  if (!(maxFar >= 0 && maxFar <= 1)) throw new RangeError(`maxFar must be in [0, 1], got ${maxFar}`);
  const g = sortedCopy(genuine, 'genuine');
  const i = sortedCopy(impostor, 'impostor');
  const allowed = Math.floor(maxFar * i.length + 1e-9);
  if (allowed >= i.length) return pointAt(g, i, Infinity);
  // The (allowed + 1)-th smallest impostor must be refused: the threshold is the largest score below it.
  const firstRefused = i[allowed];
  const below = candidateThresholds(g, i).filter((t) => t < firstRefused);
  return pointAt(g, i, below[below.length - 1]);
}

/** The strictest threshold whose FRR is ≤ maxFrr, and the FAR it lets through. */
export function farAtFrr(genuine: readonly number[], impostor: readonly number[], maxFrr: number): OperatingPoint {
  if (!(maxFrr >= 0 && maxFrr <= 1)) throw new RangeError(`maxFrr must be in [0, 1], got ${maxFrr}`);
  const g = sortedCopy(genuine, 'genuine');
  const i = sortedCopy(impostor, 'impostor');
  const allowed = Math.floor(maxFrr * g.length + 1e-9);
  if (allowed >= g.length) return pointAt(g, i, -Infinity);
  // Accept all but the `allowed` largest genuine distances.
  return pointAt(g, i, g[g.length - 1 - allowed]);
}

export interface ScoreStats {
  mean: number;
  sd: number;
}

/** Mean and (population) standard deviation, the z-normalisation of one recogniser's distances. */
export function scoreStats(xs: readonly number[]): ScoreStats {
  if (xs.length === 0) throw new RangeError('scoreStats: need at least one distance');
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) * (x - mean), 0) / xs.length);
  if (!(sd > 0)) throw new RangeError('scoreStats: distances have no spread');
  return { mean, sd };
}

/**
 * Score-level fusion of two recognisers on the same pairs: each distance z-normalised with stats taken
 * from impostor pairs (ideally of *other* data than the pairs scored, so the fusion is not fitted to
 * them), then a weighted mean. Different nets' distances live on different scales (face-api ~0.3–0.9,
 * cosine-like ~0.5–1.4), so they cannot be averaged raw.
 */
export function fuseDistances(
  a: readonly number[],
  b: readonly number[],
  statsA: ScoreStats,
  statsB: ScoreStats,
  weightA = 0.5,
): number[] {
  if (a.length !== b.length) throw new RangeError(`fuseDistances: ${a.length} vs ${b.length} pairs`);
  if (!(weightA >= 0 && weightA <= 1)) throw new RangeError(`weightA must be in [0, 1], got ${weightA}`);
  return a.map((x, k) => weightA * ((x - statsA.mean) / statsA.sd) + (1 - weightA) * ((b[k] - statsB.mean) / statsB.sd));
}
