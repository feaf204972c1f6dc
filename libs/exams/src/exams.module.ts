import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ComplianceModule } from '@app/compliance';
import { OfflineModule } from '@app/offline';
import { EXAM_MODELS } from './persistence/exam.schemas';
import { SittingRepository } from './persistence/sitting.repository';
import { SittingService } from './sittings/sitting.service';

/** Exams: closed-book paper sittings per class, organised as the rule set says, results feeding the verdicts. */
@Module({
  imports: [MongooseModule.forFeature(EXAM_MODELS), ComplianceModule, OfflineModule],
  providers: [SittingRepository, SittingService],
  exports: [SittingService, SittingRepository],
})
export class ExamsModule {}
