import { Injectable, Module, OnModuleInit } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { CatalogModule } from '@app/catalog';
import { HealthRegistry } from '@app/platform';
import { StorageModule } from '@app/storage';
import { MediaRunner } from './ffmpeg/media-runner';
import { HlsDelivery } from './hls/hls-delivery';
import { MediaKeyring } from './hls/media-keyring';
import { HlsPackager } from './jobs/hls-packager';
import { IngestJobRunner } from './jobs/ingest-job.runner';
import { MediaEvents } from './jobs/media-events';
import { MediaJobDoc, MediaJobRepository, MediaJobSchema } from './jobs/media-job';
import { RenditionDoc, RenditionRepository, RenditionSchema } from './renditions/rendition';

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

/** Video ingest (tus upload → durable packaging job → encrypted HLS) and signed delivery. */
@Module({
  imports: [
    CatalogModule,
    StorageModule,
    MongooseModule.forFeature([
      { name: MediaJobDoc.name, schema: MediaJobSchema },
      { name: RenditionDoc.name, schema: RenditionSchema },
    ]),
  ],
  providers: [
    { provide: MediaRunner, useFactory: () => new MediaRunner() },
    MediaKeyring,
    MediaEvents,
    MediaJobRepository,
    RenditionRepository,
    HlsPackager,
    HlsDelivery,
    IngestJobRunner,
    FfmpegHealth,
  ],
  exports: [MediaRunner, MediaEvents, MediaJobRepository, RenditionRepository, HlsDelivery, IngestJobRunner],
})
export class MediaModule {}
