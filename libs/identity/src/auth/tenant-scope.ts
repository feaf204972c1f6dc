import { AppError } from '@app/platform';
import type { AuthUser } from './auth-user';

/**
 * Type-only: no value carries this symbol at run time, so no code outside this module can name
 * it, and an object literal can never satisfy {@link TenantScope}. Scopes are therefore made by
 * {@link tenantScopeOf} (a caller) or {@link systemScope} (the platform itself), nowhere else.
 */
declare const scopeBrand: unique symbol;
type Branded<T> = T & { readonly [scopeBrand]: true };

/**
 * Whose data a read may touch. Repository methods that read tenant data take one as a required
 * parameter, so an unscoped read does not compile.
 *
 * - institution: its own trainees and classes; `regionCode` is where it operates (enterprises it may enrol).
 * - jurisdiction: an auditor's region; a prefix of 6-digit division codes, so '2307' covers every district of 伊春市.
 * - self: a trainee's own records.
 * - all: administrators, or the platform reading for itself (then `reason` says why, for the audit trail).
 */
export type TenantScope =
  | Branded<{ readonly kind: 'institution'; readonly institutionId: string; readonly regionCode: string }>
  | Branded<{ readonly kind: 'jurisdiction'; readonly regionPrefix: string }>
  | Branded<{ readonly kind: 'self'; readonly userId: string }>
  | Branded<{ readonly kind: 'all'; readonly reason?: string }>;

/** The platform's own unrestricted read: only {@link systemScope} makes one, and it always says why. */
export type SystemScope = Extract<TenantScope, { kind: 'all' }> & { readonly reason: string };

/**
 * The jurisdiction prefix of a 6-digit division code: trailing "00" pairs mean "the whole
 * province / city", so 230000 → '23', 230700 → '2307', 230702 → '230702'.
 */
export function regionPrefixOf(regionCode: string): string {
  if (!/^\d{6}$/.test(regionCode)) throw new RangeError(`region code must be 6 digits: ${regionCode}`);
  let prefix = regionCode;
  while (prefix.length > 2 && prefix.endsWith('00')) prefix = prefix.slice(0, -2);
  return prefix;
}

/**
 * Prefixes end up in `$regex` filters: anything but 1–6 digits would be an injection, and an
 * empty prefix would match every region.
 */
export function checkedRegionPrefix(prefix: string): string {
  if (!/^\d{1,6}$/.test(prefix)) throw new RangeError('regionPrefix must be 1–6 digits');
  return prefix;
}

/** Whether a 6-digit region code lies inside a jurisdiction prefix. */
export function regionInScope(regionCode: string, regionPrefix: string): boolean {
  return regionCode.startsWith(regionPrefix);
}

/**
 * Staff without an organisation (a broken account) get no scope at all rather than a wide one:
 * failing closed is the point of the type.
 */
export function tenantScopeOf(user: AuthUser): TenantScope {
  switch (user.role) {
    case 'admin':
      return { kind: 'all' } as TenantScope;
    case 'trainee':
      return { kind: 'self', userId: user.id } as TenantScope;
    case 'institution':
      if (!user.organisationId || !user.regionCode) throw AppError.of('FORBIDDEN', { reason: 'no-organisation' });
      return { kind: 'institution', institutionId: user.organisationId, regionCode: user.regionCode } as TenantScope;
    // A department examiner (培考分离) works for the department of a region, as an auditor does.
    case 'auditor':
    case 'examiner':
      if (!user.regionCode) throw AppError.of('FORBIDDEN', { reason: 'no-jurisdiction' });
      return { kind: 'jurisdiction', regionPrefix: regionPrefixOf(user.regionCode) } as TenantScope;
    default: {
      const never: never = user.role;
      throw new Error(`unknown role ${String(never)}`);
    }
  }
}

/**
 * For reads the platform makes on its own account — seeders, background jobs, a context reading
 * another's data on a caller's behalf after it checked the caller itself. The reason is kept on
 * the scope so the audit trail can record why everything was readable.
 */
export function systemScope(reason: string): SystemScope {
  if (typeof reason !== 'string' || reason.trim() === '') throw new RangeError('systemScope needs a reason');
  return { kind: 'all', reason: reason.trim() } as SystemScope;
}
