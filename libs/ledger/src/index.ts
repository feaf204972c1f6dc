export { LedgerModule } from './ledger.module';
export { LedgerErrors, ledgerError } from './ledger.errors';
export type { LedgerErrorCode } from './ledger.errors';
export { LedgerRepository } from './ledger.repository';
export { LedgerEntryDoc, LedgerEntrySchema } from './ledger-entry.schema';
export { LEDGER_SOURCES } from './ledger-entry.entity';
export type {
  AppendResult,
  HourTotals,
  LedgerEntry,
  LedgerEntryKind,
  LedgerOwner,
  LedgerSource,
  NewCreditEntry,
} from './ledger-entry.entity';
export { secondsToStudyHours } from './study-hours';
