import { Module } from '@nestjs/common';
import { BlobEvidenceStore } from './blob-evidence-store';
import { EvidenceStore } from './evidence-store';

/** EvidenceStore (the abstract class is the DI token) on the global BlobStore of StorageModule. */
@Module({
  providers: [{ provide: EvidenceStore, useClass: BlobEvidenceStore }],
  exports: [EvidenceStore],
})
export class EvidenceModule {}
