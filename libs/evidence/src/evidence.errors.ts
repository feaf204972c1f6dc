import { ErrorCatalog, errorFactory } from '@app/platform';

/** Stable codes of the evidence store with their zh-CN messages (same shape as PlatformErrors). */
export const EvidenceErrors = {
  EVIDENCE_CONFLICT: { status: 409, message: '该证据已存档且内容不同，已存档的证据不能被替换' },
  EVIDENCE_HASH_MISMATCH: { status: 422, message: '文件内容与声明的校验值不一致，未予存档，请重新提交' },
  EVIDENCE_NOT_FOUND: { status: 404, message: '证据文件不存在' },
  EVIDENCE_TAMPERED: { status: 409, message: '证据文件与存档时登记的校验值不一致，可能已被篡改，请联系平台管理员核查' },
} as const satisfies ErrorCatalog;

export type EvidenceErrorCode = keyof typeof EvidenceErrors;

export const evidenceError = errorFactory(EvidenceErrors);
