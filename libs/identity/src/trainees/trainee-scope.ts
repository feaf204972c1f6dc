import { Types } from 'mongoose';
import { checkedRegionPrefix, TenantScope } from '../auth/tenant-scope';

/**
 * The database filter that confines trainee reads to a tenant scope. Institutions: the people
 * they enrol; auditors: people of enterprises located in their jurisdiction; trainees: themselves.
 */
export function traineeScopeFilter(scope: TenantScope): Record<string, unknown> {
  switch (scope.kind) {
    case 'all':
      return {};
    case 'institution':
      return { institutionId: new Types.ObjectId(scope.institutionId) };
    case 'jurisdiction':
      return { enterpriseRegionCode: { $regex: `^${checkedRegionPrefix(scope.regionPrefix)}` } };
    case 'self':
      return { userId: new Types.ObjectId(scope.userId) };
  }
}

/** Who may create or change a trainee of an institution: that institution's staff and administrators. */
export function mayWriteTraineesOf(scope: TenantScope, institutionId: string): boolean {
  return scope.kind === 'all' || (scope.kind === 'institution' && scope.institutionId === institutionId);
}
