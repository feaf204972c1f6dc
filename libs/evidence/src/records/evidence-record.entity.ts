import type { EvidenceKind, Hold } from './retention';

export type Integrity = 'ok' | 'mismatch' | 'missing';

/** One kept evidence object: what it is, whose it is, what it proves, how long it stays. */
export interface EvidenceRecord {
  id: string;
  key: string;
  sha256: string;
  size: number;
  contentType: string;
  kind: EvidenceKind;
  /** The trainee it shows or belongs to, when one. */
  ownerId?: string;
  institutionId?: string;
  regionCode?: string;
  /** The (offline or study) session it proves. */
  sessionId?: string;
  /** When what it proves happened (the session's start, the capture's time): retention counts from here. */
  occurredAt: Date;
  retainUntil: Date;
  hold?: Hold;
  /** kept, or disposed after its retention (the bytes gone; the record and its chain entry stay as the tombstone). */
  status: 'kept' | 'disposed';
  disposedAt?: Date;
  createdAt: Date;
  /** Maintained by the integrity sweep, outside the digest (it is not a change to the evidence). */
  lastVerifiedAt?: Date;
  integrity?: Integrity;
}

/** What a writer says about a new object it just stored. */
export interface NewEvidence {
  kind: EvidenceKind;
  ref: { key: string; sha256: string; size: number };
  contentType: string;
  ownerId?: string;
  institutionId?: string;
  regionCode?: string;
  sessionId?: string;
  occurredAt: Date;
  /** The program's own retention in years, when it has one longer than five. */
  programYears?: number;
}
