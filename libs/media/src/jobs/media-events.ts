import { Injectable } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import type { JobFailure, JobPhase, JobStatus } from './media-job';

/** What the console sees of a job, over socket.io and in GET /media/jobs/:id. */
export interface JobUpdate {
  jobId: string;
  lessonId: string;
  status: JobStatus;
  phase: JobPhase;
  progress: number;
  error?: JobFailure;
  durationSeconds?: number;
}

/** In-process fan-out from the job runner to transports (the socket gateway); the database stays the record. */
@Injectable()
export class MediaEvents {
  private readonly emitter = new EventEmitter().setMaxListeners(50);

  emit(update: JobUpdate): void {
    this.emitter.emit('job', update);
  }

  onJob(listener: (u: JobUpdate) => void): () => void {
    this.emitter.on('job', listener);
    return () => this.emitter.off('job', listener);
  }
}
