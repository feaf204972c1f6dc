import { studyError } from '../study.errors';

/** When checks happen and how long the trainee has to answer them; data, so programs can tune them. */
export interface CheckSettings {
  /** Face checks come at a random time this many seconds after the previous one (default 5–15 min). */
  readonly faceIntervalMinSeconds: number;
  readonly faceIntervalMaxSeconds: number;
  /** Time to send a webcam capture once asked. */
  readonly faceWindowSeconds: number;
  /** A bad frame (blurred, dark) gets one quick retry with at least this long to send it. */
  readonly faceRetryWindowSeconds: number;
  readonly faceRetries: number;
  /**
   * Failed face checks in a row (each after its retries; a missed one counts) that end the session:
   * a wrong person in front of the camera is not asked again forever while the video plays on.
   */
  readonly faceMaxFailures: number;
  /** Anti-idle prompts come at a random time in this range after the previous one. */
  readonly promptIntervalMinSeconds: number;
  readonly promptIntervalMaxSeconds: number;
  readonly promptWindowSeconds: number;
}

export const DEFAULT_CHECK_SETTINGS: CheckSettings = Object.freeze({
  faceIntervalMinSeconds: 5 * 60,
  faceIntervalMaxSeconds: 15 * 60,
  faceWindowSeconds: 60,
  faceRetryWindowSeconds: 20,
  faceRetries: 1,
  faceMaxFailures: 5,
  promptIntervalMinSeconds: 10 * 60,
  promptIntervalMaxSeconds: 25 * 60,
  promptWindowSeconds: 60,
});

const isInt = (v: unknown, min: number, max: number) => typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max;

export function checkSettings(overrides: Partial<CheckSettings> = {}): CheckSettings {
  const s = { ...DEFAULT_CHECK_SETTINGS, ...overrides };
  const problems: string[] = [];
  const ranges: [keyof CheckSettings, number, number][] = [
    ['faceIntervalMinSeconds', 10, 86_400],
    ['faceIntervalMaxSeconds', 10, 86_400],
    ['faceWindowSeconds', 5, 600],
    ['faceRetryWindowSeconds', 1, 600],
    ['faceRetries', 0, 5],
    ['faceMaxFailures', 1, 50],
    ['promptIntervalMinSeconds', 10, 86_400],
    ['promptIntervalMaxSeconds', 10, 86_400],
    ['promptWindowSeconds', 5, 600],
  ];
  for (const [key, min, max] of ranges) if (!isInt(s[key], min, max)) problems.push(key);
  if (s.faceIntervalMaxSeconds < s.faceIntervalMinSeconds) problems.push('faceIntervalMaxSeconds');
  if (s.promptIntervalMaxSeconds < s.promptIntervalMinSeconds) problems.push('promptIntervalMaxSeconds');
  if (problems.length) throw studyError('CHECK_SETTINGS_INVALID', { fields: problems });
  return Object.freeze(s);
}
