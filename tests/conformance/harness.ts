// Shared setup for the conformance specs: one database per spec file, reached both through the
// plain driver and through mongoose, so every behaviour is checked at the level the platform uses.
import mongoose, { Connection } from 'mongoose';
import { Db, MongoClient, MongoServerError } from 'mongodb';
import { testDatabase, TestDatabase } from '../support/db';

export interface Suite {
  database: TestDatabase;
  client: MongoClient;
  db: Db;
  conn: Connection;
  /** Names of every command either client sent, in order (driver command monitoring). */
  commands: string[];
  close(): Promise<void>;
}

export async function openSuite(name: string): Promise<Suite> {
  const database = await testDatabase(name);
  const commands: string[] = [];
  const client = new MongoClient(database.uri, { monitorCommands: true });
  client.on('commandStarted', (e) => commands.push(e.commandName));
  await client.connect();
  const conn = await mongoose.createConnection(database.uri, { dbName: database.dbName, monitorCommands: true }).asPromise();
  conn.getClient().on('commandStarted', (e) => commands.push(e.commandName));
  return {
    database,
    client,
    db: client.db(database.dbName),
    conn,
    commands,
    async close() {
      await conn.close();
      await client.close();
      await database.stop();
    },
  };
}

// Server errors carry open-ended fields (keyValue, writeErrors, insertedDocs…) that the specs inspect.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ErrorFields = Record<string, any>;

/** Runs `fn` and returns the error it must throw; fails the test if it resolves. */
export async function rejection(fn: () => Promise<unknown>): Promise<ErrorFields> {
  try {
    await fn();
  } catch (err) {
    return err as ErrorFields;
  }
  throw new Error('expected the operation to fail, but it succeeded');
}

/** mongoose carries its own copy of the driver, so check by name as well as by class. */
export function isServerError(err: unknown): boolean {
  return (
    err instanceof MongoServerError ||
    err instanceof mongoose.mongo.MongoServerError ||
    (err as Error | undefined)?.name === 'MongoServerError'
  );
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function waitFor(what: string, timeoutMs: number, check: () => Promise<boolean>, everyMs = 200): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check()) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** Counts the commands named `name` sent while `fn` runs. */
export async function countCommands<T>(suite: Suite, name: string, fn: () => Promise<T>): Promise<{ result: T; sent: number }> {
  const before = suite.commands.length;
  const result = await fn();
  const sent = suite.commands.slice(before).filter((c) => c === name).length;
  return { result, sent };
}
