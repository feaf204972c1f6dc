import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { AppConfig, ConfigValidationError, JobRunner, loadConfig } from '@app/platform';
import { createWorker, WORKER_OVERRIDES, workerMisconfiguration } from './worker.module';

/** `npm run worker`: runs background jobs (JOBS_RUN) against the platform's database, with no HTTP. */
async function main(): Promise<void> {
  let config: AppConfig;
  try {
    // The only read of process.env in the worker.
    config = loadConfig({ ...process.env, ...WORKER_OVERRIDES });
  } catch (e) {
    if (e instanceof ConfigValidationError) {
      console.error(`${e.message}\n出错的环境变量 (bad variables): ${e.variables.join(', ')}`);
      process.exit(78); // EX_CONFIG
    }
    throw e;
  }
  const wrong = workerMisconfiguration(config);
  if (wrong) {
    console.error(`配置错误 (invalid configuration): ${wrong}`);
    process.exit(78);
  }
  const app = await createWorker(config);
  const logger = new Logger('Worker');
  logger.log(`后台任务进程已启动 (worker up): ${app.get(JobRunner).runs.join(', ')}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`收到 ${signal}，正在关闭 (shutting down)`);
    setTimeout(() => {
      logger.error('关闭超时，强制退出 (shutdown timed out)');
      process.exit(1);
    }, config.shutdownTimeoutMs).unref();
    await app.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((e) => {
  console.error('启动失败 (start-up failed):', e);
  process.exit(1);
});
