import { AppError } from '@app/platform';
import { credit, initialCreditState } from '../crediting/credit';
import { DEFAULT_CREDIT_SETTINGS } from '../crediting/credit-settings';
import { seededRandom } from '../random/random';
import { checkSettings, DEFAULT_CHECK_SETTINGS } from './check-settings';
import {
  answerPrompt,
  expire,
  faceGateOf,
  holdsCredit,
  issueFaceCheck,
  issuePrompt,
  promptGateOf,
  recordCapture,
} from './check-state';
import { faceCheckTimes, firstPromptAt, nextFaceCheckAt, nextPromptAt, PROMPT_MIN_LESSON_SECONDS, promptChallenge, WATCHED_MIN_INTERVAL_SECONDS, watchedChecks } from './schedule';

const S = DEFAULT_CHECK_SETTINGS;
const T0 = 1_800_000_000_000;
const sec = (s: number) => T0 + s * 1000;

describe('check scheduling', () => {
  it('face checks come 5–15 minutes apart by default, reaching both ends', () => {
    const r = seededRandom(3);
    const gaps = Array.from({ length: 3000 }, () => (nextFaceCheckAt(T0, r, S) - T0) / 1000);
    expect(Math.min(...gaps)).toBe(300);
    expect(Math.max(...gaps)).toBe(900);
    expect(gaps.every(Number.isInteger)).toBe(true);
  });

  it('the same seed gives the same schedule; another seed another one', () => {
    const a = faceCheckTimes(T0, sec(4 * 3600), seededRandom(9), S);
    expect(faceCheckTimes(T0, sec(4 * 3600), seededRandom(9), S)).toEqual(a);
    expect(faceCheckTimes(T0, sec(4 * 3600), seededRandom(10), S)).not.toEqual(a);
  });

  it('a lesson schedule stays inside the lesson, is increasing and respects the bounds', () => {
    const times = faceCheckTimes(T0, sec(3600), seededRandom(5), S);
    expect(times.length).toBeGreaterThanOrEqual(3);
    expect(times.length).toBeLessThanOrEqual(12);
    let prev = T0;
    for (const t of times) {
      expect(t - prev).toBeGreaterThanOrEqual(300_000);
      expect(t - prev).toBeLessThanOrEqual(900_000);
      prev = t;
    }
    expect(times[times.length - 1]).toBeLessThan(sec(3600));
    expect(faceCheckTimes(T0, sec(60), seededRandom(5), S)).toEqual([]);
  });

  it('prompts use their own range', () => {
    const r = seededRandom(4);
    for (let i = 0; i < 200; i++) {
      const gap = (nextPromptAt(T0, r, S) - T0) / 1000;
      expect(gap).toBeGreaterThanOrEqual(S.promptIntervalMinSeconds);
      expect(gap).toBeLessThanOrEqual(S.promptIntervalMaxSeconds);
    }
  });

  it('a prompt challenge has distinct two-digit choices, the answer among them', () => {
    const r = seededRandom(8);
    for (let i = 0; i < 100; i++) {
      const c = promptChallenge(r);
      expect(new Set(c.choices).size).toBe(4);
      expect(c.choices).toContain(c.answer);
      expect(c.choices.every((x) => /^\d{2}$/.test(x))).toBe(true);
    }
  });

  it('settings: defaults, overrides, and a stable code for bad values', () => {
    expect(checkSettings()).toEqual(S);
    expect(checkSettings({ faceWindowSeconds: 30 }).faceWindowSeconds).toBe(30);
    for (const bad of [{ faceIntervalMinSeconds: 1000, faceIntervalMaxSeconds: 500 }, { faceRetries: -1 }, { promptWindowSeconds: 1.5 }]) {
      expect(() => checkSettings(bad)).toThrow(AppError);
    }
    let caught: unknown;
    try {
      checkSettings({ faceRetries: 9 });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).code).toBe('CHECK_SETTINGS_INVALID');
    expect((caught as AppError).details).toEqual({ fields: ['faceRetries'] });
  });
});

