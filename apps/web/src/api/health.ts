import { api, ApiError, isApiErrorBody, toApiError } from './client';

export type DatabaseMode = 'embedded' | 'external';

export interface ComponentHealth {
  status: 'up' | 'down';
  [detail: string]: unknown;
}

/** @nestjs/terminus's report; 503 carries the same report as the error's details. */
export interface HealthReport {
  status: 'ok' | 'error' | 'shutting_down';
  details: Record<string, ComponentHealth>;
}

export const DATABASE_MODE_LABELS: Record<DatabaseMode, string> = {
  embedded: '内置',
  external: '外部',
};

/** Names of the components contexts register with /health; unknown ones show by their key. */
export const COMPONENT_LABELS: Record<string, string> = {
  database: '数据库',
  storage: '磁盘空间',
  blobs: '文件存储',
  face: '人脸识别引擎',
  ffmpeg: '视频转码',
  audit: '审计日志',
  evidence: '证据完整性巡检',
};

/** The audit trail's last scheduled verification, as /health reports it beside its status. */
export const AUDIT_CHAIN_LABELS: Record<string, string> = {
  intact: '审计链完整',
  broken: '审计链被篡改',
  unverified: '审计链尚未校验',
};

function isComponent(value: unknown): value is ComponentHealth {
  return !!value && typeof value === 'object' && ((value as ComponentHealth).status === 'up' || (value as ComponentHealth).status === 'down');
}

/** Accepts only a well-formed report: the page must not invent a status it did not receive. */
export function readHealthReport(value: unknown): HealthReport | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as Record<string, unknown>;
  if (v.status !== 'ok' && v.status !== 'error' && v.status !== 'shutting_down') return undefined;
  if (!v.details || typeof v.details !== 'object') return undefined;
  const details = Object.fromEntries(Object.entries(v.details).filter(([, c]) => isComponent(c))) as Record<string, ComponentHealth>;
  return { status: v.status, details };
}

export function databaseMode(report: HealthReport): DatabaseMode | undefined {
  const mode = report.details.database?.mode;
  return mode === 'embedded' || mode === 'external' ? mode : undefined;
}

export interface HealthOutcome {
  report: HealthReport;
  /** Set when the platform answered 503: the report says which components are down. */
  problem?: ApiError;
}

/** GET /health. A 503 is still an answer worth showing, so it resolves with its report. */
export async function fetchHealth(signal?: AbortSignal): Promise<HealthOutcome> {
  let result;
  try {
    result = await api.GET('/health', { signal });
  } catch (e) {
    throw toApiError(e);
  }
  const { data, error, response } = result as { data?: unknown; error?: unknown; response: Response };
  if (response.ok) {
    const report = readHealthReport(data);
    if (report) return { report };
    throw new ApiError('HEALTH_UNREADABLE', '健康检查返回的内容无法识别', response.status);
  }
  const problem = toApiError(error, response);
  const report = isApiErrorBody(error) ? readHealthReport(error.details) : undefined;
  if (report) return { report, problem };
  throw problem;
}
