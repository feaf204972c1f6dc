/**
 * The study session protocol over socket.io: event names and payloads, shared by the API gateway,
 * the console's player and the benchmark's simulated trainees. Types and constants only — no Node
 * or browser imports — so the console can import this file as it is.
 *
 * Every client → server event is sent with an ack callback. The ack is either the result or
 * `{ error: { code, message, status } }` (the platform's error shape; message in zh-CN).
 */

export const STUDY_NAMESPACE = '/study';

export const StudyEvents = {
  /** client → server: start (or resume) studying a lesson. Payload {@link OpenSessionRequest}, ack {@link StudySessionView}. */
  open: 'study:open',
  /** client → server. Payload {@link HeartbeatRequest}, ack {@link HeartbeatAck}. */
  heartbeat: 'study:heartbeat',
  /** client → server: a webcam capture for the outstanding face check. Payload {@link CaptureRequest}, ack {@link CaptureAck}. */
  capture: 'study:capture',
  /** client → server. Payload {@link PromptAnswerRequest}, ack {@link PromptAck}. */
  answer: 'study:answer',
  /** client → server: the trainee leaves the lesson. Payload {@link CloseSessionRequest}, ack {@link SessionClosedView}. */
  close: 'study:close',
  /** server → client: a face check or anti-idle prompt was issued ({@link CheckIssuedEvent}; also carried in every ack's `checks`). */
  check: 'study:check',
  /** server → client: this session ended elsewhere (another device opened one) or by the server. */
  ended: 'study:ended',
} as const;

export type CaptureOutcomeCode = 'match' | 'mismatch' | 'no-face' | 'several-faces' | 'bad-frame' | 'replayed';
export type CheckStatusCode = 'outstanding' | 'passed' | 'failed' | 'timed-out';
/** `terminated`: ended by the server after repeated failed face checks — flagged for auditors. */
export type SessionStatusCode = 'active' | 'completed' | 'closed' | 'superseded' | 'abandoned' | 'terminated';

export interface OpenSessionRequest {
  lessonId: string;
  /** The session this client had (kept in sessionStorage): resumed if it is still this trainee's live session of that lesson. */
  resumeSessionId?: string;
  /** Free text shown to auditors (e.g. browser and OS), ≤ 120 characters. */
  device?: string;
  /** A random id this browser keeps (localStorage), ≤ 64 characters: oversight groups sessions by it (one device, many trainees). */
  fingerprint?: string;
}

/**
 * A heartbeat closes the interval since the previous one, and its flags describe that interval:
 * the heartbeat sent on pause (or at the video's end) still says `playing: true` for the stretch it
 * ends, the one sent on play says `playing: false` for the pause it ends.
 */
export interface HeartbeatRequest {
  sessionId: string;
  /** Strictly increasing within a session; start from the view's `nextSeq`. */
  seq: number;
  /** Playback position, seconds; at the video's end report the lesson's duration. */
  position: number;
  /** The video played throughout the interval. */
  playing: boolean;
  /** The page was visible (document.visibilityState === 'visible') throughout the interval. */
  visible: boolean;
  playbackRate: number;
  /** Client clock, ms since epoch: evidence only. */
  sentAt: number;
}

export interface CaptureRequest {
  sessionId: string;
  checkId: string;
  /** JPEG/PNG/WebP bytes (socket.io sends ArrayBuffer / Buffer as binary), ≤ 2 MiB. */
  image: ArrayBuffer | Uint8Array;
}

export interface PromptAnswerRequest {
  sessionId: string;
  promptId: string;
  answer: string;
}

export interface CloseSessionRequest {
  sessionId: string;
}

export interface FaceCheckView {
  id: string;
  kind: 'face';
  reason: 'session-start' | 'random' | 'lesson-end';
  status: CheckStatusCode;
  issuedAt: number;
  /** Server ms; the client shows a countdown to it. */
  deadline: number;
  retriesLeft: number;
  lastOutcome?: CaptureOutcomeCode;
  /** zh-CN: what to do, or what the last capture showed. */
  message: string;
}

export interface PromptView {
  id: string;
  kind: 'prompt';
  status: CheckStatusCode;
  issuedAt: number;
  deadline: number;
  /** zh-CN instruction, e.g. 「请点击数字 42」. */
  question: string;
  choices: string[];
}

export interface StudyChecksView {
  face?: FaceCheckView;
  prompt?: PromptView;
}

export interface StudyTotalsView {
  /** Seconds of this lesson credited to the trainee so far (all sessions; held seconds excluded). */
  lessonCreditedSeconds: number;
  /** Creditable seconds of the lesson (its duration rounded up). */
  lessonSeconds: number;
  /** Credited in this session (held seconds excluded). */
  sessionCreditedSeconds: number;
  /** Credited since the last passed face check but put on hold by a failed one: kept on a later pass, voided otherwise. */
  heldSeconds: number;
  /** The trainee's online seconds in this program (ledger + this session). */
  programOnlineSeconds: number;
  /** All of the trainee's seconds in this program (every source). */
  programSeconds: number;
  /** programSeconds in 学时 (program's minutes per 学时), one decimal. */
  programHours: number;
  minutesPerHour: number;
}

