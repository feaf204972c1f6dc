import { api, unwrap } from './client';
import { downloadFrom } from './download';
import type { components, operations } from './schema';

type Schemas = components['schemas'];
export type AuditRecord = Schemas['AuditRecordDto'];
export type AuditRecordPage = Schemas['AuditRecordPageDto'];
export type AuditStatus = Schemas['AuditStatusDto'];
export type AuditVerifyReport = Schemas['AuditVerifyReportDto'];
export type AuditQuery = NonNullable<operations['AuditController_records']['parameters']['query']>;
export type AuditSearch = Omit<AuditQuery, 'offset' | 'limit'>;

export function fetchAuditRecords(query: AuditQuery, signal?: AbortSignal): Promise<AuditRecordPage> {
  return unwrap(api.GET('/api/v1/audit/records', { params: { query }, signal }));
}

export function fetchAuditStatus(signal?: AbortSignal): Promise<AuditStatus> {
  return unwrap(api.GET('/api/v1/audit/status', { signal }));
}

/** Verifies the whole chain now (and the status page keeps the result). */
export function verifyAuditLog(): Promise<AuditVerifyReport> {
  return unwrap(api.GET('/api/v1/audit/verify', {}));
}

const queryString = (q: AuditSearch) =>
  new URLSearchParams(Object.entries(q).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== '')).toString();

export function downloadAuditExport(search: AuditSearch): Promise<void> {
  return downloadFrom(`/api/v1/audit/records/export?${queryString(search)}`, '审计日志.xlsx');
}

/** The signed checkpoint as JSON, for the auditor to keep outside the platform. */
export function downloadLatestCheckpoint(): Promise<void> {
  return downloadFrom('/api/v1/audit/checkpoints/latest', 'audit-checkpoint.json');
}
