import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { Server, Upload } from '@tus/server';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { catalogError, LessonRepository } from '@app/catalog';
import { AuthUser, SocketAuthenticator } from '@app/identity';
import { LessonUploads, mediaError } from '@app/media';
import { AppConfig, AppConfigToken, AppError, toAppError } from '@app/platform';
import { UPLOADS_PATH } from './paths';
import { loadTus } from './tus-loader';
import { UploadHashes } from './upload-hashes';

/** tus answers a thrown `{ status_code, body }` as the HTTP response; the body is our error shape. */
function tusError(error: AppError): { status_code: number; body: string } {
  return { status_code: error.status, body: JSON.stringify(error.toBody()) };
}

export const JOB_ID_HEADER = 'Media-Job-Id';
const UPLOAD_EXPIRY_MS = 7 * 24 * 3600 * 1000;
const CLEANUP_INTERVAL_MS = 3600 * 1000;
/** An upload idle this long loses its in-memory hash; resuming it rebuilds the hash from disk. */
const HASH_IDLE_MS = 24 * 3600 * 1000;

/**
 * Resumable uploads (tus 1.0 via @tus/server) straight to disk — never buffered whole — with the
 * administrator check in onIncomingRequest (every request, creation and each PATCH alike), the
 * lesson checked at creation, and the packaging job queued when the last byte arrives.
 */
@Injectable()
export class TusUploadService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Uploads');
  private server?: Server;
  readonly directory: string;
  private readonly hashes: UploadHashes;
  /** Who sent each tus request (checked in onIncomingRequest): the actor of the upload it finishes. */
  private readonly senders = new WeakMap<object, AuthUser>();

  constructor(
    private readonly sockets: SocketAuthenticator,
    private readonly lessons: LessonRepository,
    private readonly uploads: LessonUploads,
    @Inject(AppConfigToken) private readonly config: AppConfig,
  ) {
    this.directory = path.join(config.media.workDir, 'uploads');
    this.hashes = new UploadHashes((id) => path.join(this.directory, id));
  }

  private cleanup?: NodeJS.Timeout;

  onModuleInit(): void {
    fs.mkdirSync(this.directory, { recursive: true });
    // Uploads abandoned for longer than the expiry (7 days) are removed, bytes and metadata.
    this.cleanup = setInterval(() => {
      this.server?.cleanUpExpiredUploads().catch((e: Error) => this.logger.warn(`清理过期上传失败: ${e.message}`));
      this.hashes.prune(HASH_IDLE_MS);
    }, CLEANUP_INTERVAL_MS);
    this.cleanup.unref();
  }

  onModuleDestroy(): void {
    if (this.cleanup) clearInterval(this.cleanup);
  }

  /**
   * Built on first use: @tus/server is ESM-only, which Node loads but jest's module registry does
   * not, so an API started inside jest (most e2e suites) still boots; upload tests run the API as
   * a real process.
   */
  private tus(): Server {
    if (this.server) return this.server;
    const { Server, FileStore } = loadTus();
    const datastore = new FileStore({ directory: this.directory, expirationPeriodInMilliseconds: UPLOAD_EXPIRY_MS });
    // Every byte a PATCH writes is hashed on its way to disk: the job gets the source SHA-256
    // without reading the file again.
    const write = datastore.write.bind(datastore);
    datastore.write = (body, id, offset) => this.hashes.write(id, offset, body, (hashed) => write(hashed, id, offset));
    this.server = new Server({
      path: UPLOADS_PATH,
      datastore,
      maxSize: this.config.media.maxUploadBytes,
      relativeLocation: true,
      exposedHeaders: [JOB_ID_HEADER],
      onIncomingRequest: async (req) => {
        const header = req.headers.get('authorization') ?? '';
        const token = /^Bearer (.+)$/i.exec(header)?.[1];
        try {
          this.senders.set(req, await this.sockets.authenticate({ auth: { token } }, ['admin']));
        } catch (e) {
          throw tusError(toAppError(e));
        }
      },
      onUploadCreate: async (_req, upload) => {
        const lessonId = upload.metadata?.lessonId;
        if (!lessonId) throw tusError(mediaError('MEDIA_LESSON_REQUIRED'));
        if (!(await this.lessons.findById(lessonId))) throw tusError(catalogError('LESSON_NOT_FOUND'));
        return {};
      },
      onUploadFinish: async (req, upload) => ({ headers: { [JOB_ID_HEADER]: await this.enqueue(req, upload) } }),
    });
    return this.server;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let server: Server;
    try {
      server = this.tus();
    } catch (e) {
      this.logger.error(`上传服务不可用 (tus unavailable): ${(e as Error).message}`);
      throw mediaError('UPLOADS_UNAVAILABLE');
    }
    await server.handle(req, res);
  }

  /** The last byte is in: the upload use case queues the packaging job, recorded as the sending administrator's. */
  private async enqueue(req: object, upload: Upload): Promise<string> {
    const user = this.senders.get(req);
    // onIncomingRequest admitted this very request; without its sender there is nobody to record.
    if (!user) throw tusError(mediaError('UPLOADS_UNAVAILABLE'));
    try {
      const job = await this.uploads.uploadFinished(user, {
        lessonId: upload.metadata!.lessonId!,
        uploadId: upload.id,
        uploadPath: path.join(this.directory, upload.id),
        fileName: upload.metadata?.filename ?? undefined,
        sourceSha256: upload.size === undefined ? undefined : this.hashes.take(upload.id, upload.size),
      });
      this.logger.log(`上传完成，已排队处理 (upload ${upload.id} → job ${job.id})`);
      return job.id;
    } catch (e) {
      if (e instanceof AppError) throw tusError(e);
      throw e;
    }
  }
}
