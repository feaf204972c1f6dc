import { Injectable } from '@nestjs/common';
import type { JobName } from './job-names';
import type { JobHandlerOf } from './job';

export const JOB_HANDLER_METADATA = Symbol('jobHandler');

export interface JobHandlerOptions {
  /** Jobs of this name one process runs at once (default 1: a packaging job already uses every core). */
  readonly concurrency?: number;
}

export interface JobHandlerMetadata extends Required<JobHandlerOptions> {
  readonly name: JobName;
}

/**
 * Registers the class as the handler of job `name` (and makes it injectable). The runner finds it
 * through Nest's DiscoveryService; a name with no handler, or two, stops start-up.
 */
export function JobHandler<N extends JobName>(name: N, options: JobHandlerOptions = {}) {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a constructor of any arity
  return (target: new (...args: any[]) => JobHandlerOf<N>): void => {
    const concurrency = options.concurrency ?? 1;
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`@JobHandler('${name}'): concurrency must be a positive integer`);
    Reflect.defineMetadata(JOB_HANDLER_METADATA, { name, concurrency } satisfies JobHandlerMetadata, target);
    Injectable()(target);
  };
}

export function jobHandlerMetadata(target: unknown): JobHandlerMetadata | undefined {
  if (typeof target !== 'function') return undefined;
  return Reflect.getMetadata(JOB_HANDLER_METADATA, target) as JobHandlerMetadata | undefined;
}
