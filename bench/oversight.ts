// npm run bench:oversight [-- --trainees 100000 --captures 1000000 --sessions 10000 --rounds 20]
//
// The oversight queue of one jurisdiction at scale (issue 20): the real app and database, with the
// facts its StoredFactSource reads written straight into their collections (trainees, face
// references, study sessions and captures) — a history of captures outside the refresh window and
// one day's new sessions inside it, a few planted frauds (two trainees behind one face, one device
// behind many trainees). Figures:
//   - refreshMs: a full signal refresh over the day's data (RefreshSignals, window 1 day; target ≤ 60 s);
//   - pageMs: p50/p99 of a filtered page of the queue as an auditor reads it (OversightQueue.page,
//     filters by signal, institution and date; target ≤ 500 ms).
// Run reduced to check it works (`-- --trainees 2000 --captures 20000 --sessions 500`); full size only
// on a machine nobody else is using. The last line printed is one JSON object with every figure.
import 'reflect-metadata';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { MongoClient, ObjectId } from 'mongodb';
import type { AuthUser } from '@app/identity';
import { OversightQueue, RefreshSignals } from '@app/oversight';
import { percentile } from './support/load';

function parseArgs(argv: string[]) {
  const int = (flag: string, dflt: number) => {
    const i = argv.indexOf(flag);
    const n = i < 0 ? dflt : Number(argv[i + 1]);
    if (!Number.isInteger(n) || n < 1) {
      console.error(`${flag} 需要正整数 (expects a positive integer)`);
      process.exit(2);
    }
    return n;
  };
  return { trainees: int('--trainees', 100_000), captures: int('--captures', 1_000_000), sessions: int('--sessions', 10_000), rounds: int('--rounds', 20) };
}

