export { EvidenceStore, sha256Hex } from './evidence-store';
export type { EvidenceInfo, EvidenceMeta, EvidenceRef } from './evidence-store';
export { BlobEvidenceStore } from './blob-evidence-store';
export { EvidenceModule } from './evidence.module';
export { EvidenceErrors, evidenceError } from './evidence.errors';
export type { EvidenceErrorCode } from './evidence.errors';
