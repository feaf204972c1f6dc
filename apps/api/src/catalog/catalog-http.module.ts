import { Module } from '@nestjs/common';
import { CatalogModule } from '@app/catalog';
import { CoursesController } from './courses.controller';
import { ProgramsController } from './programs.controller';
import { TraineeAudience } from './trainee-audience';

@Module({
  imports: [CatalogModule],
  controllers: [ProgramsController, CoursesController],
  providers: [TraineeAudience],
  exports: [TraineeAudience],
})
export class CatalogHttpModule {}
