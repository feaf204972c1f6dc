import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { closeOnSignals, JobRunner, loadConfigOrExit } from '@app/platform';
import { createWorker, WORKER_OVERRIDES, workerMisconfiguration } from './worker.module';

/** `npm run worker`: runs background jobs (JOBS_RUN) against the platform's database, with no HTTP. */
async function main(): Promise<void> {
  // The only read of process.env in the worker.
  // The worker's own audit chains unless told otherwise (two processes on one chain would contend for it).
  const config = loadConfigOrExit({ AUDIT_WRITER: 'worker', ...process.env, ...WORKER_OVERRIDES });
  const wrong = workerMisconfiguration(config);
  if (wrong) {
    console.error(`配置错误 (invalid configuration): ${wrong}`);
    process.exit(78); // EX_CONFIG
  }
  const app = await createWorker(config);
  const logger = new Logger('Worker');
  logger.log(`后台任务进程已启动 (worker up): ${app.get(JobRunner).runs.join(', ')}`);
  closeOnSignals(app, config.shutdownTimeoutMs, logger);
}

main().catch((e) => {
  console.error('启动失败 (start-up failed):', e);
  process.exit(1);
});
