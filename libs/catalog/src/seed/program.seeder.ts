import { Injectable, OnModuleInit } from '@nestjs/common';
import { Seeder, SeedRegistry, SeedResult } from '@app/platform';
import { ProgramRepository } from '../programs/program.repository';
import { PROGRAMS } from './programs.data';

@Injectable()
export class ProgramSeeder implements Seeder, OnModuleInit {
  readonly name = 'catalog.programs';
  readonly order = 10;

  constructor(
    private readonly programs: ProgramRepository,
    private readonly registry: SeedRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async seed(): Promise<SeedResult> {
    let created = 0;
    for (const program of PROGRAMS) if ((await this.programs.upsertByCode(program)).created) created++;
    return { summary: `培训项目 ${PROGRAMS.length} 个（新建 ${created}）` };
  }
}
