import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigValidationError, loadConfig } from '@app/platform';
import { createApp } from './bootstrap';

async function main(): Promise<void> {
  let config;
  try {
    // The only read of process.env in the platform.
    config = loadConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigValidationError) {
      console.error(`${e.message}\n出错的环境变量 (bad variables): ${e.variables.join(', ')}`);
      process.exit(78); // EX_CONFIG
    }
    throw e;
  }
  const app = await createApp(config);
  await app.listen(config.port, config.host);
  const logger = new Logger('Main');
  logger.log(`平台已启动 (platform up): http://localhost:${config.port}  API 文档: http://localhost:${config.port}/api/docs`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`收到 ${signal}，正在关闭 (shutting down)`);
    // A hung close must not keep the process (and the data directory lock) forever.
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
