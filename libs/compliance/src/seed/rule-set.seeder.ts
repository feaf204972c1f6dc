import { Injectable, OnModuleInit } from '@nestjs/common';
import { AuditTrail } from '@app/audit';
import { catalogTenantOf, ProgramRepository, SEED_ACTOR } from '@app/catalog';
import { Seeder, SeedRegistry, SeedResult } from '@app/platform';
import { presetFor } from '../rules/presets';
import { RuleSetRepository } from '../persistence/rule-set.repository';
import { RULE_SET_TARGET } from '../rule-sets/rule-set.service';

/**
 * Version 1 of each program's rule set, from the documents' program data (rules/presets.ts).
 * A program that already has a rule set keeps it: later versions are the administrators'.
 */
@Injectable()
export class RuleSetSeeder implements Seeder, OnModuleInit {
  readonly name = 'compliance.rule-sets';
  readonly order = 15;

  constructor(
    private readonly programs: ProgramRepository,
    private readonly repo: RuleSetRepository,
    private readonly registry: SeedRegistry,
    private readonly trail: AuditTrail,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async seed(): Promise<SeedResult> {
    let created = 0;
    const programs = await this.programs.list();
    for (const program of programs) {
      if (await this.repo.current(program.id)) continue;
      await this.trail.commit(SEED_ACTOR, async (tx) => {
        const saved = await this.repo.insert({ programId: program.id, programCode: program.code, version: 1, body: presetFor(program), note: '依据文件的预置规则集', createdBy: 'system' });
        tx.record({ action: 'rule-set.version.create', target: { type: RULE_SET_TARGET, id: saved.id }, tenant: catalogTenantOf(program), after: { version: 1, programCode: program.code } });
      });
      created++;
    }
    return { summary: `规则集 ${programs.length} 个（新建 ${created}）` };
  }
}
