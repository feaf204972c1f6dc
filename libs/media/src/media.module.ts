import { Injectable, Module, OnModuleInit } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { CatalogModule } from '@app/catalog';
import { HealthRegistry } from '@app/platform';
import { StorageModule } from '@app/storage';
import { MediaRunner } from './ffmpeg/media-runner';
import { HlsDelivery } from './hls/hls-delivery';
import { MediaKeyring } from './hls/media-keyring';
import { HlsPackager } from './jobs/hls-packager';
import { MediaIngestJob } from './jobs/ingest-job.handler';
import { MediaEvents } from './jobs/media-events';
import { MediaJobRepository } from './jobs/media-job';
import { RenditionDoc, RenditionRepository, RenditionSchema } from './renditions/rendition';
import { LessonUploads } from './uploads/lesson-upload.service';

@Injectable()
class FfmpegHealth implements OnModuleInit {
  constructor(
    private readonly runner: MediaRunner,
    private readonly health: HealthRegistry,
  ) {}

  onModuleInit(): void {
    this.health.register('ffmpeg', async () => {
      try {
        return { ffmpeg: { status: 'up', version: await this.runner.version() } };
      } catch (e) {
        return { ffmpeg: { status: 'down', message: (e as Error).message } };
      }
    });
  }
}

/**
 * Video ingest (tus upload → durable `media.ingest` job on the platform's runner → encrypted HLS)
 * and signed delivery. Needs `JobsModule` in the process (the API, apps/worker).
 */
@Module({
  imports: [
    CatalogModule,
    StorageModule,
    MongooseModule.forFeature([{ name: RenditionDoc.name, schema: RenditionSchema }]),
  ],
  providers: [
    { provide: MediaRunner, useFactory: () => new MediaRunner() },
    MediaKeyring,
    MediaEvents,
    MediaJobRepository,
    RenditionRepository,
    HlsPackager,
    HlsDelivery,
    MediaIngestJob,
    LessonUploads,
    FfmpegHealth,
  ],
  exports: [MediaRunner, MediaEvents, MediaJobRepository, RenditionRepository, HlsDelivery, LessonUploads],
})
export class MediaModule {}
