import { issuePrompt } from '../checks/check-state';
import { AppError } from '@app/platform';
import { CheckSettings, checkSettings } from '../checks/check-settings';
import type { CaptureOutcome } from '../checks/check-state';
import { Heartbeat, lessonSeconds } from '../crediting/credit';
import { creditSettings } from '../crediting/credit-settings';
import { Interval, IntervalSet, subtract, total, union } from '../crediting/intervals';
import type { RefusalCode } from '../crediting/refusals';
import { Random, randomInt, seededRandom } from '../random/random';
import {
  applyAnswer,
  applyCapture,
  applyHeartbeat,
  endSession,
  expireChecks,
  finishFlush,
  HeartbeatOutcome,
  isLessonComplete,
  OpenSession,
  openSession,
  SESSION_END_MESSAGES,
  SessionEndCode,
  SessionEnv,
  sessionTotals,
  startFlush,
} from './session-rules';
import { secondsToStudyHours } from '@app/ledger';
import { totalsView } from './session-views';
import type { PendingFlush, StudySession } from './study-session';

const T0 = 1_800_000_000_000;
/** Server time `s` seconds after T0. */
const at = (s: number) => T0 + s * 1000;

const CREDIT = creditSettings({ heartbeatSeconds: 5, jitterSeconds: 1, seekToleranceSeconds: 1 });
/** Random checks and prompts out of reach: a test that wants one brings it closer. */
const QUIET: Partial<CheckSettings> = {
  faceIntervalMinSeconds: 86_400,
  faceIntervalMaxSeconds: 86_400,
  faceWindowSeconds: 20,
  faceRetryWindowSeconds: 5,
  faceRetries: 1,
  promptIntervalMinSeconds: 86_400,
  promptIntervalMaxSeconds: 86_400,
  promptWindowSeconds: 10,
};

function envOf(checks: Partial<CheckSettings> = {}, seed = 1): SessionEnv {
  return { credit: CREDIT, checks: checkSettings({ ...QUIET, ...checks }), random: seededRandom(seed) };
}

const OWNER = { userId: 'u1', traineeId: 't1', programId: 'p1', institutionId: 'i1', regionCode: '110000' };
const LESSON = { lessonId: 'l1', courseId: 'c1', minutesPerHour: 45 };

function openInit(init: Partial<OpenSession> = {}): OpenSession {
  return { id: 's1', ...OWNER, ...LESSON, lessonDuration: 600, credited: [], base: { programSeconds: 0, onlineSeconds: 0 }, ...init };
}

const codes = (o: HeartbeatOutcome): RefusalCode[] => o.result.refusals.map((r) => r.code);
const refused = (o: HeartbeatOutcome, code: RefusalCode) => o.result.refusals.find((r) => r.code === code)?.seconds;
/** Seconds a heartbeat under an outstanding check credited into `gated`: reported as refused with the check's code. */
// Both open checks name the same seconds (reasons may overlap), so it is the larger, not the sum.
const gatedBy = (o: HeartbeatOutcome) =>
  Math.max(0, ...o.result.refusals.filter((r) => r.code === 'FACE_CHECK_OUTSTANDING' || r.code === 'PROMPT_OUTSTANDING').map((r) => r.seconds));

/** A check that was outstanding before a step and did not pass in it (failed, timed out, missed, or ended with the session). */
function resolvedUnpassed<C extends { no: number; status: string }>(before: C | undefined, after: C | undefined, ended: boolean): boolean {
  if (before?.status !== 'outstanding') return false;
  if (ended) return true;
  return after?.no !== before.no || (after.status !== 'outstanding' && after.status !== 'passed');
}

/**
 * A trainee's player against the rules, as the service drives them: one call per message with the
 * server clock, and a pending ledger write finished before the next message is decided.
 */
class Trainee {
  s: StudySession;
  /** Seconds after T0. */
  t: number;
  seq = 0;
  /** Where the video really is. */
  position = 0;
  private beatT: number;
  private captureNo = 0;
  /** Sum of what credit() granted over the session's accepted heartbeats: credited at once, or into `gated`. */
  granted = 0;
  /**
   * Seconds that were gated when a check failed, timed out or was missed, or the session ended:
   * counted here from what was gated just before the step, so the walk can check they went nowhere.
   */
  forfeited = 0;
  /** The lesson seconds the latest step forfeited. */
  lastForfeit: IntervalSet = [];
  /** Seconds that left `gated` because every open check passed. */
  released = 0;
  /** The session before the latest step. */
  before?: StudySession;
  lastBeat?: { readonly before: StudySession; readonly now: number; readonly out: HeartbeatOutcome };
  sawLessonEnd = false;
  completedByCheck = false;
  /** Ledger writes the service finished. */
  readonly flushed: PendingFlush[] = [];

  constructor(
    readonly env: SessionEnv,
    init: Partial<OpenSession> = {},
    t = 0,
  ) {
    this.t = t;
    this.beatT = t;
    this.s = openSession(openInit(init), at(t), env);
  }

  private advance(dt: number): number {
    this.t += dt;
    if (this.s.flushing) {
      this.flushed.push(this.s.flushing);
      this.s = finishFlush(this.s);
    }
    this.before = this.s;
    return at(this.t);
  }

  /** Books what a step forfeited: everything gated before it, when an outstanding check resolved without passing. */
  private settle(next: StudySession): void {
    const before = this.before!;
    const ended = before.status === 'active' && next.status !== 'active';
    const lost = resolvedUnpassed(before.faceCheck, next.faceCheck, ended) || resolvedUnpassed(before.prompt, next.prompt, ended);
    this.lastForfeit = lost ? (before.gated ?? []) : [];
    this.forfeited += total(this.lastForfeit);
    if (!lost) this.released += Math.max(0, total(before.gated ?? []) - total(next.gated ?? []));
    this.s = next;
  }

  /**
   * `dt` seconds later, a heartbeat. By default the video played on since the previous heartbeat at
   * its rate; `to` says where it is instead, `hb` overrides any field.
   */
  beat(dt: number, p: { to?: number; playing?: boolean; visible?: boolean; rate?: number; hb?: Partial<Heartbeat> } = {}): HeartbeatOutcome {
    const now = this.advance(dt);
    const playing = p.playing ?? true;
    const rate = p.rate ?? 1;
    const played = playing ? (this.t - this.beatT) * rate : 0;
    this.position = p.to ?? Math.min(this.s.credit.lessonDuration, this.position + played);
    this.beatT = this.t;
    const hb: Heartbeat = { seq: this.seq, position: this.position, playing, visible: p.visible ?? true, playbackRate: rate, sentAt: 0, ...p.hb };
    const out = applyHeartbeat(this.s, hb, now, this.env);
    this.lastBeat = { before: this.s, now, out };
    if (out.result.accepted) {
      this.seq = Math.max(this.seq, hb.seq) + 1;
      this.granted += out.result.credited + gatedBy(out);
    }
    this.settle(out.session);
    return out;
  }

  capture(outcome: CaptureOutcome, dt = 0, no = this.s.faceCheck?.no ?? 0) {
    const now = this.advance(dt);
    const out = applyCapture(this.s, no, outcome, `cap-${++this.captureNo}`, now, this.env);
    this.settle(out.session);
    return out.transition;
  }

  answer(correct: boolean | string, dt = 0, no = this.s.prompt?.no ?? 0) {
    const now = this.advance(dt);
    const answer = typeof correct === 'string' ? correct : correct ? this.s.prompt!.answer : wrongChoice(this.s);
    const out = applyAnswer(this.s, no, answer, now, this.env);
    this.settle(out.session);
    return out.transition;
  }

  end(code: SessionEndCode, dt = 0): StudySession {
    const now = this.advance(dt);
    this.settle(endSession(this.s, code, now, this.env));
    return this.s;
  }
}

function wrongChoice(s: StudySession): string {
  return s.prompt!.choices.find((c) => c !== s.prompt!.answer)!;
}

/** Opened at T0, a heartbeat at T0 (paused at 0), the session-start check passed at T0: crediting is on. */
function verified(env: SessionEnv = envOf(), init: Partial<OpenSession> = {}): Trainee {
  const tr = new Trainee(env, init);
  tr.beat(0, { playing: false });
  expect(tr.capture('match')).toMatchObject({ ok: true });
  return tr;
}

/** Plays `seconds` more in heartbeats of `every` seconds; returns the outcomes. */
function play(tr: Trainee, seconds: number, every = 5): HeartbeatOutcome[] {
  const out: HeartbeatOutcome[] = [];
  for (let done = 0; done < seconds; done += every) out.push(tr.beat(Math.min(every, seconds - done)));
  return out;
}

