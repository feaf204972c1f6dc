export { LedgerModule } from './ledger.module';
export { LedgerErrors, ledgerError } from './ledger.errors';
export type { LedgerErrorCode } from './ledger.errors';
export { LedgerRepository, LEDGER_TARGET, ledgerEntryDigest } from './ledger.repository';
export { LedgerBook } from './ledger-book';
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
