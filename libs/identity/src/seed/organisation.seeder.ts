import { Injectable, OnModuleInit } from '@nestjs/common';
import { AuditTrail } from '@app/audit';
import { Seeder, SeedRegistry, SeedResult } from '@app/platform';
import { commitIfChanged, organisationTenant, SEED_ACTOR } from '../audit/identity-audit';
import { organisationSummary } from '../organisations/organisation.service';
import { OrganisationRepository } from '../organisations/organisation.repository';
import { ORGANISATIONS } from './organisations.data';

@Injectable()
export class OrganisationSeeder implements Seeder, OnModuleInit {
  readonly name = 'identity.organisations';
  readonly order = 20;

  constructor(
    private readonly organisations: OrganisationRepository,
    private readonly registry: SeedRegistry,
    private readonly trail: AuditTrail,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async seed(): Promise<SeedResult> {
    let created = 0;
    for (const org of ORGANISATIONS) {
      // An organisation the seed creates or changes is recorded as the platform's demo seed; one already as seeded writes nothing.
      const outcome = await commitIfChanged(this.trail, SEED_ACTOR, async (tx) => {
        const res = await this.organisations.upsert(org);
        if (res.outcome === 'unchanged') return res.outcome;
        tx.record({
          action: res.outcome === 'created' ? 'organisation.create' : 'organisation.update',
          target: { type: 'organisation', id: res.id },
          tenant: organisationTenant({ id: res.id, kind: org.kind, regionCode: org.regionCode }),
          after: organisationSummary(org),
        });
        return res.outcome;
      });
      if (outcome === 'created') created++;
    }
    return { summary: `机构与企业 ${ORGANISATIONS.length} 个（新建 ${created}）` };
  }
}
