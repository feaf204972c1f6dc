import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { MongooseModule } from '@nestjs/mongoose';
import { JobDoc, JobSchema } from './job-store';
import { JobQueue } from './job-queue';
import { JobRunner } from './job-runner';
import { JobStore } from './job-store';

/**
 * The one job runner. Imported once by each process that has jobs (the API, apps/worker); the
 * contexts inject {@link JobQueue} and declare `@JobHandler` classes. `JOBS_RUN` decides which
 * jobs this process claims; the handlers are checked whatever it says.
 */
@Global()
@Module({
  imports: [DiscoveryModule, MongooseModule.forFeature([{ name: JobDoc.name, schema: JobSchema }])],
  providers: [JobStore, JobQueue, JobRunner],
  exports: [JobStore, JobQueue, JobRunner],
})
export class JobsModule {}
