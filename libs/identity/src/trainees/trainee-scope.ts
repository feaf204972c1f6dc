import { Types } from 'mongoose';
import type { TenantScope } from '../auth/tenant-scope';

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
      if (!/^\d{1,6}$/.test(scope.regionPrefix)) throw new RangeError('regionPrefix must be 1–6 digits');
      return { enterpriseRegionCode: { $regex: `^${scope.regionPrefix}` } };
    case 'self':
      return { userId: new Types.ObjectId(scope.userId) };
  }
}

/** Who may create or change a trainee of an institution: that institution's staff and administrators. */
export function mayWriteTraineesOf(scope: TenantScope, institutionId: string): boolean {
  return scope.kind === 'all' || (scope.kind === 'institution' && scope.institutionId === institutionId);
}
