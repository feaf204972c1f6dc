import type { ScopeColumns } from '../auth/scope-filter';
import type { TenantScope } from '../auth/tenant-scope';

/**
 * Trainee records and the rows that copy their tenant keys (face consents): institutions see the
 * people they enrol, auditors people of enterprises located in their jurisdiction, trainees themselves.
 */
export const TRAINEE_SCOPE_COLUMNS: ScopeColumns = {
  institution: 'institutionId',
  region: 'enterpriseRegionCode',
  user: 'userId',
  ids: 'objectId',
};

/** Who may create or change a trainee of an institution: that institution's staff and administrators. */
export function mayWriteTraineesOf(scope: TenantScope, institutionId: string): boolean {
  return scope.kind === 'all' || (scope.kind === 'institution' && scope.institutionId === institutionId);
}
