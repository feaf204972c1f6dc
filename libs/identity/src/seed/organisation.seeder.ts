import { Injectable, OnModuleInit } from '@nestjs/common';
import { Seeder, SeedRegistry, SeedResult } from '@app/platform';
import { OrganisationRepository } from '../organisations/organisation.repository';
import { ORGANISATIONS } from './organisations.data';

@Injectable()
export class OrganisationSeeder implements Seeder, OnModuleInit {
  readonly name = 'identity.organisations';
  readonly order = 20;

  constructor(
    private readonly organisations: OrganisationRepository,
    private readonly registry: SeedRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async seed(): Promise<SeedResult> {
    let created = 0;
    for (const org of ORGANISATIONS) if ((await this.organisations.upsert(org)).created) created++;
    return { summary: `机构与企业 ${ORGANISATIONS.length} 个（新建 ${created}）` };
  }
}
