import { Global, Injectable, Logger, Module, OnModuleInit } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { AppConfig, AppConfigToken, Clock, ClockToken, HealthRegistry, JobHandler, JobHandlerOf, JobOutcome, JobResult } from '@app/platform';
import { AuditChainStore } from './audit-chain-store';
import { AuditTrail } from './audit-trail';
import { AuditQuery } from './audit-query';
import { AuditStatus } from './audit-status';
import { auditSigningKey } from './signing-key';

const CHECKPOINT_EVERY_MS = 5 * 60_000;
const VERIFY_EVERY_MS = 60 * 60_000;

/** Every five minutes: what an auditor exports is at most that far behind, and a rewrite inside the window is bracketed by two. */
@JobHandler('audit.checkpoint')
export class AuditCheckpointJob implements JobHandlerOf<'audit.checkpoint'> {
  constructor(private readonly store: AuditChainStore) {}

  everyMs(): number {
    return CHECKPOINT_EVERY_MS;
  }

  async run(): Promise<JobOutcome<'audit.checkpoint'>> {
    return JobResult.success({ number: (await this.store.checkpoint()).number });
  }
}

/** Hourly, and at start: the result is what /health and the console page show. */
@JobHandler('audit.verify')
export class AuditVerifyJob implements JobHandlerOf<'audit.verify'> {
  private readonly logger = new Logger('AuditVerify');

  constructor(
    private readonly store: AuditChainStore,
    private readonly status: AuditStatus,
  ) {}

  everyMs(): number {
    return VERIFY_EVERY_MS;
  }

  async run(): Promise<JobOutcome<'audit.verify'>> {
    const report = await this.store.verify();
    await this.status.save(report);
    if (!report.intact) this.logger.error(`审计日志校验失败 (audit chain broken): ${report.problems.map((p) => p.message).join('；')}`);
    return JobResult.success({ intact: report.intact, records: report.records, problems: report.problems.length });
  }
}

@Injectable()
class AuditStartup implements OnModuleInit {
  constructor(
    private readonly trail: AuditTrail,
    private readonly status: AuditStatus,
    private readonly health: HealthRegistry,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.trail.init();
    // "up" means the trail takes writes; the chain's state is reported beside it rather than
    // failing the probe, so a tampered log does not also take the platform off the network.
    this.health.register('audit', async () => ({ audit: { status: 'up', ...(await this.status.summary()) } }));
  }
}

/** The audit trail: one global AuditTrail every use case commits through, checkpoints and verification. */
@Global()
@Module({
  providers: [
    {
      provide: AuditTrail,
      inject: [getConnectionToken(), AppConfigToken, ClockToken],
      useFactory: (connection: Connection, config: AppConfig, clock: Clock) => new AuditTrail(connection, { writer: config.audit.writer, partitions: config.audit.partitions, clock }),
    },
    {
      provide: AuditChainStore,
      inject: [getConnectionToken(), AppConfigToken, ClockToken],
      useFactory: (connection: Connection, config: AppConfig, clock: Clock) => new AuditChainStore(connection, auditSigningKey(config), clock),
    },
    {
      provide: AuditStatus,
      inject: [getConnectionToken(), ClockToken],
      useFactory: (connection: Connection, clock: Clock) => new AuditStatus(connection, clock),
    },
    { provide: AuditQuery, inject: [getConnectionToken()], useFactory: (connection: Connection) => new AuditQuery(connection) },
    AuditStartup,
    AuditCheckpointJob,
    AuditVerifyJob,
  ],
  exports: [AuditTrail, AuditChainStore, AuditStatus, AuditQuery],
})
export class AuditModule {}

