import { Injectable } from '@nestjs/common';
import { AuditTrail } from '@app/audit';
import { AppError } from '@app/platform';
import { auditActorOf } from '../auth/audit-actor';
import type { AuthUser } from '../auth/auth-user';
import { organisationTenant } from '../audit/identity-audit';
import type { FieldProblem } from '../trainees/trainee.service';
import { qualificationShortfalls } from './institution-qualification';
import type { NewOrganisation, Organisation } from './organisation.entity';
import { OrganisationRepository } from './organisation.repository';
import { USCC_PROBLEM_MESSAGES, usccProblem } from './uscc';

export type CreateOrganisationCommand = Pick<
  NewOrganisation,
  'kind' | 'name' | 'uscc' | 'regionCode' | 'industry' | 'department' | 'qualification'
> & {
  /** Required when the qualification falls short of a basic condition. */
  qualificationJustification?: string;
};

/** Administrators register organisations; every problem is reported by field at once. */
@Injectable()
export class OrganisationService {
  constructor(
    private readonly organisations: OrganisationRepository,
    private readonly trail: AuditTrail,
  ) {}

  async create(admin: AuthUser, cmd: CreateOrganisationCommand): Promise<Organisation> {
    const fields: FieldProblem[] = [];
    const problem = (field: string, reason: string) => fields.push({ field, reasons: [reason] });
    const uscc = cmd.uscc?.trim().toUpperCase();
    const needsUscc = cmd.kind === 'enterprise' || cmd.kind === 'institution';
    if (needsUscc && !uscc) problem('uscc', '企业和培训机构须填写统一社会信用代码');
    if (uscc) {
      const p = usccProblem(uscc);
      if (p) problem('uscc', USCC_PROBLEM_MESSAGES[p]);
    }
    if (cmd.kind === 'department' && !cmd.department) problem('department', '监管部门须注明人社、应急或卫健');
    if (cmd.kind !== 'department' && cmd.department) problem('department', '只有监管部门可以填写部门类别');
    if (cmd.kind === 'enterprise' && !cmd.industry) problem('industry', '企业须填写所属行业');

    let review: Organisation['qualificationReview'];
    if (cmd.kind === 'institution') {
      if (!cmd.qualification) problem('qualification', '培训机构须填写基本条件（从业年限、专职人员、师资、制度、数字课程）');
      else {
        const shortfalls = qualificationShortfalls(cmd.qualification);
        const justification = cmd.qualificationJustification?.trim();
        if (shortfalls.length > 0 && !justification) {
          fields.push({ field: 'qualificationJustification', reasons: shortfalls.map((s) => `${s.message}，请说明理由（${s.source}）`) });
        }
        review = { shortfalls, justification: justification || undefined };
      }
    } else if (cmd.qualification) problem('qualification', '只有培训机构填写基本条件');

    if (fields.length > 0) throw AppError.of('VALIDATION_FAILED', { fields });
    return this.trail.commit(auditActorOf(admin), async (tx) => {
      // A duplicate credit code or name is refused inside the transaction (409): nothing commits.
      const org = await this.organisations.create({
        kind: cmd.kind,
        name: cmd.name.trim(),
        uscc,
        regionCode: cmd.regionCode,
        industry: cmd.industry,
        department: cmd.department,
        demo: false,
        qualification: cmd.qualification,
        qualificationReview: review,
      });
      tx.record({ action: 'organisation.create', target: { type: 'organisation', id: org.id }, tenant: organisationTenant(org), after: organisationSummary(org) });
      return org;
    });
  }
}

/** An organisation as its record describes it: identity, place, and for an institution which basic conditions fall short and why. */
export function organisationSummary(org: Omit<Organisation, 'id'>): object {
  return {
    kind: org.kind,
    name: org.name,
    uscc: org.uscc,
    regionCode: org.regionCode,
    industry: org.industry,
    department: org.department,
    demo: org.demo,
    shortfalls: org.qualificationReview?.shortfalls.map((s) => s.rule),
    justification: org.qualificationReview?.justification,
  };
}
