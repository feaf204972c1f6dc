import type { CheckSettings } from '../checks/check-settings';
import {
  answerPrompt,
  CaptureOutcome,
  CHECK_REFUSALS,
  expire,
  FaceCheckReason,
  faceGateOf,
  holdsCredit,
  issueFaceCheck,
  issuePrompt,
  promptGateOf,
  recordCapture,
  Transition,
} from '../checks/check-state';
import { firstPromptAt, nextFaceCheckAt, nextPromptAt, promptChallenge, watchedChecks } from '../checks/schedule';
import { credit, CreditResult, Heartbeat, initialCreditState, lessonSeconds, SessionCreditState, settleAtEnd } from '../crediting/credit';
import type { CreditSettings } from '../crediting/credit-settings';
import { difference, Interval, total, union } from '../crediting/intervals';
import type { Random } from '../random/random';
import { refusal } from '../crediting/refusals';
import type { SessionStatusCode, StudyTotalsView } from '../protocol/study-protocol';
import { StudyErrors } from '../study.errors';
import type { NumberedFaceCheck, NumberedPrompt, SessionLesson, SessionOwner, StudySession } from './study-session';

/**
 * The study session's state transitions, pure: the service loads a session, calls one of these with
 * the server's clock, and saves the result. Everything a trainee can do to a session goes through
 * here, so the rules are tested without sockets or a database.
 */
export interface SessionEnv {
  readonly credit: CreditSettings;
  readonly checks: CheckSettings;
  readonly random: Random;
  /**
   * What happens to credit no passed check vouches for when a session ends (seconds since the last
   * pass when the latest check did not pass, and seconds on hold): 'void' (default, the strict
   * reading of the rules) or 'keep' (a programme that accepts them, e.g. while cameras are rolled out).
   */
  readonly unverifiedCredit?: 'void' | 'keep';
}

export const SESSION_END_MESSAGES = {
  COMPLETED: '本课时已学完并通过结束核验，学时已计入',
  CLOSED: '学习已结束',
  SUPERSEDED: StudyErrors.SESSION_SUPERSEDED.message,
  ABANDONED: '长时间未收到学习心跳，学习已自动结束',
  FACE_FAILURES: StudyErrors.SESSION_TERMINATED.message,
} as const;
export type SessionEndCode = keyof typeof SESSION_END_MESSAGES;

const END_STATUS: Record<SessionEndCode, SessionStatusCode> = {
  COMPLETED: 'completed',
  CLOSED: 'closed',
  SUPERSEDED: 'superseded',
  ABANDONED: 'abandoned',
  FACE_FAILURES: 'terminated',
};

export interface OpenSession extends SessionOwner, SessionLesson {
  readonly id: string;
  readonly lessonDuration: number;
  /** Lesson seconds the trainee already holds in the ledger. */
  readonly credited: readonly Interval[];
  readonly base: StudySession['base'];
  readonly device?: string;
  readonly client?: StudySession['client'];
  readonly watchFactor?: number;
}

/** A new session: crediting waits for the session-start face check, issued now. */
export function openSession(init: OpenSession, now: number, env: SessionEnv): StudySession {
  const { credited, lessonDuration, ...rest } = init;
  return {
    ...rest,
    version: 0,
    status: 'active',
    startedAt: now,
    lastSeenAt: now,
    credit: stripGates(initialCreditState({ lessonDuration, credited })),
    faceCheck: { ...issueFaceCheck('session-start', now, env.checks), no: 1 },
    nextFaceCheckAt: nextFaceCheckAt(now, env.random, watchedChecks(env.checks, init.watchFactor)),
    nextPromptAt: firstPromptAt(now, lessonSeconds(lessonDuration) - total(credited), env.random, env.checks),
    provisional: [],
    held: [],
    evidence: [],
    flushes: 0,
    settledSeconds: 0,
    voidedSeconds: 0,
  };
}

function stripGates(state: SessionCreditState): SessionCreditState {
  const { faceCheck: _f, prompt: _p, ...rest } = state;
  return rest;
}

