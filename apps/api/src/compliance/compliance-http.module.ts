import { Module } from '@nestjs/common';
import { ComplianceModule } from '@app/compliance';
import { RuleSetsController } from './rule-sets.controller';
import { VerdictsController } from './verdicts.controller';

@Module({
  imports: [ComplianceModule],
  controllers: [RuleSetsController, VerdictsController],
})
export class ComplianceHttpModule {}
