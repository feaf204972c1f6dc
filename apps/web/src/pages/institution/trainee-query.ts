import type { TraineeQuery, TraineeStatus } from '../../api/identity';

const STATUSES: readonly TraineeStatus[] = ['active', 'completed', 'withdrawn'];

export const PAGE_SIZES = [20, 50, 100];
export const FILTER_KEYS = ['programId', 'enterpriseId', 'category', 'status', 'name', 'idNumber'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

/** The list's state lives in the address so the back button from a trainee returns to the same page. */
export function queryFrom(params: URLSearchParams): TraineeQuery & { page: number; pageSize: number } {
  const page = Math.max(1, Number(params.get('page')) || 1);
  const size = Number(params.get('pageSize'));
  const pageSize = PAGE_SIZES.includes(size) ? size : PAGE_SIZES[0];
  const query: TraineeQuery = { offset: (page - 1) * pageSize, limit: pageSize };
  for (const key of FILTER_KEYS) {
    const value = params.get(key)?.trim();
    if (value) (query as Record<FilterKey, string>)[key] = value;
  }
  if (query.status && !STATUSES.includes(query.status)) delete query.status;
  return { ...query, page, pageSize };
}
