import type { Owner } from '../signals/signal';

// The facts the signals read, as small plain shapes of this context's own. Adapters
// (facts/*.adapter.ts) fill them from the contexts that own the data; the signals never see a
// repository. Facts that later issues produce (recordings, camera labels, liveness) have their
// shape here and their adapter listed as a gap in the README.

/** One face check's capture in an online study session (libs/study `study_captures`). */
export interface FaceCheckFact {
  readonly captureId: string;
  readonly sessionId: string;
  readonly at: number;
  /** pass | mismatch | no-face | several-faces | bad-frame | replayed (libs/study CaptureOutcome). */
  readonly outcome: string;
  readonly distance: number | null;
  readonly threshold?: number;
  /** The capture did not count (its check had closed): kept as evidence, not judged as a failure. */
  readonly refusedAs?: string;
}

/** One online study session with its client, refusal count and captures. */
export interface StudySessionFact {
  readonly sessionId: string;
  readonly owner: Owner;
  readonly startedAt: number;
  /** End, or the last heartbeat of a session still open. */
  readonly endedAt: number;
  readonly status: string;
  readonly settledSeconds: number;
  /** The random browser id the console sends with the session, when it sends one. */
  readonly fingerprint?: string;
  readonly clientAddress?: string;
  readonly userAgent?: string;
  readonly refusals: readonly { readonly code: string; readonly seconds: number; readonly at: number }[];
  readonly checks: readonly FaceCheckFact[];
}

/** One trainee's attendance at one offline class session (libs/offline `offline_attendance`). */
export interface AttendanceFact {
  readonly attendanceId: string;
  readonly classSessionId: string;
  readonly owner: Owner;
  readonly scheduled: { readonly startsAt: number; readonly endsAt: number };
  readonly signInAt?: number;
  readonly signOutAt?: number;
  readonly manual: readonly { readonly reason: string; readonly by: string; readonly at: number }[];
}

/** One enrolled face reference (libs/identity `face_references`). */
export interface ReferenceFact {
  readonly referenceId: string;
  readonly owner: Owner;
  readonly descriptor: readonly number[];
  readonly enrolledAt: number;
  readonly status: string;
}

/**
 * A capture's own face descriptor (study, attendance or exam capture), for the 1:N search across
 * accounts. Today captures keep only their distance to the trainee's own references: see the
 * README's gaps.
 */
export interface CaptureDescriptorFact {
  readonly captureId: string;
  readonly kind: 'study-capture' | 'offline-attendance';
  readonly owner: Owner;
  readonly subjectId: string;
  readonly at: number;
  readonly descriptor: readonly number[];
}

/** An offline class session's recording (issue 19, libs/evidence): gap until it exists. */
export interface RecordingFact {
  readonly recordingId: string;
  readonly classSessionId: string;
  readonly owner: Omit<Owner, 'traineeId'> & { readonly traineeId?: string };
  readonly scheduledSeconds: number;
  readonly durationSeconds: number;
  /** Most faces seen in one frame of the recording. */
  readonly maxFaces: number;
  readonly signedIn: number;
  readonly sha256: string;
  readonly at: number;
}

/** The camera label the console reported for a session (issue 24): gap until it exists. */
export interface CameraFact {
  readonly sessionId: string;
  readonly owner: Owner;
  readonly label: string;
  readonly at: number;
}

/** A liveness verdict on a capture (issue 24): gap until it exists. */
export interface LivenessFact {
  readonly captureId: string;
  readonly sessionId: string;
  readonly owner: Owner;
  readonly live: boolean;
  readonly score: number;
  readonly at: number;
}

/** Everything one refresh reads for a window, from every adapter. */
export interface FactBundle {
  readonly sessions: readonly StudySessionFact[];
  readonly attendance: readonly AttendanceFact[];
  readonly references: readonly ReferenceFact[];
  readonly captureDescriptors: readonly CaptureDescriptorFact[];
  readonly recordings: readonly RecordingFact[];
  readonly cameras: readonly CameraFact[];
  readonly liveness: readonly LivenessFact[];
}

/** The window a refresh reads: facts from `since` to `until` (ms). */
export interface FactWindow {
  readonly since: number;
  readonly until: number;
}

/** Port: where the facts of a window come from. */
export interface FactSource {
  read(window: FactWindow): Promise<FactBundle>;
}
