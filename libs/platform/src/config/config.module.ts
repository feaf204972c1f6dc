import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { AppConfig } from './env';

/** DI token for the typed configuration (a class token, so no string keys drift). */
export abstract class AppConfigToken {}

/**
 * @nestjs/config holds the already-validated object; process.env is never consulted here
 * (skipProcessEnv) so several apps with different settings can live in one test process.
 */
@Global()
@Module({})
export class AppConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppConfigModule,
      imports: [
        ConfigModule.forRoot({ ignoreEnvFile: true, skipProcessEnv: true, cache: true, load: [() => ({ app: config })] }),
      ],
      providers: [
        { provide: AppConfigToken, inject: [ConfigService], useFactory: (c: ConfigService) => c.getOrThrow<AppConfig>('app') },
      ],
      exports: [AppConfigToken],
    };
  }
}
