import type { AuditTenant } from '@app/audit';
import { AppError } from '@app/platform';
import { AuthUser, TenantScope, tenantScopeOf } from '@app/identity';

/** Class data is the institution's, located where it operates: what its staff and the region's auditors read it by. */
export function offlineTenant(row: { institutionId: string; regionCode: string }): AuditTenant {
  return { institutionId: row.institutionId, regionCode: row.regionCode };
}

/**
 * Who may change an institution's offline data: its own staff, and administrators. Auditors read
 * (their jurisdiction), trainees read their own rows; neither writes here.
 */
export function writeScopeOf(user: AuthUser): TenantScope {
  const scope = tenantScopeOf(user);
  if (scope.kind !== 'institution' && scope.kind !== 'all') throw AppError.of('FORBIDDEN');
  return scope;
}

/** Institution staff act for their own institution; an administrator names one. */
export function institutionOf(scope: TenantScope, named: string | undefined): string | undefined {
  return scope.kind === 'institution' ? scope.institutionId : named;
}

/** The fields of `patch` that differ from `current`, as a record's before/after. */
export function diff<T extends object>(current: T, patch: Partial<T>): { before: Partial<T>; after: Partial<T>; changed: (keyof T)[] } {
  const before: Partial<T> = {};
  const after: Partial<T> = {};
  const changed: (keyof T)[] = [];
  for (const k of Object.keys(patch) as (keyof T)[]) {
    const next = patch[k];
    if (next === undefined) continue;
    const same = next instanceof Date && current[k] instanceof Date ? next.getTime() === (current[k] as Date).getTime() : next === current[k];
    if (same) continue;
    before[k] = current[k];
    after[k] = next;
    changed.push(k);
  }
  return { before, after, changed };
}
