import { api, unwrap } from './client';
import type { components } from './schema';

type Schemas = components['schemas'];
export type RuleSetVersion = Schemas['RuleSetVersionDto'];
export type RuleSetBody = Schemas['RuleSetBodyDto'];
export type RuleSetPreview = Schemas['RuleSetPreviewDto'];
export type Verdict = Schemas['VerdictDto'];

const program = (programId: string) => ({ params: { path: { programId } } });

export const fetchRuleSets = async (signal?: AbortSignal) => (await unwrap(api.GET('/api/v1/compliance/rule-sets', { signal }))).items;
export const fetchRuleSetVersions = async (programId: string, signal?: AbortSignal) => (await unwrap(api.GET('/api/v1/compliance/rule-sets/{programId}/versions', { ...program(programId), signal }))).items;
export const previewRuleSet = (programId: string, body: RuleSetBody) => unwrap(api.POST('/api/v1/compliance/rule-sets/{programId}/preview', { ...program(programId), body: { body } }));
export const saveRuleSet = (programId: string, baseVersion: number, note: string, body: RuleSetBody) =>
  unwrap(api.POST('/api/v1/compliance/rule-sets/{programId}/versions', { ...program(programId), body: { baseVersion, note, body } }));
export const fetchMyVerdicts = async (signal?: AbortSignal) => (await unwrap(api.GET('/api/v1/compliance/me/verdicts', { signal }))).items;
export const fetchVerdicts = (q: { programId?: string; status?: Verdict['status']; limit?: number; offset?: number }, signal?: AbortSignal) =>
  unwrap(api.GET('/api/v1/compliance/verdicts', { params: { query: q }, signal }));

export const VERDICT_COLORS: Record<Verdict['status'], string> = { complete: 'green', in_progress: 'blue', non_compliant: 'red' };
export const SEVERITY_LABELS: Record<Verdict['reasons'][number]['severity'], { label: string; color: string }> = {
  unmet: { label: '待完成', color: 'blue' },
  violation: { label: '不合规', color: 'red' },
  warning: { label: '提示', color: 'orange' },
};
export const ORGANISER_LABELS: Record<RuleSetBody['exam']['organiser'], string> = { separate: '培考分离（考试主管部门组织）', institution: '施教机构组织', joint: '联合组织' };

export type ExamClass = Schemas['ExamClassDto'];
export type Sitting = Schemas['SittingDto'];
export type Scheduled = Schemas['ScheduledDto'];
export type CreateSitting = Schemas['CreateSittingDto'];
export type RecordResults = Schemas['RecordResultsDto'];

export const fetchExamClasses = async (signal?: AbortSignal) => (await unwrap(api.GET('/api/v1/exams/classes', { signal }))).items;
export const fetchSittings = async (classId: string, signal?: AbortSignal) => (await unwrap(api.GET('/api/v1/exams/classes/{classId}/sittings', { params: { path: { classId } }, signal }))).items;
export const scheduleSitting = (classId: string, body: CreateSitting) => unwrap(api.POST('/api/v1/exams/classes/{classId}/sittings', { params: { path: { classId } }, body }));
export const recordResults = (id: string, body: RecordResults) => unwrap(api.POST('/api/v1/exams/sittings/{id}/results', { params: { path: { id } }, body }));
