import type { FaceCheck, PromptCheck } from '../checks/check-state';
import type { SessionCreditState } from '../crediting/credit';
import type { IntervalSet } from '../crediting/intervals';
import type { SessionStatusCode } from '../protocol/study-protocol';

/** Whose study this is: copied into every ledger entry the session writes. */
export interface SessionOwner {
  readonly userId: string;
  readonly traineeId: string;
  readonly programId: string;
  readonly institutionId: string;
  readonly regionCode: string;
}

export interface SessionClient {
  readonly address?: string;
  readonly userAgent?: string;
  readonly fingerprint?: string;
}

export interface SessionLesson {
  readonly lessonId: string;
  readonly courseId: string;
  readonly minutesPerHour: number;
}

export interface NumberedFaceCheck extends FaceCheck {
  readonly no: number;
}

export interface NumberedPrompt extends PromptCheck {
  readonly no: number;
  readonly choices: readonly string[];
}

/** Seconds on their way into the ledger: written under the key `study:<session>:<no>` (idempotent). */
export interface PendingFlush {
  readonly no: number;
  readonly intervals: IntervalSet;
  readonly seconds: number;
  readonly evidence: readonly string[];
  readonly occurredAt: number;
}

/**
 * One study session as persisted: everything the server needs to decide the next heartbeat, so any
 * API process (or a restarted one) can carry on. Times are server ms.
 */
export interface StudySession extends SessionOwner, SessionLesson {
  readonly id: string;
  /** Optimistic concurrency: every save is conditional on it. */
  readonly version: number;
  readonly status: SessionStatusCode;
  readonly endReason?: { readonly code: string; readonly message: string };
  readonly device?: string;
  /** Where the session was opened from (socket handshake) and the console's browser id: oversight's shared-device signal. */
  readonly client?: SessionClient;
  /** Under oversight's watch when opened: face checks this many times as often (checks/schedule.ts watchedChecks). */
  readonly watchFactor?: number;
  readonly startedAt: number;
  readonly endedAt?: number;
  readonly lastSeenAt: number;
  readonly credit: SessionCreditState;
  /** How the last accepted heartbeat said playback was going: estimates the position at a check's pass. */
  readonly lastPlayback?: { readonly playing: boolean; readonly rate: number };
  /** When the first face check passed: crediting and anti-idle prompts begin then. */
  readonly verifiedAt?: number;
  readonly faceCheck?: NumberedFaceCheck;
  /** Face checks failed in a row since the last pass (a missed one counts); optional in sessions stored before it. */
  readonly faceFailures?: number;
  readonly prompt?: NumberedPrompt;
  readonly nextFaceCheckAt: number;
  readonly nextPromptAt: number;
  /** Credited since the last passed face check: written to the ledger at the next pass (or a clean end). */
  readonly provisional: IntervalSet;
  /** Put on hold by a failed check: kept if a later check passes, voided if the session ends first. */
  readonly held: IntervalSet;
  /**
   * Watched while a face check or prompt was outstanding: released (to provisional) when every
   * outstanding one passes, forfeited when one fails or the session ends first. Optional: sessions
   * stored before it existed have none.
   */
  readonly gated?: IntervalSet;
  /** Capture records backing the provisional / held seconds (the passes around them). */
  readonly evidence: readonly string[];
  readonly flushing?: PendingFlush;
  readonly flushes: number;
  readonly settledSeconds: number;
  readonly voidedSeconds: number;
  /** The trainee's ledger totals in the program when last read (at open and after each flush). */
  readonly base: { readonly programSeconds: number; readonly onlineSeconds: number };
}