describe('openSession', () => {
  it('starts active with the session-start face check outstanding and crediting off', () => {
    const env = envOf({ faceWindowSeconds: 45 });
    const s = openSession(openInit({ credited: [[0, 30]], base: { programSeconds: 7200, onlineSeconds: 3600 }, device: 'phone' }), at(0), env);
    expect(s).toMatchObject({
      id: 's1',
      ...OWNER,
      ...LESSON,
      device: 'phone',
      version: 0,
      status: 'active',
      startedAt: at(0),
      lastSeenAt: at(0),
      provisional: [],
      held: [],
      evidence: [],
      flushes: 0,
      settledSeconds: 0,
      voidedSeconds: 0,
      base: { programSeconds: 7200, onlineSeconds: 3600 },
    });
    expect(s.faceCheck).toEqual({
      kind: 'face',
      reason: 'session-start',
      no: 1,
      status: 'outstanding',
      issuedAt: at(0),
      deadline: at(45),
      retriesLeft: 1,
      attempts: [],
    });
    expect(s.verifiedAt).toBeUndefined();
    expect(s.prompt).toBeUndefined();
    expect(s.flushing).toBeUndefined();
    // The ledger's seconds are where the session starts; the gates are derived, never stored.
    expect(s.credit).toEqual({ lessonDuration: 600, credited: [[0, 30]], furthestPosition: 30, sessionCredited: 0, creditableWallMs: 0, bankMs: 0, deferred: [] });
    expect(s).not.toHaveProperty('lessonDuration');
    expect(s).not.toHaveProperty('credited');
  });

  it('draws the first random check and prompt times from the injected source, inside their ranges', () => {
    const checks = { faceIntervalMinSeconds: 300, faceIntervalMaxSeconds: 900, promptIntervalMinSeconds: 600, promptIntervalMaxSeconds: 1500 };
    // A two-hour lesson: long enough that the first prompt keeps the usual interval.
    const long = openInit({ lessonDuration: 7200 });
    const a = openSession(long, at(0), envOf(checks, 7));
    const b = openSession(long, at(0), envOf(checks, 7));
    expect([a.nextFaceCheckAt, a.nextPromptAt]).toEqual([b.nextFaceCheckAt, b.nextPromptAt]);
    const seen = new Set<number>();
    for (let seed = 0; seed < 50; seed++) {
      const s = openSession(long, at(0), envOf(checks, seed));
      expect(s.nextFaceCheckAt).toBeGreaterThanOrEqual(at(300));
      expect(s.nextFaceCheckAt).toBeLessThanOrEqual(at(900));
      expect(s.nextPromptAt).toBeGreaterThanOrEqual(at(600));
      expect(s.nextPromptAt).toBeLessThanOrEqual(at(1500));
      seen.add(s.nextFaceCheckAt);
    }
    expect(seen.size).toBeGreaterThan(20);
  });

  it('puts the first prompt inside a lesson shorter than the prompt interval, counting only what is left to watch', () => {
    const checks = { promptIntervalMinSeconds: 600, promptIntervalMaxSeconds: 1500 };
    for (let seed = 0; seed < 50; seed++) {
      const fresh = openSession(openInit({ lessonDuration: 480 }), at(0), envOf(checks, seed));
      expect(fresh.nextPromptAt).toBeGreaterThanOrEqual(at(120));
      expect(fresh.nextPromptAt).toBeLessThanOrEqual(at(360));
      // Six of the eight minutes already credited: 120 s are left, the middle half of them.
      const resumed = openSession(openInit({ lessonDuration: 480, credited: [[0, 360]] }), at(0), envOf(checks, seed));
      expect(resumed.nextPromptAt).toBeGreaterThanOrEqual(at(30));
      expect(resumed.nextPromptAt).toBeLessThanOrEqual(at(90));
    }
  });

  it('clips ledger seconds to the lesson and refuses an impossible duration with a stable code', () => {
    expect(openSession(openInit({ lessonDuration: 20.5, credited: [[0, 5], [4, 40]] }), at(0), envOf()).credit.credited).toEqual([[0, 21]]);
    for (const lessonDuration of [0, -1, Number.NaN]) {
      let caught: unknown;
      try {
        openSession(openInit({ lessonDuration }), at(0), envOf());
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(AppError);
      expect((caught as AppError).code).toBe('LESSON_DURATION_INVALID');
    }
  });
});

describe('session start: nothing is credited before the first pass', () => {
  it('heartbeats before the pass earn nothing, hold nothing and record FACE_CHECK_REQUIRED', () => {
    const tr = new Trainee(envOf({ faceWindowSeconds: 600 }));
    expect(codes(tr.beat(0))).toEqual([]);
    for (const o of play(tr, 60)) {
      expect(o.result.accepted).toBe(true);
      expect(o.result.credited).toBe(0);
      expect(refused(o, 'FACE_CHECK_REQUIRED')).toBe(5);
    }
    expect(tr.s.provisional).toEqual([]);
    expect(tr.s.held).toEqual([]);
    expect(tr.s.credit.credited).toEqual([]);
    expect(tr.s.credit.creditableWallMs).toBe(0);
    expect(tr.s.credit.furthestPosition).toBe(60);
  });

  it('neither random checks nor prompts are issued before the start pass, even when due', () => {
    const tr = new Trainee(envOf({ faceWindowSeconds: 600, faceIntervalMinSeconds: 10, faceIntervalMaxSeconds: 10, promptIntervalMinSeconds: 10, promptIntervalMaxSeconds: 10 }));
    tr.beat(0);
    for (const o of play(tr, 60)) expect(o.issued).toEqual([]);
    expect(tr.s.faceCheck).toMatchObject({ no: 1, reason: 'session-start', status: 'outstanding' });
    expect(tr.s.prompt).toBeUndefined();
    // After the pass both schedules start from the pass, not from the open.
    tr.capture('match', 2);
    expect(tr.s.nextFaceCheckAt).toBe(at(72));
    expect(tr.s.nextPromptAt).toBe(at(72));
    expect(tr.beat(5).issued).toEqual([]);
    expect(tr.beat(5).issued).toEqual(['face', 'prompt']);
    expect(tr.s.faceCheck).toMatchObject({ no: 2, reason: 'random', issuedAt: at(72) });
    expect(tr.s.prompt).toMatchObject({ no: 1, issuedAt: at(72) });
  });

  it('while playing, the interval is re-anchored at the pass with the estimated position', () => {
    const tr = new Trainee(envOf());
    tr.beat(0);
    expect(refused(tr.beat(5), 'FACE_CHECK_REQUIRED')).toBe(5);
    const pass = tr.capture('match', 3);
    expect(pass).toMatchObject({ ok: true, check: { status: 'passed', no: 1, resolvedAt: at(8) } });
    expect(tr.s.verifiedAt).toBe(at(8));
    expect(tr.s.credit.last).toEqual({ seq: 1, at: at(8), position: 8 });
    expect(tr.s.flushing).toBeUndefined();
    expect(tr.s.evidence).toEqual(['cap-1']);
    const o = tr.beat(2);
    // From the pass (position 8), not from the heartbeat before it (position 5).
    expect(o.result.creditedIntervals).toEqual([[8, 10]]);
    expect(codes(o)).toEqual([]);
    expect(tr.s.provisional).toEqual([[8, 10]]);
    expect(tr.s.credit.creditableWallMs).toBe(2000);
  });

  it('while paused, the anchor stays where the video stopped and moves to the pass time', () => {
    const tr = new Trainee(envOf());
    tr.beat(0, { playing: false });
    tr.beat(5, { playing: false });
    tr.capture('match', 15);
    expect(tr.s.credit.last).toEqual({ seq: 1, at: at(20), position: 0 });
    const o = tr.beat(5, { to: 5 });
    expect(o.result.creditedIntervals).toEqual([[0, 5]]);
    expect(codes(o)).toEqual([]);
  });

  it('a player claiming it played through the wait (since the heartbeat before the pass) earns nothing for it', () => {
    const tr = new Trainee(envOf());
    tr.beat(0, { playing: false });
    tr.beat(5, { playing: false });
    tr.capture('match', 15);
    const o = tr.beat(5, { to: 25 });
    expect(o.result.credited).toBe(0);
    expect(codes(o)).toContain('SEEK_AHEAD');
  });

  it('the estimate goes no faster than the allowed rate and no further than the lesson', () => {
    const fast = new Trainee(envOf());
    fast.beat(0);
    fast.beat(5, { to: 10, rate: 2 });
    fast.capture('match', 3);
    expect(fast.s.credit.last).toMatchObject({ at: at(8), position: 13 });

    const short = new Trainee(envOf({ faceWindowSeconds: 120 }), { lessonDuration: 10 });
    short.beat(0);
    short.beat(5);
    short.capture('match', 55);
    expect(short.s.credit.last).toMatchObject({ at: at(60), position: 10 });
  });

  it('a pass before any heartbeat leaves the first heartbeat to anchor', () => {
    const tr = new Trainee(envOf());
    tr.capture('match', 3);
    expect(tr.s.verifiedAt).toBe(at(3));
    expect(tr.s.credit.last).toBeUndefined();
    expect(tr.beat(2).result.credited).toBe(0);
    expect(tr.beat(5).result.creditedIntervals).toEqual([[5, 10]]);
  });

  it('a failed start check is re-issued as a session-start check after the retry window, and its pass starts crediting', () => {
    const tr = new Trainee(envOf({ promptIntervalMinSeconds: 30, promptIntervalMaxSeconds: 30 }));
    tr.beat(0, { playing: false });
    expect(tr.capture('mismatch', 2)).toMatchObject({ ok: true, check: { status: 'failed' } });
    expect(tr.s.verifiedAt).toBeUndefined();
    expect(tr.s.nextFaceCheckAt).toBe(at(7));
    expect(tr.beat(3, { playing: false }).issued).toEqual([]);
    const o = tr.beat(5, { playing: false });
    expect(o.issued).toEqual(['face']);
    expect(tr.s.faceCheck).toMatchObject({ no: 2, reason: 'session-start', status: 'outstanding', issuedAt: at(10) });
    expect(refused(tr.beat(5), 'FACE_CHECK_REQUIRED')).toBe(5);
    tr.capture('match', 1);
    expect(tr.s.verifiedAt).toBe(at(16));
    expect(tr.s.nextPromptAt).toBe(at(46));
    expect(tr.s.credit.last).toMatchObject({ at: at(16), position: 6 });
    expect(tr.beat(4).result.creditedIntervals).toEqual([[6, 10]]);
  });
});

describe('repeated failed face checks end the session (issue 26: 229 failed checks in one tab)', () => {
  const LIMIT = 3;
  const limited = (more: Partial<CheckSettings> = {}) => envOf({ faceMaxFailures: LIMIT, ...more });

  /** Fails the outstanding check with `outcome`, then waits out the retry window for the re-check. */
  function failAndWait(tr: Trainee, outcome: CaptureOutcome = 'mismatch'): void {
    expect(tr.capture(outcome, 1)).toMatchObject({ ok: true, check: { status: 'failed' } });
    if (tr.s.status === 'active') expect(tr.beat(5, { playing: false }).issued).toEqual(['face']);
  }

  it('the Nth consecutive failed start check terminates the session with a zh-CN reason; nothing is credited before or after', () => {
    const tr = new Trainee(limited());
    tr.beat(0, { playing: false });
    for (let n = 1; n < LIMIT; n++) {
      failAndWait(tr);
      expect(tr.s).toMatchObject({ status: 'active', faceFailures: n });
    }
    expect(tr.capture('mismatch', 1)).toMatchObject({ ok: true, check: { status: 'failed' } });
    expect(tr.s).toMatchObject({ status: 'terminated', endReason: { code: 'SESSION_FACE_FAILURES', message: SESSION_END_MESSAGES.FACE_FAILURES } });
    expect(SESSION_END_MESSAGES.FACE_FAILURES).toMatch(/人脸核验/);
    const after = tr.beat(5);
    expect(after.result).toMatchObject({ accepted: false, credited: 0 });
    expect(after.issued).toEqual([]);
    expect(tr.capture('match', 1, tr.s.faceCheck!.no)).toMatchObject({ ok: false, code: 'CHECK_NOT_OUTSTANDING' });
    expect(tr.s.status).toBe('terminated');
    expect(tr.granted).toBe(0);
    expect(tr.s.credit.credited).toEqual([]);
  });

  it('a pass resets the count: failures must be consecutive', () => {
    const tr = new Trainee(limited());
    tr.beat(0, { playing: false });
    for (let n = 1; n < LIMIT; n++) failAndWait(tr);
    tr.capture('match', 1);
    expect(tr.s).toMatchObject({ status: 'active', faceFailures: 0 });
    expect(tr.s.verifiedAt).toBeDefined();
  });

  it('checks that time out count as failures, and a heartbeat that finds the last one ended earns nothing', () => {
    const tr = verified(faceEvery(30, { faceMaxFailures: LIMIT }));
    play(tr, 30);
    expect(tr.s.faceCheck).toMatchObject({ no: 2, status: 'outstanding' });
    // Each random check times out after its 20 s window; its re-check follows 5 s later.
    for (let n = 1; n < LIMIT; n++) {
      tr.beat(25);
      expect(tr.s).toMatchObject({ status: 'active', faceFailures: n });
      expect(tr.s.faceCheck).toMatchObject({ no: 2 + n, status: 'outstanding' });
    }
    const last = tr.beat(25);
    expect(tr.s).toMatchObject({ status: 'terminated', faceFailures: LIMIT });
    expect(last.result).toMatchObject({ accepted: false, credited: 0, refusals: [{ code: 'FACE_CHECK_FAILED' }] });
    expect(last.issued).toEqual([]);
    // Its end is when the last check's window closed, not when the heartbeat came.
    expect(tr.s.endedAt).toBe(tr.s.faceCheck!.resolvedAt);
    // What the first check held never got a pass: voided, as for any session ending on a failed check.
    expect(tr.s).toMatchObject({ held: [], provisional: [], voidedSeconds: 30 });
    expect(tr.s.credit.credited).toEqual([]);
  });

  it('the limit comes from the settings, five by default', () => {
    expect(checkSettings({}).faceMaxFailures).toBe(5);
    expect(() => checkSettings({ faceMaxFailures: 0 })).toThrow();
  });
});

/** Plays `seconds` in 5 s heartbeats of which only the last issues something: `kind`. */
function playUntilIssued(tr: Trainee, seconds: number, kind: 'face' | 'prompt'): void {
  const issued = play(tr, seconds).map((o) => o.issued);
  expect(issued).toEqual([...issued.slice(0, -1).map(() => []), [kind]]);
}

/** One more heartbeat, 5 s under the outstanding check: it earns nothing yet, `code` says so, and its seconds wait in `gated`. */
function beatUnder(tr: Trainee, code: RefusalCode): void {
  const before = tr.s;
  const o = tr.beat(5);
  expect(o.result.credited).toBe(0);
  expect(o.result.creditedIntervals).toEqual([]);
  expect(refused(o, code)).toBe(5);
  expect(total(tr.s.gated ?? []) - total(before.gated ?? [])).toBe(5);
  expect(tr.s.provisional).toEqual(before.provisional);
  expect(tr.s.held).toEqual(before.held);
}

/** Random face checks exactly `every` seconds apart, a 20 s window and a 5 s re-check. */
const faceEvery = (every: number, more: Partial<CheckSettings> = {}) =>
  envOf({ faceIntervalMinSeconds: every, faceIntervalMaxSeconds: every, ...more });

/** Verified at T0, played to 30 s when random check no. 2 is issued, then 5 s more under it (gated: 30–35). */
function underRandomCheck(init: Partial<OpenSession> = {}, more: Partial<CheckSettings> = {}): Trainee {
  const tr = verified(faceEvery(30, more), init);
  playUntilIssued(tr, 30, 'face');
  expect(tr.s.faceCheck).toMatchObject({ no: 2, reason: 'random', status: 'outstanding', issuedAt: at(30), deadline: at(30 + tr.env.checks.faceWindowSeconds) });
  expect(tr.s.provisional).toEqual([[0, 30]]);
  beatUnder(tr, 'FACE_CHECK_OUTSTANDING');
  expect(tr.s.gated).toEqual([[30, 35]]);
  // Gated seconds are taken (nobody else may earn them) but not yet counted for the trainee.
  expect(tr.s.credit.credited).toEqual(union(init.credited ?? [], [[0, 35]]));
  return tr;
}

describe('random face checks and settlement at each pass', () => {
  it('a pass flushes the provisional seconds and those watched under it, with the evidence, updating settled and base', () => {
    const tr = underRandomCheck({ base: { programSeconds: 1000, onlineSeconds: 400 } });
    expect(tr.capture('match', 2)).toMatchObject({ ok: true, check: { status: 'passed' } });
    // 0–30 before the check and 30–35 watched under it: one write, at the pass, no heartbeat needed.
    expect(tr.s.flushing).toEqual({ no: 1, intervals: [[0, 35]], seconds: 35, evidence: ['cap-1', 'cap-2'], occurredAt: at(37) });
    expect(tr.s).toMatchObject({ flushes: 1, provisional: [], held: [], gated: [], evidence: [], settledSeconds: 35, base: { programSeconds: 1035, onlineSeconds: 435 } });
    expect(tr.s.nextFaceCheckAt).toBe(at(67));
    // Totals count the pending write once: it is in the base, no longer provisional.
    expect(sessionTotals(tr.s)).toMatchObject({ lessonCreditedSeconds: 35, sessionCreditedSeconds: 35, programSeconds: 1035, programOnlineSeconds: 435 });
    // The next heartbeat earns from its predecessor (35 s), not from the check's issue.
    const o = tr.beat(3);
    expect(tr.flushed.map((f) => f.no)).toEqual([1]);
    expect(tr.s.flushing).toBeUndefined();
    expect(o.result.creditedIntervals).toEqual([[35, 40]]);
    expect(codes(o)).toEqual([]);
    expect(tr.s.provisional).toEqual([[35, 40]]);
  });

  it('every pass flushes: three checks, three ledger writes numbered in order, nothing lost', () => {
    const tr = verified(faceEvery(30));
    for (let i = 0; i < 3; i++) {
      while (tr.s.faceCheck?.status !== 'outstanding') tr.beat(5);
      tr.capture('match', 1);
    }
    tr.beat(4);
    const writes = [...tr.flushed, ...(tr.s.flushing ? [tr.s.flushing] : [])];
    expect(writes.map((f) => f.no)).toEqual([1, 2, 3]);
    expect(writes.map((f) => f.seconds)).toEqual([30, 31, 31]);
    expect(union(union(writes[0].intervals, writes[1].intervals), writes[2].intervals)).toEqual([[0, 92]]);
    expect(tr.s.settledSeconds).toBe(92);
  });

  it('startFlush refuses a second flush while one is pending; finishFlush clears only the pending write', () => {
    const tr = underRandomCheck();
    tr.capture('match', 2);
    const pending = tr.s;
    const more: StudySession = { ...pending, provisional: [[40, 45]] };
    expect(() => startFlush(more, at(38))).toThrow(/flush 1 pending/);
    // Nothing to write is no new flush, pending or not.
    expect(startFlush(pending, at(38)).flushing).toBe(pending.flushing);
    const done = finishFlush(pending);
    expect(done).not.toHaveProperty('flushing');
    expect({ ...done, flushing: pending.flushing }).toEqual(pending);
    const next = startFlush({ ...done, provisional: [[40, 45]], evidence: ['cap-3'] }, at(39));
    expect(next.flushing).toEqual({ no: 2, intervals: [[40, 45]], seconds: 5, evidence: ['cap-3'], occurredAt: at(39) });
    expect(next.settledSeconds).toBe(40);
  });

  it.each<CaptureOutcome>(['mismatch', 'no-face', 'several-faces'])(
    'a %s capture holds the provisional seconds, forfeits those watched under it, stops crediting and re-checks soon; a later pass releases the held',
    (outcome) => {
      const tr = underRandomCheck();
      expect(tr.capture(outcome, 2)).toMatchObject({ ok: true, check: { status: 'failed', resolvedAt: at(37), attempts: [{ at: at(37), outcome }] } });
      expect(tr.s).toMatchObject({ held: [[0, 30]], provisional: [], gated: [], settledSeconds: 0, voidedSeconds: 0, evidence: ['cap-1', 'cap-2'] });
      // 30–35 were never vouched for: free to be watched again, yet they used the session's wall-clock budget.
      expect(tr.s.credit.credited).toEqual([[0, 30]]);
      expect(tr.s.credit.sessionCredited).toBe(35);
      expect(tr.s.flushing).toBeUndefined();
      expect(tr.s.nextFaceCheckAt).toBe(at(42));
      expect(sessionTotals(tr.s)).toMatchObject({ heldSeconds: 30, lessonCreditedSeconds: 0, sessionCreditedSeconds: 0 });
      expect(isLessonComplete(tr.s)).toBe(false);

      const stopped = tr.beat(3);
      expect(stopped.result.credited).toBe(0);
      // From the previous heartbeat (35 s): the failed check stops everything after it.
      expect(refused(stopped, 'FACE_CHECK_FAILED')).toBe(5);
      expect(stopped.issued).toEqual([]);
      const recheck = tr.beat(5);
      expect(recheck.result.credited).toBe(0);
      expect(recheck.issued).toEqual(['face']);
      expect(tr.s.faceCheck).toMatchObject({ no: 3, reason: 'random', status: 'outstanding', issuedAt: at(45) });
      beatUnder(tr, 'FACE_CHECK_OUTSTANDING');
      expect(tr.s).toMatchObject({ held: [[0, 30]], gated: [[45, 50]] });

      tr.capture('match', 2);
      expect(tr.s.flushing).toMatchObject({ no: 1, intervals: [[0, 30], [45, 50]], seconds: 35, evidence: ['cap-1', 'cap-2', 'cap-3'] });
      expect(tr.s).toMatchObject({ held: [], gated: [] });
      // Crediting resumed from the re-check's issue; the failed stretch (30–45) stays unearned.
      expect(tr.beat(3).result.creditedIntervals).toEqual([[50, 55]]);
      expect(tr.s.credit.credited).toEqual([[0, 30], [45, 55]]);
    },
  );

  it('a pass releases held, provisional and gated seconds together, in one write', () => {
    const tr = underRandomCheck();
    const all: StudySession = { ...tr.s, held: [[100, 110]], credit: { ...tr.s.credit, credited: [[0, 35], [100, 110]] } };
    const { session } = applyCapture(all, 2, 'match', 'cap-2', at(36), tr.env);
    expect(session.flushing).toMatchObject({ intervals: [[0, 35], [100, 110]], seconds: 45 });
    expect(session).toMatchObject({ held: [], provisional: [], gated: [], settledSeconds: 45 });
  });

  it('a timed-out check holds the provisional seconds, forfeits the gated ones, and the re-check follows the retry window', () => {
    const tr = underRandomCheck();
    const o = tr.beat(20);
    expect(tr.s.faceCheck).toMatchObject({ no: 3, reason: 'random', status: 'outstanding', issuedAt: at(55) });
    expect(o.issued).toEqual(['face']);
    expect(o.result.credited).toBe(0);
    expect(refused(o, 'FACE_CHECK_FAILED')).toBe(20);
    expect(tr.s).toMatchObject({ held: [[0, 30]], provisional: [], gated: [], voidedSeconds: 0 });
    expect(tr.s.credit.credited).toEqual([[0, 30]]);
  });

  it('expireChecks records a timeout at the deadline and schedules the re-check from it', () => {
    const tr = underRandomCheck();
    expect(expireChecks(tr.s, at(50), tr.env)).toBe(tr.s);
    const s = expireChecks(tr.s, at(80), tr.env);
    expect(s.faceCheck).toMatchObject({ status: 'timed-out', resolvedAt: at(50) });
    expect(s.nextFaceCheckAt).toBe(at(55));
    expect(s).toMatchObject({ held: [[0, 30]], gated: [] });
    expect(s.credit.credited).toEqual([[0, 30]]);
  });

  it('a capture after the deadline is refused, and the timeout it reveals is kept', () => {
    const tr = underRandomCheck();
    const t = tr.capture('match', 16);
    expect(t).toMatchObject({ ok: false, code: 'CHECK_NOT_OUTSTANDING', check: { status: 'timed-out' } });
    expect(tr.s).toMatchObject({ held: [[0, 30]], gated: [] });
    expect(tr.s.evidence).toEqual(['cap-1']);
    expect(tr.s.flushing).toBeUndefined();
  });

  it('a capture for another check number changes nothing', () => {
    const tr = underRandomCheck();
    const before = tr.s;
    const t = tr.capture('match', 1, 1);
    expect(t).toMatchObject({ ok: false, code: 'CHECK_NOT_OUTSTANDING' });
    expect(tr.s).toBe(before);
  });

  it('a bad frame earns exactly one quick retry, which a match passes', () => {
    const tr = underRandomCheck();
    expect(tr.capture('bad-frame', 2)).toMatchObject({ ok: true, check: { status: 'outstanding', retriesLeft: 0, deadline: at(50) } });
    expect(tr.s).toMatchObject({ provisional: [[0, 30]], held: [], gated: [[30, 35]], evidence: ['cap-1', 'cap-2'] });
    tr.capture('match', 1);
    expect(tr.s.flushing).toMatchObject({ seconds: 35, evidence: ['cap-1', 'cap-2', 'cap-3'] });
  });

  it('a second bad frame fails the check', () => {
    const tr = underRandomCheck();
    tr.capture('bad-frame', 2);
    expect(tr.capture('bad-frame', 1)).toMatchObject({ ok: true, check: { status: 'failed' } });
    expect(tr.s).toMatchObject({ held: [[0, 30]], gated: [] });
    expect(tr.s.nextFaceCheckAt).toBe(at(43));
  });

  it('a bad frame near the deadline gets at least the retry window', () => {
    const tr = underRandomCheck();
    expect(tr.capture('bad-frame', 13)).toMatchObject({ check: { status: 'outstanding', deadline: at(53) } });
    expect(tr.capture('match', 4)).toMatchObject({ ok: true, check: { status: 'passed' } });
  });

  it('seconds watched under an answered prompt still wait for a face check outstanding by then: its failure forfeits them', () => {
    // The prompt is issued at 10 s, the face check at 20 s; the prompt is answered while the face check is open.
    const env = envOf({ faceIntervalMinSeconds: 20, faceIntervalMaxSeconds: 20, promptIntervalMinSeconds: 10, promptIntervalMaxSeconds: 10, promptWindowSeconds: 30 });
    const answeredThenFailed = verified(env);
    expect(answeredThenFailed.beat(10).issued).toEqual(['prompt']);
    const under = answeredThenFailed.beat(10);
    expect(under.issued).toEqual(['face']);
    expect(refused(under, 'PROMPT_OUTSTANDING')).toBe(10);
    expect(answeredThenFailed.answer(true, 1)).toMatchObject({ ok: true, check: { status: 'passed' } });
    // Not released: the face check issued at 20 s is still open.
    expect(answeredThenFailed.s).toMatchObject({ provisional: [[0, 10]], gated: [[10, 20]] });
    answeredThenFailed.capture('mismatch', 1);
    expect(answeredThenFailed.s).toMatchObject({ provisional: [], held: [[0, 10]], gated: [] });
    expect(answeredThenFailed.s.credit.credited).toEqual([[0, 10]]);
    expect(answeredThenFailed.beat(3).result.credited).toBe(0);

    // The same with the face check passing: everything watched is in its write.
    const answeredThenPassed = verified(env);
    answeredThenPassed.beat(10);
    answeredThenPassed.beat(10);
    answeredThenPassed.answer(true, 1);
    answeredThenPassed.capture('match', 1);
    expect(answeredThenPassed.s.flushing).toMatchObject({ intervals: [[0, 20]], seconds: 20 });
  });
});

describe('heartbeats the rules ignore, and checks together', () => {
  it('an ignored heartbeat records a timeout it finds but issues nothing and is not "seen"', () => {
    const tr = underRandomCheck();
    const o = tr.beat(20, { hb: { seq: tr.seq - 1 } });
    expect(o.result).toMatchObject({ accepted: false, credited: 0 });
    expect(codes(o)).toEqual(['REPLAYED']);
    expect(o.issued).toEqual([]);
    expect(tr.s.faceCheck).toMatchObject({ no: 2, status: 'timed-out' });
    expect(tr.s).toMatchObject({ held: [[0, 30]], provisional: [], nextFaceCheckAt: at(55), lastSeenAt: at(35) });
    const next = tr.beat(1);
    expect(next.issued).toEqual(['face']);
    expect(tr.s.lastSeenAt).toBe(at(56));
  });

  it('a face check and a prompt issued together: a face pass settles what came before, what was watched under both waits for the answer too', () => {
    const tr = verified(faceEvery(30, { promptIntervalMinSeconds: 30, promptIntervalMaxSeconds: 30, promptWindowSeconds: 30 }));
    expect(play(tr, 30).map((o) => o.issued)).toEqual([[], [], [], [], [], ['face', 'prompt']]);
    // One refusal names the face check: the seconds are gated once, whichever check releases them last.
    const o = tr.beat(5);
    expect(o.result.credited).toBe(0);
    expect(codes(o)).toEqual(['FACE_CHECK_OUTSTANDING', 'PROMPT_OUTSTANDING']);
    expect(refused(o, 'FACE_CHECK_OUTSTANDING')).toBe(5);
    expect(refused(o, 'PROMPT_OUTSTANDING')).toBe(5);
    tr.capture('match', 1);
    expect(tr.s.flushing).toMatchObject({ intervals: [[0, 30]] });
    expect(tr.s.gated).toEqual([[30, 35]]);
    const stillGated = tr.beat(4);
    expect(stillGated.result.credited).toBe(0);
    expect(codes(stillGated)).toEqual(['PROMPT_OUTSTANDING']);
    expect(refused(stillGated, 'PROMPT_OUTSTANDING')).toBe(5);
    expect(tr.answer(true, 1)).toMatchObject({ ok: true, check: { status: 'passed' } });
    // Released to provisional: settled at the next face pass or a clean end.
    expect(tr.s).toMatchObject({ provisional: [[30, 40]], gated: [] });
    expect(tr.beat(4).result.creditedIntervals).toEqual([[40, 45]]);
    expect(tr.end('CLOSED')).toMatchObject({ settledSeconds: 45, voidedSeconds: 0, credit: { credited: [[0, 45]] } });
  });

  it('what was watched under a check is in its pass’s write, and what follows is settled at the end', () => {
    const tr = underRandomCheck();
    tr.capture('match', 1);
    expect(tr.s.flushing).toMatchObject({ intervals: [[0, 35]], seconds: 35 });
    expect(tr.s.credit.credited).toEqual([[0, 35]]);
    expect(tr.beat(4).result.creditedIntervals).toEqual([[35, 40]]);
    expect(tr.end('CLOSED', 1)).toMatchObject({ settledSeconds: 40, voidedSeconds: 0, credit: { credited: [[0, 40]] } });
    expect(tr.flushed.map((f) => f.intervals)).toEqual([[[0, 35]]]);
    expect(tr.s.flushing).toMatchObject({ no: 2, intervals: [[35, 40]] });
  });

  it('a missed prompt after a passed face check forfeits the prompt interval but holds nothing', () => {
    const tr = verified(faceEvery(30, { promptIntervalMinSeconds: 30, promptIntervalMaxSeconds: 30, promptWindowSeconds: 30 }));
    play(tr, 30);
    tr.beat(5);
    tr.capture('match', 1);
    const o = tr.beat(25);
    expect(o.result.credited).toBe(0);
    expect(codes(o)).toEqual(['PROMPT_MISSED']);
    expect(o.issued).toEqual(['prompt']);
    expect(tr.s).toMatchObject({ provisional: [], held: [], settledSeconds: 30 });
  });
});

describe('seconds watched under an outstanding check', () => {
  /** Random checks every 30 s with a 45 s window: long enough to play on under one. */
  const wide = { faceWindowSeconds: 45 };

  it('a check outstanding while the video plays to its end: its pass, with no heartbeat after it, writes every watched second', () => {
    const tr = underRandomCheck({ lessonDuration: 60 }, wide);
    for (let i = 0; i < 5; i++) beatUnder(tr, 'FACE_CHECK_OUTSTANDING');
    expect(tr.position).toBe(60);
    expect(tr.s).toMatchObject({ provisional: [[0, 30]], gated: [[30, 60]] });
    // Taken but not the trainee's yet: the lesson is not complete, and no lesson-end check overlaps the open one.
    expect(isLessonComplete(tr.s)).toBe(false);
    expect(sessionTotals(tr.s).lessonCreditedSeconds).toBe(30);
    expect(tr.s.faceCheck).toMatchObject({ no: 2, reason: 'random', status: 'outstanding' });

    // The player stops at the end and sends nothing more; the trainee passes the check.
    expect(tr.capture('match', 2)).toMatchObject({ ok: true, check: { status: 'passed' } });
    expect(tr.s.flushing).toMatchObject({ no: 1, intervals: [[0, 60]], seconds: 60 });
    expect(tr.s).toMatchObject({ provisional: [], gated: [], held: [], settledSeconds: 60 });
    expect(isLessonComplete(tr.s)).toBe(true);
    // The client closes: nothing left to void.
    expect(tr.end('CLOSED', 1)).toMatchObject({ settledSeconds: 60, voidedSeconds: 0, credit: { credited: [[0, 60]] } });
    expect(tr.flushed.map((f) => f.intervals)).toEqual([[[0, 60]]]);
  });

  it('a pause under an outstanding check voids only the paused heartbeat; what was watched before it is released at the pass', () => {
    const tr = underRandomCheck({}, wide);
    // Playing on a while, then the trainee pauses to face the camera, then plays on.
    beatUnder(tr, 'FACE_CHECK_OUTSTANDING');
    expect(tr.s.gated).toEqual([[30, 40]]);
    const paused = tr.beat(5, { playing: false });
    expect(paused.result.credited).toBe(0);
    expect(codes(paused)).toEqual(['PAUSED']);
    expect(tr.s.gated).toEqual([[30, 40]]);
    expect(tr.s.credit.last).toMatchObject({ at: at(45), position: 40 });
    // A hidden tab plays on but earns nothing, and again only for its own interval.
    const hidden = tr.beat(5, { visible: false });
    expect(refused(hidden, 'TAB_HIDDEN')).toBe(5);
    expect(gatedBy(hidden)).toBe(0);
    beatUnder(tr, 'FACE_CHECK_OUTSTANDING');
    expect(tr.s.gated).toEqual([[30, 40], [45, 50]]);

    tr.capture('match', 1);
    expect(tr.s.flushing).toMatchObject({ intervals: [[0, 40], [45, 50]], seconds: 45 });
    expect(tr.s.credit.credited).toEqual([[0, 40], [45, 50]]);
  });

  it('a failed check forfeits the gated seconds — not held, not voided, no longer credited — and they can be earned again', () => {
    const tr = underRandomCheck({}, wide);
    beatUnder(tr, 'FACE_CHECK_OUTSTANDING');
    expect(tr.s.gated).toEqual([[30, 40]]);
    tr.capture('mismatch', 1);
    expect(tr.s).toMatchObject({ provisional: [], held: [[0, 30]], gated: [], voidedSeconds: 0, settledSeconds: 0 });
    expect(tr.s.credit.credited).toEqual([[0, 30]]);
    // The wall-clock budget they used stays used.
    expect(tr.s.credit.sessionCredited).toBe(40);
    expect(sessionTotals(tr.s)).toMatchObject({ lessonCreditedSeconds: 0, heldSeconds: 30, sessionCreditedSeconds: 0 });

    // The trainee goes back to 30 s; the re-check is issued 5 s after the failure.
    const back = tr.beat(5, { to: 30 });
    expect(codes(back)).toEqual(expect.arrayContaining(['SEEK_BACK', 'FACE_CHECK_FAILED']));
    expect(back.issued).toEqual(['face']);
    expect(tr.s.faceCheck).toMatchObject({ no: 3, reason: 'random', status: 'outstanding', issuedAt: at(46) });
    beatUnder(tr, 'FACE_CHECK_OUTSTANDING');
    beatUnder(tr, 'FACE_CHECK_OUTSTANDING');
    expect(tr.s.gated).toEqual([[30, 40]]);
    tr.capture('match', 1);
    // The held 0–30 and the re-watched 30–40, in one write.
    expect(tr.s.flushing).toMatchObject({ intervals: [[0, 40]], seconds: 40 });
    expect(tr.s).toMatchObject({ held: [], gated: [], settledSeconds: 40, voidedSeconds: 0 });
    expect(tr.s.credit.sessionCredited).toBe(50);
  });

  it('a session that ends with seconds gated forfeits them: they are neither settled nor voided', () => {
    const tr = underPrompt();
    const s = tr.end('CLOSED', 1);
    expect(s).toMatchObject({ status: 'closed', settledSeconds: 40, voidedSeconds: 0, gated: [], provisional: [] });
    expect(s.flushing).toMatchObject({ intervals: [[0, 40]] });
    expect(s.credit.credited).toEqual([[0, 40]]);
  });
});

describe('lesson end', () => {
  it('once the whole lesson is credited a lesson-end check is issued; its pass settles the rest', () => {
    const tr = verified(envOf({ promptIntervalMinSeconds: 20, promptIntervalMaxSeconds: 20 }), { lessonDuration: 20 });
    playUntilIssued(tr, 20, 'face');
    expect(tr.s.faceCheck).toMatchObject({ no: 2, reason: 'lesson-end', status: 'outstanding', issuedAt: at(20) });
    expect(tr.s.prompt).toBeUndefined();
    expect(isLessonComplete(tr.s)).toBe(true);
    expect(tr.beat(5, { playing: false }).issued).toEqual([]);
    tr.capture('match', 1);
    expect(tr.s.flushing).toMatchObject({ intervals: [[0, 20]], seconds: 20 });
    const ended = endSession(tr.s, 'COMPLETED', at(26), tr.env);
    expect(ended).toMatchObject({
      status: 'completed',
      endReason: { code: 'SESSION_COMPLETED', message: SESSION_END_MESSAGES.COMPLETED },
      endedAt: at(26),
      settledSeconds: 20,
      voidedSeconds: 0,
      provisional: [],
      held: [],
    });
    expect(ended.flushing).toBe(tr.s.flushing);
    expect(ended.credit.credited).toEqual([[0, 20]]);
  });

  it('a fractional lesson completes with its last partial second', () => {
    const tr = verified(envOf(), { lessonDuration: 20.4 });
    play(tr, 20);
    expect(tr.s.faceCheck?.reason).toBe('session-start');
    expect(tr.beat(1).issued).toEqual(['face']);
    expect(tr.s.credit.credited).toEqual([[0, 21]]);
    expect(sessionTotals(tr.s)).toMatchObject({ lessonSeconds: 21, lessonCreditedSeconds: 21 });
  });

  it('a failed lesson-end check is re-issued as a lesson-end check after the retry window', () => {
    const tr = verified(envOf(), { lessonDuration: 20 });
    play(tr, 20);
    tr.capture('no-face', 1);
    expect(tr.s.held).toEqual([[0, 20]]);
    expect(isLessonComplete(tr.s)).toBe(false);
    expect(tr.beat(3, { playing: false }).issued).toEqual([]);
    expect(tr.beat(3, { playing: false }).issued).toEqual(['face']);
    expect(tr.s.faceCheck).toMatchObject({ no: 3, reason: 'lesson-end', status: 'outstanding' });
    tr.capture('match', 1);
    expect(tr.s.flushing).toMatchObject({ intervals: [[0, 20]], seconds: 20 });
  });

  it('no lesson-end check while the last seconds wait on a prompt: its pass would complete the session and forfeit them', () => {
    const tr = verified(envOf({ promptIntervalMinSeconds: 40, promptIntervalMaxSeconds: 40, promptWindowSeconds: 30 }), { lessonDuration: 60 });
    playUntilIssued(tr, 40, 'prompt');
    for (const o of play(tr, 20)) {
      expect(o.issued).toEqual([]);
      expect(refused(o, 'PROMPT_OUTSTANDING')).toBe(5);
    }
    expect(tr.s).toMatchObject({ provisional: [[0, 40]], gated: [[40, 60]] });
    expect(tr.s.faceCheck).toMatchObject({ reason: 'session-start', status: 'passed' });
    expect(tr.beat(3, { playing: false }).issued).toEqual([]);
    // Answered: released, and the next heartbeat issues the lesson-end check, whose pass writes the whole lesson.
    tr.answer(true, 1);
    expect(tr.s).toMatchObject({ provisional: [[0, 60]], gated: [] });
    expect(tr.beat(1, { playing: false }).issued).toEqual(['face']);
    expect(tr.s.faceCheck).toMatchObject({ reason: 'lesson-end', status: 'outstanding' });
    tr.capture('match', 1);
    expect(tr.s.flushing).toMatchObject({ intervals: [[0, 60]], seconds: 60 });
    expect(tr.end('COMPLETED').credit.credited).toEqual([[0, 60]]);
  });

  it('a lesson already complete in the ledger issues no lesson-end check and no random checks', () => {
    const tr = verified(faceEvery(10, { promptIntervalMinSeconds: 10, promptIntervalMaxSeconds: 10 }), { lessonDuration: 20, credited: [[0, 20]] });
    for (const o of play(tr, 40)) {
      expect(o.issued).toEqual([]);
      expect(o.result.credited).toBe(0);
    }
    expect(isLessonComplete(tr.s)).toBe(true);
  });
});

/** Verified at T0, prompts exactly 40 s apart with a 10 s window; prompt no. 1 issued at 40 s, then 5 s under it. */
function underPrompt(): Trainee {
  const tr = verified(envOf({ promptIntervalMinSeconds: 40, promptIntervalMaxSeconds: 40 }));
  playUntilIssued(tr, 40, 'prompt');
  const p = tr.s.prompt!;
  expect(p).toMatchObject({ no: 1, kind: 'prompt', status: 'outstanding', issuedAt: at(40), deadline: at(50) });
  expect(new Set(p.choices).size).toBe(4);
  expect(p.choices).toContain(p.answer);
  beatUnder(tr, 'PROMPT_OUTSTANDING');
  return tr;
}

describe('anti-idle prompts', () => {
  it('a correct answer lifts the prompt: what was watched under it becomes provisional, the next prompt is drawn', () => {
    const tr = underPrompt();
    expect(tr.answer(` ${tr.s.prompt!.answer} `, 2)).toMatchObject({ ok: true, check: { status: 'passed', answeredAt: at(47) } });
    expect(tr.s.nextPromptAt).toBe(at(87));
    expect(tr.s).toMatchObject({ provisional: [[0, 45]], gated: [] });
    // No write: a prompt vouches for attention, not identity; the next face pass or a clean end settles it.
    expect(tr.s.flushing).toBeUndefined();
    expect(tr.beat(3).result.creditedIntervals).toEqual([[45, 50]]);
    expect(tr.s.provisional).toEqual([[0, 50]]);
  });

  it('a missed prompt forfeits what was watched under it, stops crediting and the next prompt follows at once', () => {
    const tr = underPrompt();
    const missed = tr.beat(10);
    expect(missed.result.credited).toBe(0);
    // 40–45 forfeited at the deadline; 45–55 (this heartbeat) refused.
    expect(refused(missed, 'PROMPT_MISSED')).toBe(10);
    expect(tr.s).toMatchObject({ provisional: [[0, 40]], gated: [], held: [], voidedSeconds: 0 });
    expect(missed.issued).toEqual(['prompt']);
    expect(tr.s.prompt).toMatchObject({ no: 2, status: 'outstanding', issuedAt: at(55) });
    beatUnder(tr, 'PROMPT_OUTSTANDING');
    tr.answer(true, 1);
    expect(tr.s.provisional).toEqual([[0, 40], [55, 60]]);
    expect(tr.beat(4).result.creditedIntervals).toEqual([[60, 65]]);
    // 40–55 s were played but never earned.
    expect(tr.s.credit.credited).toEqual([[0, 40], [55, 65]]);
  });

  it('a wrong answer counts as a miss', () => {
    const tr = underPrompt();
    expect(tr.answer(false, 2)).toMatchObject({ ok: true, check: { status: 'failed', resolvedAt: at(47) } });
    expect(tr.s.nextPromptAt).toBe(at(47));
    expect(tr.s).toMatchObject({ provisional: [[0, 40]], gated: [] });
    expect(tr.s.credit.credited).toEqual([[0, 40]]);
    const o = tr.beat(3);
    expect(o.result.credited).toBe(0);
    expect(refused(o, 'PROMPT_MISSED')).toBe(5);
    expect(o.issued).toEqual(['prompt']);
    expect(tr.s.prompt).toMatchObject({ no: 2, issuedAt: at(50) });
    tr.answer(true, 1);
    expect(tr.beat(4).result.creditedIntervals).toEqual([[50, 55]]);
  });

  it('an answer after the deadline, or to an old prompt, is refused; the timeout is kept', () => {
    const tr = underPrompt();
    expect(tr.answer(true, 7)).toMatchObject({ ok: false, code: 'CHECK_NOT_OUTSTANDING' });
    expect(tr.s.prompt).toMatchObject({ status: 'timed-out', resolvedAt: at(50) });
    expect(tr.s.nextPromptAt).toBe(at(50));
    tr.beat(1);
    expect(tr.answer(true, 1, 1)).toMatchObject({ ok: false, code: 'CHECK_NOT_OUTSTANDING' });
    expect(tr.s.prompt).toMatchObject({ no: 2, status: 'outstanding' });
  });

  it('a missed prompt does not put face-verified seconds on hold', () => {
    const tr = underPrompt();
    tr.beat(10);
    expect(tr.s.provisional).toEqual([[0, 40]]);
    expect(tr.s.held).toEqual([]);
  });
});

describe('endSession', () => {
  it('with the latest face check passed, the provisional seconds are settled', () => {
    const tr = verified();
    play(tr, 20);
    const s = tr.end('CLOSED', 2);
    expect(s).toMatchObject({ status: 'closed', endedAt: at(22), settledSeconds: 20, voidedSeconds: 0, provisional: [], held: [] });
    expect(s.flushing).toMatchObject({ no: 1, intervals: [[0, 20]], seconds: 20 });
    expect(s.credit.credited).toEqual([[0, 20]]);
  });

  it('a last heartbeat that arrived a little early: the second still waiting for the clock is settled at the close', () => {
    const tr = verified();
    play(tr, 15);
    const early = tr.beat(4.6, { to: 20 });
    expect(early.result.credited).toBe(4);
    expect(tr.s.credit.deferred).toEqual([[19, 20]]);
    const s = tr.end('CLOSED', 3);
    expect(s).toMatchObject({ settledSeconds: 20, voidedSeconds: 0 });
    expect(s.flushing).toMatchObject({ intervals: [[0, 20]], seconds: 20 });
    expect(s.credit).toMatchObject({ credited: [[0, 20]], deferred: [], sessionCredited: 20 });
    // …but only with the clock: closed at once, it stays unpaid.
    const quick = verified();
    play(quick, 15);
    quick.beat(4.6, { to: 20 });
    expect(quick.end('CLOSED', 0.1)).toMatchObject({ settledSeconds: 19 });
  });

  it('a deferred second under an outstanding check goes with the check: forfeited when the session ends without its pass', () => {
    const tr = underRandomCheck();
    while (tr.s.faceCheck?.status !== 'outstanding') tr.beat(5);
    const settledBefore = tr.s.settledSeconds;
    tr.beat(4.6, { to: tr.position + 5 });
    expect((tr.s.credit.deferred ?? []).length).toBe(1);
    const s = tr.end('CLOSED', 3);
    expect(s.settledSeconds).toBe(settledBefore);
    expect(s.gated).toEqual([]);
    expect(s.flushing).toBeUndefined();
  });

  it('with a check outstanding, the seconds since the last pass are voided, those under it forfeited, and both leave the credited set', () => {
    const tr = underRandomCheck({ credited: [[500, 510]] });
    tr.capture('match', 1); // settles 0–35
    while (tr.s.faceCheck?.status !== 'outstanding') tr.beat(5);
    expect(tr.s.provisional).toEqual([[35, 66]]);
    beatUnder(tr, 'FACE_CHECK_OUTSTANDING');
    expect(tr.s.gated).toEqual([[66, 71]]);
    const s = tr.end('SUPERSEDED', 1);
    // Voided counts what was credited and then lost; forfeited seconds were never credited to the trainee.
    expect(s).toMatchObject({ status: 'superseded', settledSeconds: 35, voidedSeconds: 31, provisional: [], held: [], gated: [] });
    expect(s.flushing).toBeUndefined();
    expect(s.credit.credited).toEqual([[0, 35], [500, 510]]);
    expect(sessionTotals(s)).toMatchObject({ lessonCreditedSeconds: 45, sessionCreditedSeconds: 35, heldSeconds: 0 });
  });

  it('with a failed check, the held seconds are voided', () => {
    const tr = underRandomCheck();
    tr.capture('several-faces', 1);
    tr.beat(3);
    const s = tr.end('CLOSED');
    expect(s).toMatchObject({ status: 'closed', settledSeconds: 0, voidedSeconds: 30, provisional: [], held: [] });
    expect(s.credit.credited).toEqual([]);
  });

  it('a check that timed out by the time the session ends voids what it held', () => {
    const tr = underRandomCheck();
    const s = tr.end('ABANDONED', 600);
    expect(s).toMatchObject({ status: 'abandoned', voidedSeconds: 30, settledSeconds: 0 });
    expect(s.faceCheck).toMatchObject({ status: 'timed-out', resolvedAt: at(50) });
    expect(s.flushing).toBeUndefined();
    expect(s.credit.credited).toEqual([]);
  });

  it('without a pass, held and provisional seconds are voided together', () => {
    const tr = underRandomCheck();
    tr.capture('mismatch', 1);
    const both: StudySession = { ...tr.s, provisional: [[40, 41]], credit: { ...tr.s.credit, credited: [[0, 30], [40, 41]] } };
    const s = endSession(both, 'CLOSED', at(37), tr.env);
    expect(s).toMatchObject({ voidedSeconds: 31, held: [], provisional: [] });
    expect(s.credit.credited).toEqual([]);
  });

  it("with the 'keep' policy, held and unvouched seconds are settled instead of voided; gated ones are still forfeited", () => {
    const failed = underRandomCheck();
    failed.capture('mismatch', 1);
    const a = endSession(failed.s, 'CLOSED', at(40), { ...failed.env, unverifiedCredit: 'keep' });
    expect(a).toMatchObject({ status: 'closed', voidedSeconds: 0, settledSeconds: 30, held: [] });
    expect(a.flushing).toMatchObject({ intervals: [[0, 30]], seconds: 30 });

    const open = underRandomCheck();
    expect(open.s.gated).toEqual([[30, 35]]);
    const b = endSession(open.s, 'SUPERSEDED', at(40), { ...open.env, unverifiedCredit: 'keep' });
    expect(b).toMatchObject({ voidedSeconds: 0, settledSeconds: 30, gated: [] });
    expect(b.credit.credited).toEqual([[0, 30]]);
  });

  it('a heartbeat under a face check and a prompt at once records both reasons', () => {
    const tr = underRandomCheck();
    const withPrompt: StudySession = { ...tr.s, prompt: { ...issuePrompt('42', at(35), tr.env.checks), no: 1, choices: ['42', '17'] } };
    const o = applyHeartbeat(withPrompt, { seq: tr.seq, position: 40, playing: true, visible: true, playbackRate: 1, sentAt: 0 }, at(40), tr.env);
    expect(o.result.credited).toBe(0);
    expect(o.result.refusals.filter((r) => r.code === 'FACE_CHECK_OUTSTANDING' || r.code === 'PROMPT_OUTSTANDING').map((r) => [r.code, r.seconds])).toEqual([
      ['FACE_CHECK_OUTSTANDING', 5],
      ['PROMPT_OUTSTANDING', 5],
    ]);
  });

  it('ending twice changes nothing', () => {
    const tr = verified();
    play(tr, 10);
    const once = tr.end('CLOSED');
    expect(endSession(once, 'SUPERSEDED', at(100), tr.env)).toBe(once);
  });

  it.each<[SessionEndCode, string]>([
    ['COMPLETED', 'completed'],
    ['CLOSED', 'closed'],
    ['SUPERSEDED', 'superseded'],
    ['ABANDONED', 'abandoned'],
  ])('%s ends the session as %s with its zh-CN reason', (code, status) => {
    const tr = verified();
    play(tr, 10);
    const s = tr.end(code, 1);
    expect(s.status).toBe(status);
    expect(s.endReason).toEqual({ code: `SESSION_${code}`, message: SESSION_END_MESSAGES[code] });
    expect(s.endedAt).toBe(at(11));
    expect(s.endReason!.message).toMatch(/[\u4e00-\u9fff]/);
  });

  it('a session ended before its start check passed voids nothing (nothing was credited)', () => {
    const tr = new Trainee(envOf());
    tr.beat(0);
    play(tr, 30);
    const s = tr.end('CLOSED');
    expect(s).toMatchObject({ status: 'closed', settledSeconds: 0, voidedSeconds: 0 });
  });
});

describe('totals', () => {
  it('sessionTotals and totalsView: lesson (held and gated excluded), session, held and program figures', () => {
    const tr = underRandomCheck({ credited: [[200, 230]], base: { programSeconds: 5400, onlineSeconds: 2700 } });
    // 30–35 are gated: taken in the credited set, but not yet the trainee's.
    expect(total(tr.s.credit.credited)).toBe(65);
    expect(sessionTotals(tr.s)).toEqual({
      lessonCreditedSeconds: 60,
      lessonSeconds: 600,
      sessionCreditedSeconds: 30,
      heldSeconds: 0,
      programOnlineSeconds: 2730,
      programSeconds: 5430,
    });
    tr.capture('match', 1); // settles 0–35 into the base
    tr.beat(4); // earns 35–40
    expect(sessionTotals(tr.s)).toEqual({
      lessonCreditedSeconds: 70,
      lessonSeconds: 600,
      sessionCreditedSeconds: 40,
      heldSeconds: 0,
      programOnlineSeconds: 2740,
      programSeconds: 5440,
    });
    while (tr.s.faceCheck?.status !== 'outstanding') tr.beat(5);
    tr.capture('mismatch', 1);
    const t = sessionTotals(tr.s);
    expect(t).toMatchObject({ heldSeconds: 35, lessonCreditedSeconds: 65, sessionCreditedSeconds: 35, programSeconds: 5435 });
    expect(totalsView(tr.s)).toEqual({ ...t, programHours: secondsToStudyHours(5435, 45), minutesPerHour: 45 });
    expect(totalsView(tr.s).programHours).toBe(2);
  });

});

/* ------------------------------------------------------------- random walk ------------------------------------------------------------- */

function disjointUnion(sets: readonly IntervalSet[]): { union: IntervalSet; overlap: number } {
  const all = sets.reduce<IntervalSet>((acc, set) => union(acc, set), []);
  return { union: all, overlap: sets.reduce((n, set) => n + total(set), 0) - total(all) };
}

const same = (a: IntervalSet, b: IntervalSet) => JSON.stringify(a) === JSON.stringify(b);

/**
 * What must hold after every step of any session. Plain checks rather than expect() per step: the
 * walk takes tens of thousands of steps, and a failure names the step and the figures.
 */
function invariantBreaks(tr: Trainee, initial: IntervalSet): string[] {
  const s = tr.s;
  const breaks: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok) breaks.push(what);
  };
  const finished = tr.flushed.reduce((n, f) => n + f.seconds, 0);
  const flushing = s.flushing?.seconds ?? 0;
  const provisional = total(s.provisional);
  const held = total(s.held);
  const gated = total(s.gated ?? []);
  // Every second credit() granted is in exactly one place: written to the ledger, being written, voided, provisional, held, gated or forfeited.
  check(finished + flushing + s.voidedSeconds + provisional + held + gated + tr.forfeited === tr.granted, 'written + flushing + voided + provisional + held + gated + forfeited = granted');
  check(s.settledSeconds === finished + flushing, 'settled = written + flushing');
  // Forfeited seconds stay counted here: they used the session's wall-clock budget.
  check(s.credit.sessionCredited === tr.granted, 'credit state counts what credit() granted');
  for (const f of [...tr.flushed, ...(s.flushing ? [s.flushing] : [])]) check(f.seconds === total(f.intervals) && f.seconds > 0, `flush ${f.no} seconds = its intervals`);
  check(tr.flushed.every((f, i) => f.no === i + 1), 'flushes numbered 1, 2, …');
  check(s.flushes === tr.flushed.length + (s.flushing ? 1 : 0), 'flush count');

  // As lesson seconds: the ledger's, the written, the pending, the provisional, the held and the gated never overlap, and are what the session credits.
  const written = [initial, ...tr.flushed.map((f) => f.intervals), s.flushing?.intervals ?? []];
  const parts = disjointUnion([...written, s.provisional, s.held, s.gated ?? []]);
  check(parts.overlap === 0, 'no second is in two places');
  check(same(s.credit.credited, s.status === 'active' ? parts.union : disjointUnion(written).union), 'credited = ledger ∪ written ∪ pending ∪ provisional ∪ held ∪ gated (after the end: without the voided)');
  // Forfeited seconds leave the credited set, so they can be watched again.
  check(disjointUnion([tr.lastForfeit, s.credit.credited]).overlap === 0, 'forfeited seconds are not credited');

  check(total(s.credit.credited) <= lessonSeconds(s.credit.lessonDuration), 'credited ≤ the lesson');
  if (s.verifiedAt === undefined) check(tr.granted === 0, 'nothing before the start pass');
  else {
    // No jitter allowance: every credited second was paid for by wall time, the lesson's final partial second by its length.
    const d = s.credit.lessonDuration;
    const partialDiscount = Number.isInteger(d) ? 0 : 1 - (d - Math.floor(d));
    check(tr.granted <= (at(tr.t) - s.verifiedAt) / 1000 + partialDiscount + 1e-9, 'granted ≤ wall clock since the start pass');
  }

  // After a failure nothing is provisional: what came before it is held, nothing comes after it.
  if (s.faceCheck?.status === 'failed' || s.faceCheck?.status === 'timed-out') check(provisional === 0, 'nothing provisional after a failure');
  // Gated seconds wait on a check that may still pass, and on nothing else.
  check(gated === 0 || gatingOutstanding(s), 'nothing gated without an outstanding check');
  if (s.status !== 'active') check(provisional + held + gated === 0, 'an ended session holds nothing');
  const totals = sessionTotals(s);
  check(totals.heldSeconds === held && totals.sessionCreditedSeconds === s.settledSeconds + provisional, 'totals');
  check(totals.lessonCreditedSeconds === total(s.credit.credited) - held - gated, 'lesson total excludes held and gated');
  if (isLessonComplete(s)) check(held + gated === 0 && total(s.credit.credited) === lessonSeconds(s.credit.lessonDuration), 'complete: the whole lesson, nothing held or gated');
  // The lesson-end pass ends the session as COMPLETED (“已学完”): it must not be issued while anything can still be lost.
  if (tr.completedByCheck) check(total(s.credit.credited) === lessonSeconds(s.credit.lessonDuration), 'completed by the lesson-end check: the whole lesson is credited');
  breaks.push(...releaseBreaks(tr));
  return breaks;
}

