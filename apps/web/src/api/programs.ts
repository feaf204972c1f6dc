import { api, unwrap } from './client';
import type { components } from './schema';

export type ProgramSummary = components['schemas']['ProgramSummaryDto'];
export type Deadline = components['schemas']['DeadlineDto'];

export async function fetchPrograms(signal?: AbortSignal): Promise<ProgramSummary[]> {
  const body = await unwrap(api.GET('/api/v1/programs', { signal }));
  return body.items;
}
