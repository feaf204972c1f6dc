import { Logger } from '@nestjs/common';
import { AppConfig, ConfigValidationError, loadConfig } from '../config/env';

/** A process's settings, or exit 78 (EX_CONFIG) with the bad variables named: the one read of the environment of an app. */
export function loadConfigOrExit(env: Record<string, string | undefined>): AppConfig {
  try {
    return loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigValidationError) {
      console.error(`${e.message}\n出错的环境变量 (bad variables): ${e.variables.join(', ')}`);
      process.exit(78);
    }
    throw e;
  }
}

/**
 * SIGTERM / SIGINT close the app gracefully (hooks run: jobs are interrupted and settled, the
 * database is closed); a hung close must not keep the process (and the data directory lock) forever.
 */
export function closeOnSignals(app: { close(): Promise<void> }, timeoutMs: number, logger: Logger): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`收到 ${signal}，正在关闭 (shutting down)`);
    setTimeout(() => {
      logger.error('关闭超时，强制退出 (shutdown timed out)');
      process.exit(1);
    }, timeoutMs).unref();
    await app.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}
