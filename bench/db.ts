// npm run bench:db [-- --docs N]   (default 1,000,000; --docs 20000 for a quick run)
//
// Through mongoose, against the embedded server in a child process, on a collection with a
// unique index: insert throughput, indexed findOne and findOneAndUpdate latency under an offered
// 1,000 ops/s from 50 clients, unindexed scan speed, peak durable single-document updates, server
// RSS and data size — and raw lmdb on the same documents in the same run as the ceiling.
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import mongoose, { Schema } from 'mongoose';
import { ObjectId } from 'bson';
import { spawnServer } from '@app/embedded-mongo';
import { closedLoop, LatencyRun, openLoop, percentile, timed } from './support/load';
import { rawLmdbCeiling } from './support/raw-lmdb';

const HARD_LIMIT_MS = 25 * 60_000;
const RATE = 1000;
const CLIENTS = 50;
const PEAK_WORKERS = 100;

function parseDocs(argv: string[]): number {
  const i = argv.indexOf('--docs');
  if (i < 0) return 1_000_000;
  const n = Number(argv[i + 1]);
  if (!Number.isInteger(n) || n < 1000) {
    console.error('--docs 需要一个不小于 1000 的整数 (--docs expects an integer ≥ 1000)');
    process.exit(2);
  }
  return n;
}

const keyOf = (i: number) => `k${String(i).padStart(9, '0')}`;
const makeDoc = (i: number) => ({
  _id: new ObjectId(i.toString(16).padStart(24, '0')),
  key: keyOf(i),
  n: 0,
  group: i % 1000,
  plain: i,
  payload: `学员-${i}-`.padEnd(100, 'x'),
  at: new Date(1_735_689_600_000 + i * 1000),
});

async function dirSize(dir: string): Promise<{ apparent: number; onDisk: number }> {
  let apparent = 0;
  let onDisk = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) {
      const sub = await dirSize(p);
      apparent += sub.apparent;
      onDisk += sub.onDisk;
    } else {
      const st = await stat(p);
      apparent += st.size;
      onDisk += st.blocks * 512;
    }
  }
  return { apparent, onDisk };
}

async function procMemMb(pid: number): Promise<{ rss: number; peak: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

/**
 * CPU share of the server child and of this (client) process over a phase, in % of one core: on a
 * shared 2-core machine this says whether the server, the mongoose client or neither was the limit.
 */
function cpuMeter(pid: number): () => Promise<string> {
  const serverSeconds = async () => {
    const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  };
  const wall = performance.now();
  const client = process.cpuUsage();
  const server = serverSeconds();
  return async () => {
    const secs = (performance.now() - wall) / 1000;
    const used = process.cpuUsage(client);
    const serverPct = ((await serverSeconds()) - (await server)) / secs * 100;
    const clientPct = (used.user + used.system) / 1e6 / secs * 100;
    return `cpu: server ${serverPct.toFixed(0)}% · bench ${clientPct.toFixed(0)}%`;
  };
}

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : 'n/a');
const mb = (bytes: number) => `${fmt(bytes / 1024 / 1024, 1)} MB`;
const lat = (r: LatencyRun) =>
  `p50 ${fmt(percentile(r.latenciesMs, 50), 2)} ms · p99 ${fmt(percentile(r.latenciesMs, 99), 2)} ms · max ${fmt(r.latenciesMs[r.latenciesMs.length - 1], 1)} ms · ${fmt(r.achievedPerSec)} ops/s achieved · ${r.errors} errors`;

type TailCounts = { count: number; totalMs: number; over1ms: number; over2ms: number; over5ms: number };
type ServerTail = { commits: TailCounts; gcPauses: TailCounts };

