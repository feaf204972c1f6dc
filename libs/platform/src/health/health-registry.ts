import { Injectable } from '@nestjs/common';
import type { HealthIndicatorResult } from '@nestjs/terminus';

export type HealthCheck = () => Promise<HealthIndicatorResult>;

/**
 * Contexts that own an external dependency (face engine, blob store, …) register a check here
 * in onModuleInit, so /health grows with the platform without the health module knowing them.
 */
@Injectable()
export class HealthRegistry {
  private readonly checks = new Map<string, HealthCheck>();

  register(name: string, check: HealthCheck): void {
    if (this.checks.has(name)) throw new Error(`health check "${name}" registered twice`);
    this.checks.set(name, check);
  }

  all(): HealthCheck[] {
    return [...this.checks.values()];
  }
}
