import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';

/** What a record keeps to find a piece of evidence again and to prove it is the one stored. */
export interface EvidenceRef {
  readonly key: string;
  /** Hex SHA-256 of the bytes, computed while they were stored. */
  readonly sha256: string;
  readonly size: number;
}

export interface EvidenceMeta {
  /** Where it is kept: slash-separated safe segments (see @app/storage assertValidKey). */
  readonly key: string;
  readonly contentType: string;
  /**
   * The SHA-256 the caller already knows (it hashed the bytes to name or fingerprint them). Bytes
   * that do not match are refused before anything is kept: EVIDENCE_HASH_MISMATCH.
   */
  readonly sha256?: string;
  /** Locked until then in the store itself (read-only file / S3 Object Lock): see EvidenceRecords.retainUntil. */
  readonly retainUntil?: Date;
}

export interface EvidenceInfo extends EvidenceRef {
  readonly contentType: string;
}

/**
 * Where evidence (face references, study captures, later recordings) is kept. Write-once: a key
 * holds one content for ever — putting the same bytes again is a no-op that returns the same ref,
 * other bytes are refused (EVIDENCE_CONFLICT). There is no delete on purpose: retention and its
 * sweeps are decided in one place, later, not by whichever caller happens to hold the store.
 */
export abstract class EvidenceStore {
  abstract put(input: Buffer | Readable, meta: EvidenceMeta): Promise<EvidenceRef>;
  /** Undefined when nothing is kept under the key. */
  abstract stat(key: string): Promise<EvidenceInfo | undefined>;
  /**
   * The bytes of a ref, checked against it: EVIDENCE_NOT_FOUND when absent, EVIDENCE_TAMPERED up
   * front when the store's record differs from the ref, and as the stream's error at its end when
   * the bytes read back do not hash to the ref's SHA-256.
   */
  abstract open(ref: EvidenceRef): Promise<Readable>;
  /** Reads the whole object: resolves when its bytes are the ref's, else EVIDENCE_TAMPERED / EVIDENCE_NOT_FOUND. */
  abstract verify(ref: EvidenceRef): Promise<void>;
}

/** Hex SHA-256 of bytes in memory, as evidence refs carry it. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