/** A random or lesson-end face check, or a prompt, is open: what is watched now goes into `gated`. */
function gatingOutstanding(s: StudySession): boolean {
  return (s.faceCheck?.status === 'outstanding' && s.faceCheck.reason !== 'session-start') || s.prompt?.status === 'outstanding';
}

/** Within `of`: is every second of `part` there? */
const within = (part: IntervalSet, of: IntervalSet) => same(union(of, part), of);

/**
 * What left `gated` in the latest step was either forfeited (a check failed, timed out or was
 * missed, or the session ended) or released because every open check had passed — into
 * provisional, or straight into the write of the face pass that released it.
 */
function releaseBreaks(tr: Trainee): string[] {
  const before = tr.before;
  if (!before || tr.lastForfeit.length > 0) return [];
  const after = tr.s.gated ?? [];
  const left = (before.gated ?? []).flatMap((range) => subtract(range, after));
  if (left.length === 0) return [];
  const breaks: string[] = [];
  if (gatingOutstanding(tr.s)) breaks.push('gated seconds released while a check is still open');
  if (!within(left, union(tr.s.provisional, tr.s.flushing?.intervals ?? []))) breaks.push('released gated seconds are neither provisional nor being written');
  return breaks;
}

/**
 * Nothing is earned under a check that has not passed. While a random or lesson-end face check or a
 * prompt is open, a heartbeat reports 0 credited and whatever credit() grants goes into `gated` only:
 * provisional, held and the ledger do not move. Once the interval starts at or after the issue of a
 * check that failed, timed out or was missed, nothing is granted at all. (A heartbeat in the very
 * millisecond a check was issued has no time under it; the jitter allowance may still credit it a
 * second or two, which the session's wall-clock ceiling bounds.)
 */
