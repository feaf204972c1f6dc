import { ErrorCatalog, errorFactory } from '@app/platform';

/** Stable codes of the audit context with their zh-CN messages. */
export const AuditErrors = {
  AUDIT_COMMIT_CONFLICT: { status: 503, message: '审计日志写入繁忙，变更未提交，请稍后重试' },
  AUDIT_CHECKPOINT_INVALID: { status: 400, message: '检查点文件无效：应为平台导出的 JSON 检查点' },
  AUDIT_NO_CHECKPOINT: { status: 404, message: '尚未生成审计检查点' },
} as const satisfies ErrorCatalog;

export type AuditErrorCode = keyof typeof AuditErrors;
export const auditError = errorFactory(AuditErrors);
