import { ErrorCatalog, errorFactory } from '@app/platform';

/** Stable codes of the ledger context with their zh-CN messages. */
export const LedgerErrors = {
  LEDGER_ENTRY_INVALID: { status: 400, message: '学时记录不合法' },
  LEDGER_ENTRY_NOT_FOUND: { status: 404, message: '学时记录不存在' },
  IDEMPOTENCY_KEY_REUSED: { status: 409, message: '幂等键已被另一条不同的学时记录使用' },
  CANNOT_COMPENSATE_COMPENSATION: { status: 409, message: '冲正记录不能再被冲正' },
  NOT_A_COMPENSATION: { status: 409, message: '只能恢复冲正记录' },
  COMPENSATION_REASON_REQUIRED: { status: 400, message: '冲正必须填写原因' },
  MINUTES_PER_HOUR_INVALID: { status: 400, message: '每学时分钟数不合法' },
} as const satisfies ErrorCatalog;

export type LedgerErrorCode = keyof typeof LedgerErrors;

export const ledgerError = errorFactory(LedgerErrors);
