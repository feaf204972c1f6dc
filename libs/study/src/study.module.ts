import { DynamicModule, Inject, Logger, Module, ModuleMetadata, Type } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { EvidenceModule } from '@app/evidence';
import { LedgerModule } from '@app/ledger';
import { AppConfig, AppConfigToken, JobHandler, JobHandlerOf, JobOutcome, JobResult } from '@app/platform';
import { StudyCaptureDoc, StudyCaptureSchema, StudyRefusalDoc, StudyRefusalSchema } from './persistence/study-evidence.schema';
import { StudySessionDoc, StudySessionSchema } from './persistence/study-session.schema';
import { StudySessionRepository } from './persistence/study-session.repository';
import { StudyRecordService } from './record/study-record.service';
import { StudyAccess, StudyAccessToken } from './session/study-access';
import { NOBODY_WATCHED, StudyWatch, StudyWatchToken } from './session/study-watch';
import { EngineFaceVerifier, FaceVerifier } from './session/face-verifier';
import { StudySessionStore } from './session/session-store';
import { AnswerPrompt } from './use-cases/answer-prompt';
import { CloseStudySession } from './use-cases/close-study-session';
import { OpenStudySession } from './use-cases/open-study-session';
import { RecordHeartbeat } from './use-cases/record-heartbeat';
import { SubmitCapture } from './use-cases/submit-capture';
import { SweepStudySessions } from './use-cases/sweep-study-sessions';
import { StudySettings, studySettingsFrom, StudySettingsToken } from './session/study-settings';

/**
 * The recurring `study.sweep` job: ends sessions whose client went quiet and finishes ledger writes
 * a crash interrupted — at start (a restarted process picks up what the dead one left) and then
 * every minute (half the idle timeout when that is shorter). One run at a time across every process
 * that has the job switched on (`JOBS_RUN`), on the platform's job runner.
 */
@JobHandler('study.sweep')
export class StudySweepJob implements JobHandlerOf<'study.sweep'> {
  private readonly logger = new Logger('StudySweeper');

  constructor(
    private readonly sweep: SweepStudySessions,
    @Inject(StudySettingsToken) private readonly settings: StudySettings,
  ) {}

  everyMs(): number {
    return Math.min(60_000, this.settings.idleTimeoutMs / 2);
  }

  async run(): Promise<JobOutcome<'study.sweep'>> {
    const touched = await this.sweep.execute();
    if (touched > 0) this.logger.log(`整理学习会话 ${touched} 个 (sessions swept)`);
    return JobResult.success({ touched });
  }
}

export interface StudyModuleOptions {
  /** Modules the access adapter needs. */
  readonly imports?: ModuleMetadata['imports'];
  /** Implements {@link StudyAccess} over catalog and identity. */
  readonly access: Type<StudyAccess>;
  /** Implements {@link StudyWatch} (oversight's watch list); without it nobody is watched. */
  readonly watch?: Type<StudyWatch>;
}

/** The online-study context: sessions, checks, evidence; credit goes to the hour ledger. */
@Module({})
export class StudyModule {
  static register(options: StudyModuleOptions): DynamicModule {
    return {
      module: StudyModule,
      imports: [
        LedgerModule,
        EvidenceModule,
        MongooseModule.forFeature([
          { name: StudySessionDoc.name, schema: StudySessionSchema },
          { name: StudyCaptureDoc.name, schema: StudyCaptureSchema },
          { name: StudyRefusalDoc.name, schema: StudyRefusalSchema },
        ]),
        ...(options.imports ?? []),
      ],
      providers: [
        StudySessionRepository,
        StudySessionStore,
        OpenStudySession,
        RecordHeartbeat,
        SubmitCapture,
        AnswerPrompt,
        CloseStudySession,
        SweepStudySessions,
        { provide: FaceVerifier, useClass: EngineFaceVerifier },
        StudyRecordService,
        StudySweepJob,
        { provide: StudyAccessToken, useClass: options.access },
        options.watch ? { provide: StudyWatchToken, useClass: options.watch } : { provide: StudyWatchToken, useValue: NOBODY_WATCHED },
        { provide: StudySettingsToken, inject: [AppConfigToken], useFactory: (c: AppConfig) => studySettingsFrom(c.study) },
      ],
      exports: [OpenStudySession, RecordHeartbeat, SubmitCapture, AnswerPrompt, CloseStudySession, SweepStudySessions, StudySessionStore, StudyRecordService, StudySessionRepository, StudySettingsToken, LedgerModule],
    };
  }
}