/** Seconds credited since the last pass are held once a check fails or times out. */
function holdProvisional(s: StudySession): StudySession {
  if (s.provisional.length === 0) return s;
  return { ...s, held: union(s.held, s.provisional), provisional: [] };
}

/** A check failed or was missed: what was watched while it was outstanding is not earned, and may be watched again. */
function forfeitGated(s: StudySession): StudySession {
  const gated = s.gated ?? [];
  if (gated.length === 0) return s;
  return { ...s, gated: [], credit: { ...s.credit, credited: difference(s.credit.credited, gated) } };
}

const outstanding = (c: { status: string } | undefined) => c?.status === 'outstanding';

/** Every outstanding check has passed: what was watched under them counts (as provisional, settled at the next pass). */
function releaseGated(s: StudySession): StudySession {
  const gated = s.gated ?? [];
  if (gated.length === 0 || outstanding(s.faceCheck) || outstanding(s.prompt)) return s;
  return { ...s, gated: [], provisional: union(s.provisional, gated) };
}

function faceFailed(s: StudySession, at: number, env: SessionEnv): StudySession {
  const faceFailures = (s.faceFailures ?? 0) + 1;
  // A failed check is followed by a re-check soon, so a bad moment does not cost the trainee a whole interval.
  const out: StudySession = { ...holdProvisional(forfeitGated(s)), faceFailures, nextFaceCheckAt: at + env.checks.faceRetryWindowSeconds * 1000 };
  // …but not for ever: someone else at the camera (代学) would be asked again every few seconds all day.
  return faceFailures >= env.checks.faceMaxFailures ? endSession(out, 'FACE_FAILURES', at, env) : out;
}

/** Deadlines passed while nobody was looking: a face check times out (a failure), a prompt is missed. */
export function expireChecks(s: StudySession, now: number, env: SessionEnv): StudySession {
  let out = s;
  if (s.faceCheck?.status === 'outstanding') {
    const face = expire(s.faceCheck, now);
    if (face !== s.faceCheck) out = faceFailed({ ...out, faceCheck: face }, face.resolvedAt ?? now, env);
    if (out.status !== 'active') return out;
  }
  if (s.prompt?.status === 'outstanding') {
    const prompt = expire(s.prompt, now);
    // The next prompt comes at once: crediting resumes only when one is answered.
    if (prompt !== s.prompt) out = forfeitGated({ ...out, prompt, nextPromptAt: prompt.resolvedAt ?? now });
  }
  return out;
}

function lessonComplete(s: StudySession): boolean {
  return total(s.credit.credited) >= lessonSeconds(s.credit.lessonDuration);
}

/** Issues whatever is due after a heartbeat: the lesson-end check, a random face check, an anti-idle prompt. */
function issueDueChecks(s: StudySession, now: number, env: SessionEnv): StudySession {
  let out = s;
  const face = s.faceCheck;
  const faceOpen = face?.status === 'outstanding';
  const pending = s.provisional.length > 0 || s.held.length > 0;
  // Its pass completes the session, which forfeits anything still gated (under a prompt): wait for the answer.
  const ungated = (s.gated ?? []).length === 0;
  if (!faceOpen && s.verifiedAt !== undefined && pending && ungated && lessonComplete(s) && !(face?.reason === 'lesson-end' && face.status !== 'passed')) {
    out = { ...out, faceCheck: { ...issueFaceCheck('lesson-end', now, env.checks), no: (face?.no ?? 0) + 1 } };
  } else if (!faceOpen && now >= s.nextFaceCheckAt && !(s.verifiedAt !== undefined && lessonComplete(s) && !pending)) {
    // A re-check after a failure asks again for what failed (a failed session-start check keeps crediting shut).
    const reason: FaceCheckReason = face && face.status !== 'passed' ? face.reason : s.verifiedAt === undefined ? 'session-start' : 'random';
    out = { ...out, faceCheck: { ...issueFaceCheck(reason, now, env.checks), no: (face?.no ?? 0) + 1 } };
  }
  if (s.verifiedAt !== undefined && s.prompt?.status !== 'outstanding' && now >= s.nextPromptAt && !lessonComplete(s)) {
    const challenge = promptChallenge(env.random);
    const prompt: NumberedPrompt = { ...issuePrompt(challenge.answer, now, env.checks), no: (s.prompt?.no ?? 0) + 1, choices: challenge.choices };
    out = { ...out, prompt };
  }
  return out;
}