function gateBreaks(beat: NonNullable<Trainee['lastBeat']>, env: SessionEnv): string[] {
  const s = expireChecks(beat.before, beat.now, env);
  const after = beat.out.session;
  const result = beat.out.result;
  const granted = result.credited + gatedBy(beat.out);
  const from = s.credit.last?.at;
  const breaks: string[] = [];
  if (result.accepted && gatingOutstanding(s)) {
    if (result.credited !== 0) breaks.push('reported credit under an open check');
    if (!same(after.provisional, s.provisional) || !same(after.held, s.held) || after.flushing !== s.flushing) breaks.push('provisional, held or the ledger moved under an open check');
    if (total(after.gated ?? []) - total(s.gated ?? []) !== granted) breaks.push('what was granted under an open check is not all gated');
  } else if (!same(after.gated ?? [], s.gated ?? [])) breaks.push('gated moved with no open check');
  if (from === undefined || granted === 0) return breaks;
  const unpassed = (c: { status: string; issuedAt: number } | undefined) => c !== undefined && c.status !== 'passed' && c.status !== 'outstanding' && c.issuedAt <= from && c.issuedAt < beat.now;
  if (unpassed(s.faceCheck)) breaks.push(`granted under face check ${s.faceCheck!.no} (${s.faceCheck!.status})`);
  if (unpassed(s.prompt)) breaks.push(`granted under prompt ${s.prompt!.no} (${s.prompt!.status})`);
  return breaks;
}

