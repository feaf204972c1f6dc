import { useMemo } from 'react';
import { fetchOrganisations, type Organisation } from '../../api/identity';
import { fetchPrograms, type ProgramSummary } from '../../api/programs';
import { useRequest } from '../../api/use-request';

const loadEnterprises = (signal: AbortSignal) => fetchOrganisations(signal, 'enterprise');
const loadOrganisations = (signal: AbortSignal) => fetchOrganisations(signal);

export interface NameLookup<T> {
  list: T[];
  byId: Map<string, T>;
  error?: string;
}

function lookup<T extends { id: string }>(data: T[] | undefined, error?: { message: string }): NameLookup<T> {
  const list = data ?? [];
  return { list, byId: new Map(list.map((item) => [item.id, item])), error: error?.message };
}

export function usePrograms(): NameLookup<ProgramSummary> {
  const { data, error } = useRequest(fetchPrograms);
  return useMemo(() => lookup(data, error), [data, error]);
}

/** Enterprises the caller may see (the API scopes the list by role). */
export function useEnterprises(): NameLookup<Organisation> {
  const { data, error } = useRequest(loadEnterprises);
  return useMemo(() => lookup(data, error), [data, error]);
}

export function useOrganisations(): NameLookup<Organisation> & { reload: () => void; loading: boolean } {
  const { data, error, reload, loading } = useRequest(loadOrganisations);
  return useMemo(() => ({ ...lookup(data, error), reload, loading }), [data, error, reload, loading]);
}

/** "一线班组长（含车间主任、车队长）" for a program's category code; the code when unknown. */
export function categoryName(programs: NameLookup<ProgramSummary>, programId: string, code: string): string {
  return programs.byId.get(programId)?.categories.find((c) => c.code === code)?.name ?? code;
}
