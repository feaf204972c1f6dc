import { Injectable } from '@nestjs/common';
import { JobQueue, JobRecord, JobRunner, JobStore, runWithRequestContext } from '@app/platform';

export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export type JobPhase = 'queued' | 'probing' | 'packaging' | 'storing' | 'done';

export interface JobFailure {
  code: string;
  message: string;
  details?: unknown;
}

/** A packaging job: one uploaded file → one encrypted HLS rendition of one lesson. */
export interface MediaJob {
  id: string;
  lessonId: string;
  /** The finished tus upload on local disk. */
  uploadPath: string;
  uploadId: string;
  fileName?: string;
  status: JobStatus;
  phase: JobPhase;
  /** 0–100 */
  progress: number;
  attempts: number;
  maxAttempts: number;
  mode?: 'remux' | 'transcode';
  error?: JobFailure;
  renditionId?: string;
  durationSeconds?: number;
  /** SHA-256 of the uploaded file as received (checked against the client's). */
  sourceSha256?: string;
  createdAt: Date;
  updatedAt: Date;
}

/** Handler-specific progress the ingest handler writes into the job's `detail`. */
export interface IngestDetail {
  phase?: JobPhase;
  mode?: MediaJob['mode'];
}

/** The platform job `media.ingest` as media describes it (the phase while running comes from its detail). */
export function toMediaJob(j: JobRecord<'media.ingest'>): MediaJob {
  const detail = j.detail as IngestDetail;
  // The handler never skips: a skipped ingest would be a bug, shown as failed rather than hidden.
  const status: JobStatus = j.status === 'skipped' ? 'failed' : j.status;
  return {
    id: j.id,
    lessonId: j.payload.lessonId,
    uploadPath: j.payload.uploadPath,
    uploadId: j.payload.uploadId,
    fileName: j.payload.fileName,
    status,
    phase: status === 'queued' ? 'queued' : status === 'running' ? (detail.phase ?? 'probing') : 'done',
    progress: j.progress,
    attempts: j.attempts,
    maxAttempts: j.maxAttempts,
    mode: detail.mode,
    error: j.error,
    renditionId: j.result?.renditionId,
    durationSeconds: j.result?.durationSeconds,
    sourceSha256: j.result?.sourceSha256 ?? j.payload.sourceSha256,
    createdAt: j.createdAt,
    updatedAt: j.updatedAt,
  };
}

/**
 * Packaging jobs, read and queued through the platform's one job runner (`jobs` collection, name
 * `media.ingest`): state lives in the database so any process that runs the job can pick it up,
 * and a dead one's work is found by its expired lease.
 */
@Injectable()
export class MediaJobRepository {
  constructor(
    private readonly queue: JobQueue,
    private readonly store: JobStore,
    private readonly runner: JobRunner,
  ) {}

  /** An id for a job about to be queued, so the lesson can name its job before any runner sees it. */
  newId(): string {
    return this.queue.newId();
  }

  /** `sourceSha256`: the upload's hash when it was computed as the bytes arrived. */
  async enqueue(job: {
    id?: string;
    lessonId: string;
    uploadPath: string;
    uploadId: string;
    fileName?: string;
    sourceSha256?: string;
    maxAttempts: number;
  }): Promise<MediaJob> {
    const { id, maxAttempts, ...payload } = job;
    return toMediaJob(await this.queue.enqueue('media.ingest', payload, { id, maxAttempts }));
  }

  /**
   * Queues a job as one write of the caller's transaction (inside `AuditTrail.commit`), without
   * waking the runner: {@link JobQueue.enqueue} wakes it on the spot, and a runner woken inside
   * the commit callback would claim (and run the whole job) on that transaction's session. Call
   * {@link wakeRunner} once the commit is done.
   */
  async enqueueInTransaction(job: Parameters<MediaJobRepository['enqueue']>[0]): Promise<MediaJob> {
    const { id, maxAttempts, ...payload } = job;
    return toMediaJob(await this.store.enqueue('media.ingest', payload, { id, maxAttempts }));
  }

  /** A job committed by {@link enqueueInTransaction} starts at once when this process runs `media.ingest`; others poll. */
  wakeRunner(): void {
    // Outside the request that queued it: the job's own records carry no request id.
    runWithRequestContext({}, () => this.runner.wake());
  }

  async findById(id: string): Promise<MediaJob | undefined> {
    const j = await this.queue.findById('media.ingest', id);
    return j ? toMediaJob(j) : undefined;
  }

  async listByLesson(lessonId: string, limit = 20): Promise<MediaJob[]> {
    return (await this.queue.list('media.ingest', { 'payload.lessonId': lessonId }, limit)).map(toMediaJob);
  }
}
