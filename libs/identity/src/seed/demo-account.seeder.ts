import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { AuditTrail } from '@app/audit';
import { Seeder, SeedRegistry, SeedResult } from '@app/platform';
import { organisationTenant, SEED_ACTOR, userSummary, userTarget } from '../audit/identity-audit';
import type { Organisation } from '../organisations/organisation.entity';
import { generatePassword } from '../auth/password-policy';
import { PasswordHasher } from '../auth/password-hasher';
import type { Role } from '../auth/role';
import { IdentityOptions, IdentityOptionsToken } from '../identity.options';
import type { OrganisationKind } from '../organisations/organisation.entity';
import { OrganisationRepository } from '../organisations/organisation.repository';
import { UserRepository } from '../users/user.repository';
import { DemoLogin, demoLoginNotices, readDemoLogins, writeDemoLogins } from './demo-logins';
import { DEMO_INSTITUTION, DEMO_INSTITUTION_ZIBO, DEMO_TRAINEE_ENTERPRISE, ORGANISATIONS } from './organisations.data';

interface DemoAccount {
  username: string;
  displayName: string;
  role: Role;
  /** Natural key of the organisation in ORGANISATIONS. */
  organisation?: { kind: OrganisationKind; name: string };
  description: string;
}

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { username: 'admin', displayName: '平台管理员（演示）', role: 'admin', description: '系统管理员' },
  {
    username: 'yc-institution',
    displayName: '伊春培训中心管理员（演示）',
    role: 'institution',
    organisation: { kind: 'institution', name: DEMO_INSTITUTION },
    description: '培训机构：伊春示范安全培训中心',
  },
  {
    username: 'zb-institution',
    displayName: '淄博培训学校管理员（演示）',
    role: 'institution',
    organisation: { kind: 'institution', name: DEMO_INSTITUTION_ZIBO },
    description: '培训机构：淄博示范安全培训学校',
  },
  {
    username: 'yc-hrss',
    displayName: '伊春市人社局审核员（演示）',
    role: 'auditor',
    organisation: { kind: 'department', name: '伊春市人力资源和社会保障局' },
    description: '监管部门：伊春市人社局（辖区 2307）',
  },
  {
    username: 'zb-hrss',
    displayName: '淄博市人社局审核员（演示）',
    role: 'auditor',
    organisation: { kind: 'department', name: '淄博市人力资源和社会保障局' },
    description: '监管部门：淄博市人社局（辖区 3703）',
  },
  {
    username: 'yc-examiner',
    displayName: '伊春市应急管理局考务员（演示）',
    role: 'examiner',
    organisation: { kind: 'department', name: '伊春市应急管理局' },
    description: '考试主管部门：伊春市应急管理局（培考分离：出题、监考、阅卷，辖区 2307）',
  },
  {
    username: 'trainee',
    displayName: '演示学员',
    role: 'trainee',
    organisation: { kind: 'enterprise', name: DEMO_TRAINEE_ENTERPRISE },
    description: '学员（伊春示范矿业第01有限公司）',
  },
];

/**
 * Creates the demo accounts that do not exist yet, each with a random password, printed once in
 * the start-up banner and kept in `<dataDir>/demo-logins.txt` (0600) so later starts can print it
 * again. Existing accounts are never touched (their password may have been changed).
 */
@Injectable()
export class DemoAccountSeeder implements Seeder, OnModuleInit {
  readonly name = 'identity.demo-accounts';
  readonly order = 30;

  constructor(
    private readonly users: UserRepository,
    private readonly organisations: OrganisationRepository,
    private readonly hasher: PasswordHasher,
    private readonly registry: SeedRegistry,
    @Inject(IdentityOptionsToken) private readonly options: IdentityOptions,
    private readonly trail: AuditTrail,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async seed(): Promise<SeedResult> {
    const created: DemoLogin[] = [];
    for (const account of DEMO_ACCOUNTS) {
      if (await this.users.exists(account.username)) continue;
      const org = account.organisation ? await this.organisation(account.organisation) : undefined;
      const password = generatePassword();
      const passwordHash = await this.hasher.hash(password);
      await this.trail.commit(SEED_ACTOR, async (tx) => {
        const user = await this.users.create({
          username: account.username,
          displayName: account.displayName,
          role: account.role,
          organisationId: org?.id,
          passwordHash,
          mustChangePassword: this.options.seed.mustChangePassword,
          demo: true,
        });
        tx.record({ action: 'user.create', target: userTarget(user.id), tenant: organisationTenant(org), after: { ...userSummary(user), demo: true } });
      });
      created.push({ role: account.role, username: account.username, password, description: account.description });
    }
    const file = this.options.seed.loginsFile;
    const logins = created.length > 0 ? writeDemoLogins(file, created) : readDemoLogins(file);
    return {
      summary: `演示账号 ${DEMO_ACCOUNTS.length} 个（新建 ${created.length}）；初始密码见 ${file}`,
      notices: demoLoginNotices(logins),
    };
  }

  /** The initial logins at every start, so a restarted demo still tells people how to sign in. */
  async startupNotices(): Promise<string[]> {
    return demoLoginNotices(readDemoLogins(this.options.seed.loginsFile));
  }

  private async organisation(ref: { kind: OrganisationKind; name: string }): Promise<Organisation> {
    const data = ORGANISATIONS.find((o) => o.kind === ref.kind && o.name === ref.name);
    const org = data && (await this.organisations.findByName(data.kind, data.regionCode, data.name));
    // Organisations seed first (order 20); missing here means the data tables disagree.
    if (!org) throw new Error(`demo organisation not found: ${ref.kind} ${ref.name}`);
    return org;
  }
}
