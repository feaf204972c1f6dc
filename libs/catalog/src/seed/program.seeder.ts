import { Injectable, OnModuleInit } from '@nestjs/common';
import { Seeder, SeedRegistry, SeedResult } from '@app/platform';
import { SEED_ACTOR } from '../audit/catalog-audit';
import { ProgramService } from '../programs/program.service';
import { PROGRAMS } from './programs.data';

/** The programs of the documents, through the program use case: a new or changed one is recorded, an unchanged one is not touched. */
@Injectable()
export class ProgramSeeder implements Seeder, OnModuleInit {
  readonly name = 'catalog.programs';
  readonly order = 10;

  constructor(
    private readonly programs: ProgramService,
    private readonly registry: SeedRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async seed(): Promise<SeedResult> {
    let created = 0;
    for (const program of PROGRAMS) if ((await this.programs.upsertFromDocuments(SEED_ACTOR, program)).created) created++;
    return { summary: `培训项目 ${PROGRAMS.length} 个（新建 ${created}）` };
  }
}
