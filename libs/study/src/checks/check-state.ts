import type { FaceCheckGate, PromptGate } from '../crediting/credit';
import type { CheckSettings } from './check-settings';

export type CheckStatus = 'outstanding' | 'passed' | 'failed' | 'timed-out';
export type FaceCheckReason = 'session-start' | 'random' | 'lesson-end';

/** What the face engine made of a capture, in this context's terms. */
export type CaptureOutcome = 'match' | 'mismatch' | 'no-face' | 'several-faces' | 'bad-frame' | 'replayed';

export const CAPTURE_OUTCOME_MESSAGES: Record<CaptureOutcome, string> = {
  match: '人脸核验通过',
  mismatch: '人脸与本人不符',
  'no-face': '未检测到人脸',
  'several-faces': '画面中有多张人脸',
  'bad-frame': '画面不清晰，请重新拍摄',
  replayed: '抓拍画面与此前的抓拍相同，疑似重放照片或录像，本次核验不通过',
};

export interface FaceCheck {
  readonly kind: 'face';
  readonly reason: FaceCheckReason;
  readonly issuedAt: number;
  readonly deadline: number;
  readonly status: CheckStatus;
  readonly retriesLeft: number;
  /** Every capture received, in order: each is evidence. */
  readonly attempts: readonly { at: number; outcome: CaptureOutcome }[];
  readonly resolvedAt?: number;
}

export interface PromptCheck {
  readonly kind: 'prompt';
  readonly issuedAt: number;
  readonly deadline: number;
  readonly status: CheckStatus;
  readonly answer: string;
  readonly answeredAt?: number;
  readonly resolvedAt?: number;
}

export const CHECK_REFUSALS = {
  CHECK_NOT_OUTSTANDING: '该核验已结束，无需再次提交',
  CAPTURE_TOO_EARLY: '核验尚未开始',
} as const;
export type CheckRefusalCode = keyof typeof CHECK_REFUSALS;

export type Transition<C> =
  | { readonly ok: true; readonly check: C }
  | { readonly ok: false; readonly check: C; readonly code: CheckRefusalCode; readonly message: string };

function refused<C>(check: C, code: CheckRefusalCode): Transition<C> {
  return { ok: false, check, code, message: CHECK_REFUSALS[code] };
}

export function issueFaceCheck(reason: FaceCheckReason, at: number, s: CheckSettings): FaceCheck {
  return {
    kind: 'face',
    reason,
    issuedAt: at,
    deadline: at + s.faceWindowSeconds * 1000,
    status: 'outstanding',
    retriesLeft: s.faceRetries,
    attempts: [],
  };
}

export function issuePrompt(answer: string, at: number, s: CheckSettings): PromptCheck {
  return { kind: 'prompt', issuedAt: at, deadline: at + s.promptWindowSeconds * 1000, status: 'outstanding', answer };
}

/** Past its deadline with no answer: timed out as of the deadline (a late tick changes nothing about when). */
export function expire<C extends FaceCheck | PromptCheck>(check: C, now: number): C {
  if (check.status !== 'outstanding' || now <= check.deadline) return check;
  return { ...check, status: 'timed-out', resolvedAt: check.deadline };
}

/**
 * A capture arrived and the face engine judged it. Only a bad frame earns the one quick retry:
 * a mismatch or a second face is exactly what the check exists to catch.
 */
export function recordCapture(check: FaceCheck, at: number, outcome: CaptureOutcome, s: CheckSettings): Transition<FaceCheck> {
  if (at < check.issuedAt) return refused(check, 'CAPTURE_TOO_EARLY');
  const current = expire(check, at);
  if (current.status !== 'outstanding') return refused(current, 'CHECK_NOT_OUTSTANDING');
  const attempts = [...current.attempts, { at, outcome }];
  if (outcome === 'match') return { ok: true, check: { ...current, attempts, status: 'passed', resolvedAt: at } };
  if (outcome === 'bad-frame' && current.retriesLeft > 0) {
    const deadline = Math.max(current.deadline, at + s.faceRetryWindowSeconds * 1000);
    return { ok: true, check: { ...current, attempts, retriesLeft: current.retriesLeft - 1, deadline } };
  }
  return { ok: true, check: { ...current, attempts, status: 'failed', resolvedAt: at } };
}

export function answerPrompt(check: PromptCheck, at: number, answer: string): Transition<PromptCheck> {
  if (at < check.issuedAt) return refused(check, 'CAPTURE_TOO_EARLY');
  const current = expire(check, at);
  if (current.status !== 'outstanding') return refused(current, 'CHECK_NOT_OUTSTANDING');
  const status = answer.trim() === current.answer ? 'passed' : 'failed';
  return { ok: true, check: { ...current, status, answeredAt: at, resolvedAt: at } };
}

/**
 * How a check bears on the crediting rule: a failure or timeout stops crediting from its issue
 * time, the session-start check does so until it passes, a pass lifts it. An outstanding random or
 * lesson-end check is no gate: the session rules hold what is watched under it (see applyHeartbeat).
 * Only the latest check of each kind matters — a later pass clears an earlier failure.
 */
export function faceGateOf(check: FaceCheck | undefined): FaceCheckGate | undefined {
  if (!check || check.status === 'passed') return undefined;
  if (check.status !== 'outstanding') return { status: 'failed', since: check.issuedAt };
  return check.reason === 'session-start' ? { status: 'required', since: check.issuedAt } : undefined;
}

export function promptGateOf(check: PromptCheck | undefined): PromptGate | undefined {
  if (!check || check.status === 'passed' || check.status === 'outstanding') return undefined;
  return { status: 'missed', since: check.issuedAt };
}

/** Whether a check is open in the way that holds credit for later (an outstanding check after the session-start pass). */
export function holdsCredit(check: FaceCheck | PromptCheck | undefined): boolean {
  return check?.status === 'outstanding' && !(check.kind === 'face' && check.reason === 'session-start');
}
