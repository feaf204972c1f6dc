import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { EvidenceModule } from '@app/evidence';
import { MediaModule } from '@app/media';
import { OfflineModule } from '@app/offline';
import { RecordingRepository } from './persistence/recording.repository';
import { SessionRecordingDoc, SessionRecordingSchema } from './persistence/recording.schema';
import { SessionRecordings } from './uploads/session-recordings';
import { FaceAnalysisJob } from './faces/face-analysis.job';
import { EvidenceSweepJob } from './evidence/evidence-sweep.job';

/** Session recordings: upload, checks against the timetable, acceptance, faces against the roster. */
@Module({
  imports: [MongooseModule.forFeature([{ name: SessionRecordingDoc.name, schema: SessionRecordingSchema }]), EvidenceModule, MediaModule, OfflineModule],
  providers: [RecordingRepository, SessionRecordings, FaceAnalysisJob, EvidenceSweepJob],
  exports: [SessionRecordings, RecordingRepository],
})
export class RecordingsModule {}