const END_CODES: readonly SessionEndCode[] = ['COMPLETED', 'CLOSED', 'SUPERSEDED', 'ABANDONED'];
const FAILURES: readonly CaptureOutcome[] = ['mismatch', 'no-face', 'several-faces', 'bad-frame', 'bad-frame'];
const MISBEHAVIOUR = ['fast-ish', 'pause', 'hidden', 'rate', 'seek-ahead', 'seek-back', 'replay', 'old', 'invalid'] as const;

function pick<T>(r: Random, xs: readonly T[]): T {
  return xs[randomInt(r, 0, xs.length - 1)];
}

function randomEnv(n: number, r: Random): SessionEnv {
  const faceMin = randomInt(r, 10, 60);
  const promptMin = randomInt(r, 10, 90);
  return {
    credit: creditSettings({ heartbeatSeconds: 5, jitterSeconds: randomInt(r, 0, 3), seekToleranceSeconds: randomInt(r, 0, 3), maxPlaybackRate: pick(r, [1, 1, 1.5]) }),
    checks: checkSettings({
      faceIntervalMinSeconds: faceMin,
      faceIntervalMaxSeconds: faceMin + randomInt(r, 0, 60),
      faceWindowSeconds: randomInt(r, 5, 30),
      faceRetryWindowSeconds: randomInt(r, 1, 15),
      faceRetries: randomInt(r, 0, 2),
      promptIntervalMinSeconds: promptMin,
      promptIntervalMaxSeconds: promptMin + randomInt(r, 0, 60),
      promptWindowSeconds: randomInt(r, 5, 20),
    }),
    random: seededRandom(1000 + n),
  };
}

