import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { AppConfig } from './config/env';
import { AppConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { AppErrorFilter } from './errors/exception.filters';
import { createValidationPipe } from './errors/validation.pipe';
import { HealthModule } from './health/health.module';
import { RequestContextInterceptor } from './http/request-context';
import { LoggingModule } from './logging/logging.module';
import { SeedRegistry, SeedService } from './seed/seed';
import { ClockToken, systemClock } from './time/clock';

/**
 * Everything every process needs: typed config, logs, database, health, validation, the one
 * error shape and rate limits. Apps import this once and then only their own contexts.
 */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: PlatformModule,
      imports: [
        AppConfigModule.forRoot(config),
        LoggingModule.forRoot(config),
        DatabaseModule.forRoot(),
        HealthModule,
        ThrottlerModule.forRoot({ throttlers: [{ ttl: config.throttle.ttlMs, limit: config.throttle.limit }] }),
      ],
      providers: [
        { provide: APP_FILTER, useClass: AppErrorFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_GUARD, useClass: ThrottlerGuard },
        { provide: APP_INTERCEPTOR, useClass: RequestContextInterceptor },
        SeedRegistry,
        SeedService,
        { provide: ClockToken, useValue: systemClock },
      ],
      exports: [SeedRegistry, SeedService, ClockToken],
    };
  }
}
