import { Injectable } from '@nestjs/common';
import type { JobName, JobPayloads } from './job-names';
import type { JobRecord } from './job';
import { JobStore } from './job-store';

/**
 * What the contexts use: put a job on the queue, read one back. Enqueueing wakes this process's
 * runner at once (when it runs that job); other processes find it at their next poll.
 */
@Injectable()
export class JobQueue {
  private readonly listeners = new Set<(name: JobName) => void>();

  constructor(private readonly store: JobStore) {}

  /** An id for a job about to be queued, so a record can name its job before any runner sees it. */
  newId(): string {
    return this.store.newId();
  }

  async enqueue<N extends JobName>(name: N, payload: JobPayloads[N], options: { id?: string; maxAttempts?: number; runAt?: Date } = {}): Promise<JobRecord<N>> {
    const job = await this.store.enqueue(name, payload, options);
    for (const l of this.listeners) l(name);
    return job;
  }

  findById<N extends JobName>(name: N, id: string): Promise<JobRecord<N> | undefined> {
    return this.store.findById(name, id);
  }

  list<N extends JobName>(name: N, filter: Record<string, unknown>, limit = 20): Promise<JobRecord<N>[]> {
    return this.store.list(name, filter, limit);
  }

  /** The runner listens here. */
  onEnqueued(listener: (name: JobName) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
