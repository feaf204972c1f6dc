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

/** 230700 → 2307: a division's code without the zero pairs that stand for "the whole of it". */
function significant(code: string): string {
  let c = code;
  while (c.length > 2 && c.endsWith('00')) c = c.slice(0, -2);
  return c;
}

/**
 * A region by name where the platform knows it (the programs' jurisdictions): "黑龙江省伊春市" for
 * 230700, "黑龙江省伊春市所辖（230702）" for a district in it; the bare code only when nothing covers it.
 */
export function regionLabel(programs: readonly Pick<ProgramSummary, 'jurisdiction'>[], code: string): string {
  let best: { name: string; prefix: string } | undefined;
  for (const { jurisdiction: j } of programs) {
    if (j.regionCode === code) return j.name;
    const prefix = significant(j.regionCode);
    // 100000 (全国) covers everything and says nothing about where.
    if (j.regionCode !== '100000' && code.startsWith(prefix) && (!best || prefix.length > best.prefix.length)) best = { name: j.name, prefix };
  }
  return best ? `${best.name}所辖（${code}）` : `行政区划代码 ${code}`;
}