export interface HeartbeatOutcome {
  readonly session: StudySession;
  readonly result: CreditResult;
  /** Checks this heartbeat issued, to push to the client. */
  readonly issued: readonly ('face' | 'prompt')[];
}

/**
 * One heartbeat: expire what timed out, credit under the gates as they stood, then issue what is
 * due. Order matters: a check issued now governs the next interval, not this one.
 */
export function applyHeartbeat(session: StudySession, hb: Heartbeat, now: number, env: SessionEnv): HeartbeatOutcome {
  const s = expireChecks(session, now, env);
  // A check missed meanwhile was the last one allowed: the session ended with it, nothing more is earned.
  if (s.status !== 'active') {
    return { session: s, result: { credited: 0, creditedIntervals: [], refusals: [refusal('FACE_CHECK_FAILED', 0)], accepted: false, next: s.credit }, issued: [] };
  }
  // Outstanding checks do not cut the interval here: what is watched under them is credited into
  // `gated` heartbeat by heartbeat (each judged on its own: a pause voids only its own interval),
  // and released or forfeited when they resolve — so a pass can count at once, even at the video's end.
  // This is the one place credit is held for a check; the crediting rule only ever cuts.
  const faceHolds = holdsCredit(s.faceCheck);
  const promptHolds = holdsCredit(s.prompt);
  const held = faceHolds || promptHolds;
  const gates: SessionCreditState = { ...s.credit, faceCheck: faceGateOf(s.faceCheck), prompt: promptGateOf(s.prompt) };
  const raw = credit(gates, hb, now, env.credit);
  if (!raw.accepted) return { session: s, result: raw, issued: [] };
  const failed = s.faceCheck !== undefined && (s.faceCheck.status === 'failed' || s.faceCheck.status === 'timed-out');
  const taken = raw.creditedIntervals;
  const result: CreditResult =
    held && raw.credited > 0
      ? {
          ...raw,
          credited: 0,
          creditedIntervals: [],
          // Every open check is a reason, each recorded as evidence (reasons may overlap).
          refusals: [
            ...raw.refusals,
            ...(faceHolds ? [refusal('FACE_CHECK_OUTSTANDING', raw.credited)] : []),
            ...(promptHolds ? [refusal('PROMPT_OUTSTANDING', raw.credited)] : []),
          ],
        }
      : raw;
  const credited: StudySession = {
    ...s,
    credit: stripGates(raw.next),
    lastSeenAt: now,
    lastPlayback: { playing: hb.playing, rate: hb.playbackRate },
    // Nothing is taken under a failed check (its gate cuts at the interval's start).
    provisional: failed || held ? s.provisional : union(s.provisional, taken),
    gated: held && !failed ? union(s.gated ?? [], taken) : s.gated,
  };
  const next = issueDueChecks(credited, now, env);
  const issued: ('face' | 'prompt')[] = [];
  if (next.faceCheck !== credited.faceCheck) issued.push('face');
  if (next.prompt !== credited.prompt) issued.push('prompt');
  return { session: next, result, issued };
}

/** Where playback should be at `at`, from the last heartbeat and how it said playback was going. */
function estimatedPosition(s: StudySession, at: number, maxRate: number): number | undefined {
  const last = s.credit.last;
  if (!last) return undefined;
  const rate = s.lastPlayback?.playing ? Math.min(s.lastPlayback.rate, maxRate) : 0;
  return Math.min(s.credit.lessonDuration, last.position + (Math.max(0, at - last.at) / 1000) * rate);
}