describe('the first anti-idle prompt of a session', () => {
  const draws = (remaining: number, n = 2000) => {
    const r = seededRandom(7);
    return Array.from({ length: n }, () => (firstPromptAt(T0, remaining, r, S) - T0) / 1000);
  };

  it('an 8-minute lesson under the default 10–25 minute interval always gets one, in the middle half', () => {
    const at = draws(480);
    expect(Math.min(...at)).toBeGreaterThanOrEqual(120);
    expect(Math.max(...at)).toBeLessThanOrEqual(360);
    expect(at.every(Number.isInteger)).toBe(true);
  });

  it('a long lesson keeps the usual interval', () => {
    const at = draws(2 * 3600);
    expect(Math.min(...at)).toBe(600);
    expect(Math.max(...at)).toBe(1500);
  });

  it('a 20-minute lesson keeps a usual draw that lands before its last quarter, and redraws one that would not', () => {
    const at = draws(1200);
    expect(Math.max(...at)).toBeLessThanOrEqual(900);
    expect(at.some((t) => t >= 600)).toBe(true);
    expect(at.some((t) => t < 600)).toBe(true);
  });

  it(`a lesson (or what is left of it) under ${PROMPT_MIN_LESSON_SECONDS} s is not interrupted`, () => {
    expect(Math.min(...draws(PROMPT_MIN_LESSON_SECONDS - 1))).toBe(600);
    expect(Math.min(...draws(0))).toBe(600);
  });

  it('replays with the same seed', () => {
    expect(draws(480, 50)).toEqual(draws(480, 50));
  });
});

describe('face check state machine', () => {
  const issued = issueFaceCheck('random', sec(0), S);

  it('is outstanding with a 60 s window and one retry when issued', () => {
    expect(issued).toMatchObject({ status: 'outstanding', deadline: sec(60), retriesLeft: 1, attempts: [] });
  });

  it('a match passes', () => {
    const t = recordCapture(issued, sec(10), 'match', S);
    expect(t).toMatchObject({ ok: true, check: { status: 'passed', resolvedAt: sec(10) } });
    expect(t.check.attempts).toEqual([{ at: sec(10), outcome: 'match' }]);
  });

  it.each(['mismatch', 'no-face', 'several-faces'] as const)('%s fails at once, no retry', (outcome) => {
    expect(recordCapture(issued, sec(10), outcome, S).check).toMatchObject({ status: 'failed', resolvedAt: sec(10) });
  });

  it('a bad frame gets one quick retry, extending the window if it was nearly over', () => {
    const first = recordCapture(issued, sec(55), 'bad-frame', S);
    expect(first.check).toMatchObject({ status: 'outstanding', retriesLeft: 0, deadline: sec(75) });
    expect(recordCapture(first.check, sec(70), 'match', S).check.status).toBe('passed');
    const second = recordCapture(first.check, sec(70), 'bad-frame', S);
    expect(second.check).toMatchObject({ status: 'failed' });
    expect(second.check.attempts.map((a) => a.outcome)).toEqual(['bad-frame', 'bad-frame']);
  });

  it('an early bad frame keeps the original deadline', () => {
    expect(recordCapture(issued, sec(5), 'bad-frame', S).check.deadline).toBe(sec(60));
  });

  it('times out at the deadline; the boundary itself is still in time', () => {
    expect(expire(issued, sec(60))).toBe(issued);
    expect(expire(issued, sec(61))).toMatchObject({ status: 'timed-out', resolvedAt: sec(60) });
    expect(recordCapture(issued, sec(60), 'match', S).check.status).toBe('passed');
    const late = recordCapture(issued, sec(61), 'match', S);
    expect(late).toMatchObject({ ok: false, code: 'CHECK_NOT_OUTSTANDING', check: { status: 'timed-out' } });
  });

  it('a resolved check refuses further captures with a stable code and zh-CN message', () => {
    const passed = recordCapture(issued, sec(1), 'match', S).check;
    const again = recordCapture(passed, sec(2), 'mismatch', S);
    expect(again).toMatchObject({ ok: false, code: 'CHECK_NOT_OUTSTANDING', check: passed });
    expect(again.ok === false && again.message).toMatch(/[\u4e00-\u9fff]/);
    expect(recordCapture(issued, sec(-1), 'match', S)).toMatchObject({ ok: false, code: 'CAPTURE_TOO_EARLY' });
  });

  it('expire leaves resolved checks alone', () => {
    const failed = recordCapture(issued, sec(1), 'mismatch', S).check;
    expect(expire(failed, sec(1000))).toBe(failed);
  });
});

