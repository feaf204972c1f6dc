import { Injectable } from '@nestjs/common';
import { AuditTrail } from '@app/audit';
import { ProgramRepository } from '@app/catalog';
import { AppError } from '@app/platform';
import { auditActorOf, traineeTenant } from '../auth/audit-actor';
import type { AuthUser } from '../auth/auth-user';
import { traineeSummary, traineeTarget } from '../audit/identity-audit';
import { identityError } from '../identity.errors';
import { regionInScope, regionPrefixOf, TenantScope, tenantScopeOf } from '../auth/tenant-scope';
import { OrganisationRepository } from '../organisations/organisation.repository';
import { parseResidentId, RESIDENT_ID_PROBLEM_MESSAGES } from './resident-id';
import { NewTrainee, revealsPersonalData, Trainee } from './trainee.entity';
import { TraineeRepository } from './trainee.repository';

export interface RegisterTraineeCommand {
  programId: string;
  name: string;
  idNumber: string;
  phone?: string;
  enterpriseId: string;
  /** Administrators name the institution; institution staff always register for their own. */
  institutionId?: string;
  category: string;
  post?: string;
}

/** Same shape as the global validation pipe's, so clients show every problem the same way. */
export interface FieldProblem {
  field: string;
  reasons: string[];
}

export type PreparedTrainee = { ok: true; trainee: NewTrainee } | { ok: false; fields: FieldProblem[] };

@Injectable()
export class TraineeService {
  constructor(
    private readonly trainees: TraineeRepository,
    private readonly organisations: OrganisationRepository,
    private readonly programs: ProgramRepository,
    private readonly trail: AuditTrail,
  ) {}

  async register(caller: AuthUser, cmd: RegisterTraineeCommand, now = new Date()): Promise<Trainee> {
    const scope = tenantScopeOf(caller);
    const prepared = await this.prepare(scope, cmd, now);
    if (!prepared.ok) throw AppError.of('VALIDATION_FAILED', { fields: prepared.fields });
    return this.trail.commit(auditActorOf(caller), async (tx) => {
      // The same person twice in the program is refused inside the transaction (409): nothing commits.
      const trainee = await this.trainees.insert(scope, prepared.trainee);
      tx.record({ action: 'trainee.create', target: traineeTarget(trainee.id), tenant: traineeTenant(trainee), after: traineeSummary(trainee) });
      return trainee;
    });
  }

  /**
   * One record in the caller's scope (404 outside it, like a nonexistent one). When the caller's
   * role sees the full ID and phone numbers, someone else's personal data is being shown: the
   * read is recorded before it is answered (a trainee reading their own record is not).
   */
  async detail(caller: AuthUser, traineeId: string): Promise<Trainee> {
    const trainee = await this.trainees.findById(tenantScopeOf(caller), traineeId);
    if (!trainee) throw identityError('TRAINEE_NOT_FOUND');
    if (revealsPersonalData(caller.role) && caller.role !== 'trainee') {
      await this.trail.recordRead(auditActorOf(caller), {
        action: 'trainee.personal-data.read',
        target: traineeTarget(trainee.id),
        tenant: traineeTenant(trainee),
        after: { fields: trainee.phone === undefined ? ['idNumber'] : ['idNumber', 'phone'] },
      });
    }
    return trainee;
  }

  /**
   * Checks one person against the program, the enterprise and the caller's scope, collecting
   * every problem by field (roster imports report them per row). Writes nothing.
   */
  async prepare(scope: TenantScope, cmd: RegisterTraineeCommand, now = new Date()): Promise<PreparedTrainee> {
    const fields: FieldProblem[] = [];
    const problem = (field: string, reason: string) => fields.push({ field, reasons: [reason] });

    const id = parseResidentId(cmd.idNumber, now);
    if (!id.ok) problem('idNumber', RESIDENT_ID_PROBLEM_MESSAGES[id.problem]);

    const program = (await this.programs.list()).find((p) => p.id === cmd.programId);
    if (!program) problem('programId', '培训项目不存在');
    else if (!program.categories.some((c) => c.code === cmd.category)) {
      problem('category', `人员类别须为本项目的：${program.categories.map((c) => `${c.code}（${c.name}）`).join('、')}`);
    }

    const enterprise = await this.organisations.findById(cmd.enterpriseId);
    if (!enterprise || enterprise.kind !== 'enterprise') problem('enterpriseId', '所属企业不存在');
    else if (scope.kind === 'institution' && !regionInScope(enterprise.regionCode, regionPrefixOf(scope.regionCode))) {
      problem('enterpriseId', '所属企业不在本培训机构所在地区');
    }

    let institutionId: string | undefined;
    if (scope.kind === 'institution') {
      // Registering someone for another institution is a tenancy breach, not a typo.
      if (cmd.institutionId !== undefined && cmd.institutionId !== scope.institutionId) throw AppError.of('FORBIDDEN');
      institutionId = scope.institutionId;
    } else if (scope.kind === 'all') {
      const institution = cmd.institutionId ? await this.organisations.findById(cmd.institutionId) : undefined;
      if (!institution || institution.kind !== 'institution') problem('institutionId', '请指定培训机构');
      else institutionId = institution.id;
    } else {
      throw AppError.of('FORBIDDEN');
    }

    if (fields.length > 0 || !id.ok || !enterprise || !institutionId) return { ok: false, fields };
    return {
      ok: true,
      trainee: {
        programId: cmd.programId,
        name: cmd.name.trim(),
        idNumber: id.value.number,
        phone: cmd.phone,
        birthDate: id.value.birthDate,
        sex: id.value.sex,
        enterpriseId: enterprise.id,
        enterpriseRegionCode: enterprise.regionCode,
        institutionId,
        category: cmd.category,
        post: cmd.post?.trim() || undefined,
        status: 'active',
        demo: false,
      },
    };
  }
}