function describeServerTail(a: ServerTail, b: ServerTail): string {
  const d = (k: keyof ServerTail, f: keyof TailCounts) => b[k][f] - a[k][f];
  const over = (k: keyof ServerTail) => `over 1 / 2 / 5 ms: ${d(k, 'over1ms')} / ${d(k, 'over2ms')} / ${d(k, 'over5ms')}`;
  return `${fmt(d('commits', 'count'))} durable commits (${over('commits')}) · ${fmt(d('gcPauses', 'count'))} GC pauses, ${fmt(d('gcPauses', 'totalMs'))} ms (${over('gcPauses')})`;
}

async function main(): Promise<void> {
  const total = parseDocs(process.argv);
  const quick = total < 200_000;
  const phaseMs = quick ? 4000 : 10_000;
  const row = (name: string, value: string) => {
    console.log(`  ${name.padEnd(44)} ${value}`);
  };

  const serverDir = await mkdtemp(join(tmpdir(), 'bench-db-server-'));
  const rawDir = await mkdtemp(join(tmpdir(), 'bench-db-raw-'));
  let server: Awaited<ReturnType<typeof spawnServer>> | undefined;
  const cleanup = async () => {
    await server?.close().catch(() => undefined);
    await rm(serverDir, { recursive: true, force: true });
    await rm(rawDir, { recursive: true, force: true });
  };
  const watchdog = setTimeout(() => {
    console.error(`bench:db 超时 (exceeded ${HARD_LIMIT_MS / 60000} min), aborting`);
    void cleanup().finally(() => process.exit(3));
  }, HARD_LIMIT_MS);
  watchdog.unref();

  console.log(`bench:db — ${fmt(total)} documents · ${new Date().toISOString()} · ${cpus().length} cores · Node ${process.version} · load avg ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  try {
    server = await spawnServer({ dbPath: serverDir, port: 0, host: '127.0.0.1' });
    const conn = await mongoose.createConnection(server.uri, { dbName: 'bench', maxPoolSize: PEAK_WORKERS }).asPromise();
    const Item = conn.model(
      'Item',
      new Schema({ _id: Schema.Types.ObjectId, key: { type: String, unique: true }, n: Number, group: Number, plain: Number, payload: String, at: Date }, { versionKey: false }),
    );
    await Item.init();

    console.log('\n[mongoose → embedded server (child process), unique index on key]');
    const singleSeq = Math.min(2000, Math.floor(total / 10));
    const singleConc = Math.min(10_000, Math.floor(total / 10));
    const seq = await timed(async () => {
      for (let i = 0; i < singleSeq; i++) await Item.create(makeDoc(i));
    });
    row('insert, single, sequential', `${fmt((singleSeq * 1000) / seq.ms)} docs/s (${fmt(singleSeq)} docs)`);
    let next = singleSeq;
    const conc = await timed(() =>
      Promise.all(
        Array.from({ length: CLIENTS }, async () => {
          while (next < singleSeq + singleConc) await Item.create(makeDoc(next++));
        }),
      ),
    );
    row(`insert, single, ${CLIENTS} concurrent`, `${fmt((singleConc * 1000) / conc.ms)} docs/s (${fmt(singleConc)} docs)`);
    const bulkFrom = singleSeq + singleConc;
    let cpu = cpuMeter(server.pid);
    const bulk = await timed(async () => {
      for (let start = bulkFrom; start < total; start += 1000) {
        const batch = Array.from({ length: Math.min(1000, total - start) }, (_, j) => makeDoc(start + j));
        await Item.insertMany(batch, { ordered: true });
      }
    });
    const bulkPerSec = ((total - bulkFrom) * 1000) / bulk.ms;
    row('insertMany, batches of 1,000', `${fmt(bulkPerSec)} docs/s (${fmt(total - bulkFrom)} docs in ${fmt(bulk.ms / 1000, 1)} s) · ${await cpu()}`);
    const stored = await Item.estimatedDocumentCount();
    if (stored !== total) throw new Error(`expected ${total} documents after the load, found ${stored}`);
    const afterLoad = await procMemMb(server.pid);
    row('server RSS after load', `${fmt(afterLoad.rss)} MB (peak ${fmt(afterLoad.peak)} MB)`);

    // The machine is shared: measure what the open-loop harness itself adds (a no-op operation)
    // so the latency rows below can be read against it.
    const jitter = await openLoop(RATE, Math.min(phaseMs, 3000), CLIENTS, () => new Promise((r) => setImmediate(r)));
    row('harness jitter (no-op op, same pacing)', `p50 ${fmt(percentile(jitter.latenciesMs, 50), 2)} ms · p99 ${fmt(percentile(jitter.latenciesMs, 99), 2)} ms · load avg ${loadavg()[0].toFixed(2)}`);

    const pick = () => keyOf(Math.floor(Math.random() * total));
    // Each latency phase gets a discarded warm-up at the same pacing first, so the pool's 50
    // connection handshakes and the JIT are not charged to the measured window.
    // The server's own account of the measured window (serverStatus `embedded`): how many durable
    // commits and GC pauses reached into the tail, so a missed p99 can be read against both.
    const serverTail = async () => (await conn.db!.admin().command({ serverStatus: 1 })).embedded as ServerTail;
    const measured = async (op: () => Promise<unknown>) => {
      await openLoop(RATE, 1000, CLIENTS, op);
      const before = await serverTail();
      const run = await openLoop(RATE, phaseMs, CLIENTS, op);
      return { run, server: describeServerTail(before, await serverTail()) };
    };
    cpu = cpuMeter(server.pid);
    const { run: findOneRun, server: findOneServer } = await measured(async () => {
      const d = await Item.findOne({ key: pick() }).lean();
      if (!d) throw new Error('missing');
    });
    row(`findOne by key @ ${RATE}/s offered, ${CLIENTS} clients`, `${lat(findOneRun)} · ${await cpu()}`);
    row('  in the server meanwhile', findOneServer);

    cpu = cpuMeter(server.pid);
    const reads = await closedLoop(CLIENTS, Math.min(phaseMs, 5000), async () => {
      await Item.findOne({ key: pick() }).lean();
    });
    row(`findOne by key, peak (${CLIENTS} concurrent)`, `${fmt(reads.perSec)} ops/s · ${await cpu()}`);

    const scans: number[] = [];
    for (let r = 0; r < (quick ? 3 : 2); r++) {
      const scan = await timed(() => Item.find({ plain: -1 }).lean());
      if (scan.result.length !== 0) throw new Error('scan matched unexpectedly');
      scans.push((total * 1000) / scan.ms);
    }
    row('unindexed scan (no match, full collection)', `${fmt(Math.max(...scans))} docs/s (best of ${scans.length})`);

    cpu = cpuMeter(server.pid);
    const { run: fauRun, server: fauServer } = await measured(async () => {
      const d = await Item.findOneAndUpdate({ key: pick() }, { $inc: { n: 1 }, $set: { at: new Date() } }, { returnDocument: 'after' }).lean();
      if (!d) throw new Error('missing');
    });
    row(`findOneAndUpdate by key @ ${RATE}/s, ${CLIENTS} clients`, `${lat(fauRun)} · ${await cpu()}`);
    row('  in the server meanwhile', fauServer);

    const sumN = async () => ((await Item.aggregate([{ $group: { _id: null, n: { $sum: '$n' } } }]))[0]?.n as number) ?? 0;
    const nBefore = await sumN();
    cpu = cpuMeter(server.pid);
    const peak = await closedLoop(PEAK_WORKERS, phaseMs, async () => {
      await Item.updateOne({ key: pick() }, { $inc: { n: 1 } });
    });
    const peakCpu = await cpu();
    const nAfter = await sumN();
    row(`durable updateOne, peak (${PEAK_WORKERS} concurrent)`, `${fmt(peak.perSec)} updates/s (${fmt(peak.ops)} acknowledged, ${peak.errors} errors) · ${peakCpu}`);
    // Durable means applied: every acknowledged $inc must be in the data, no more, no less.
    const updatesApplied = nAfter - nBefore === peak.ops;
    if (!updatesApplied) row('!! acknowledged vs applied updates', `${fmt(peak.ops)} acknowledged, sum of n grew by ${fmt(nAfter - nBefore)}`);

    const mem = await procMemMb(server.pid);
    row('server RSS at end', `${fmt(mem.rss)} MB (peak ${fmt(mem.peak)} MB)`);
    // The aggregation worker keeps the heap a pipeline grew until it is retired (3 s idle), so the
    // row above still holds the last $group's transient memory; this one shows what stays.
    await new Promise((r) => setTimeout(r, 5000));
    row('server RSS 5 s later (idle)', `${fmt((await procMemMb(server.pid)).rss)} MB`);
    await conn.close();
    const size = await dirSize(serverDir);
    row('data directory', `${mb(size.onDisk)} on disk (${mb(size.apparent)} apparent)`);
    await server.close();
    server = undefined;

    console.log('\n[raw lmdb, this process, same documents — the ceiling]');
    const raw = await rawLmdbCeiling({
      path: join(rawDir, 'raw.mdb'),
      docs: total,
      makeDoc,
      keyOf,
      batch: 1000,
      readMs: 3000,
      updateMs: Math.min(phaseMs, 5000),
      updateWorkers: PEAK_WORKERS,
      latency: { ratePerSec: RATE, clients: CLIENTS, durationMs: phaseMs },
    });
    const rawSize = await dirSize(rawDir);
    row('raw put, transactions of 1,000', `${fmt(raw.putPerSec)} docs/s`);
    row('raw get by key (+ BSON decode)', `${fmt(raw.getPerSec)} ops/s`);
    row(`raw durable update (${PEAK_WORKERS} concurrent)`, `${fmt(raw.durableUpdatePerSec)} updates/s`);
    if (raw.durableUpdateAtRate) row(`raw durable update @ ${RATE}/s, ${CLIENTS} clients`, lat(raw.durableUpdateAtRate));
    row('raw data directory', `${mb(rawSize.onDisk)} on disk`);

    const insertPct = (100 * bulkPerSec) / raw.putPerSec;
    const updatePct = (100 * peak.perSec) / raw.durableUpdatePerSec;
    const readPct = (100 * reads.perSec) / raw.getPerSec;
    console.log('\n[mongoose as % of raw lmdb]');
    row('insertMany vs raw put', `${fmt(insertPct, 1)} %`);
    row('durable updates vs raw durable update', `${fmt(updatePct, 1)} %`);
    row('findOne vs raw get (info: wire + query engine vs in-process map read)', `${fmt(readPct, 2)} %`);

    const p99 = (r: LatencyRun) => percentile(r.latenciesMs, 99);
    const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
    const targets = [
      `findOne p99 ≤ 2 ms @1000/s/50 clients: ${verdict(p99(findOneRun) <= 2 && findOneRun.errors === 0)} (${fmt(p99(findOneRun), 2)} ms)`,
      `findOneAndUpdate p99 ≤ 2 ms @1000/s/50 clients: ${verdict(p99(fauRun) <= 2 && fauRun.errors === 0)} (${fmt(p99(fauRun), 2)} ms${raw.durableUpdateAtRate ? `; raw lmdb's own durable update at that load: p99 ${fmt(p99(raw.durableUpdateAtRate), 2)} ms` : ''})`,
      `peak ≥ 5,000 durable updates/s: ${verdict(peak.perSec >= 5000 && updatesApplied)} (${fmt(peak.perSec)}${updatesApplied ? '' : ', not all applied'})`,
      `mongoose ≥ 25% of raw lmdb (insert & update): ${verdict(insertPct >= 25 && updatePct >= 25)} (${fmt(insertPct, 1)} % / ${fmt(updatePct, 1)} %)`,
    ];
    console.log(`\nTARGETS (${fmt(total)} docs): ${targets.join(' | ')}`);
  } finally {
    clearTimeout(watchdog);
    await cleanup();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error('bench:db 失败 (failed):', err);
    process.exit(1);
  },
);
