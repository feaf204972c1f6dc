import { Module } from '@nestjs/common';
import { CatalogModule } from '@app/catalog';
import { OversightModule } from '@app/oversight';
import { StudyModule } from '@app/study';
import { CatalogHttpModule } from '../catalog/catalog-http.module';
import { OversightStudyWatch } from './oversight-study-watch.adapter';
import { StudyAccessAdapter } from './study-access.adapter';
import { StudyController } from './study.controller';
import { StudyGateway } from './study.gateway';

const study = StudyModule.register({ imports: [CatalogModule, CatalogHttpModule, OversightModule], access: StudyAccessAdapter, watch: OversightStudyWatch });

@Module({
  imports: [study, CatalogModule, CatalogHttpModule],
  controllers: [StudyController],
  providers: [StudyGateway],
  exports: [study],
})
export class StudyHttpModule {}
