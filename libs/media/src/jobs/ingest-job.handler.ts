import { Logger } from '@nestjs/common';
import * as fs from 'node:fs/promises';
import { AuditActor, AuditTrail, AuditTx } from '@app/audit';
import { CatalogTenants, LessonRepository } from '@app/catalog';
import { JobContext, JobHandler, JobHandlerOf, JobOutcome, JobPayloads, JobRecord, JobResult, runWithRequestContext } from '@app/platform';
import { BlobStore } from '@app/storage';
import { MediaErrors } from '../media.errors';
import { Rendition, RenditionRepository } from '../renditions/rendition';
import { HlsPackager, IngestRejected } from './hls-packager';
import { MediaEvents } from './media-events';
import { IngestDetail, JobFailure, JobPhase, toMediaJob } from './media-job';

const PROGRESS_WRITE_MS = 500;

/** Who changes a lesson when its packaging job finishes: the platform, not the administrator who uploaded (that was `media-job.create`). */
export const INGEST_ACTOR: AuditActor = { kind: 'system', reason: '视频转码任务 media ingest' };

const failure = (code: keyof typeof MediaErrors, details?: unknown): JobFailure => ({ code, message: MediaErrors[code].message, details });

type Payload = JobPayloads['media.ingest'];

/** A newer upload owns the lesson: this job's rendition is never published (the commit is abandoned). */
class Superseded extends Error {}

/**
 * The `media.ingest` job: one finished upload → one encrypted HLS rendition, published on its
 * lesson. One at a time per process (ffmpeg uses every core it gets). The platform's runner claims,
 * leases, retries and recovers; this decides what an outcome means for the lesson.
 *
 * What the job changes for trainees is one audit-trail commit each (actor {@link INGEST_ACTOR}):
 * the rendition, the lesson pointing at it and the old renditions leaving (`lesson.publish`), or
 * the lesson failed (`media-job.fail`). ffmpeg, hashing and blob writes happen before the commit,
 * blob deletions after it — a retried commit must not repeat them. Not recorded:
 * - progress (`ctx.progress`: percentage, phase, lease) — telemetry of a running job that
 *   changes nothing a trainee or an auditor acts on, written every 0.5 s; a record each would
 *   bury the log, and the outcome is recorded;
 * - the job's own status bookkeeping (claim, lease, requeue, settle), which the platform's runner
 *   writes; a retryable failure that leaves the lesson as it was is only that bookkeeping.
 */
@JobHandler('media.ingest')
export class MediaIngestJob implements JobHandlerOf<'media.ingest'> {
  private readonly logger = new Logger('MediaJobs');

  constructor(
    private readonly packager: HlsPackager,
    private readonly renditions: RenditionRepository,
    private readonly lessons: LessonRepository,
    private readonly tenants: CatalogTenants,
    private readonly store: BlobStore,
    private readonly events: MediaEvents,
    private readonly trail: AuditTrail,
  ) {}

  async run(payload: Payload, ctx: JobContext<'media.ingest'>): Promise<JobOutcome<'media.ingest'>> {
    const job = ctx.job;
    let phase: JobPhase = 'probing';
    let mode: IngestDetail['mode'];
    let percent = 0;
    let lastWrite = 0;
    // Telemetry, not a state change: see the class comment.
    const write = async (force = false) => {
      if (!force && Date.now() - lastWrite < PROGRESS_WRITE_MS) return;
      lastWrite = Date.now();
      await ctx.progress(percent, { phase, mode } satisfies IngestDetail);
      this.events.emit({ jobId: job.id, lessonId: payload.lessonId, status: 'running', phase, progress: percent });
    };
    const renditionId = this.renditions.newId();
    try {
      await write(true);
      const rendition = await this.packager.package(
        { lessonId: payload.lessonId, uploadPath: payload.uploadPath, renditionId, sourceSha256: payload.sourceSha256 },
        {
          phase: async (p, m) => {
            phase = p;
            if (m) mode = m;
            await write(true);
          },
          progress: (p) => {
            percent = p.percent;
            void write().catch(() => undefined);
          },
        },
        ctx.signal,
      );
      const replaced = await this.publish(job, rendition);
      // After the commit, never inside it: blob deletions cannot be rolled back or repeated.
      for (const old of replaced) await this.store.deletePrefix(old.prefix).catch((e: Error) => this.logger.warn(`旧视频文件未能删除 (old rendition ${old.id} blobs left): ${e.message}`));
      return JobResult.success({ renditionId: rendition.id, durationSeconds: rendition.durationSeconds, sourceSha256: rendition.sourceSha256 });
    } catch (e) {
      return this.failed(job, e);
    }
  }

