import { Injectable } from '@nestjs/common';
import { AuditActor, AuditTrail } from '@app/audit';
import { NothingChanged, unlessUnchanged } from '@app/catalog';
import { auditActorOf, AuthUser, maskIdNumber, OrganisationRepository, parseResidentId, RESIDENT_ID_PROBLEM_MESSAGES, TenantScope, tenantScopeOf } from '@app/identity';
import { diff, institutionOf, offlineTenant, writeScopeOf } from '../offline-audit';
import type { Instructor } from '../offline.entity';
import { offlineError } from '../offline.errors';
import { InstructorPatch, InstructorRepository, NewInstructor } from '../persistence/instructor.repository';
import { ChecklistItem, instructorChecklist } from '../rules/instructor-checklist';

export type NewInstructorInput = Omit<NewInstructor, 'institutionId' | 'regionCode' | 'active'> & { institutionId?: string };

/** What the audit trail keeps of a person: never the full ID number. */
const summary = (i: Partial<Instructor>) => ({ ...i, idNumber: i.idNumber === undefined ? undefined : maskIdNumber(i.idNumber) });

/** Instructors and training managers (授课教师信息, 002_… §四(四)) and the §三(五) staffing checklist over them. */
@Injectable()
export class InstructorService {
  constructor(
    private readonly trail: AuditTrail,
    private readonly instructors: InstructorRepository,
    private readonly organisations: OrganisationRepository,
  ) {}

  create(user: AuthUser, input: NewInstructorInput): Promise<Instructor> {
    return this.createAs(auditActorOf(user), writeScopeOf(user), input);
  }

  async createAs(actor: AuditActor, scope: TenantScope, input: NewInstructorInput): Promise<Instructor> {
    const id = parseResidentId(input.idNumber);
    if (!id.ok) throw offlineError('INSTRUCTOR_INVALID', { fields: [{ field: 'idNumber', reasons: [RESIDENT_ID_PROBLEM_MESSAGES[id.problem]] }] });
    const institutionId = institutionOf(scope, input.institutionId);
    const institution = institutionId ? await this.organisations.findById(institutionId) : undefined;
    if (!institution || institution.kind !== 'institution') throw offlineError('INSTRUCTOR_INVALID', { fields: [{ field: 'institutionId', reasons: ['请指定培训机构'] }] });
    return this.trail.commit(actor, async (tx) => {
      if (await this.instructors.findByIdNumber(institution.id, id.value.number)) throw offlineError('INSTRUCTOR_DUPLICATE');
      const { institutionId: _named, ...facts } = input;
      const instructor = await this.instructors.create({ ...facts, name: facts.name.trim(), idNumber: id.value.number, institutionId: institution.id, regionCode: institution.regionCode, active: true });
      tx.record({ action: 'offline-instructor.create', target: { type: 'offline-instructor', id: instructor.id }, tenant: offlineTenant(instructor), after: summary(instructor) });
      return instructor;
    });
  }

  async update(user: AuthUser, id: string, patch: InstructorPatch): Promise<Instructor> {
    const scope = writeScopeOf(user);
    return unlessUnchanged(() =>
      this.trail.commit(auditActorOf(user), async (tx) => {
        const current = await this.instructors.findById(scope, id);
        if (!current) throw offlineError('INSTRUCTOR_NOT_FOUND');
        const { before, after, changed } = diff(current, patch);
        if (changed.length === 0) throw new NothingChanged(current);
        const instructor = await this.instructors.update(id, after);
        tx.record({ action: 'offline-instructor.update', target: { type: 'offline-instructor', id }, tenant: offlineTenant(current), before, after });
        return instructor;
      }),
    );
  }

  list(user: AuthUser, institutionId?: string): Promise<Instructor[]> {
    return this.instructors.list(tenantScopeOf(user), institutionId);
  }

  /** The checklist of one institution (staff: their own; others name one inside their scope). */
  async checklist(user: AuthUser, institutionId?: string): Promise<ChecklistItem[]> {
    const scope = tenantScopeOf(user);
    const id = institutionOf(scope, institutionId);
    return instructorChecklist(id ? await this.instructors.list(scope, id) : []);
  }
}
