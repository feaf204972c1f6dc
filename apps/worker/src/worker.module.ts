import { DynamicModule, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import { AuditModule } from '@app/audit';
import { CatalogModule } from '@app/catalog';
import { ComplianceModule } from '@app/compliance';
import { IdentityModule } from '@app/identity';
import { FaceModule } from '@app/face';
import { MediaModule } from '@app/media';
import { AppConfig, JobsModule, PlatformModule } from '@app/platform';
import { StorageModule } from '@app/storage';
import { StudyModule } from '@app/study';
import { OversightModule } from '@app/oversight';
import { RecordingsModule } from '@app/recordings';
import { WorkerStudyAccess } from './worker-study-access';

/**
 * The contexts that own jobs, with the same handlers as in the API and no transport: what runs here
 * is decided by JOBS_RUN, exactly as in the API (which then runs JOBS_RUN=none, or the rest).
 */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        PlatformModule.forRoot(config),
        JobsModule,
        AuditModule,
        FaceModule,
        StorageModule,
        CatalogModule,
        IdentityModule,
        ComplianceModule,
        MediaModule,
        StudyModule.register({ access: WorkerStudyAccess }),
        OversightModule,
        RecordingsModule,
      ],
    };
  }
}

/**
 * Settings a worker never differs on: it seeds nothing (the API does) and verifies no face, so the
 * engine's models are never loaded here.
 */
export const WORKER_OVERRIDES = { SEED_ON_START: 'never', FACE_ENGINE_START: 'lazy' } as const;

/** Why a worker cannot start with these settings, or undefined. */
export function workerMisconfiguration(config: AppConfig): string | undefined {
  if (config.jobs.run.length === 0) return 'JOBS_RUN=none：worker 没有可运行的任务 (the worker would run no job)';
  if (config.database.mode === 'embedded') {
    return 'worker 需要 MONGODB_URI：它不能另起一个内置数据库 (the worker needs MONGODB_URI — the API\'s embedded database at EMBEDDED_DB_PORT, or a replica set)';
  }
  return undefined;
}

/** Builds the worker; `init` runs the start-up check (a job with no handler, or two, refuses here) and starts the runner. */
export async function createWorker(config: AppConfig): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  return app;
}
