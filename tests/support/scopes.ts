// Scopes for tests, made the way production makes them: from a caller through tenantScopeOf (so a
// test exercises the same mapping from role to scope), never as hand-written objects.
import { Types } from 'mongoose';
import { AuthUser, Role, TenantScope, tenantScopeOf } from '@app/identity';

const anyId = () => new Types.ObjectId().toHexString();

function as(role: Role, over: Partial<AuthUser> = {}): TenantScope {
  return tenantScopeOf({ id: anyId(), role, sessionId: 'test-session', ...over });
}

export const scopes = {
  admin: (): TenantScope => as('admin'),
  trainee: (userId: string): TenantScope => as('trainee', { id: userId }),
  institution: (institutionId: string, regionCode: string): TenantScope => as('institution', { organisationId: institutionId, regionCode }),
  /** An auditor whose department is located at `regionCode` (6 digits): the jurisdiction is its prefix. */
  auditor: (regionCode: string): TenantScope => as('auditor', { organisationId: anyId(), regionCode }),
};
