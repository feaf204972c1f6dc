import { DynamicModule, Inject, Injectable, Logger, Module, ModuleMetadata, OnApplicationBootstrap, OnApplicationShutdown, Type } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { EvidenceModule } from '@app/evidence';
import { LedgerModule } from '@app/ledger';
import { AppConfig, AppConfigToken } from '@app/platform';
import { StudyCaptureDoc, StudyCaptureSchema, StudyRefusalDoc, StudyRefusalSchema } from './persistence/study-evidence.schema';
import { StudySessionDoc, StudySessionSchema } from './persistence/study-session.schema';
import { StudySessionRepository } from './persistence/study-session.repository';
import { StudyRecordService } from './record/study-record.service';
import { StudyAccess, StudyAccessToken } from './session/study-access';
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
 * Ends sessions whose client went quiet and finishes ledger writes a crash interrupted: once at
 * start (a restarted process picks up what the dead one left) and then every minute.
 */
@Injectable()
export class StudySweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('StudySweeper');
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly sweep: SweepStudySessions,
    @Inject(StudySettingsToken) private readonly settings: StudySettings,
  ) {}

  onApplicationBootstrap(): void {
    const tick = () => {
      this.running ??= this.sweep
        .execute()
        .then((n) => n > 0 && this.logger.log(`整理学习会话 ${n} 个 (sessions swept)`))
        .catch((e: unknown) => this.logger.warn({ err: e }, '学习会话整理失败 (sweep failed)'))
        .finally(() => (this.running = undefined));
    };
    tick();
    this.timer = setInterval(tick, Math.min(60_000, this.settings.idleTimeoutMs / 2));
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}

export interface StudyModuleOptions {
  /** Modules the access adapter needs. */
  readonly imports?: ModuleMetadata['imports'];
  /** Implements {@link StudyAccess} over catalog and identity. */
  readonly access: Type<StudyAccess>;
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
        StudySweeper,
        { provide: StudyAccessToken, useClass: options.access },
        { provide: StudySettingsToken, inject: [AppConfigToken], useFactory: (c: AppConfig) => studySettingsFrom(c.study) },
      ],
      exports: [OpenStudySession, RecordHeartbeat, SubmitCapture, AnswerPrompt, CloseStudySession, SweepStudySessions, StudySessionStore, StudyRecordService, StudySessionRepository, StudySettingsToken, LedgerModule],
    };
  }
}
