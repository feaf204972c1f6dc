import type { AuditActor, AuditTenant } from '@app/audit';
import type { Trainee } from '../trainees/trainee.entity';
import type { AuthUser } from './auth-user';

/** The caller as the audit trail records it: who, in which role, for which organisation and region. */
export function auditActorOf(user: AuthUser): AuditActor {
  return { kind: 'user', id: user.id, role: user.role, organisationId: user.organisationId, regionCode: user.regionCode };
}

/**
 * Whose data a trainee's record is: the institution that enrols the person and the enterprise's
 * region, the same two keys an institution's scope and an auditor's jurisdiction read it by.
 */
export function traineeTenant(trainee: Pick<Trainee, 'institutionId' | 'enterpriseRegionCode'>): AuditTenant {
  return { institutionId: trainee.institutionId, regionCode: trainee.enterpriseRegionCode };
}
