import { secondsToStudyHours } from '@app/ledger';
import { CAPTURE_OUTCOME_MESSAGES } from '../checks/check-state';
import type { CreditSettings } from '../crediting/credit-settings';
import type { Refusal } from '../crediting/refusals';
import type {
  FaceCheckView,
  PromptView,
  RefusalView,
  SessionEndedEvent,
  StudyChecksView,
  StudySessionView,
  StudyTotalsView,
} from '../protocol/study-protocol';
import { SESSION_END_MESSAGES, sessionTotals } from './session-rules';
import type { NumberedFaceCheck, NumberedPrompt, StudySession } from './study-session';

const FACE_PROMPTS: Record<NumberedFaceCheck['reason'], string> = {
  'session-start': '开始计时前请进行人脸核验：请正对摄像头，保持光线充足',
  random: '随机人脸核验：请正对摄像头，保持光线充足',
  'lesson-end': '课时结束核验：请正对摄像头，通过后本课时学时计入',
};

const FACE_STATUS_MESSAGES = {
  passed: '人脸核验通过',
  failed: '人脸核验未通过，通过下一次核验前不计学时',
  'timed-out': '未在规定时间内完成人脸核验，通过下一次核验前不计学时',
} as const;

/** What tells a client its session ended on the server (it completed, or repeated failed checks terminated it). */
export function endedEvent(s: StudySession): SessionEndedEvent | undefined {
  if (s.status === 'active') return undefined;
  return { sessionId: s.id, status: s.status, code: s.endReason?.code ?? 'SESSION_ENDED', message: s.endReason?.message ?? SESSION_END_MESSAGES.CLOSED };
}

export function faceCheckView(c: NumberedFaceCheck): FaceCheckView {
  const last = c.attempts[c.attempts.length - 1]?.outcome;
  let message: string;
  if (c.status === 'outstanding') message = last ? `${CAPTURE_OUTCOME_MESSAGES[last]}，请再试一次` : FACE_PROMPTS[c.reason];
  else if (c.status === 'failed' && last) message = `${CAPTURE_OUTCOME_MESSAGES[last]}：${FACE_STATUS_MESSAGES.failed}`;
  else message = FACE_STATUS_MESSAGES[c.status];
  return {
    id: String(c.no),
    kind: 'face',
    reason: c.reason,
    status: c.status,
    issuedAt: c.issuedAt,
    deadline: c.deadline,
    retriesLeft: c.retriesLeft,
    ...(last ? { lastOutcome: last } : {}),
    message,
  };
}

export function promptView(p: NumberedPrompt): PromptView {
  return {
    id: String(p.no),
    kind: 'prompt',
    status: p.status,
    issuedAt: p.issuedAt,
    deadline: p.deadline,
    question: `防挂机确认：请点击数字 ${p.answer}`,
    choices: [...p.choices],
  };
}

export function checksView(s: StudySession): StudyChecksView {
  return {
    ...(s.faceCheck ? { face: faceCheckView(s.faceCheck) } : {}),
    ...(s.prompt ? { prompt: promptView(s.prompt) } : {}),
  };
}

export function totalsView(s: StudySession): StudyTotalsView {
  const t = sessionTotals(s);
  return { ...t, programHours: secondsToStudyHours(t.programSeconds, s.minutesPerHour), minutesPerHour: s.minutesPerHour };
}

export function refusalViews(refusals: readonly Refusal[]): RefusalView[] {
  return refusals.map((r) => ({ code: r.code, message: r.message, seconds: r.seconds }));
}

export function sessionView(s: StudySession, resumed: boolean, settings: CreditSettings): StudySessionView {
  return {
    sessionId: s.id,
    lessonId: s.lessonId,
    courseId: s.courseId,
    programId: s.programId,
    status: s.status,
    resumed,
    lessonDuration: s.credit.lessonDuration,
    furthestPosition: s.credit.furthestPosition,
    nextSeq: (s.credit.last?.seq ?? -1) + 1,
    heartbeatSeconds: settings.heartbeatSeconds,
    maxPlaybackRate: settings.maxPlaybackRate,
    totals: totalsView(s),
    checks: checksView(s),
  };
}
