import { Global, Inject, Injectable, Logger, Module, OnApplicationBootstrap, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { AppConfig, AppConfigToken, HealthRegistry } from '@app/platform';
import { FaceEngine, FaceEngineOptions } from './engine';

/**
 * The one FaceEngine of a process, for every context that verifies faces (enrolment, study
 * checks). Its worker pool loads the models once; `engine()` waits for that when needed, so a
 * request arriving during start-up is served rather than refused.
 */
@Injectable()
export class FaceEngineProvider implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('FaceEngine');
  private starting?: Promise<FaceEngine>;
  private ready?: FaceEngine;
  private failure?: string;

  constructor(
    @Inject(AppConfigToken) private readonly config: AppConfig,
    private readonly health: HealthRegistry,
  ) {}

  onModuleInit(): void {
    this.health.register('face', async () => this.healthInfo());
  }

  onApplicationBootstrap(): void {
    // In the background: the API answers while the models load.
    if (this.config.face.start === 'eager') void this.engine().catch(() => undefined);
  }

  engine(): Promise<FaceEngine> {
    this.starting ??= FaceEngine.create(this.options()).then(
      (engine) => {
        this.ready = engine;
        this.failure = undefined;
        return engine;
      },
      (e: unknown) => {
        this.failure = e instanceof Error ? e.message : String(e);
        this.logger.error({ err: e }, '人脸引擎启动失败 (face engine failed to start)');
        // The next request tries again.
        this.starting = undefined;
        throw e;
      },
    );
    return this.starting;
  }

  async onApplicationShutdown(): Promise<void> {
    const starting = this.starting;
    this.starting = undefined;
    this.ready = undefined;
    if (starting) await (await starting.catch(() => undefined))?.close();
  }

  private options(): FaceEngineOptions {
    const f = this.config.face;
    return {
      poolSize: f.poolSize || undefined,
      queueLimit: f.queueLimit || undefined,
      threshold: f.threshold,
      backend: f.backend,
      log: (message, meta) => this.logger.log({ ...meta }, message),
    };
  }

  private async healthInfo() {
    if (this.ready) return { face: { status: 'up' as const, state: 'ready', backend: this.ready.backend } };
    if (this.starting) return { face: { status: 'up' as const, state: 'starting' } };
    if (this.failure) return { face: { status: 'down' as const, state: 'failed', message: this.failure } };
    return { face: { status: 'up' as const, state: 'idle', backend: 'not loaded (lazy)' } };
  }
}

@Global()
@Module({ providers: [FaceEngineProvider], exports: [FaceEngineProvider] })
export class FaceModule {}
