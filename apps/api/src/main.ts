import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { closeOnSignals, loadConfigOrExit } from '@app/platform';
import { createApp } from './bootstrap';

async function main(): Promise<void> {
  // The only read of process.env in the platform.
  const config = loadConfigOrExit(process.env);
  const app = await createApp(config);
  await app.listen(config.port, config.host);
  const logger = new Logger('Main');
  logger.log(`平台已启动 (platform up): http://localhost:${config.port}  API 文档: http://localhost:${config.port}/api/docs`);
  closeOnSignals(app, config.shutdownTimeoutMs, logger);
}

main().catch((e) => {
  console.error('启动失败 (start-up failed):', e);
  process.exit(1);
});
