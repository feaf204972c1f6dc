import type { AuditActor, AuditTenant } from '@app/audit';
import type { Program } from '../programs/program.entity';

/** The platform writing its own demo data (seed CLI, SEED_ON_START). */
export const SEED_ACTOR: AuditActor = { kind: 'system', reason: '演示数据 demo seed' };

/**
 * Whose catalog data it is: programs, their courses and lessons are platform-wide reference data,
 * but a program carries its jurisdiction, so its records are filed under that region (what an
 * auditor's jurisdiction is matched against). Without a 6-digit region: platform-wide, `{}`.
 */
export function catalogTenantOf(program: Pick<Program, 'jurisdiction'> | undefined): AuditTenant {
  const regionCode = program?.jurisdiction?.regionCode;
  return regionCode && /^\d{6}$/.test(regionCode) ? { regionCode } : {};
}

/**
 * Thrown inside a commit when the requested change turns out to change nothing: the transaction is
 * abandoned (no write, no record) and the use case answers with the current state.
 */
export class NothingChanged<T> extends Error {
  constructor(readonly current: T) {
    super('nothing changed');
  }
}

/** `work`'s result, or the current state it found when nothing needed changing. */
export async function unlessUnchanged<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof NothingChanged) return e.current as T;
    throw e;
  }
}

/** Order-independent JSON of plain data, for "did this field change" (undefined and null alike). */
export function sameValue(a: unknown, b: unknown): boolean {
  return stable(a ?? null) === stable(b ?? null);
}

function stable(v: unknown): string {
  return JSON.stringify(v, (_k, value: unknown) =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(
          Object.keys(value)
            .sort()
            .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
            .map((k) => [k, (value as Record<string, unknown>)[k]]),
        )
      : value,
  );
}

/**
 * The fields of `patch` whose value differs from `current`, as a record's before/after
 * (absent values as null, so a cleared deadline reads `deadline: null`).
 */
export function changedFields<K extends string>(
  current: Partial<Record<K, unknown>>,
  patch: Partial<Record<K, unknown>>,
  keys: readonly K[],
): { before: Record<string, unknown>; after: Record<string, unknown>; changed: K[] } {
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  const changed: K[] = [];
  for (const k of keys) {
    if (patch[k] === undefined) continue;
    if (sameValue(current[k], patch[k])) continue;
    before[k] = current[k] ?? null;
    after[k] = patch[k] ?? null;
    changed.push(k);
  }
  return { before, after, changed };
}
