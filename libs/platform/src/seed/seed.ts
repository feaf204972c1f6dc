import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { AppConfig } from '../config/env';
import { AppConfigToken } from '../config/config.module';
import { announce } from '../logging/banner';

export interface SeedResult {
  /** What the seeder wrote or confirmed, for the start-up log. */
  summary: string;
  /** Lines for the start-up banner (e.g. demo logins). */
  notices?: string[];
}

/** One context's demo data. Must be idempotent: upsert by natural keys, never insert blindly. */
export interface Seeder {
  readonly name: string;
  /** Lower runs first (organisations before the trainees that reference them). */
  readonly order: number;
  seed(): Promise<SeedResult>;
  /** Lines to show at every start, seeded this time or not (e.g. the demo logins). */
  startupNotices?(): Promise<string[]>;
}

/** Contexts register their seeders in onModuleInit; seeding runs after every module is up. */
@Injectable()
export class SeedRegistry {
  private readonly seeders: Seeder[] = [];

  register(seeder: Seeder): void {
    if (this.seeders.some((s) => s.name === seeder.name)) throw new Error(`seeder "${seeder.name}" registered twice`);
    this.seeders.push(seeder);
  }

  ordered(): Seeder[] {
    return [...this.seeders].sort((a, b) => a.order - b.order || a.name.localeCompare(b.name));
  }
}

const RUNS = 'platform_seed_runs';

@Injectable()
export class SeedService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Seed');

  constructor(
    private readonly registry: SeedRegistry,
    @InjectConnection() private readonly connection: Connection,
    @Inject(AppConfigToken) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const policy = this.config.seedOnStart;
    if (policy === 'never') return;
    if (policy === 'auto' && (await this.connection.collection(RUNS).estimatedDocumentCount()) > 0) {
      this.logger.log('演示数据已存在，跳过 (demo data already seeded)');
    } else {
      await this.runAll();
    }
    const notices: string[] = [];
    for (const seeder of this.registry.ordered()) if (seeder.startupNotices) notices.push(...(await seeder.startupNotices()));
    if (notices.length > 0) announce(this.logger, ['演示数据 (demo data)', ...notices]);
  }

  async runAll(): Promise<SeedResult[]> {
    const results: SeedResult[] = [];
    for (const seeder of this.registry.ordered()) {
      const result = await seeder.seed();
      this.logger.log(`${seeder.name}: ${result.summary}`);
      results.push(result);
    }
    await this.connection
      .collection(RUNS)
      .insertOne({ at: new Date(), seeders: this.registry.ordered().map((s) => s.name) });
    return results;
  }
}
