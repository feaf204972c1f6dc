// npm run bench:audit [-- --seconds 10 --workers 64 --rounds 2]
//
// The audit trail's cost, against the embedded server in a child process. One mix of the
// platform's state-changing use cases — an hour-ledger credit, a trainee record update, a study
// settlement (session update + its ledger credit) — for tenants spread over 200 institutions, run
// by closed-loop workers in alternating phases: without auditing (the writes as they were before
// the trail: plain operations) and with it (each use case one AuditTrail.commit with its
// records). Alternating A/B rounds keep a noisy machine's drift out of the ratio. Then the whole
// log is verified (hash chains, heads, checkpoints and the ledger's digests) and timed.
// Targets (issue 17): ≥ 2,000 audited writes/s, ≥ 85 % of unaudited, verify ≥ 50,000 records/s.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import mongoose, { Connection, Model, Schema, Types } from 'mongoose';
import { AuditActor, AuditChainStore, AuditTrail, AuditTx, signingKeyFrom } from '@app/audit';
import { spawnServer } from '@app/embedded-mongo';
import { LedgerBook, LedgerEntryDoc, LedgerEntrySchema, LedgerRepository, NewCreditEntry } from '@app/ledger';
import { systemClock } from '@app/platform';
import { closedLoop } from './support/load';

