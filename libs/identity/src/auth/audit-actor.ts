import type { AuditActor, AuditReadScope, AuditTenant } from '@app/audit';
import { AppError } from '@app/platform';
import type { Trainee } from '../trainees/trainee.entity';
import type { AuthUser } from './auth-user';
import { tenantScopeOf } from './tenant-scope';

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

/**
 * Which audit records the caller may read: administrators all of them, an auditor those of their
 * jurisdiction (by the tenant's region, as every other read of theirs). Nobody else reads the log.
 */
export function auditReadScopeOf(user: AuthUser): AuditReadScope {
  const scope = tenantScopeOf(user);
  if (scope.kind === 'all') return { kind: 'everything' };
  if (scope.kind === 'jurisdiction') return { kind: 'region', regionPrefix: scope.regionPrefix };
  throw AppError.of('FORBIDDEN', { reason: 'audit-log' });
}
