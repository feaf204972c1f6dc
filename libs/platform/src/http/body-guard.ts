import { AppError } from '../errors/app-error';

/** Keys that could reach a prototype or a MongoDB operator if a body were ever spread into a query. */
export function findForbiddenKey(value: unknown, path = '', depth = 0): string | undefined {
  if (depth > 32) return path || '(root)';
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = findForbiddenKey(value[i], `${path}[${i}]`, depth + 1);
      if (hit) return hit;
    }
    return undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  for (const key of Object.keys(value)) {
    const here = path ? `${path}.${key}` : key;
    if (key === '__proto__' || key === 'constructor' || key === 'prototype' || key.startsWith('$')) return here;
    const hit = findForbiddenKey((value as Record<string, unknown>)[key], here, depth + 1);
    if (hit) return hit;
  }
  return undefined;
}

export function assertNoForbiddenKeys(value: unknown): void {
  const key = findForbiddenKey(value);
  if (key) throw AppError.of('FORBIDDEN_KEY', { field: key });
}
