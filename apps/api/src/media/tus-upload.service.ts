import { Inject, Injectable, Logger } from '@nestjs/common';
import * as path from 'node:path';
import { catalogError, LessonRepository } from '@app/catalog';
import { AuthUser, SocketAuthenticator } from '@app/identity';
import { LessonUploads, mediaError } from '@app/media';
import { AppConfig, AppConfigToken } from '@app/platform';
import { UPLOADS_PATH } from './paths';
import { FinishedUpload, TusEndpoint } from './tus-endpoint';
import { TusRouteService } from './tus-route';

export const JOB_ID_HEADER = 'Media-Job-Id';

/**
 * Lesson video uploads over tus (see TusEndpoint): administrators only, the lesson checked at
 * creation, and the packaging job queued when the last byte arrives.
 */
@Injectable()
export class TusUploadService extends TusRouteService {
  private readonly logger = new Logger('Uploads');
  readonly directory: string;
  protected readonly endpoint: TusEndpoint;

  constructor(
    sockets: SocketAuthenticator,
    private readonly lessons: LessonRepository,
    private readonly uploads: LessonUploads,
    @Inject(AppConfigToken) config: AppConfig,
  ) {
    super();
    this.directory = path.join(config.media.workDir, 'uploads');
    this.endpoint = new TusEndpoint(sockets, {
      logger: 'Uploads',
      directory: this.directory,
      path: UPLOADS_PATH,
      maxSize: config.media.maxUploadBytes,
      roles: ['admin'],
      exposedHeaders: [JOB_ID_HEADER],
      unavailable: () => mediaError('UPLOADS_UNAVAILABLE'),
      create: async (_user, upload) => {
        const lessonId = upload.metadata?.lessonId;
        if (!lessonId) throw mediaError('MEDIA_LESSON_REQUIRED');
        if (!(await this.lessons.findById(lessonId))) throw catalogError('LESSON_NOT_FOUND');
      },
      finish: async (user, file) => ({ [JOB_ID_HEADER]: await this.enqueue(user, file) }),
    });
  }


  /** The last byte is in: the upload use case queues the packaging job, recorded as the sending administrator's. */
  private async enqueue(user: AuthUser, { upload, path: uploadPath, sha256 }: FinishedUpload): Promise<string> {
    const job = await this.uploads.uploadFinished(user, {
      lessonId: upload.metadata!.lessonId!,
      uploadId: upload.id,
      uploadPath,
      fileName: upload.metadata?.filename ?? undefined,
      sourceSha256: sha256,
    });
    this.logger.log(`上传完成，已排队处理 (upload ${upload.id} → job ${job.id})`);
    return job.id;
  }
}