const HARD_LIMIT_MS = 20 * 60_000;
const INSTITUTIONS = 200;
const TRAINEES_PER_INSTITUTION = 20;

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const n = Number(process.argv[i + 1]);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--${name} 需要正整数 (expects a positive integer)`);
    process.exit(2);
  }
  return n;
}

interface Tenant {
  institutionId: string;
  regionCode: string;
  trainees: string[];
}

interface Models {
  trainees: Model<{ _id: Types.ObjectId; institutionId: string; regionCode: string; status: string; version: number }>;
  sessions: Model<{ _id: Types.ObjectId; traineeId: string; version: number; settledSeconds: number }>;
}

const SCHEMA_OPTS = { versionKey: false } as const;

function models(conn: Connection): Models {
  return {
    trainees: conn.model('BenchTrainee', new Schema({ _id: Schema.Types.ObjectId, institutionId: String, regionCode: String, status: String, version: Number }, SCHEMA_OPTS), 'trainees') as unknown as Models['trainees'],
    sessions: conn.model('BenchSession', new Schema({ _id: Schema.Types.ObjectId, traineeId: String, version: Number, settledSeconds: Number }, SCHEMA_OPTS), 'study_sessions') as unknown as Models['sessions'],
  };
}

/** The mix: three use cases, each given who, whose, and a counter for unique keys. */
type UseCase = (tx: AuditTx | undefined, t: Tenant, trainee: string, n: number) => Promise<void>;

function mix(m: Models, ledger: LedgerRepository, plainLedger: Model<LedgerEntryDoc>): UseCase[] {
  const credit = (t: Tenant, trainee: string, key: string): NewCreditEntry => ({
    idempotencyKey: key,
    traineeId: trainee,
    programId: '65a000000000000000000001',
    institutionId: t.institutionId,
    regionCode: t.regionCode,
    source: 'offline',
    seconds: 2700,
    by: 'bench',
    occurredAt: new Date(),
  });
  // Without the trail the ledger is written as before it (a plain insert); with it, through the repository that records it.
  const appendCredit = async (tx: AuditTx | undefined, c: NewCreditEntry) => {
    if (tx) await ledger.append(tx, c);
    else {
      const id = (hex: string) => new Types.ObjectId(hex);
      await plainLedger.create({ ...c, intervals: undefined, traineeId: id(c.traineeId), programId: id(c.programId), institutionId: id(c.institutionId), kind: 'credit', evidence: [] });
    }
  };
  const tenantOf = (t: Tenant) => ({ institutionId: t.institutionId, regionCode: t.regionCode });
  return [
    // An offline attendance credited to the ledger.
    async (tx, t, trainee, n) => appendCredit(tx, credit(t, trainee, `bench:credit:${n}:${Math.random()}`)),
    // A trainee record changed (status), with a before/after summary.
    async (tx, t, trainee) => {
      const before = await m.trainees.findOneAndUpdate({ _id: new Types.ObjectId(trainee) }, { $inc: { version: 1 }, $set: { status: 'active' } }).lean();
      tx?.record({ action: 'trainee.update', target: { type: 'trainee', id: trainee }, tenant: tenantOf(t), before: { status: before?.status }, after: { status: 'active' } });
    },
    // A study session settling: its conditional update and the ledger credit it pays.
    async (tx, t, trainee, n) => {
      const s = await m.sessions.findOneAndUpdate({ traineeId: trainee }, { $inc: { version: 1, settledSeconds: 30 } }).lean();
      tx?.record({ action: 'study-session.end', target: { type: 'study-session', id: String(s?._id) }, tenant: tenantOf(t), after: { status: 'closed', settledSeconds: (s?.settledSeconds ?? 0) + 30 } });
      await appendCredit(tx, { ...credit(t, trainee, `bench:study:${n}:${Math.random()}`), source: 'online', seconds: 30 });
    },
  ];
}

async function main(): Promise<void> {
  const seconds = arg('seconds', 10);
  const workers = arg('workers', 64);
  const rounds = arg('rounds', 2);
  const dir = await mkdtemp(join(tmpdir(), 'bench-audit-'));
  const server = await spawnServer({ dbPath: join(dir, 'db'), port: 0, host: '127.0.0.1' });
  const watchdog = setTimeout(() => {
    console.error(`bench:audit 超时 (exceeded ${HARD_LIMIT_MS / 60000} min), aborting`);
    void server.close().finally(() => process.exit(3));
  }, HARD_LIMIT_MS);
  try {
    const conn = await mongoose.createConnection(server.uri, { dbName: 'bench', maxPoolSize: workers + 8 }).asPromise();
    const trail = new AuditTrail(conn, { writer: 'bench', partitions: arg('partitions', 16), clock: systemClock });
    await trail.init();
    const key = signingKeyFrom(generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    const chain = new AuditChainStore(conn, key, systemClock);
    const ledger = new LedgerRepository(conn.model<LedgerEntryDoc>(LedgerEntryDoc.name, LedgerEntrySchema));
    // The unaudited path writes the same entries to a twin collection (same schema and indexes), so the ledger verify checks stays consistent.
    const ledgerModel = conn.model<LedgerEntryDoc>('PlainLedgerEntry', LedgerEntrySchema, 'hour_ledger_plain');
    await ledgerModel.init();
    await ledger.onModuleInit();
    new LedgerBook(ledger, trail, chain).onModuleInit();
    const m = models(conn);

    const tenants: Tenant[] = Array.from({ length: INSTITUTIONS }, (_, i) => ({
      institutionId: new Types.ObjectId().toHexString(),
      regionCode: `${['2307', '3703', '2301', '3701'][i % 4]}${String(1 + (i % 20)).padStart(2, '0')}`,
      trainees: Array.from({ length: TRAINEES_PER_INSTITUTION }, () => new Types.ObjectId().toHexString()),
    }));
    await m.trainees.insertMany(tenants.flatMap((t) => t.trainees.map((id) => ({ _id: new Types.ObjectId(id), institutionId: t.institutionId, regionCode: t.regionCode, status: 'active', version: 0 }))));
    await m.sessions.insertMany(tenants.flatMap((t) => t.trainees.map((id) => ({ _id: new Types.ObjectId(), traineeId: id, version: 0, settledSeconds: 0 }))));
    await m.sessions.collection.createIndex({ traineeId: 1 });

    const useCases = mix(m, ledger, ledgerModel);
    let n = 0;
    const pick = (w: number, i: number) => {
      const t = tenants[(w * 7919 + i * 104729) % tenants.length];
      return { t, trainee: t.trainees[(w + i) % t.trainees.length], uc: useCases[(w + i) % useCases.length] };
    };
    const actor: AuditActor = { kind: 'user', id: new Types.ObjectId().toHexString(), role: 'institution' };
    const client = conn.getClient();
    const connBase = conn.base as unknown as { transactionAsyncLocalStorage?: import('node:async_hooks').AsyncLocalStorage<{ session: unknown }> };
    type Mode = 'plain' | 'transaction' | 'audited';
    // 'transaction': the same writes in a transaction of their own, no records — what the trail costs beyond atomicity.
    const inTransaction = async (fn: () => Promise<void>) => {
      const session = client.startSession();
      try {
        await session.withTransaction(() => connBase.transactionAsyncLocalStorage!.run({ session }, fn), { readConcern: { level: 'snapshot' }, writeConcern: { w: 'majority' } });
      } finally {
        await session.endSession();
      }
    };
    const phase = async (mode: Mode) =>
      closedLoop(workers, seconds * 1000, async (w, i) => {
        const { t, trainee, uc } = pick(w, i);
        const id = n++;
        if (mode === 'audited') await trail.commit(actor, (tx) => uc(tx, t, trainee, id));
        else if (mode === 'transaction') await inTransaction(() => uc(undefined, t, trainee, id));
        else await uc(undefined, t, trainee, id);
      });

    // Warm up both paths (JIT, connection pool, lmdb pages) before anything is measured.
    await phase('plain');
    await phase('audited');
    const plain: number[] = [];
    const transactional: number[] = [];
    const audited: number[] = [];
    let errors = 0;
    for (let r = 0; r < rounds; r++) {
      const a = await phase('plain');
      const x = await phase('transaction');
      const b = await phase('audited');
      plain.push(a.perSec);
      transactional.push(x.perSec);
      audited.push(b.perSec);
      errors += a.errors + x.errors + b.errors;
      console.log(
        `round ${r + 1}: unaudited ${a.perSec.toFixed(0)} writes/s, unaudited in a transaction ${x.perSec.toFixed(0)}, audited ${b.perSec.toFixed(0)} (${((100 * b.perSec) / a.perSec).toFixed(1)} % / ${((100 * b.perSec) / x.perSec).toFixed(1)} %)`,
      );
    }

    // Verification is measured on a log of realistic size: the phases' records plus bulk commits
    // of the same kind of record (many per commit, so filling it takes seconds, not minutes).
    const fill = arg('verify-records', 100_000);
    for (let done = 0; done < fill; done += 100) {
      const t = tenants[(done / 100) % tenants.length];
      await trail.commit(actor, async (tx) => {
        for (let k = 0; k < 100; k++) {
          tx.record({ action: 'trainee.update', target: { type: 'trainee', id: t.trainees[k % t.trainees.length] }, tenant: { institutionId: t.institutionId, regionCode: t.regionCode }, before: { status: 'active' }, after: { status: 'completed' } });
        }
      });
    }
    await chain.checkpoint();
    const started = performance.now();
    const report = await chain.verify();
    const verifyMs = performance.now() - started;
    const verifyPerSec = (report.records * 1000) / verifyMs;
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const auditedPerSec = mean(audited);
    const ratio = auditedPerSec / mean(plain);
    const partitions = arg('partitions', 16);
    console.log(`verify: ${report.records} records and ${report.targets ?? 0} ledger entries in ${verifyMs.toFixed(0)} ms (${verifyPerSec.toFixed(0)} records/s), intact ${report.intact}`);
    const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
    console.log(
      `TARGETS: audited ≥ 2,000 writes/s: ${verdict(auditedPerSec >= 2000)} (${auditedPerSec.toFixed(0)}) | ≥ 85 % of unaudited: ${verdict(ratio >= 0.85)} (${(100 * ratio).toFixed(1)} %) | verify ≥ 50,000 records/s: ${verdict(verifyPerSec >= 50_000 && report.intact)} (${verifyPerSec.toFixed(0)})`,
    );
    console.log(
      JSON.stringify({
        bench: 'audit',
        at: new Date().toISOString(),
        load1: loadavg()[0],
        workers,
        partitions,
        secondsPerPhase: seconds,
        unauditedWritesPerSec: plain.map((x) => Math.round(x)),
        transactionWritesPerSec: transactional.map((x) => Math.round(x)),
        auditedPctOfTransaction: Math.round((1000 * auditedPerSec) / mean(transactional)) / 10,
        auditedWritesPerSec: audited.map((x) => Math.round(x)),
        auditedPct: Math.round(1000 * ratio) / 10,
        errors,
        verify: { records: report.records, ledgerEntries: report.targets ?? 0, ms: Math.round(verifyMs), recordsPerSec: Math.round(verifyPerSec), intact: report.intact },
      }),
    );
    await conn.close();
  } finally {
    clearTimeout(watchdog);
    await server.close().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error('bench:audit 失败 (failed):', err);
    process.exit(1);
  },
);
