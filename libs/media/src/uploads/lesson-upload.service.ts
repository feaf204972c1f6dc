import { Inject, Injectable } from '@nestjs/common';
import { AuditTrail } from '@app/audit';
import { CatalogTenants, catalogError, LessonRepository } from '@app/catalog';
import { auditActorOf, AuthUser } from '@app/identity';
import { AppConfig, AppConfigToken } from '@app/platform';
import { MediaJob, MediaJobRepository } from '../jobs/media-job';

/** A finished upload of a lesson's video, as the upload transport hands it over. */
export interface FinishedUpload {
  lessonId: string;
  uploadId: string;
  /** The bytes on local disk. */
  uploadPath: string;
  fileName?: string;
  /** SHA-256 computed as the bytes arrived, when it can be vouched for. */
  sourceSha256?: string;
}

/**
 * The upload use case: when the last byte of a lesson's video has arrived, the lesson names its
 * packaging job and the job is queued — one commit, recorded as `media-job.create` by the
 * administrator who uploaded (the bytes are on disk and hashed before; nothing outside the
 * database happens inside the commit).
 */
@Injectable()
export class LessonUploads {
  constructor(
    private readonly trail: AuditTrail,
    private readonly lessons: LessonRepository,
    private readonly tenants: CatalogTenants,
    private readonly jobs: MediaJobRepository,
    @Inject(AppConfigToken) private readonly config: AppConfig,
  ) {}

  async uploadFinished(user: AuthUser, upload: FinishedUpload): Promise<MediaJob> {
    // The id is drawn once, outside: a retried commit queues the same job.
    const jobId = this.jobs.newId();
    const job = await this.trail.commit(auditActorOf(user), async (tx) => {
      const before = await this.lessons.findById(upload.lessonId);
      if (!before) throw catalogError('LESSON_NOT_FOUND');
      // The lesson names its job before the job is claimable, so a fast runner's outcome always finds it.
      await this.lessons.markProcessing(upload.lessonId, jobId);
      const queued = await this.jobs.enqueueInTransaction({
        id: jobId,
        lessonId: upload.lessonId,
        uploadId: upload.uploadId,
        uploadPath: upload.uploadPath,
        fileName: upload.fileName,
        sourceSha256: upload.sourceSha256,
        maxAttempts: this.config.media.jobMaxAttempts,
      });
      const after = (await this.lessons.findById(upload.lessonId))!;
      tx.record({
        action: 'media-job.create',
        target: { type: 'media-job', id: jobId },
        tenant: await this.tenants.ofLesson(upload.lessonId),
        before: { lessonId: before.id, lessonStatus: before.status, previousJobId: before.jobId },
        after: { lessonId: after.id, lessonStatus: after.status, uploadId: upload.uploadId, fileName: upload.fileName, sourceSha256: upload.sourceSha256 },
      });
      return queued;
    });
    this.jobs.wakeRunner();
    return job;
  }
}
