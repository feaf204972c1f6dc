import { Logger } from '@nestjs/common';
import { spawnServer } from '@app/embedded-mongo';
import { AppConfig } from '../config/env';
import { announce } from '../logging/banner';
import { addressOf, EMBEDDED_DB_NAME, withDbName } from './uri';

/** Where the data lives: the embedded default (a child process we own) or an external MongoDB. */
export abstract class DatabaseRuntime {
  abstract readonly mode: 'embedded' | 'external';
  abstract readonly uri: string;
  /** host:port without credentials, safe to show in /health and logs. */
  abstract readonly address: string;
  abstract stop(): Promise<void>;
}

const logger = new Logger('Database');

export async function startDatabaseRuntime(config: AppConfig): Promise<DatabaseRuntime> {
  const db = config.database;
  if (db.mode === 'external') {
    logger.log(`使用外部 MongoDB (external): ${addressOf(db.uri)}`);
    return { mode: 'external', uri: db.uri, address: addressOf(db.uri), stop: async () => undefined };
  }
  // A child process, so the database's work never shares the API's event loop.
  const server = await spawnServer({ dbPath: db.dbPath, port: db.port, host: '127.0.0.1' });
  announce(logger, [
    '数据库：内置默认实现 (EMBEDDED default database)',
    `数据目录 data: ${db.dbPath}`,
    `地址 address: ${addressOf(server.uri)} (pid ${server.pid})`,
    '生产环境请设置 MONGODB_URI 指向 MongoDB 副本集 (set MONGODB_URI for production)',
  ]);
  return { mode: 'embedded', uri: withDbName(server.uri, EMBEDDED_DB_NAME), address: addressOf(server.uri), stop: () => server.close() };
}
