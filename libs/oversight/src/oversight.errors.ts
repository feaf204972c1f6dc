import { ErrorCatalog, errorFactory } from '@app/platform';

/** Stable codes of the oversight context with their zh-CN messages. */
export const OversightErrors = {
  ITEM_NOT_FOUND: { status: 404, message: '抽查事项不存在' },
  ITEM_CLAIMED: { status: 409, message: '该抽查事项已由另一名审核人员认领' },
  ITEM_NOT_CLAIMED: { status: 409, message: '请先认领该抽查事项再作出结论' },
  ITEM_DECIDED: { status: 409, message: '该抽查事项已有结论' },
  REASON_REQUIRED: { status: 400, message: '请填写原因（将记入审计日志并告知学员和培训机构）' },
  VOID_SCOPE_INVALID: { status: 400, message: '作废范围不合法：须为一次学习会话、一天、一个课次或学员在一个培训机构的全部学时' },
  VOID_NOTHING: { status: 409, message: '该范围内没有可作废的学时' },
  VOID_NOT_FOUND: { status: 404, message: '作废记录不存在' },
  VOID_NOT_ACTIVE: { status: 409, message: '该作废已被撤销或已恢复学时' },
  SAME_AUDITOR: { status: 409, message: '须由另一名审核人员处理：作出作废决定的人员不能撤销或复核自己的决定' },
  APPEAL_EXISTS: { status: 409, message: '每项作废只能申诉一次' },
  APPEAL_NOT_FOUND: { status: 404, message: '申诉不存在' },
  APPEAL_DECIDED: { status: 409, message: '该申诉已有结论' },
  STATEMENT_REQUIRED: { status: 400, message: '请填写申诉理由' },
  EVIDENCE_TOO_LARGE: { status: 413, message: '申诉材料过大（单个文件不超过 10 MB，最多 5 个）' },
  WATCH_INVALID: { status: 400, message: '重点关注对象不合法' },
  WATCH_NOT_FOUND: { status: 404, message: '重点关注记录不存在或已解除' },
  WEIGHTS_INVALID: { status: 500, message: 'OVERSIGHT_WEIGHTS 中含未知的信号代码' },
} as const satisfies ErrorCatalog;

export type OversightErrorCode = keyof typeof OversightErrors;
export const oversightError = errorFactory(OversightErrors);
