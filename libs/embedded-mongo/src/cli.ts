import { MongoServer } from './server';

/** Parses mongod-style flags: --port N, --dbpath DIR, --bind_ip HOST (also --flag=value). */
export function parseArgs(argv: string[]): { port: number; dbPath: string; host: string } {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) continue;
    const eq = a.indexOf('=');
    if (eq > 0) flags.set(a.slice(2, eq), a.slice(eq + 1));
    else flags.set(a.slice(2), argv[++i] ?? '');
  }
  const port = Number(flags.get('port') ?? 27017);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port 无效 (invalid port): ${flags.get('port')}`);
  return { port, dbPath: flags.get('dbpath') ?? './data/db', host: (flags.get('bind_ip') ?? '127.0.0.1').split(',')[0] };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const server = new MongoServer({ dbPath: args.dbPath, port: args.port, host: args.host, logger: (l) => process.stderr.write(l + '\n') });
  await server.listen();
  process.stdout.write(JSON.stringify({ ready: true, port: server.port, uri: server.uri }) + '\n');
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    server.close().then(
      () => process.exit(0),
      (e) => {
        process.stderr.write(`shutdown failed: ${(e as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // Forked by spawnServer: die with the parent rather than linger.
  process.on('disconnect', stop);
}

if (require.main === module) {
  main().catch((e) => {
    process.stderr.write(`embedded-mongo 启动失败 (failed to start): ${(e as Error).stack}\n`);
    process.exit(1);
  });
}
