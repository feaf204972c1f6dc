import type { MyProgressView, StudySessionRecordView, StudySessionSummaryView } from '@app/study-protocol';
import { sendRaw } from './raw';

/*
 * The study record over HTTP. Typed by the shared protocol file (the API's DTOs mirror it), so
 * the console does not wait for the generated OpenAPI types to know these shapes.
 */

async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const response = await sendRaw(new Request(path, { signal, headers: { accept: 'application/json' } }));
  return (await response.json()) as T;
}

export const loadMyProgress = (signal?: AbortSignal) => getJson<MyProgressView>('/api/v1/study/me/progress', signal);

export const loadMySessions = (signal?: AbortSignal, limit = 50) =>
  getJson<{ items: StudySessionSummaryView[] }>(`/api/v1/study/me/sessions?limit=${limit}`, signal);

export const loadSessionRecord = (id: string, signal?: AbortSignal) =>
  getJson<StudySessionRecordView>(`/api/v1/study/sessions/${encodeURIComponent(id)}`, signal);
