import { Injectable, OnModuleInit } from '@nestjs/common';
import { AuditTrail } from '@app/audit';
import { ProgramRepository } from '@app/catalog';
import { Seeder, SeedRegistry, SeedResult } from '@app/platform';
import { traineeTenant } from '../auth/audit-actor';
import { systemScope } from '../auth/tenant-scope';
import { commitIfChanged, SEED_ACTOR, traineeSummary, traineeTarget } from '../audit/identity-audit';
import { OrganisationRepository } from '../organisations/organisation.repository';
import { residentIdCheckChar } from '../trainees/resident-id';
import type { NewTrainee } from '../trainees/trainee.entity';
import { TraineeRepository } from '../trainees/trainee.repository';
import { UserRepository } from '../users/user.repository';
import { DEMO_INSTITUTION, DEMO_TRAINEE_ENTERPRISE } from './organisations.data';

export const DEMO_PROGRAM_CODE = 'YC-2025-MINING';
/** Synthetic but well-formed (伊春市伊美区, born 1985-03-15, male); marked demo. */
export const DEMO_TRAINEE_ID_NUMBER = '23071719850315101' + residentIdCheckChar('23071719850315101');

/** The record behind the demo trainee login, so "my profile" has something to show. */
@Injectable()
export class DemoTraineeSeeder implements Seeder, OnModuleInit {
  readonly name = 'identity.demo-trainee';
  readonly order = 40;

  constructor(
    private readonly trainees: TraineeRepository,
    private readonly users: UserRepository,
    private readonly organisations: OrganisationRepository,
    private readonly programs: ProgramRepository,
    private readonly registry: SeedRegistry,
    private readonly trail: AuditTrail,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async seed(): Promise<SeedResult> {
    const [program, user, enterprise, institution] = await Promise.all([
      this.programs.findByCode(DEMO_PROGRAM_CODE),
      this.users.findCredentials('trainee'),
      this.organisations.findByName('enterprise', '230700', DEMO_TRAINEE_ENTERPRISE),
      this.organisations.findByName('institution', '230700', DEMO_INSTITUTION),
    ]);
    if (!program || !user || !enterprise || !institution) throw new Error('demo trainee: program, user or organisations missing');
    const record: NewTrainee = {
      programId: program.id,
      name: '演示学员',
      idNumber: DEMO_TRAINEE_ID_NUMBER,
      phone: '13800000000',
      birthDate: '1985-03-15',
      sex: 'male',
      enterpriseId: enterprise.id,
      enterpriseRegionCode: enterprise.regionCode,
      institutionId: institution.id,
      category: 'team_leader',
      post: '采掘班班长',
      status: 'active',
      userId: user.id,
      demo: true,
    };
    const outcome = await commitIfChanged(this.trail, SEED_ACTOR, async (tx) => {
      const res = await this.trainees.upsertByIdNumber(systemScope('演示数据初始化：登记演示学员档案'), record);
      if (res.outcome !== 'unchanged') {
        tx.record({ action: res.outcome === 'created' ? 'trainee.create' : 'trainee.update', target: traineeTarget(res.trainee.id), tenant: traineeTenant(res.trainee), after: traineeSummary(res.trainee) });
      }
      return res.outcome;
    });
    return { summary: `演示学员档案 1 个（${outcome === 'created' ? '新建' : '已存在'}）` };
  }
}
