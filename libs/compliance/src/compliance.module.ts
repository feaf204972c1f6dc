import { Logger, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { CatalogModule } from '@app/catalog';
import { LedgerModule } from '@app/ledger';
import { JobHandler, JobHandlerOf, JobOutcome, JobResult } from '@app/platform';
import { COMPLIANCE_MODELS } from './persistence/compliance.schemas';
import { ExamResultRepository } from './persistence/exam-result.repository';
import { RuleSetRepository } from './persistence/rule-set.repository';
import { VerdictRepository } from './persistence/verdict.repository';
import { RuleSetService } from './rule-sets/rule-set.service';
import { RuleSetSeeder } from './seed/rule-set.seeder';
import { JudgeTrainees } from './verdicts/judge-trainees';
import { VerdictInputs } from './verdicts/verdict-inputs';
import { VerdictObservers } from './verdicts/verdict-observers';
import { VerdictService } from './verdicts/verdict.service';
import { SweepVerdicts } from './verdicts/verdict-sweep';

/** How often verdicts catch up with the ledger, exam results and rule-set versions. */
export const VERDICT_SWEEP_MS = 2000;

/** The recurring `compliance.sweep` job: keeps stored verdicts current (verdicts/verdict-sweep.ts). */
@JobHandler('compliance.sweep')
export class ComplianceSweepJob implements JobHandlerOf<'compliance.sweep'> {
  private readonly logger = new Logger('ComplianceSweep');

  constructor(private readonly sweep: SweepVerdicts) {}

  everyMs(): number {
    return VERDICT_SWEEP_MS;
  }

  async run(): Promise<JobOutcome<'compliance.sweep'>> {
    const r = await this.sweep.execute();
    if (r.changed > 0) this.logger.log(`重新判定 ${r.judged} 名学员，${r.changed} 个判定有变化 (verdicts)`);
    return JobResult.success(r);
  }
}

const exported = [RuleSetService, VerdictService, JudgeTrainees, SweepVerdicts, VerdictObservers, VerdictRepository, RuleSetRepository, ExamResultRepository, VerdictInputs];

/** Compliance: versioned rule sets, verdicts per trainee, the exam results they read. */
@Module({
  imports: [MongooseModule.forFeature(COMPLIANCE_MODELS), CatalogModule, LedgerModule],
  providers: [...exported, RuleSetSeeder, ComplianceSweepJob],
  exports: exported,
})
export class ComplianceModule {}
