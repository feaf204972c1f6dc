export const LEDGER_SOURCES = ['online', 'offline', 'practical'] as const;
export type LedgerSource = (typeof LEDGER_SOURCES)[number];
export type LedgerEntryKind = 'credit' | 'compensation';

/** Whose hours these are, copied from the trainee at write time so scoped reads are one indexed query. */
export interface LedgerOwner {
  readonly traineeId: string;
  readonly programId: string;
  readonly institutionId: string;
  /** The trainee's enterprise region (6-digit division code): auditors read by it. */
  readonly regionCode: string;
  /** The trainee's login, so a trainee can read their own entries. */
  readonly userId?: string;
}

/** One append-only line of the hour ledger. Never updated or deleted; undone only by a compensation. */
export interface LedgerEntry extends LedgerOwner {
  readonly id: string;
  readonly idempotencyKey: string;
  readonly source: LedgerSource;
  readonly kind: LedgerEntryKind;
  readonly courseId?: string;
  readonly lessonId?: string;
  /** Positive for credit, the negated credit for a compensation. Whole seconds. */
  readonly seconds: number;
  /** Lesson seconds [start, end) an online credit covered, so a session can rebuild what was earned. */
  readonly intervals?: readonly (readonly [number, number])[];
  readonly sessionId?: string;
  /** References to evidence (face captures, refusal records, recordings) kept elsewhere. */
  readonly evidence: readonly string[];
  readonly compensates?: string;
  readonly reason?: string;
  /** Who wrote it (user id or 'system'). */
  readonly by: string;
  /** When the credited study happened (server time). */
  readonly occurredAt: Date;
  readonly createdAt: Date;
}

export interface NewCreditEntry extends LedgerOwner {
  readonly idempotencyKey: string;
  readonly source: LedgerSource;
  readonly courseId?: string;
  readonly lessonId?: string;
  readonly seconds: number;
  readonly intervals?: readonly (readonly [number, number])[];
  readonly sessionId?: string;
  readonly evidence?: readonly string[];
  readonly by: string;
  readonly occurredAt: Date;
}

export interface AppendResult {
  readonly entry: LedgerEntry;
  /** False when the key already existed: the retried write returned the first one. */
  readonly created: boolean;
}

export interface HourTotals {
  readonly seconds: number;
  readonly bySource: Readonly<Record<LedgerSource, number>>;
  readonly byCourse: readonly { readonly courseId: string; readonly source: LedgerSource; readonly seconds: number }[];
}
