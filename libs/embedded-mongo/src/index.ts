import { fork } from 'child_process';
import * as path from 'path';
import { MongoServer } from './server';

export interface EmbeddedMongoOptions {
  dbPath: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  logger?: (line: string) => void;
}

export interface EmbeddedMongo {
  /** mongodb://HOST:PORT/?replicaSet=rs0&directConnection=true — works with mongoose.connect and transactions. */
  readonly uri: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Serves dbPath in this process. */
export async function start(opts: EmbeddedMongoOptions): Promise<EmbeddedMongo> {
  const server = new MongoServer({ dbPath: opts.dbPath, port: opts.port ?? 0, host: opts.host, logger: opts.logger });
  await server.listen();
  return { uri: server.uri, port: server.port, close: () => server.close() };
}

const READY_TIMEOUT_MS = 30_000;

/**
 * V8 flags for the server process (also in package.json's `db` script).
 * - A larger young generation: the server allocates a short-lived decoded document per stored one
 *   it touches, and with V8's default 16 MB semi-space it spent ~15 % of an insert's CPU in
 *   scavenges (measured 16.4 → 13.6 µs per inserted document at 32 MB).
 * - No allocation-site pretenuring: with it, V8 moved some of the server's allocation sites to the
 *   old generation, and those objects, once dead, still kept the young objects they pointed at (each
 *   request's) alive through the next scavenge. At 1,000 findAndModify/s that was
 *   0.4–1.2 MB promoted per scavenge, 2–3 ms scavenges and a mark-compact every few seconds; without
 *   it ~0.1 MB and 1.1–2 ms, and the requests a server GC pause pushed over 2 ms fell from
 *   0.4–0.95 % to 0.1–0.3 % of all (same-night A/B, see the README). Bulk inserts run as fast.
 */
const SERVER_V8_FLAGS = ['--max-semi-space-size=32', '--no-allocation-site-pretenuring'];

/** Runs the server in a child process (its work never shares the caller's event loop); resolves once it accepts connections. */
export function spawnServer(opts: { dbPath: string; port?: number; host?: string }): Promise<EmbeddedMongo & { pid: number }> {
  const cli = path.join(__dirname, 'cli' + path.extname(__filename));
  const args = ['--dbpath', opts.dbPath, '--port', String(opts.port ?? 0)];
  if (opts.host) args.push('--bind_ip', opts.host);
  const child = fork(cli, args, {
    execArgv: [...(cli.endsWith('.ts') ? ['-r', '@swc-node/register'] : []), ...SERVER_V8_FLAGS],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`embedded-mongo 子进程启动超时 (server did not become ready in ${READY_TIMEOUT_MS} ms): ${err}`));
    }, READY_TIMEOUT_MS);
    const onExit = (code: number | null): void => {
      clearTimeout(timer);
      reject(new Error(`embedded-mongo 子进程退出 (server exited with code ${code}): ${err}`));
    };
    child.once('exit', onExit);
    child.stderr!.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl < 0) return;
      const line = out.slice(0, nl);
      out = out.slice(nl + 1);
      try {
        const ready = JSON.parse(line) as { ready: boolean; port: number; uri: string };
        if (!ready.ready) return;
        clearTimeout(timer);
        child.off('exit', onExit);
        child.stdout!.removeAllListeners('data');
        child.stdout!.resume();
        resolve({
          uri: ready.uri,
          port: ready.port,
          pid: child.pid!,
          close: () =>
            new Promise<void>((done) => {
              if (child.exitCode !== null || child.signalCode !== null) return done();
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      } catch {
        // not the ready line; keep waiting
      }
    });
  });
}

export { snapshotDatabase, DATA_FILE } from './storage/snapshot';
