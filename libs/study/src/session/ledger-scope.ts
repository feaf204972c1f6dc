import type { TenantScope } from '@app/identity';

/**
 * The scope of the study context's own ledger reads: a trainee's credited seconds and totals, read
 * on the trainee's behalf while they study (the session already proves whose they are).
 */
export const studyLedgerScope = (): TenantScope => ({ kind: 'all' });
