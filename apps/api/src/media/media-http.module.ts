import { Module } from '@nestjs/common';
import { CatalogModule } from '@app/catalog';
import { MediaModule } from '@app/media';
import { CatalogHttpModule } from '../catalog/catalog-http.module';
import { StudyHttpModule } from '../study/study-http.module';
import { MediaController } from './media.controller';
import { MediaGateway } from './media.gateway';
import { TusUploadService } from './tus-upload.service';
import { UploadsController } from './uploads.controller';

@Module({
  imports: [CatalogModule, MediaModule, CatalogHttpModule, StudyHttpModule],
  controllers: [UploadsController, MediaController],
  providers: [TusUploadService, MediaGateway],
})
export class MediaHttpModule {}