  /** A crashed process left the job with no attempts left: the lesson fails with the zh-CN reason. */
  async abandon(job: JobRecord<'media.ingest'>): Promise<JobFailure> {
    const reason = failure('MEDIA_INTERRUPTED');
    await this.recordFailure(job, reason);
    return reason;
  }

  /** The source is not kept once a job is final; the console hears of every outcome. */
  async settled(job: JobRecord<'media.ingest'>): Promise<void> {
    if (job.status !== 'queued') await this.removeUpload(job.payload);
    const m = toMediaJob(job);
    this.events.emit({ jobId: m.id, lessonId: m.lessonId, status: m.status, phase: m.phase, progress: m.progress, error: m.error, durationSeconds: m.durationSeconds });
  }

  /**
   * The rendition, the lesson playing it and the lesson's other renditions gone, in one commit
   * recorded as `lesson.publish`; returns the replaced renditions, whose blobs the caller deletes.
   * A job that no longer owns its lesson publishes nothing and its blobs are deleted.
   */
  private async publish(job: JobRecord<'media.ingest'>, rendition: Rendition): Promise<{ id: string; prefix: string }[]> {
    const lessonId = job.payload.lessonId;
    try {
      return await this.commit(async (tx) => {
        const before = await this.lessons.findById(lessonId);
        const published = await this.lessons.publish(lessonId, job.id, rendition.id, rendition.durationSeconds);
        if (!before || !published) throw new Superseded();
        await this.renditions.insert(rendition);
        const replaced = await this.renditions.listOthers(lessonId, rendition.id);
        for (const old of replaced) await this.renditions.delete(old.id);
        tx.record({
          action: 'lesson.publish',
          target: { type: 'lesson', id: lessonId },
          tenant: await this.tenants.ofLesson(lessonId),
          before: { status: before.status, renditionId: before.renditionId, durationSeconds: before.durationSeconds },
          after: {
            status: 'published',
            renditionId: rendition.id,
            durationSeconds: rendition.durationSeconds,
            jobId: job.id,
            mode: rendition.mode,
            segmentCount: rendition.segmentCount,
            sourceSha256: rendition.sourceSha256,
            sourceBytes: rendition.sourceBytes,
            removedRenditionIds: replaced.map((r) => r.id),
          },
        });
        return replaced;
      });
    } catch (e) {
      // Nothing references the new blobs unless the commit went through after all (an unknown
      // commit result): then they are the lesson's video and stay.
      if (!(await this.renditions.findById(rendition.id).catch(() => undefined))) await this.store.deletePrefix(rendition.prefix).catch(() => undefined);
      if (e instanceof Superseded) return [];
      throw e;
    }
  }

  private async failed(job: JobRecord<'media.ingest'>, e: unknown): Promise<JobOutcome<'media.ingest'>> {
    if (e instanceof IngestRejected) {
      const reason = failure(e.code, e.details);
      // The lesson first: whoever sees the job final sees the lesson updated too.
      await this.recordFailure(job, reason);
      return JobResult.failed(reason);
    }
    const message = (e as Error).message;
    this.logger.error(`任务 ${job.id} 出错 (attempt ${job.attempts}/${job.maxAttempts}): ${message}`);
    const reason = failure('MEDIA_PROCESSING_FAILED', { error: message });
    if (job.attempts < job.maxAttempts) return JobResult.failed(reason, { retry: true });
    await this.recordFailure(job, reason);
    return JobResult.failed(reason);
  }

  /**
   * The job's final failure, `media-job.fail`: the lesson (when this job is still its current one)
   * is failed with the zh-CN reason, or keeps playing its published video with the reason beside it.
   */
  private async recordFailure(job: JobRecord<'media.ingest'>, reason: JobFailure): Promise<void> {
    const lessonId = job.payload.lessonId;
    await this.commit(async (tx) => {
      const before = await this.lessons.findById(lessonId);
      await this.lessons.markFailed(lessonId, job.id, { code: reason.code, message: reason.message });
      const after = await this.lessons.findById(lessonId);
      tx.record({
        action: 'media-job.fail',
        target: { type: 'media-job', id: job.id },
        tenant: await this.tenants.ofLesson(lessonId),
        before: { lessonId, lessonStatus: before?.status },
        after: { lessonId, lessonStatus: after?.status, code: reason.code, message: reason.message, attempts: job.attempts },
      });
    });
  }

  /** A job is not a request: its records carry no request id, whichever request's enqueue woke the runner. */
  private commit<T>(work: (tx: AuditTx) => Promise<T>): Promise<T> {
    return runWithRequestContext({}, () => this.trail.commit(INGEST_ACTOR, work));
  }

  /** The tus upload and its metadata file. */
  private async removeUpload(payload: Payload): Promise<void> {
    await fs.rm(payload.uploadPath, { force: true });
    await fs.rm(`${payload.uploadPath}.json`, { force: true });
  }
}