export interface CaptureOutcomeResult {
  readonly session: StudySession;
  readonly transition: Transition<NumberedFaceCheck>;
}

/**
 * The face engine's verdict on a capture for check `checkNo`. A pass moves the seconds since the
 * previous pass (and any held ones) towards the ledger; a failure holds them.
 */
export function applyCapture(
  session: StudySession,
  checkNo: number,
  outcome: CaptureOutcome,
  captureId: string,
  now: number,
  env: SessionEnv,
): CaptureOutcomeResult {
  const s = expireChecks(session, now, env);
  const check = s.faceCheck;
  if (!check || check.no !== checkNo) {
    const stale = check ?? { ...issueFaceCheck('random', now, env.checks), no: checkNo, status: 'failed' as const };
    return { session: s, transition: { ok: false, check: stale, code: 'CHECK_NOT_OUTSTANDING', message: CHECK_REFUSALS.CHECK_NOT_OUTSTANDING } };
  }
  const t = recordCapture(check, now, outcome, env.checks);
  if (!t.ok) return { session: s, transition: { ...t, check: { ...t.check, no: check.no } } };
  const updated: NumberedFaceCheck = { ...t.check, no: check.no };
  let out: StudySession = { ...s, faceCheck: updated, evidence: [...s.evidence, captureId] };
  if (updated.status === 'passed') {
    out = { ...out, faceFailures: 0, nextFaceCheckAt: nextFaceCheckAt(now, env.random, watchedChecks(env.checks, s.watchFactor)) };
    if (check.reason === 'session-start') {
      // Crediting starts at the pass, not at the heartbeat before it: re-anchor the interval here.
      const position = estimatedPosition(out, now, env.credit.maxPlaybackRate);
      const last = out.credit.last;
      out = {
        ...out,
        verifiedAt: out.verifiedAt ?? now,
        nextPromptAt: nextPromptAt(now, env.random, env.checks),
        credit: last && position !== undefined ? { ...out.credit, last: { ...last, at: now, position } } : out.credit,
      };
    }
    out = releaseGated(out);
    out = startFlush({ ...out, provisional: union(out.provisional, out.held), held: [] }, now);
  } else if (updated.status === 'failed') {
    out = faceFailed(out, now, env);
  }
  return { session: out, transition: { ok: true, check: updated } };
}

export interface AnswerResult {
  readonly session: StudySession;
  readonly transition: Transition<NumberedPrompt>;
}

export function applyAnswer(session: StudySession, promptNo: number, answer: string, now: number, env: SessionEnv): AnswerResult {
  const s = expireChecks(session, now, env);
  const prompt = s.prompt;
  if (!prompt || prompt.no !== promptNo || s.status !== 'active') {
    const stale = prompt ?? { ...issuePrompt('', now, env.checks), no: promptNo, choices: [], status: 'timed-out' as const };
    return { session: s, transition: { ok: false, check: stale, code: 'CHECK_NOT_OUTSTANDING', message: CHECK_REFUSALS.CHECK_NOT_OUTSTANDING } };
  }
  const t = answerPrompt(prompt, now, answer);
  if (!t.ok) return { session: s, transition: { ...t, check: { ...t.check, no: prompt.no, choices: prompt.choices } } };
  const updated: NumberedPrompt = { ...t.check, no: prompt.no, choices: prompt.choices };
  // A wrong answer counts as a miss; the next prompt follows at once, as after a timeout.
  const nextAt = updated.status === 'passed' ? nextPromptAt(now, env.random, env.checks) : now;
  const answered: StudySession = { ...s, prompt: updated, nextPromptAt: nextAt };
  return { session: updated.status === 'passed' ? releaseGated(answered) : forfeitGated(answered), transition: { ok: true, check: updated } };
}

/**
 * Moves the provisional seconds into a pending ledger write. The service writes it (idempotently)
 * and then clears it with {@link finishFlush}; a crash in between is finished on the next load.
 */
