/**
 * The player's half of "no seeking ahead" (the server refuses credit for it anyway): the trainee
 * may move anywhere up to the furthest point actually watched, not beyond.
 */

/** Seconds past the furthest watched point that still count as "there" (timeupdate granularity, rounding). */
export const SEEK_TOLERANCE_SECONDS = 1;

/**
 * Where a seek may land. A target beyond the furthest point (plus tolerance) goes back to that
 * point itself, not to point + tolerance — otherwise repeated seeks would creep ahead.
 */
export function allowedSeek(target: number, furthest: number, tolerance = SEEK_TOLERANCE_SECONDS): number {
  if (!Number.isFinite(target) || target < 0) return 0;
  return target > furthest + tolerance ? furthest : target;
}

/**
 * The furthest watched point after a `timeupdate` at `position`. Only natural playback moves it:
 * a position further than the tolerance ahead is a seek that slipped past the guard, and is not
 * watching.
 */
export function advanceFurthest(furthest: number, position: number, tolerance = SEEK_TOLERANCE_SECONDS): number {
  if (!Number.isFinite(position) || position <= furthest) return furthest;
  return position <= furthest + tolerance ? position : furthest;
}

/** The playback rate the player allows: at most the server's maximum, and never zero or negative. */
export function allowedPlaybackRate(rate: number, max: number): number {
  if (!Number.isFinite(rate) || rate <= 0) return 1 <= max ? 1 : max;
  return Math.min(rate, max);
}
