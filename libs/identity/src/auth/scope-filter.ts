import { Types } from 'mongoose';
import { checkedRegionPrefix, TenantScope } from './tenant-scope';

/**
 * Where a collection keeps the tenant keys a scope is matched against. A collection without a
 * column for some kind cannot be read in that kind of scope: {@link scopeFilter} throws rather
 * than return a filter that leaves the tenant key out (which would widen the read to everyone).
 */
export interface ScopeColumns {
  /** Field holding the owning institution's id (institution scopes). */
  readonly institution?: string;
  /** Field holding a 6-digit region code (jurisdiction scopes match it by prefix). */
  readonly region?: string;
  /** Field holding the login the row belongs to (self scopes). */
  readonly user?: string;
  /** How the id fields are stored: ObjectId (the query must use one, or it matches nothing) or string. */
  readonly ids: 'objectId' | 'string';
}

/** A prefix match on a region-code field; the prefix is checked because it goes into `$regex`. */
export function regionPrefixFilter(column: string, prefix: string): Record<string, unknown> {
  return { [column]: { $regex: `^${checkedRegionPrefix(prefix)}` } };
}

function columnFor(scope: TenantScope, columns: ScopeColumns, key: 'institution' | 'region' | 'user'): string {
  const column = columns[key];
  if (!column) throw new Error(`scopeFilter: a ${scope.kind} scope needs a "${key}" column, this collection names none`);
  return column;
}

function idValue(id: string, columns: ScopeColumns): Types.ObjectId | string {
  if (columns.ids === 'string') {
    if (typeof id !== 'string' || id === '') throw new RangeError('scope id must be a non-empty string');
    return id;
  }
  if (typeof id !== 'string' || !/^[0-9a-f]{24}$/i.test(id)) throw new RangeError('scope id must be a 24-hex ObjectId');
  return new Types.ObjectId(id);
}

/**
 * The MongoDB filter that confines a read to a tenant scope: institutions see rows of their
 * institution, auditors rows located in their jurisdiction, trainees their own rows, and the
 * 'all' scope (administrators, the platform) everything. Spread it into the query beside the
 * caller's own conditions.
 */
export function scopeFilter(scope: TenantScope, columns: ScopeColumns): Record<string, unknown> {
  switch (scope.kind) {
    case 'all':
      return {};
    case 'institution':
      return { [columnFor(scope, columns, 'institution')]: idValue(scope.institutionId, columns) };
    case 'jurisdiction':
      return regionPrefixFilter(columnFor(scope, columns, 'region'), scope.regionPrefix);
    case 'self':
      return { [columnFor(scope, columns, 'user')]: idValue(scope.userId, columns) };
    default: {
      const never: never = scope;
      throw new Error(`unknown scope ${String((never as { kind: unknown }).kind)}`);
    }
  }
}
