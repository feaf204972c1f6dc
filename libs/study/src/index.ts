export { StudyErrors, studyError } from './study.errors';
export type { StudyErrorCode } from './study.errors';
export { randomInt, seededRandom } from './random/random';
export type { Random } from './random/random';
export { cryptoRandom } from './random/crypto-random';
export { difference, intersect, normalize, subtract, takeFirst, total, union } from './crediting/intervals';
export type { Interval, IntervalSet } from './crediting/intervals';
export { DEFAULT_CREDIT_SETTINGS, creditSettings } from './crediting/credit-settings';
export type { CreditSettings } from './crediting/credit-settings';
export { REFUSAL_CODES, REFUSAL_MESSAGES } from './crediting/refusals';
export type { Refusal, RefusalCode } from './crediting/refusals';
export { credit, initialCreditState, lessonSeconds } from './crediting/credit';
export type {
  AcceptedHeartbeat,
  CreditResult,
  FaceCheckGate,
  Heartbeat,
  PromptGate,
  SessionCreditState,
} from './crediting/credit';
export { DEFAULT_CHECK_SETTINGS, checkSettings } from './checks/check-settings';
export type { CheckSettings } from './checks/check-settings';
export { faceCheckTimes, firstPromptAt, nextFaceCheckAt, nextPromptAt, PROMPT_MIN_LESSON_SECONDS, promptChallenge } from './checks/schedule';
export type { PromptChallenge } from './checks/schedule';
export {
  answerPrompt,
  CAPTURE_OUTCOME_MESSAGES,
  CHECK_REFUSALS,
  expire,
  faceGateOf,
  holdsCredit,
  issueFaceCheck,
  issuePrompt,
  promptGateOf,
  recordCapture,
} from './checks/check-state';
export type {
  CaptureOutcome,
  CheckRefusalCode,
  CheckStatus,
  FaceCheck,
  FaceCheckReason,
  PromptCheck,
  Transition,
} from './checks/check-state';
export * from './protocol/study-protocol';
export { StudyModule, StudyModuleOptions, StudySweepJob } from './study.module';
export { StudySessionStore, Decision, MutateOptions } from './session/session-store';
export { FaceVerifier, CaptureVerdict, EngineFaceVerifier } from './session/face-verifier';
export { OpenStudySession, OpenStudySessionCommand, OpenStudySessionResult } from './use-cases/open-study-session';
export { RecordHeartbeat, RecordHeartbeatCommand, RecordHeartbeatResult } from './use-cases/record-heartbeat';
export { SubmitCapture, SubmitCaptureCommand, SubmitCaptureResult } from './use-cases/submit-capture';
export { AnswerPrompt, AnswerPromptCommand, PROMPT_ANSWER_MESSAGES } from './use-cases/answer-prompt';
export { CloseStudySession, CloseStudySessionCommand } from './use-cases/close-study-session';
export { SweepStudySessions } from './use-cases/sweep-study-sessions';
export { StudySessionRepository, CaptureRecord, RefusalRecord } from './persistence/study-session.repository';
export { StudyAccess, StudyAccessToken, LessonAccess, Curriculum } from './session/study-access';
export { StudyWatch, StudyWatchToken, NOBODY_WATCHED } from './session/study-watch';
export { StudyRecordService } from './record/study-record.service';
export { StudySettings, StudySettingsToken, studySettingsFrom } from './session/study-settings';
export type { StudySession, SessionOwner, SessionLesson } from './session/study-session';
export {
  applyAnswer,
  applyCapture,
  applyHeartbeat,
  endSession,
  expireChecks,
  finishFlush,
  openSession,
  sessionTotals,
  startFlush,
  SESSION_END_MESSAGES,
} from './session/session-rules';
export type { SessionEnv, SessionEndCode } from './session/session-rules';
export { sessionView, totalsView } from './session/session-views';
