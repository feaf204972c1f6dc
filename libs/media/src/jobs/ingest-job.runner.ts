import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import { LessonRepository } from '@app/catalog';
import { AppConfig, AppConfigToken } from '@app/platform';
import { BlobStore } from '@app/storage';
import { MediaErrors } from '../media.errors';
import { RenditionRepository } from '../renditions/rendition';
import { HlsPackager, IngestRejected } from './hls-packager';
import { MediaEvents } from './media-events';
import { JobFailure, JobPhase, MediaJob, MediaJobRepository } from './media-job';

/** A running job proves it is alive this often; a job silent for STALE_MS belongs to a dead process. */
const HEARTBEAT_MS = 2_000;
export const STALE_MS = 20_000;
const POLL_MS = 1_000;
const PROGRESS_WRITE_MS = 500;

const failure = (code: keyof typeof MediaErrors, details?: unknown): JobFailure => ({ code, message: MediaErrors[code].message, details });

/**
 * Claims packaging jobs one at a time (ffmpeg uses every core it gets) and drives them to
 * succeeded or failed. Jobs live in MongoDB: a process that dies mid-job leaves a stale
 * heartbeat, and the next sweep (here or in any other process) retries or fails the job.
 */
@Injectable()
export class IngestJobRunner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('MediaJobs');
  private readonly owner = `${process.pid}-${randomBytes(4).toString('hex')}`;
  private timer?: NodeJS.Timeout;
  private busy?: Promise<void>;
  private abort?: AbortController;
  private stopped = false;
  private lastSweep = 0;

  constructor(
    private readonly jobs: MediaJobRepository,
    private readonly packager: HlsPackager,
    private readonly renditions: RenditionRepository,
    private readonly lessons: LessonRepository,
    private readonly store: BlobStore,
    private readonly events: MediaEvents,
    @Inject(AppConfigToken) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.media.runJobs) return;
    this.timer = setInterval(() => this.wake(), POLL_MS);
    this.timer.unref();
    this.wake();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.abort?.abort();
    await this.busy;
  }

  /** Look for work now (called after an upload finishes, and by the poll timer). */
  wake(): void {
    if (this.stopped || this.busy || !this.config.media.runJobs) return;
    this.busy = this.drain()
      .catch((e) => this.logger.error(`任务循环出错 (job loop error): ${(e as Error).message}`))
      .finally(() => (this.busy = undefined));
  }

  /** Fails or requeues jobs left running by dead processes. */
  async sweep(now = new Date()): Promise<void> {
    const { requeued, failed } = await this.jobs.recoverStale(new Date(now.getTime() - STALE_MS), failure('MEDIA_INTERRUPTED'));
    for (const job of requeued) this.logger.warn(`任务 ${job.id} 的处理进程已中断，重新排队 (requeued)`);
    for (const job of failed) {
      this.logger.warn(`任务 ${job.id} 多次中断，标记为失败 (failed)`);
      await this.lessons.markFailed(job.lessonId, job.id, { code: job.error!.code, message: job.error!.message });
      await this.removeUpload(job);
      this.publishUpdate(job);
    }
  }

  private async drain(): Promise<void> {
    if (Date.now() - this.lastSweep > STALE_MS / 2) {
      this.lastSweep = Date.now();
      await this.sweep();
    }
    while (!this.stopped) {
      const job = await this.jobs.claim(this.owner, new Date());
      if (!job) return;
      await this.run(job);
    }
  }

  private async run(job: MediaJob): Promise<void> {
    this.abort = new AbortController();
    let phase: JobPhase = 'probing';
    let percent = 0;
    let lastWrite = 0;
    const write = async (force = false) => {
      if (!force && Date.now() - lastWrite < PROGRESS_WRITE_MS) return;
      lastWrite = Date.now();
      await this.jobs.progress(job.id, this.owner, { phase, progress: percent }, new Date());
      this.events.emit({ jobId: job.id, lessonId: job.lessonId, status: 'running', phase, progress: percent });
    };
    const heartbeat = setInterval(() => void write(true).catch(() => undefined), HEARTBEAT_MS);
    const renditionId = this.renditions.newId();
    try {
      await write(true);
      const rendition = await this.packager.package(
        { lessonId: job.lessonId, uploadPath: job.uploadPath, renditionId, sourceSha256: job.sourceSha256 },
        {
          phase: async (p, mode) => {
            phase = p;
            if (mode) await this.jobs.progress(job.id, this.owner, { mode }, new Date());
            await write(true);
          },
          progress: (p) => {
            percent = p.percent;
            void write().catch(() => undefined);
          },
        },
        this.abort.signal,
      );
      await this.renditions.insert(rendition);
      const published = await this.lessons.publish(job.lessonId, job.id, rendition.id, rendition.durationSeconds);
      if (!published) {
        // A newer upload owns the lesson now; this rendition is never referenced.
        await this.discardRendition(rendition.id, rendition.prefix);
      } else {
        for (const old of await this.renditions.listOthers(job.lessonId, rendition.id)) await this.discardRendition(old.id, old.prefix);
      }
      const done = await this.jobs.succeed(job.id, this.owner, {
        renditionId: rendition.id,
        durationSeconds: rendition.durationSeconds,
        sourceSha256: rendition.sourceSha256,
      });
      await this.removeUpload(job);
      if (done) this.publishUpdate(done);
    } catch (e) {
      await this.handleFailure(job, e);
    } finally {
      clearInterval(heartbeat);
      this.abort = undefined;
    }
  }

  private async handleFailure(job: MediaJob, e: unknown): Promise<void> {
    if (e instanceof IngestRejected) {
      const reason = failure(e.code, e.details);
      // The lesson first: whoever sees the job final sees the lesson updated too.
      await this.lessons.markFailed(job.lessonId, job.id, { code: reason.code, message: reason.message });
      const failed = await this.jobs.fail(job.id, this.owner, reason);
      await this.removeUpload(job);
      if (failed) this.publishUpdate(failed);
      return;
    }
    const message = (e as Error).message;
    this.logger.error(`任务 ${job.id} 出错 (attempt ${job.attempts}/${job.maxAttempts}): ${message}`);
    if (job.attempts < job.maxAttempts) {
      const again = await this.jobs.requeue(job.id, this.owner, failure('MEDIA_PROCESSING_FAILED', { error: message }));
      if (again) this.publishUpdate(again);
      return;
    }
    const reason = failure('MEDIA_PROCESSING_FAILED', { error: message });
    await this.lessons.markFailed(job.lessonId, job.id, { code: reason.code, message: reason.message });
    const failed = await this.jobs.fail(job.id, this.owner, reason);
    await this.removeUpload(job);
    if (failed) this.publishUpdate(failed);
  }

  private async discardRendition(id: string, prefix: string): Promise<void> {
    await this.store.deletePrefix(prefix);
    await this.renditions.delete(id);
  }

  /** The tus upload and its metadata file; the source is not kept once a job is final. */
  private async removeUpload(job: MediaJob): Promise<void> {
    await fs.rm(job.uploadPath, { force: true });
    await fs.rm(`${job.uploadPath}.json`, { force: true });
  }

  private publishUpdate(job: MediaJob): void {
    this.events.emit({
      jobId: job.id,
      lessonId: job.lessonId,
      status: job.status,
      phase: job.phase,
      progress: job.progress,
      error: job.error,
      durationSeconds: job.durationSeconds,
    });
  }
}
