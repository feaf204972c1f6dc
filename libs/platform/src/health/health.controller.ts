import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { Public } from '../auth/public.decorator';
import { InjectConnection } from '@nestjs/mongoose';
import { DiskHealthIndicator, HealthCheck, HealthCheckResult, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import type { Connection } from 'mongoose';
import { AppConfig } from '../config/env';
import { AppError } from '../errors/app-error';
import { AppConfigToken } from '../config/config.module';
import { DatabaseRuntime } from '../database/database-runtime';
import { HealthRegistry } from './health-registry';

const PING_TIMEOUT_MS = 3000;

@ApiTags('平台 platform')
@Public()
@SkipThrottle()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    private readonly disk: DiskHealthIndicator,
    private readonly registry: HealthRegistry,
    @InjectConnection() private readonly connection: Connection,
    @Inject(DatabaseRuntime) private readonly runtime: DatabaseRuntime,
    @Inject(AppConfigToken) private readonly config: AppConfig,
  ) {}

  @Get()
  @HealthCheck()
  @ApiOperation({ summary: '健康检查：数据库模式、存储与各组件状态' })
  @ApiOkResponse({ description: '全部正常' })
  @ApiServiceUnavailableResponse({ description: '至少一个组件异常' })
  async check(): Promise<HealthCheckResult> {
    try {
      return await this.health.check([
        () => this.database(),
        () => this.disk.checkStorage('storage', { path: this.config.dataDir, thresholdPercent: 0.98 }),
        ...this.registry.all(),
      ]);
    } catch (e) {
      // Keep terminus's per-component report, in the platform's error shape.
      if (e instanceof ServiceUnavailableException) throw new AppError('HEALTH_DOWN', 503, '部分组件异常', e.getResponse());
      throw e;
    }
  }

  private async database() {
    const session = this.indicator.check('database');
    const info = { mode: this.runtime.mode, address: this.runtime.address };
    try {
      await Promise.race([
        this.connection.db!.admin().ping(),
        new Promise((_, reject) => setTimeout(() => reject(new Error('ping timeout')), PING_TIMEOUT_MS).unref()),
      ]);
      return session.up(info);
    } catch {
      return session.down({ ...info, message: '数据库不可用' });
    }
  }
}
