import { Random, randomInt } from '../random/random';
import type { CheckSettings } from './check-settings';

/**
 * When the next random face check is due (server ms). Drawn on the server from an injected source,
 * so the client cannot predict it and tests can replay it.
 */
export function nextFaceCheckAt(after: number, random: Random, s: CheckSettings): number {
  return after + randomInt(random, s.faceIntervalMinSeconds, s.faceIntervalMaxSeconds) * 1000;
}

export function nextPromptAt(after: number, random: Random, s: CheckSettings): number {
  return after + randomInt(random, s.promptIntervalMinSeconds, s.promptIntervalMaxSeconds) * 1000;
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