/** A heartbeat: honest playback, or with probability `misbehave` one of the things that earn nothing. */
function randomBeat(tr: Trainee, dt: number, r: Random, misbehave: number): void {
  const d = tr.s.credit.lessonDuration;
  const kind = r.next() < misbehave ? pick(r, MISBEHAVIOUR) : 'play';
  if (kind === 'play') tr.beat(dt);
  else if (kind === 'fast-ish') tr.beat(dt, { to: Math.min(d, tr.position + dt * 1.1) });
  else if (kind === 'pause') tr.beat(dt, { playing: false });
  else if (kind === 'hidden') tr.beat(dt, { visible: false });
  else if (kind === 'rate') tr.beat(dt, { rate: 2 });
  else if (kind === 'seek-ahead') tr.beat(dt, { to: Math.min(d + 5, tr.position + randomInt(r, 10, 120)) });
  else if (kind === 'seek-back') tr.beat(dt, { to: Math.max(0, tr.position - randomInt(r, 1, 60)) });
  else if (kind === 'replay') tr.beat(dt, { hb: { seq: Math.max(0, tr.seq - 1) } });
  else if (kind === 'old') tr.beat(dt, { hb: { seq: Math.max(0, tr.seq - 3) } });
  else tr.beat(dt, { hb: { position: -1 } });
}

