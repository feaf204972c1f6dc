import { api, unwrap } from './client';
import { sendRaw } from './raw';
import type { components } from './schema';

type Schemas = components['schemas'];
export type OfflineClass = Schemas['ClassDto'];
export type ClassDetail = Schemas['ClassDetailDto'];
export type CreateClass = Schemas['CreateClassDto'];
export type ClassSession = Schemas['SessionDto'];
export type CreateSession = Schemas['CreateSessionDto'];
export type Instructor = Schemas['InstructorDto'];
export type CreateInstructor = Schemas['CreateInstructorDto'];
export type Checklist = Schemas['ChecklistDto'];
export type AttendanceSheet = Schemas['AttendanceSheetDto'];
export type AttendanceRow = Schemas['AttendanceRowDto'];
export type ManualAttendance = Schemas['ManualAttendanceDto'];
export type RosterImportReport = Schemas['ClassRosterImportReportDto'];
export type KioskView = Schemas['KioskViewDto'];
export type KioskResult = Schemas['KioskResultDto'];
export type MyOffline = Schemas['MyOfflineDto'];

const path = (id: string) => ({ params: { path: { id } } });

export const fetchClasses = async (signal?: AbortSignal) => (await unwrap(api.GET('/api/v1/offline/classes', { signal }))).items;
export const fetchClass = (id: string, signal?: AbortSignal) => unwrap(api.GET('/api/v1/offline/classes/{id}', { ...path(id), signal }));
export const createClass = (body: CreateClass) => unwrap(api.POST('/api/v1/offline/classes', { body }));
export const updateClass = (id: string, body: Schemas['UpdateClassDto']) => unwrap(api.PATCH('/api/v1/offline/classes/{id}', { ...path(id), body }));
export const addToRoster = (id: string, traineeId: string, justification?: string) => unwrap(api.POST('/api/v1/offline/classes/{id}/roster', { ...path(id), body: { traineeId, justification } }));
export const removeFromRoster = (id: string, traineeId: string, reason: string) =>
  unwrap(api.POST('/api/v1/offline/classes/{id}/roster/{traineeId}/remove', { params: { path: { id, traineeId } }, body: { reason } }));
export const closeKiosk = (id: string) => unwrap(api.POST('/api/v1/offline/sessions/{id}/kiosk/close', path(id)));
export const fetchSessions = async (id: string, signal?: AbortSignal) => (await unwrap(api.GET('/api/v1/offline/classes/{id}/sessions', { ...path(id), signal }))).items;
export const addSession = (id: string, body: CreateSession) => unwrap(api.POST('/api/v1/offline/classes/{id}/sessions', { ...path(id), body }));
export const fetchInstructors = async (signal?: AbortSignal) => (await unwrap(api.GET('/api/v1/offline/instructors', { signal }))).items;
export const createInstructor = (body: CreateInstructor) => unwrap(api.POST('/api/v1/offline/instructors', { body }));
export const fetchChecklist = (signal?: AbortSignal) => unwrap(api.GET('/api/v1/offline/instructors/checklist', { signal }));
export const fetchAttendance = (id: string, signal?: AbortSignal) => unwrap(api.GET('/api/v1/offline/sessions/{id}/attendance', { ...path(id), signal }));
export const recordManual = (id: string, body: ManualAttendance) => unwrap(api.POST('/api/v1/offline/sessions/{id}/attendance', { ...path(id), body }));
export const openKiosk = (id: string) => unwrap(api.POST('/api/v1/offline/sessions/{id}/kiosk', path(id)));
export const fetchMyOffline = (signal?: AbortSignal) => unwrap(api.GET('/api/v1/offline/me', { signal }));
export const capturePath = (sessionId: string, sha256: string) => `/api/v1/offline/sessions/${encodeURIComponent(sessionId)}/captures/${encodeURIComponent(sha256)}`;
export const signInSheetPath = (sessionId: string) => `/api/v1/offline/sessions/${encodeURIComponent(sessionId)}/sign-in-sheet`;

export async function importRoster(id: string, file: File, justification?: string): Promise<RosterImportReport> {
  const form = new FormData();
  form.append('file', file, file.name);
  if (justification) form.append('justification', justification);
  const response = await sendRaw(new Request(`/api/v1/offline/classes/${encodeURIComponent(id)}/roster/import`, { method: 'POST', body: form }));
  return (await response.json()) as RosterImportReport;
}

export const SESSION_KIND_LABELS: Record<ClassSession['kind'], string> = { theory: '理论授课', practical: '实训', discussion: '互动研讨' };
export const CLASS_STATUS_LABELS: Record<OfflineClass['status'], string> = { draft: '草稿', published: '已发布', in_progress: '进行中', finished: '已结束' };
export const HOURS_LABELS: Record<AttendanceRow['hours'], string> = { pending: '待验收', credited: '已入账', none: '—' };