describe('anti-idle prompt state machine', () => {
  const issued = issuePrompt('42', sec(0), S);

  it('the right answer in time passes; a wrong one fails; none times out', () => {
    expect(answerPrompt(issued, sec(30), ' 42 ').check).toMatchObject({ status: 'passed', answeredAt: sec(30) });
    expect(answerPrompt(issued, sec(30), '24').check.status).toBe('failed');
    expect(expire(issued, sec(61)).status).toBe('timed-out');
    expect(answerPrompt(issued, sec(61), '42')).toMatchObject({ ok: false, code: 'CHECK_NOT_OUTSTANDING' });
  });
});

describe('checks as crediting gates', () => {
  it('maps each status to the gate crediting understands', () => {
    const face = issueFaceCheck('session-start', sec(0), S);
    expect(faceGateOf(undefined)).toBeUndefined();
    expect(faceGateOf(face)).toEqual({ status: 'required', since: sec(0) });
    // Outstanding random and lesson-end checks are no gate: the session rules hold what is watched under them.
    expect(faceGateOf(issueFaceCheck('random', sec(0), S))).toBeUndefined();
    expect(faceGateOf(issueFaceCheck('lesson-end', sec(0), S))).toBeUndefined();
    expect(holdsCredit(issueFaceCheck('random', sec(0), S))).toBe(true);
    expect(holdsCredit(issueFaceCheck('lesson-end', sec(0), S))).toBe(true);
    expect(holdsCredit(face)).toBe(false);
    expect(holdsCredit(recordCapture(issueFaceCheck('random', sec(0), S), sec(1), 'mismatch', S).check)).toBe(false);
    expect(faceGateOf(recordCapture(face, sec(1), 'match', S).check)).toBeUndefined();
    expect(faceGateOf(recordCapture(face, sec(1), 'mismatch', S).check)).toEqual({ status: 'failed', since: sec(0) });
    expect(faceGateOf(expire(face, sec(100)))).toEqual({ status: 'failed', since: sec(0) });
    const prompt = issuePrompt('11', sec(0), S);
    expect(promptGateOf(prompt)).toBeUndefined();
    expect(holdsCredit(prompt)).toBe(true);
    expect(promptGateOf(expire(prompt, sec(100)))).toEqual({ status: 'missed', since: sec(0) });
    expect(promptGateOf(answerPrompt(prompt, sec(1), '11').check)).toBeUndefined();
  });

  it('end to end: once missed, a prompt stops crediting from the prompt time', () => {
    const C = DEFAULT_CREDIT_SETTINGS;
    let s = credit(initialCreditState({ lessonDuration: 600 }), { seq: 1, position: 0, playing: true, visible: true, playbackRate: 1, sentAt: 0 }, sec(0), C).next;
    const prompt = issuePrompt('11', sec(20), S);
    let sum = 0;
    for (let i = 1; i <= 8; i++) {
      const now = sec(i * 15);
      s = { ...s, prompt: promptGateOf(expire(prompt, prompt.deadline + 1)) };
      const r = credit(s, { seq: i + 1, position: i * 15, playing: true, visible: true, playbackRate: 1, sentAt: now }, now, C);
      sum += r.credited;
      s = r.next;
    }
    expect(sum).toBe(20);
  });
});

describe('watchedChecks (oversight’s watch: face checks more often)', () => {
  const base = checkSettings({ faceIntervalMinSeconds: 300, faceIntervalMaxSeconds: 900 });
  it('divides both bounds by the factor', () => {
    expect(watchedChecks(base, 3)).toMatchObject({ faceIntervalMinSeconds: 100, faceIntervalMaxSeconds: 300 });
  });
  it('is the deployment’s schedule without a watch, or with a factor of 1', () => {
    expect(watchedChecks(base, undefined)).toBe(base);
    expect(watchedChecks(base, 1)).toBe(base);
  });
  it('never draws closer than a minute, nor further apart than the deployment would', () => {
    expect(watchedChecks(base, 10)).toMatchObject({ faceIntervalMinSeconds: WATCHED_MIN_INTERVAL_SECONDS, faceIntervalMaxSeconds: 90 });
    const tight = checkSettings({ faceIntervalMinSeconds: 30, faceIntervalMaxSeconds: 45 });
    expect(watchedChecks(tight, 5)).toMatchObject({ faceIntervalMinSeconds: 30, faceIntervalMaxSeconds: 45 });
  });
  it('leaves every other check setting as it is', () => {
    const { faceIntervalMinSeconds: _a, faceIntervalMaxSeconds: _b, ...rest } = watchedChecks(base, 4);
    const { faceIntervalMinSeconds: _c, faceIntervalMaxSeconds: _d, ...restBase } = base;
    expect(rest).toEqual(restBase);
  });
});

