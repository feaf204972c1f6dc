import { Random, randomInt } from '../random/random';
import type { CheckSettings } from './check-settings';

/**
 * When the next random face check is due (server ms). Drawn on the server from an injected source,
 * so the client cannot predict it and tests can replay it.
 */
export function nextFaceCheckAt(after: number, random: Random, s: CheckSettings): number {
  return after + randomInt(random, s.faceIntervalMinSeconds, s.faceIntervalMaxSeconds) * 1000;
}

/** A watched session's checks are never drawn closer than this, so a trainee can still watch between them. */
export const WATCHED_MIN_INTERVAL_SECONDS = 60;

/**
 * The face-check intervals of a session under watch (oversight: 重点关注, checks `factor` times as
 * often): both bounds divided by the factor, not below {@link WATCHED_MIN_INTERVAL_SECONDS} nor
 * above the deployment's own. A factor of 1 (or none) is the deployment's schedule.
 */
export function watchedChecks(s: CheckSettings, factor: number | undefined): CheckSettings {
  if (!factor || factor <= 1) return s;
  const scaled = (v: number) => Math.min(v, Math.max(WATCHED_MIN_INTERVAL_SECONDS, Math.round(v / factor)));
  return { ...s, faceIntervalMinSeconds: scaled(s.faceIntervalMinSeconds), faceIntervalMaxSeconds: scaled(s.faceIntervalMaxSeconds) };
}

export function nextPromptAt(after: number, random: Random, s: CheckSettings): number {
  return after + randomInt(random, s.promptIntervalMinSeconds, s.promptIntervalMaxSeconds) * 1000;
}

/** Lessons shorter than this get no anti-idle prompt: their start and end face checks already bracket them. */
export const PROMPT_MIN_LESSON_SECONDS = 120;

/**
 * The first prompt of a session. Drawn as usual; but where that would fall after the lesson ends
 * (a lesson shorter than the interval: the default 10–25 min against an 8-minute lesson), it is
 * drawn again inside the middle half of what is left to watch, so every lesson of two minutes or
 * more asks at least once.
 */
export function firstPromptAt(after: number, remainingSeconds: number, random: Random, s: CheckSettings): number {
  const usual = nextPromptAt(after, random, s);
  if (remainingSeconds < PROMPT_MIN_LESSON_SECONDS || usual <= after + remainingSeconds * 750) return usual;
  return after + randomInt(random, Math.ceil(remainingSeconds / 4), Math.floor((remainingSeconds * 3) / 4)) * 1000;
}

/**
 * All random face-check times in [start, end): useful to precompute a lesson's schedule and to
 * show auditors that checks really were unpredictable yet regular.
 */
export function faceCheckTimes(start: number, end: number, random: Random, s: CheckSettings): number[] {
  const times: number[] = [];
  for (let t = nextFaceCheckAt(start, random, s); t < end; t = nextFaceCheckAt(t, random, s)) times.push(t);
  return times;
}

/** The anti-idle challenge: a number to click among decoys, so a script cannot just "press OK". */
export interface PromptChallenge {
  readonly answer: string;
  readonly choices: readonly string[];
}

export function promptChallenge(random: Random, choiceCount = 4): PromptChallenge {
  const choices = new Set<string>();
  while (choices.size < Math.max(2, choiceCount)) choices.add(String(randomInt(random, 10, 99)));
  const list = [...choices];
  return { answer: list[randomInt(random, 0, list.length - 1)], choices: list };
}
