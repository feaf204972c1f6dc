import { ErrorCatalog, errorFactory } from '@app/platform';

/** Stable codes of the evidence store with their zh-CN messages (same shape as PlatformErrors). */
export const EvidenceErrors = {
  EVIDENCE_CONFLICT: { status: 409, message: '该证据已存档且内容不同，已存档的证据不能被替换' },
  EVIDENCE_HASH_MISMATCH: { status: 422, message: '文件内容与声明的校验值不一致，未予存档，请重新提交' },
  EVIDENCE_NOT_FOUND: { status: 404, message: '证据文件不存在' },
  EVIDENCE_RETAINED: { status: 409, message: '证据尚在保存期限内（培训结束后至少保存5年），不能删除' },
  EVIDENCE_HELD: { status: 409, message: '证据已被依法保全（冻结），解除保全前不能删除' },
  EVIDENCE_KEPT_KIND: { status: 409, message: '此类证据（同意书等）须长期保存，不能删除' },
  EVIDENCE_RECORD_NOT_FOUND: { status: 404, message: '证据记录不存在' },
  EVIDENCE_HOLD_REASON_REQUIRED: { status: 400, message: '保全或解除保全须填写原因' },
  EVIDENCE_NOT_HELD: { status: 409, message: '该证据未被保全' },
  EVIDENCE_TAMPERED: { status: 409, message: '证据文件与存档时登记的校验值不一致，可能已被篡改，请联系平台管理员核查' },
} as const satisfies ErrorCatalog;

export type EvidenceErrorCode = keyof typeof EvidenceErrors;

export const evidenceError = errorFactory(EvidenceErrors);
