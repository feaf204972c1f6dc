/**
 * Every background job of the platform: its name, what it carries and what it returns. One file,
 * so a new job is a line here plus one `@JobHandler` class, and the start-up check (every enabled
 * name has exactly one handler) knows the whole list.
 */
export interface JobPayloads {
  /** Package one finished tus upload into an encrypted HLS rendition of its lesson (libs/media). */
  'media.ingest': {
    lessonId: string;
    /** The finished tus upload on local disk. */
    uploadPath: string;
    uploadId: string;
    fileName?: string;
    /** SHA-256 of the upload, when it was computed as the bytes arrived. */
    sourceSha256?: string;
  };
  /** Recurring: end idle study sessions and finish ledger writes a crash interrupted (libs/study). */
  'study.sweep': Record<string, never>;
  /** Recurring: sign the audit chains' heads as the next checkpoint (libs/audit). */
  'audit.checkpoint': Record<string, never>;
  /** Recurring: verify every audit chain against its head and the checkpoints (libs/audit). */
  'audit.verify': Record<string, never>;
  /** Recurring: judge again the trainees whose hours, exam results or rule set changed (libs/compliance). */
  'compliance.sweep': Record<string, never>;
  /** Recompute the oversight signals and the queue over the recent window (libs/oversight); recurring, or on an auditor's request. */
  'oversight.refresh': { requestedBy?: string; windowDays?: number };
  /** Faces in a session's recording against its signed-in trainees, and reuse by sampled frames (libs/recordings). */
  'recordings.faces': { sessionId: string };
  /** Recurring: dispose of expired evidence not under a hold, then re-hash kept evidence at a capped rate (libs/evidence). */
  'evidence.sweep': Record<string, never>;
}

export interface JobResults {
  'media.ingest': { renditionId: string; durationSeconds: number; sourceSha256: string };
  'study.sweep': { touched: number };
  'audit.checkpoint': { number: number };
  'audit.verify': { intact: boolean; records: number; problems: number };
  'compliance.sweep': { judged: number; changed: number };
  'oversight.refresh': { items: number; signals: number; ms: number };
  'recordings.faces': { sampledFrames: number; facesDetected: number; flags: string[] };
  'evidence.sweep': { checked: number; bytes: number; mismatch: number; missing: number; disposed: number };
}

export const JOB_NAMES = ['media.ingest', 'study.sweep', 'audit.checkpoint', 'audit.verify', 'compliance.sweep', 'oversight.refresh', 'recordings.faces', 'evidence.sweep'] as const;
export type JobName = (typeof JOB_NAMES)[number];

// Compile-time: the list, the payloads and the results name the same jobs.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const namesMatchPayloads: Same<JobName, keyof JobPayloads> & Same<JobName, keyof JobResults> = true;
void namesMatchPayloads;

export function isJobName(s: string): s is JobName {
  return (JOB_NAMES as readonly string[]).includes(s);
}
