// The one way a test gets a database: MONGODB_URI when set (a real replica set), else a fresh
// embedded server in a temp dir. Every DB test goes through here so "which server did this run
// against" is always answered the same way, in the test output.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { start } from '@app/embedded-mongo';
import { addressOf } from '@app/platform';

export interface TestDatabase {
  uri: string;
  mode: 'embedded' | 'external';
  /** Unique per call, so suites sharing an external server never see each other's data. */
  dbName: string;
  stop(): Promise<void>;
}

let announced = false;
function announce(line: string): void {
  if (announced) return;
  announced = true;
  console.log(line);
}

function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 40);
}


export async function testDatabase(name: string): Promise<TestDatabase> {
  const dbName = `t_${safeName(name)}_${randomBytes(4).toString('hex')}`;
  const external = process.env.MONGODB_URI;
  if (external) {
    announce(`database: ${addressOf(external)}`);
    return {
      uri: external,
      mode: 'external',
      dbName,
      async stop() {
        const client = await MongoClient.connect(external);
        try {
          await client.db(dbName).dropDatabase();
        } finally {
          await client.close();
        }
      },
    };
  }
  announce('database: embedded');
  const dbPath = await mkdtemp(join(tmpdir(), `emb-${safeName(name)}-`));
  const server = await start({ dbPath, port: 0, host: '127.0.0.1' });
  return {
    uri: server.uri,
    mode: 'embedded',
    dbName,
    async stop() {
      try {
        await server.close();
      } finally {
        await rm(dbPath, { recursive: true, force: true });
      }
    },
  };
}