const BATCH = 10_000;
const REGION = '230702';
/** Deterministic pseudo-random numbers, so two runs write the same data. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

function descriptor(next: () => number): number[] {
  const v = Array.from({ length: 128 }, () => next() - 0.5);
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

async function insertAll(col: { insertMany(docs: object[]): Promise<unknown> }, n: number, make: (i: number) => object): Promise<void> {
  for (let i = 0; i < n; i += BATCH) await col.insertMany(Array.from({ length: Math.min(BATCH, n - i) }, (_, j) => make(i + j)));
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const { startTestApp } = await import('../tests/support/app');
  const t = await startTestApp('bench-oversight', { LOG_LEVEL: 'error', OVERSIGHT_REFRESH_MINUTES: String(24 * 60) });
  const result: Record<string, unknown> = { bench: 'oversight', ...args, loadAvgStart: Math.round(loadavg()[0] * 100) / 100 };
  const mongo = await MongoClient.connect(t.db.uri);
  try {
    const db = mongo.db(t.db.dbName);
    const next = rng(20);
    const now = Date.now();
    const programId = new ObjectId();
    const institutions = Array.from({ length: 20 }, () => new ObjectId());
    const enterprises = Array.from({ length: 200 }, () => new ObjectId());
    const trainees = Array.from({ length: args.trainees }, () => ({ id: new ObjectId(), userId: new ObjectId() }));
    const institutionOf = (i: number) => institutions[i % institutions.length];
    const started = performance.now();

    await insertAll(db.collection('trainees'), args.trainees, (i) => ({ _id: trainees[i].id, userId: trainees[i].userId, enterpriseId: enterprises[i % enterprises.length], institutionId: institutionOf(i), programId, enterpriseRegionCode: REGION, idNumberIdx: `bench-${i}` }));
    // One reference each; trainees 0 and 1 share a face (a planted 一人多号).
    const twin = descriptor(next);
    await insertAll(db.collection('face_references'), args.trainees, (i) => ({
      traineeId: trainees[i].id, programId, institutionId: institutionOf(i), enterpriseRegionCode: REGION, userId: trainees[i].userId,
      descriptor: i < 2 ? twin.map((x) => x + (i ? 0.001 : 0)) : descriptor(next), enrolledAt: new Date(now - 90 * 86_400_000), status: 'active',
    }));

    // History: sessions 60 days back carrying most captures (outside the window, as a real queue's past is).
    const perSession = 10;
    const historySessions = Math.max(0, Math.floor(args.captures / perSession) - args.sessions);
    const session = (i: number, at: number, device?: string) => {
      const trainee = i % args.trainees;
      return {
        _id: new ObjectId(), traineeId: trainees[trainee].id, userId: trainees[trainee].userId, programId, institutionId: institutionOf(trainee), regionCode: REGION,
        startedAt: new Date(at), endedAt: new Date(at + 45 * 60_000), lastSeenAt: new Date(at + 45 * 60_000), status: 'ended',
        state: { settledSeconds: 2700, client: { fingerprint: device ?? `device-${trainee}`, address: `10.0.${trainee % 250}.${trainee % 200}`, userAgent: 'Mozilla/5.0' } },
      };
    };
    const captures = (s: { _id: ObjectId; startedAt: Date }) =>
      Array.from({ length: perSession }, (_, k) => {
        const distance = next() < 0.03 ? 0.5 + next() * 0.1 : 0.2 + next() * 0.2;
        return { sessionId: s._id, at: new Date(s.startedAt.getTime() + k * 270_000), outcome: distance < 0.54 ? 'match' : 'mismatch', distance, threshold: 0.54 };
      });
    for (let i = 0; i < historySessions; i += BATCH / perSession) {
      const batch = Array.from({ length: Math.min(BATCH / perSession, historySessions - i) }, (_, j) => session(i + j, now - 60 * 86_400_000 - (i + j) * 1000));
      await db.collection('study_sessions').insertMany(batch);
      await db.collection('study_captures').insertMany(batch.flatMap(captures));
    }
    // The day: sessions spread over the last 20 hours; ten trainees on one device (a planted 代学工作室).
    for (let i = 0; i < args.sessions; i += BATCH / perSession) {
      const batch = Array.from({ length: Math.min(BATCH / perSession, args.sessions - i) }, (_, j) => {
        const n = i + j;
        return session(n, now - 20 * 3600_000 + Math.floor((n / args.sessions) * 19 * 3600_000), n < 10 ? 'proxy-room' : undefined);
      });
      await db.collection('study_sessions').insertMany(batch);
      await db.collection('study_captures').insertMany(batch.flatMap(captures));
    }
    result.seedSeconds = Math.round((performance.now() - started) / 100) / 10;
    console.log(`seeded ${args.trainees} trainees, ${historySessions + args.sessions} sessions, ${(historySessions + args.sessions) * perSession} captures in ${result.seedSeconds} s`);

    const refresh = t.app.get(RefreshSignals);
    const r0 = performance.now();
    const refreshed = await refresh.execute({ windowDays: 1, requestedBy: 'bench' });
    result.refreshMs = Math.round(performance.now() - r0);
    result.items = refreshed.items;
    result.signals = refreshed.signals;
    console.log(`refresh: ${refreshed.items} items, ${refreshed.signals} signals in ${result.refreshMs} ms`);

    const queue = t.app.get(OversightQueue);
    const auditor: AuthUser = { id: new ObjectId().toHexString(), role: 'auditor', organisationId: new ObjectId().toHexString(), regionCode: '230700', sessionId: 'bench' };
    const filters = [
      {},
      { signal: 'face-borderline' as const },
      { institutionId: institutions[3].toHexString() },
      { from: new Date(now - 6 * 3600_000), to: new Date(now) },
      { signal: 'shared-device' as const, status: 'open' as const },
    ];
    const top = await queue.page(auditor, {}, 1, 20);
    result.topCodes = [...new Set(top.items.slice(0, 3).flatMap((i) => i.codes))];
    const times: number[] = [];
    for (let round = 0; round < args.rounds; round++) {
      for (const f of filters) {
        const p0 = performance.now();
        await queue.page(auditor, f, 1 + (round % 3), 20);
        times.push(performance.now() - p0);
      }
    }
    times.sort((a, b) => a - b);
    result.pageMs = { p50: Math.round(percentile(times, 50)), p99: Math.round(percentile(times, 99)), max: Math.round(times[times.length - 1]) };
    result.loadAvgEnd = Math.round(loadavg()[0] * 100) / 100;
    const targets = { refreshWithin60s: (result.refreshMs as number) <= 60_000, pageWithin500ms: (result.pageMs as { p99: number }).p99 <= 500 };
    const full = args.trainees >= 100_000 && args.captures >= 1_000_000 && args.sessions >= 10_000;
    console.log(JSON.stringify({ ...result, fullSize: full, targets, met: full ? Object.values(targets).every(Boolean) : 'not measured at full size' }));
  } finally {
    await mongo.close();
    await t.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
