// Relative, not @app/study-protocol: jest specs under tests/ import this module, and the root tsconfig that checks them has no such alias.
import type { FaceCheckView, PromptView, StudyChecksView } from '../../../../libs/study/src/protocol/study-protocol';

export function outstandingFace(checks: StudyChecksView | undefined): FaceCheckView | undefined {
  return checks?.face?.status === 'outstanding' ? checks.face : undefined;
}

export function outstandingPrompt(checks: StudyChecksView | undefined): PromptView | undefined {
  return checks?.prompt?.status === 'outstanding' ? checks.prompt : undefined;
}

/** The start check gates playback: crediting begins only after it passes, so watching before would be lost. */
export function awaitingStartCheck(checks: StudyChecksView | undefined): boolean {
  return outstandingFace(checks)?.reason === 'session-start';
}

/**
 * Whether the player must stay paused, given what it was before and the checks now: until the start
 * check passes, and from a failed (or missed) face check until a later one passes — a re-check that
 * follows a failure keeps it paused, so whoever failed cannot watch on while waiting for it (代学).
 */
export function playbackBlocked(before: boolean, checks: StudyChecksView | undefined): boolean {
  const face = checks?.face;
  if (!face) return before;
  if (face.status === 'failed' || face.status === 'timed-out') return true;
  if (face.status === 'passed') return false;
  return face.reason === 'session-start' || before;
}

export type CreditingState = 'start-check' | 'face-check' | 'face-failed' | 'prompt' | 'prompt-missed' | 'crediting';

/** What the trainee should know about crediting right now, from the checks the server reported. */
export function creditingState(checks: StudyChecksView | undefined): CreditingState {
  const face = checks?.face;
  const prompt = checks?.prompt;
  if (face?.status === 'outstanding') return face.reason === 'session-start' ? 'start-check' : 'face-check';
  if (face?.status === 'failed' || face?.status === 'timed-out') return 'face-failed';
  if (prompt?.status === 'outstanding') return 'prompt';
  if (prompt?.status === 'failed' || prompt?.status === 'timed-out') return 'prompt-missed';
  return 'crediting';
}

export const CREDITING_LABELS: Record<CreditingState, { color: string; text: string }> = {
  'start-check': { color: 'orange', text: '请先完成人脸核验，通过后开始计时' },
  'face-check': { color: 'orange', text: '人脸核验进行中，完成前暂停计时' },
  'face-failed': { color: 'red', text: '人脸核验未通过，暂停计时，待下次核验通过后恢复' },
  prompt: { color: 'orange', text: '请完成防挂机确认，完成前暂停计时' },
  'prompt-missed': { color: 'red', text: '未按时完成防挂机确认，暂停计时' },
  crediting: { color: 'green', text: '正常计时中' },
};

/**
 * What a `study:check` push says. The gateway sends `{ sessionId, check }`; a bare check or a
 * whole checks view are read too (the protocol file does not pin the payload down). A push for
 * another session (an older one on this socket) says nothing about this one.
 */
export function checksOf(payload: unknown, sessionId?: string): StudyChecksView {
  if (!payload || typeof payload !== 'object') return {};
  const p = payload as Partial<FaceCheckView | PromptView> & StudyChecksView & { sessionId?: unknown; check?: unknown };
  if (sessionId !== undefined && typeof p.sessionId === 'string' && p.sessionId !== sessionId) return {};
  if (p.check !== undefined) return checksOf(p.check);
  if (p.kind === 'face') return { face: p as FaceCheckView };
  if (p.kind === 'prompt') return { prompt: p as PromptView };
  const out: StudyChecksView = {};
  if (p.face) out.face = p.face;
  if (p.prompt) out.prompt = p.prompt;
  return out;
}

/** The lesson-end check passed: the server has completed and settled the session. */
export function completesSession(check: FaceCheckView | undefined): boolean {
  return check?.reason === 'lesson-end' && check.status === 'passed';
}