/** One session of random, mostly honest behaviour; throws at the first step that breaks an invariant. */
function walk(n: number, r: Random): Trainee {
  const duration = randomInt(r, 20, 180) + (r.next() < 0.3 ? randomInt(r, 1, 9) / 10 : 0);
  const seconds = lessonSeconds(duration);
  const a = randomInt(r, 0, seconds);
  const ledger: IntervalSet = r.next() < 0.4 ? [[a, Math.min(seconds, a + randomInt(r, 0, 60))] as Interval] : [];
  const tr = new Trainee(randomEnv(n, r), { id: `walk-${n}`, lessonDuration: duration, credited: ledger, base: { programSeconds: randomInt(r, 0, 9000), onlineSeconds: 0 } }, randomInt(r, 0, 5));
  const initial = tr.s.credit.credited;
  const steps = randomInt(r, 40, 200);
  // Each session its own trainee: from nearly flawless to often in trouble.
  const trouble = r.next() * 0.5;
  const outcome = () => (r.next() < trouble ? pick(r, FAILURES) : 'match');
  let checkedBeat = tr.lastBeat;
  const verify = (where: string) => {
    const breaks = invariantBreaks(tr, initial);
    if (tr.lastBeat && tr.lastBeat !== checkedBeat) breaks.push(...gateBreaks(tr.lastBeat, tr.env));
    checkedBeat = tr.lastBeat;
    if (breaks.length) {
      const s = tr.s;
      const figures = { t: tr.t, granted: tr.granted, forfeited: tr.forfeited, settled: s.settledSeconds, voided: s.voidedSeconds, provisional: s.provisional, held: s.held, gated: s.gated, flushing: s.flushing, credited: s.credit.credited, face: s.faceCheck, prompt: s.prompt };
      throw new Error(`session ${n} ${where}: ${breaks.join('; ')}\n${JSON.stringify(figures)}`);
    }
  };
  for (let step = 0; step < steps && tr.s.status === 'active'; step++) {
    const dt = pick(r, [0, 1, 2, 4, 5, 5, 5, 5, 6, 8, 15]);
    const face = tr.s.faceCheck;
    const prompt = tr.s.prompt;
    const roll = r.next();
    if (face?.status === 'outstanding' && r.next() < 0.4) {
      const t = tr.capture(outcome(), dt);
      // As the service does: the lesson-end pass completes the session.
      if (t.ok && t.check.status === 'passed' && t.check.reason === 'lesson-end') {
        tr.end('COMPLETED');
        tr.completedByCheck = true;
      }
    } else if (prompt?.status === 'outstanding' && r.next() < 0.4) tr.answer(r.next() >= trouble, dt);
    else if (roll < 0.02 && face) tr.capture(outcome(), dt, face.no + pick(r, [-1, 0, 1]));
    else if (roll < 0.04 && prompt) tr.answer(true, dt, prompt.no + pick(r, [-1, 1]));
    else if (roll < 0.04 + trouble * 0.1) tr.t += randomInt(r, 20, 120); // the client goes quiet; its next message finds deadlines passed
    else if (roll < 0.045 + trouble * 0.02) tr.end(pick(r, END_CODES), dt);
    else randomBeat(tr, dt, r, trouble);
    verify(`step ${step}`);
    if (tr.s.faceCheck?.reason === 'lesson-end') tr.sawLessonEnd = true;
  }
  const ended = tr.end(pick(r, END_CODES), randomInt(r, 0, 30));
  verify('end');
  if (endSession(ended, 'CLOSED', at(tr.t + 1), tr.env) !== ended) throw new Error(`session ${n}: ending twice changed it`);
  return tr;
}

