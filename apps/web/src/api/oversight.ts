import { api, unwrap } from './client';
import { sendRaw } from './raw';
import type { components, operations } from './schema';

type Schemas = components['schemas'];
export type OversightItem = Schemas['ItemDto'];
export type OversightItemDetail = Schemas['ItemDetailDto'];
export type OversightSignal = Schemas['SignalDto'];
export type OversightFact = Schemas['FactRefDto'];
export type VoidRecord = Schemas['VoidRecordDto'];
export type Appeal = Schemas['AppealDto'];
export type VoidScope = Schemas['VoidDto']['scope'];
export type QueueQuery = NonNullable<operations['OversightController_list']['parameters']['query']>;

const path = (id: string) => ({ params: { path: { id } } });

export const fetchQueue = (query: QueueQuery, signal?: AbortSignal) => unwrap(api.GET('/api/v1/oversight/items', { params: { query }, signal }));
export const fetchItem = (id: string, signal?: AbortSignal) => unwrap(api.GET('/api/v1/oversight/items/{id}', { ...path(id), signal }));
export const claimItem = (id: string) => unwrap(api.POST('/api/v1/oversight/items/{id}/claim', path(id)));
export const releaseItem = (id: string) => unwrap(api.POST('/api/v1/oversight/items/{id}/release', path(id)));
export const confirmItem = (id: string, note?: string) => unwrap(api.POST('/api/v1/oversight/items/{id}/confirm', { ...path(id), body: { note } }));
export const voidItem = (id: string, scope: VoidScope, reason: string) => unwrap(api.POST('/api/v1/oversight/items/{id}/void', { ...path(id), body: { scope, reason } }));
export const reverseVoid = (id: string, reason: string) => unwrap(api.POST('/api/v1/oversight/voids/{id}/reverse', { ...path(id), body: { reason } }));
export const fetchVoids = async (signal?: AbortSignal) => (await unwrap(api.GET('/api/v1/oversight/voids', { params: { query: {} }, signal }))).items;
export const fetchPendingAppeals = async (signal?: AbortSignal) => (await unwrap(api.GET('/api/v1/oversight/appeals', { signal }))).items;
export const decideAppeal = (id: string, uphold: boolean, reason: string) => unwrap(api.POST('/api/v1/oversight/appeals/{id}/decide', { ...path(id), body: { uphold, reason } }));
export const requestRefresh = () => unwrap(api.POST('/api/v1/oversight/refresh'));
export const refreshStatus = (jobId: string) => unwrap(api.GET('/api/v1/oversight/refresh/{jobId}', { params: { path: { jobId } } }));
export const appealEvidencePath = (appealId: string, sha256: string) => `/api/v1/oversight/appeals/${encodeURIComponent(appealId)}/evidence/${encodeURIComponent(sha256)}`;

/** Multipart: the statement and up to five files of new evidence. */
export async function fileAppeal(voidId: string, statement: string, files: File[]): Promise<Appeal> {
  const form = new FormData();
  form.append('statement', statement);
  for (const f of files) form.append('files', f, f.name);
  const response = await sendRaw(new Request(`/api/v1/oversight/voids/${encodeURIComponent(voidId)}/appeal`, { method: 'POST', body: form }));
  return (await response.json()) as Appeal;
}

export const ITEM_STATUS_LABELS: Record<string, { text: string; color: string }> = {
  open: { text: '待核查', color: 'processing' },
  confirmed: { text: '无异常', color: 'success' },
  voided: { text: '已作废学时', color: 'error' },
};
export const VOID_STATUS_LABELS: Record<string, { text: string; color: string }> = {
  active: { text: '已作废', color: 'error' },
  reversed: { text: '已撤销作废', color: 'default' },
  restored: { text: '申诉成立，已恢复', color: 'success' },
};
export const APPEAL_STATUS_LABELS: Record<string, { text: string; color: string }> = {
  pending: { text: '申诉待处理', color: 'warning' },
  upheld: { text: '申诉成立', color: 'success' },
  rejected: { text: '申诉驳回', color: 'error' },
};
export const VOID_SCOPE_LABELS: Record<VoidScope, string> = {
  session: '本次在线学习会话',
  day: '当日全部学时',
  'class-session': '本课次线下学时',
  'institution-credit': '该学员在本培训机构的全部学时',
};
