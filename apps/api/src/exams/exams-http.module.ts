import { Module } from '@nestjs/common';
import { ExamsModule } from '@app/exams';
import { ExamsController } from './exams.controller';

@Module({
  imports: [ExamsModule],
  controllers: [ExamsController],
})
export class ExamsHttpModule {}