export interface RefusalView {
  code: string;
  message: string;
  seconds: number;
}

export interface StudySessionView {
  sessionId: string;
  lessonId: string;
  courseId: string;
  programId: string;
  status: SessionStatusCode;
  /** True when an existing session was resumed rather than a new one opened. */
  resumed: boolean;
  lessonDuration: number;
  /** Where to resume playback: the furthest plausibly watched point. */
  furthestPosition: number;
  /** The next heartbeat's seq. */
  nextSeq: number;
  heartbeatSeconds: number;
  maxPlaybackRate: number;
  totals: StudyTotalsView;
  checks: StudyChecksView;
}

export interface HeartbeatAck {
  sessionId: string;
  seq: number;
  /** False when the heartbeat was ignored (invalid, replayed, out of sequence). */
  accepted: boolean;
  /** Seconds credited by this heartbeat. */
  credited: number;
  refusals: RefusalView[];
  furthestPosition: number;
  totals: StudyTotalsView;
  checks: StudyChecksView;
  /** Every second of the lesson is credited. */
  lessonComplete: boolean;
}

/**
 * `credited` in the check acks is how this answer changed the session's credited seconds (held
 * excluded): a pass adds what was watched while the check was outstanding (and held seconds it
 * releases); a failure subtracts what it put on hold. Heartbeat acks plus these sum to the session's total.
 */
export interface CaptureAck {
  check: FaceCheckView;
  credited: number;
  outcome: CaptureOutcomeCode;
  /** Distance to the closest reference; null when there was no single face. */
  distance: number | null;
  message: string;
  totals: StudyTotalsView;
}

export interface PromptAck {
  prompt: PromptView;
  /** See {@link CaptureAck}: a passed prompt adds what was watched while it was outstanding. */
  credited: number;
  passed: boolean;
  message: string;
}

export interface SessionClosedView {
  sessionId: string;
  status: SessionStatusCode;
  /** Seconds of this session written to the hour ledger. */
  settledSeconds: number;
  /** Seconds voided (credited since the last pass, but the session ended without one). */
  voidedSeconds: number;
  message: string;
}

/** Payload of `study:check`, pushed when a heartbeat issued a check. */
export interface CheckIssuedEvent {
  sessionId: string;
  check: FaceCheckView | PromptView;
}

export interface SessionEndedEvent {
  sessionId: string;
  status: SessionStatusCode;
  code: string;
  message: string;
}

// ---- HTTP views of the study record (served under /api/v1/study; DTO classes in the API mirror them) ----

/** GET /api/v1/study/me/progress — a trainee's hours and per-course progress, per program. */
export interface MyProgressView {
  programs: ProgramProgressView[];
}

export interface HoursBySourceView {
  online: number;
  offline: number;
  practical: number;
}

export interface ProgramProgressView {
  programId: string;
  minutesPerHour: number;
  /** Ledger seconds, every source. */
  seconds: number;
  /** seconds in 学时, one decimal. */
  hours: number;
  bySource: HoursBySourceView;
  courses: CourseProgressView[];
}

export interface CourseProgressView {
  courseId: string;
  requirement: 'required' | 'elective';
  /** Online seconds credited for the course's lessons. */
  creditedSeconds: number;
  /** Creditable seconds of its published lessons. */
  totalSeconds: number;
  /** 0–100, whole number. */
  percent: number;
  lessons: LessonProgressView[];
}

export interface LessonProgressView {
  lessonId: string;
  creditedSeconds: number;
  lessonSeconds: number;
  complete: boolean;
}

/** GET /api/v1/study/me/sessions?limit=50 → { items } (newest first). */
export interface StudySessionSummaryView {
  id: string;
  lessonId: string;
  lessonTitle: string;
  courseId: string;
  courseTitle: string;
  status: SessionStatusCode;
  /** zh-CN reason the session ended, when it did. */
  endReason?: string;
  startedAt: string;
  endedAt?: string;
  device?: string;
  /** Credited in the session (before any void). */
  creditedSeconds: number;
  /** Written to the hour ledger. */
  settledSeconds: number;
  heldSeconds: number;
  voidedSeconds: number;
}

/** GET /api/v1/study/sessions/:id — one session's evidence trail. */
export interface StudySessionRecordView {
  session: StudySessionSummaryView;
  checks: CheckRecordView[];
  refusals: RefusalRecordView[];
}

export interface CheckRecordView {
  id: string;
  kind: 'face' | 'prompt';
  reason?: 'session-start' | 'random' | 'lesson-end';
  status: CheckStatusCode;
  issuedAt: string;
  deadline: string;
  resolvedAt?: string;
  attempts: { at: string; outcome: CaptureOutcomeCode | 'answered'; distance: number | null; captureId?: string }[];
}

export interface RefusalRecordView {
  seq: number;
  at: string;
  code: string;
  message: string;
  seconds: number;
}