describe('invariants over a seeded random walk of 200 sessions', () => {
  it('credited seconds are all accounted for and bounded by the lesson and the wall clock since the start pass', () => {
    const r = seededRandom(20_261_124);
    const sum = { granted: 0, settled: 0, voided: 0, forfeited: 0, released: 0, writes: 0, failedAtEnd: 0, lessonEnd: 0, completed: 0 };
    for (let n = 0; n < 200; n++) {
      const tr = walk(n, r);
      sum.granted += tr.granted;
      sum.forfeited += tr.forfeited;
      sum.released += tr.released;
      sum.settled += tr.s.settledSeconds;
      sum.voided += tr.s.voidedSeconds;
      sum.writes += tr.s.flushes;
      sum.failedAtEnd += tr.s.faceCheck?.status === 'failed' || tr.s.faceCheck?.status === 'timed-out' ? 1 : 0;
      sum.lessonEnd += tr.sawLessonEnd ? 1 : 0;
      sum.completed += tr.completedByCheck ? 1 : 0;
    }
    expect(sum.granted).toBe(sum.settled + sum.voided + sum.forfeited);
    // The walk really exercised settling, voiding, forfeiting, releasing, failures and finished lessons, not only one path.
    expect(sum.settled).toBeGreaterThan(2000);
    expect(sum.voided).toBeGreaterThan(100);
    expect(sum.forfeited).toBeGreaterThan(300);
    expect(sum.released).toBeGreaterThan(150);
    expect(sum.writes).toBeGreaterThan(200);
    expect(sum.failedAtEnd).toBeGreaterThan(20);
    expect(sum.lessonEnd).toBeGreaterThan(5);
    expect(sum.completed).toBeGreaterThan(5);
  });
});