export function startFlush(s: StudySession, now: number): StudySession {
  const seconds = total(s.provisional);
  if (seconds === 0) return { ...s, provisional: [] };
  if (s.flushing) throw new Error(`session ${s.id} still has flush ${s.flushing.no} pending`);
  return {
    ...s,
    flushing: { no: s.flushes + 1, intervals: s.provisional, seconds, evidence: s.evidence, occurredAt: now },
    flushes: s.flushes + 1,
    provisional: [],
    evidence: [],
    settledSeconds: s.settledSeconds + seconds,
    base: { programSeconds: s.base.programSeconds + seconds, onlineSeconds: s.base.onlineSeconds + seconds },
  };
}

export function finishFlush(s: StudySession): StudySession {
  const { flushing: _done, ...rest } = s;
  return rest;
}

/**
 * Seconds watched but still waiting for the clock when the session ends are paid for now, and go
 * where a heartbeat's credit would: under an outstanding check into `gated` (forfeited right after,
 * as the session ends without its pass), else provisional. Under a failed check nothing is paid.
 */
function payDeferred(s: StudySession, now: number): StudySession {
  const failed = s.faceCheck?.status === 'failed' || s.faceCheck?.status === 'timed-out';
  if (failed || (s.credit.deferred ?? []).length === 0) return s;
  const { credited, next } = settleAtEnd({ ...s.credit, faceCheck: faceGateOf(s.faceCheck), prompt: promptGateOf(s.prompt) }, now);
  if (credited.length === 0) return s;
  const held = holdsCredit(s.faceCheck) || holdsCredit(s.prompt);
  return {
    ...s,
    credit: stripGates(next),
    provisional: held ? s.provisional : union(s.provisional, credited),
    gated: held ? union(s.gated ?? [], credited) : s.gated,
  };
}

/**
 * Ends a session. Seconds since the last pass are settled only when the latest face check passed;
 * an outstanding, failed or timed-out one means the session ended without the pass that would
 * vouch for them, so they are voided — as are held seconds.
 */
export function endSession(session: StudySession, code: SessionEndCode, now: number, env: SessionEnv): StudySession {
  if (session.status !== 'active') return session;
  // Whatever still waits on a check never got its pass.
  const s = forfeitGated(payDeferred(expireChecks(session, now, env), now));
  const vouched = s.faceCheck?.status === 'passed' || env.unverifiedCredit === 'keep';
  if (vouched && s.held.length > 0) return endSession({ ...s, provisional: union(s.provisional, s.held), held: [] }, code, now, env);
  const voided = total(s.held) + (vouched ? 0 : total(s.provisional));
  const kept: StudySession = vouched ? startFlush(s, now) : { ...s, provisional: [] };
  return {
    ...kept,
    // Voided seconds were never in the ledger: drop them from what this session claims to have earned.
    credit: { ...kept.credit, credited: difference(kept.credit.credited, vouched ? s.held : union(s.held, s.provisional)) },
    held: [],
    status: END_STATUS[code],
    endReason: { code: `SESSION_${code}`, message: SESSION_END_MESSAGES[code] },
    endedAt: now,
    voidedSeconds: s.voidedSeconds + voided,
  };
}

/** The figures a trainee sees after every message. */
export function sessionTotals(s: StudySession): Omit<StudyTotalsView, 'programHours' | 'minutesPerHour'> {
  const held = total(s.held);
  const provisional = total(s.provisional);
  return {
    lessonCreditedSeconds: total(s.credit.credited) - held - total(s.gated ?? []),
    lessonSeconds: lessonSeconds(s.credit.lessonDuration),
    sessionCreditedSeconds: s.settledSeconds + provisional,
    heldSeconds: held,
    programOnlineSeconds: s.base.onlineSeconds + provisional,
    programSeconds: s.base.programSeconds + provisional,
  };
}

export function isLessonComplete(s: StudySession): boolean {
  return lessonComplete(s) && s.held.length === 0 && (s.gated ?? []).length === 0;
}
