import { systemScope } from '@app/identity';

/**
 * The study context's own unrestricted reads, each with the reason the audit trail records:
 * a trainee's ledger read on their behalf while they study (the session proves whose it is), and
 * housekeeping that has to see every tenant's sessions.
 */
export const STUDY_LEDGER_SCOPE = systemScope('在线学习：学习会话读取本人已计学时 (a study session reads its trainee’s credited seconds)');
export const STUDY_HOUSEKEEPING_SCOPE = systemScope('在线学习：整理空闲与未完成计入的会话 (study housekeeping: idle sessions and pending ledger writes)');
