import { Logger } from '@nestjs/common';
import * as fs from 'node:fs/promises';
import { LessonRepository } from '@app/catalog';
import { JobContext, JobHandler, JobHandlerOf, JobOutcome, JobPayloads, JobRecord, JobResult } from '@app/platform';
import { BlobStore } from '@app/storage';
import { MediaErrors } from '../media.errors';
import { RenditionRepository } from '../renditions/rendition';
import { HlsPackager, IngestRejected } from './hls-packager';
import { MediaEvents } from './media-events';
import { IngestDetail, JobFailure, JobPhase, toMediaJob } from './media-job';

const PROGRESS_WRITE_MS = 500;

const failure = (code: keyof typeof MediaErrors, details?: unknown): JobFailure => ({ code, message: MediaErrors[code].message, details });

type Payload = JobPayloads['media.ingest'];

/**
 * The `media.ingest` job: one finished upload → one encrypted HLS rendition, published on its
 * lesson. One at a time per process (ffmpeg uses every core it gets). The platform's runner claims,
 * leases, retries and recovers; this decides what an outcome means for the lesson.
 */
@JobHandler('media.ingest')
export class MediaIngestJob implements JobHandlerOf<'media.ingest'> {
  private readonly logger = new Logger('MediaJobs');

  constructor(
    private readonly packager: HlsPackager,
    private readonly renditions: RenditionRepository,
    private readonly lessons: LessonRepository,
    private readonly store: BlobStore,
    private readonly events: MediaEvents,
  ) {}

  async run(payload: Payload, ctx: JobContext<'media.ingest'>): Promise<JobOutcome<'media.ingest'>> {
    const job = ctx.job;
    let phase: JobPhase = 'probing';
    let mode: IngestDetail['mode'];
    let percent = 0;
    let lastWrite = 0;
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
      await this.renditions.insert(rendition);
      const published = await this.lessons.publish(payload.lessonId, job.id, rendition.id, rendition.durationSeconds);
      if (!published) {
        // A newer upload owns the lesson now; this rendition is never referenced.
        await this.discardRendition(rendition.id, rendition.prefix);
      } else {
        for (const old of await this.renditions.listOthers(payload.lessonId, rendition.id)) await this.discardRendition(old.id, old.prefix);
      }
      return JobResult.success({ renditionId: rendition.id, durationSeconds: rendition.durationSeconds, sourceSha256: rendition.sourceSha256 });
    } catch (e) {
      return this.failed(job, e);
    }
  }

  /** A crashed process left the job with no attempts left: the lesson fails with the zh-CN reason. */
  async abandon(job: JobRecord<'media.ingest'>): Promise<JobFailure> {
    const reason = failure('MEDIA_INTERRUPTED');
    await this.lessons.markFailed(job.payload.lessonId, job.id, { code: reason.code, message: reason.message });
    return reason;
  }

  /** The source is not kept once a job is final; the console hears of every outcome. */
  async settled(job: JobRecord<'media.ingest'>): Promise<void> {
    if (job.status !== 'queued') await this.removeUpload(job.payload);
    const m = toMediaJob(job);
    this.events.emit({ jobId: m.id, lessonId: m.lessonId, status: m.status, phase: m.phase, progress: m.progress, error: m.error, durationSeconds: m.durationSeconds });
  }

  private async failed(job: JobRecord<'media.ingest'>, e: unknown): Promise<JobOutcome<'media.ingest'>> {
    if (e instanceof IngestRejected) {
      const reason = failure(e.code, e.details);
      // The lesson first: whoever sees the job final sees the lesson updated too.
      await this.lessons.markFailed(job.payload.lessonId, job.id, { code: reason.code, message: reason.message });
      return JobResult.failed(reason);
    }
    const message = (e as Error).message;
    this.logger.error(`任务 ${job.id} 出错 (attempt ${job.attempts}/${job.maxAttempts}): ${message}`);
    const reason = failure('MEDIA_PROCESSING_FAILED', { error: message });
    if (job.attempts < job.maxAttempts) return JobResult.failed(reason, { retry: true });
    await this.lessons.markFailed(job.payload.lessonId, job.id, { code: reason.code, message: reason.message });
    return JobResult.failed(reason);
  }

  private async discardRendition(id: string, prefix: string): Promise<void> {
    await this.store.deletePrefix(prefix);
    await this.renditions.delete(id);
  }

  /** The tus upload and its metadata file. */
  private async removeUpload(payload: Payload): Promise<void> {
    await fs.rm(payload.uploadPath, { force: true });
    await fs.rm(`${payload.uploadPath}.json`, { force: true });
  }
}
