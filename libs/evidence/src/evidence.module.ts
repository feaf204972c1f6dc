import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AppConfig, AppConfigToken } from '@app/platform';
import { BlobEvidenceStore } from './blob-evidence-store';
import { EvidenceStore } from './evidence-store';
import { EvidenceSettingsToken } from './evidence-settings';
import { EvidenceRecordRepository } from './records/evidence-record.repository';
import { EvidenceRecordDoc, EvidenceRecordSchema } from './records/evidence-record.schema';
import { EvidenceDigests, EvidenceRecords } from './records/evidence-records';

/**
 * EvidenceStore (the abstract class is the DI token) on the global BlobStore of StorageModule, and
 * the evidence records every writer adds in its own commit.
 */
@Module({
  imports: [MongooseModule.forFeature([{ name: EvidenceRecordDoc.name, schema: EvidenceRecordSchema }])],
  providers: [
    { provide: EvidenceStore, useClass: BlobEvidenceStore },
    { provide: EvidenceSettingsToken, inject: [AppConfigToken], useFactory: (c: AppConfig) => c.evidence },
    EvidenceRecordRepository,
    EvidenceRecords,
    EvidenceDigests,
  ],
  exports: [EvidenceStore, EvidenceRecords, EvidenceRecordRepository, EvidenceSettingsToken],
})
export class EvidenceModule {}

