import type { MyProgressView, ProgramProgressView, StudySessionRecordView, StudySessionSummaryView } from '@app/study-protocol';
import { api, unwrap } from './client';

/*
 * The study record over HTTP, through the generated client; the pages speak the protocol file's
 * view types, which the API's DTOs mirror (a drift between them breaks the build here).
 */

export const loadMyProgress = (signal?: AbortSignal): Promise<MyProgressView> => unwrap(api.GET('/api/v1/study/me/progress', { signal }));

export const loadMySessions = (signal?: AbortSignal, limit = 50): Promise<{ items: StudySessionSummaryView[] }> =>
  unwrap(api.GET('/api/v1/study/me/sessions', { params: { query: { limit } }, signal }));

export const loadSessionRecord = (id: string, signal?: AbortSignal): Promise<StudySessionRecordView> =>
  unwrap(api.GET('/api/v1/study/sessions/{id}', { params: { path: { id } }, signal }));

export const loadTraineeSessions = (traineeId: string, signal?: AbortSignal, limit = 50): Promise<{ items: StudySessionSummaryView[] }> =>
  unwrap(api.GET('/api/v1/trainees/{id}/study-sessions', { params: { path: { id: traineeId }, query: { limit } }, signal }));

export const loadTraineeHours = (traineeId: string, signal?: AbortSignal): Promise<ProgramProgressView> =>
  unwrap(api.GET('/api/v1/trainees/{id}/hours', { params: { path: { id: traineeId } }, signal }));

