import type { JobName, JobPayloads, JobResults } from './job-names';

/**
 * queued → running → succeeded | failed | skipped. A failure that may be retried goes back to
 * queued while attempts remain; a recurring job goes back to queued after every run.
 * 'recovering' is the brief claim of a stale job while it is being requeued or given up.
 */
export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'skipped';
export const FINAL_JOB_STATUSES: readonly JobStatus[] = ['succeeded', 'failed', 'skipped'];

export interface JobFailure {
  code: string;
  /** zh-CN, for people. */
  message: string;
  details?: unknown;
}

export interface JobRecord<N extends JobName = JobName> {
  id: string;
  name: N;
  payload: JobPayloads[N];
  status: JobStatus;
  /** Claims so far (a retry or a recovered crash counts); a recurring job counts per run. */
  attempts: number;
  maxAttempts: number;
  /** 0–100, written by the handler through {@link JobContext.progress}. */
  progress: number;
  /** Handler-specific progress (e.g. the packaging phase), merged field by field. */
  detail: Record<string, unknown>;
  result?: JobResults[N];
  /** The last failure (kept on a later success, so a retried job still says what went wrong first). */
  error?: JobFailure;
  /** Why a handler skipped it. */
  skipReason?: string;
  /** Not before this time. */
  runAt: Date;
  /** Set on recurring jobs: one document per key, so one run at a time across every process. */
  key?: string;
  /** A recurring job's last outcome (its status is queued or running between runs). */
  lastOutcome?: 'succeeded' | 'failed' | 'skipped';
  owner?: string;
  leaseUntil?: Date;
  createdAt: Date;
  updatedAt: Date;
  finishedAt?: Date;
}

export interface JobSucceeded<R> {
  readonly status: 'succeeded';
  readonly result: R;
}
export interface JobFailed {
  readonly status: 'failed';
  readonly error: JobFailure;
  /** Back to the queue while attempts remain (a transient cause); otherwise final. */
  readonly retry: boolean;
}
export interface JobSkipped {
  readonly status: 'skipped';
  readonly reason: string;
}

/** What a handler's run ends with. Throwing counts as a retryable failure. */
export type JobOutcome<N extends JobName = JobName> = JobSucceeded<JobResults[N]> | JobFailed | JobSkipped;

/** Success / Failed / Skipped, for handlers to return. */
export const JobResult = {
  success: <R>(result: R): JobSucceeded<R> => ({ status: 'succeeded', result }),
  failed: (error: JobFailure, options: { retry?: boolean } = {}): JobFailed => ({ status: 'failed', error, retry: options.retry ?? false }),
  skipped: (reason: string): JobSkipped => ({ status: 'skipped', reason }),
};

export interface JobContext<N extends JobName = JobName> {
  /** The claimed job as it was when this attempt started. */
  readonly job: JobRecord<N>;
  /** Aborted when the process shuts down: stop, and return (or throw) as for any interruption. */
  readonly signal: AbortSignal;
  /**
   * Writes progress (and renews the lease). False when the job is no longer this process's
   * (its lease expired and another process recovered it).
   */
  progress(percent: number, detail?: Record<string, unknown>): Promise<boolean>;
}

/** A class decorated with `@JobHandler(name)` implements this for its job. */
export interface JobHandlerOf<N extends JobName> {
  run(payload: JobPayloads[N], ctx: JobContext<N>): Promise<JobOutcome<N>>;
  /** Recurring: the interval between the end of one run and the start of the next. */
  everyMs?(): number;
  /**
   * A stale job (its process died) with no attempts left is about to be marked failed: undo what
   * the job's subject needs undone and return the failure to record.
   */
  abandon?(job: JobRecord<N>): Promise<JobFailure>;
  /** After the runner wrote an attempt's outcome (succeeded, failed, skipped or requeued), e.g. to notify. */
  settled?(job: JobRecord<N>): Promise<void> | void;
}
