import { generateKeyPairSync } from 'node:crypto';
import { genesisHash, recordHash } from './chain';
import { buildCheckpoint, checkpointHash, FIRST_PREVIOUS, SignedCheckpoint, signingKeyFrom } from './checkpoint';
import { AuditBody, AuditRecord, ChainHead } from './record';
import { verifyAuditLog, VerifyInput } from './verify';

const pem = () => generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const key = signingKeyFrom(pem());
const P = 'api.0';

function chain(partition: string, n: number, from: AuditRecord[] = []): AuditRecord[] {
  const out = [...from];
  for (let i = 0; i < n; i++) {
    const prev = out[out.length - 1];
    out.push(sealed(partition, (prev?.seq ?? 0) + 1, prev?.hash ?? genesisHash(partition), `t${partition}-${out.length + 1}`));
  }
  return out;
}

function sealed(partition: string, seq: number, prevHash: string, targetId: string, extra: Partial<AuditBody> = {}): AuditRecord {
  const body: AuditBody = {
    v: 1,
    partition,
    prevHash,
    at: new Date(Date.UTC(2026, 11, 7, 0, 0, seq)),
    actor: { kind: 'user', id: 'u1', role: 'institution' },
    action: 'trainee.update',
    target: { type: 'trainee', id: targetId },
    tenant: { institutionId: 'i1', regionCode: '230700' },
    after: { hours: seq },
    ...extra,
  };
  return { ...body, id: `r${partition}-${seq}-${targetId}`, seq, hash: recordHash(body) };
}

/** Recomputes every hash from `from` on, as someone with write access to the database could. */
function recompute(records: AuditRecord[]): AuditRecord[] {
  const out: AuditRecord[] = [];
  for (const r of records) {
    const prevHash = out.length ? out[out.length - 1].hash : genesisHash(r.partition);
    const { id, seq, hash, ...body } = r;
    void hash;
    const b = { ...body, prevHash } as AuditBody;
    out.push({ ...b, id, seq, hash: recordHash(b) });
  }
  return out;
}

const headOf = (records: AuditRecord[], partition = P): ChainHead =>
  records.length ? { partition, seq: records[records.length - 1].seq, hash: records[records.length - 1].hash } : { partition, seq: 0, hash: genesisHash(partition) };

async function* iterate(records: AuditRecord[]): AsyncIterable<AuditRecord> {
  for (const r of [...records].sort((a, b) => a.seq - b.seq)) yield r;
}

function input(records: AuditRecord[], opts: Partial<VerifyInput> & { head?: ChainHead } = {}): VerifyInput {
  return { sources: [{ partition: P, head: opts.head ?? headOf(records), records: iterate(records) }], stored: opts.stored ?? [], external: opts.external, publicKey: opts.publicKey ?? key.publicKey };
}

function checkpoints(...headSets: ChainHead[][]): SignedCheckpoint[] {
  const out: SignedCheckpoint[] = [];
  headSets.forEach((heads, i) => out.push(buildCheckpoint(i + 1, new Date(Date.UTC(2026, 11, 7, 1, i)), heads, i ? checkpointHash(out[i - 1]) : FIRST_PREVIOUS, key)));
  return out;
}

describe('verifyAuditLog', () => {
  it('reports an untouched log intact up to its newest checkpoint', async () => {
    const log = chain(P, 20);
    const cps = checkpoints([headOf(log.slice(0, 10))], [headOf(log)]);
    const report = await verifyAuditLog(input(log, { stored: cps }));
    expect(report).toEqual({ intact: true, records: 20, partitions: 1, checkpoint: { number: 2, at: cps[1].at }, problems: [] });
  });

  it('an empty partition at its genesis head is intact', async () => {
    expect((await verifyAuditLog(input([]))).intact).toBe(true);
  });

  it('finds an edited field and names the record', async () => {
    const log = chain(P, 10);
    log[4] = { ...log[4], after: { hours: 999 } };
    const report = await verifyAuditLog(input(log));
    expect(report.problems).toEqual([expect.objectContaining({ kind: 'edited', partition: P, seq: 5, recordId: log[4].id })]);
    expect(report.intact).toBe(false);
  });

  it('finds a removed record, by the gap it leaves', async () => {
    const log = chain(P, 10);
    const report = await verifyAuditLog(input(log.filter((r) => r.seq !== 6)));
    expect(report.problems).toEqual([expect.objectContaining({ kind: 'removed', seq: 6 })]);
  });

  it('finds a removed record when the rest were renumbered to close the gap', async () => {
    const log = chain(P, 10);
    const renumbered = log.filter((r) => r.seq !== 6).map((r) => (r.seq > 6 ? { ...r, seq: r.seq - 1 } : r));
    const report = await verifyAuditLog(input(renumbered, { head: headOf(renumbered) }));
    expect(report.problems).toEqual([expect.objectContaining({ kind: 'removed', seq: 6, recordId: log[6].id })]);
  });

  it('finds the last record removed, against the head', async () => {
    const log = chain(P, 10);
    const report = await verifyAuditLog(input(log.slice(0, 9), { head: headOf(log) }));
    expect(report.problems).toEqual([expect.objectContaining({ kind: 'removed', seq: 10 })]);
  });

  it('finds an inserted record, whether it links in or not', async () => {
    const log = chain(P, 10);
    // A forged record that claims to follow seq 4, with a valid hash of its own; the rest renumbered.
    const forged = sealed(P, 5, log[3].hash, 'forged');
    const linked = [...log.slice(0, 4), forged, ...log.slice(4).map((r) => ({ ...r, seq: r.seq + 1 }))];
    expect((await verifyAuditLog(input(linked, { head: headOf(linked) }))).problems).toEqual([expect.objectContaining({ kind: 'inserted', seq: 5, recordId: forged.id })]);

    const stray = sealed(P, 5, 'f'.repeat(64), 'stray');
    const unlinked = [...log.slice(0, 4), stray, ...log.slice(4).map((r) => ({ ...r, seq: r.seq + 1 }))];
    expect((await verifyAuditLog(input(unlinked, { head: headOf(unlinked) }))).problems).toEqual([expect.objectContaining({ kind: 'inserted', seq: 5, recordId: stray.id })]);
  });

  it('takes records past the head as committed after it (the head trails the log), as long as the head is on the chain', async () => {
    const log = chain(P, 10);
    const extra = chain(P, 1, log);
    expect((await verifyAuditLog(input(extra, { head: headOf(log) }))).problems).toEqual([]);
    const elsewhere = { ...headOf(log.slice(0, 5)), hash: 'b'.repeat(64) };
    expect((await verifyAuditLog(input(extra, { head: elsewhere }))).problems).toEqual([expect.objectContaining({ kind: 'rewritten' })]);
  });

  it('finds two records swapped', async () => {
    const log = chain(P, 10);
    const swapped = log.map((r) => (r.seq === 4 ? { ...r, seq: 5 } : r.seq === 5 ? { ...r, seq: 4 } : r));
    expect((await verifyAuditLog(input(swapped))).problems).toEqual([expect.objectContaining({ kind: 'reordered', seq: 4, recordId: log[4].id })]);
  });

  it('misses a rewrite with recomputed hashes on its own, and catches it against an exported checkpoint', async () => {
    const log = chain(P, 10);
    const [exported] = checkpoints([headOf(log)]);
    const rewritten = recompute(log.map((r) => (r.seq === 3 ? { ...r, after: { hours: 72 } } : r)));
    // Without a checkpoint the forged chain is self-consistent: that is exactly why auditors keep one.
    expect((await verifyAuditLog(input(rewritten))).intact).toBe(true);
    // The platform's own copy of the checkpoint is gone too (else it alone would catch the rewrite).
    const report = await verifyAuditLog(input(rewritten, { external: exported }));
    expect(report.problems).toEqual([
      expect.objectContaining({ kind: 'checkpoint', checkpoint: 1 }),
      expect.objectContaining({ kind: 'rewritten', partition: P, seq: 1, recordId: rewritten[0].id, checkpoint: 1 }),
    ]);
    // With the platform's copy still there, the rewrite is the only finding.
    expect((await verifyAuditLog(input(rewritten, { stored: [exported], external: exported }))).problems).toEqual([expect.objectContaining({ kind: 'rewritten', seq: 1 })]);
  });

  it('narrows a rewrite down to the records after the last checkpoint that still matches', async () => {
    const log = chain(P, 30);
    const cps = checkpoints([headOf(log.slice(0, 10))], [headOf(log.slice(0, 20))], [headOf(log)]);
    const rewritten = recompute(log.map((r) => (r.seq === 25 ? { ...r, after: { hours: 72 } } : r)));
    const report = await verifyAuditLog(input(rewritten, { stored: cps }));
    expect(report.problems).toEqual([expect.objectContaining({ kind: 'rewritten', seq: 21, recordId: rewritten[20].id, checkpoint: 3 })]);
  });

  it('catches a truncation below a checkpoint even when the head was moved back too', async () => {
    const log = chain(P, 10);
    const cps = checkpoints([headOf(log)]);
    const short = log.slice(0, 7);
    expect((await verifyAuditLog(input(short, { head: headOf(short), stored: cps }))).problems).toEqual([expect.objectContaining({ kind: 'removed', seq: 8, checkpoint: 1 })]);
  });

  it('refuses a checkpoint that was edited, signed by another key, deleted or replaced', async () => {
    const log = chain(P, 10);
    const cps = checkpoints([headOf(log.slice(0, 5))], [headOf(log.slice(0, 8))], [headOf(log)]);
    const edited = { ...cps[1], heads: [{ partition: P, seq: 8, hash: 'a'.repeat(64) }] };
    expect((await verifyAuditLog(input(log, { stored: [cps[0], edited, cps[2]] }))).problems).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'checkpoint', checkpoint: 2 })]),
    );
    const otherKey = signingKeyFrom(pem());
    const foreign = buildCheckpoint(1, new Date(), [headOf(log)], FIRST_PREVIOUS, otherKey);
    expect((await verifyAuditLog(input(log, { external: foreign }))).problems).toEqual([expect.objectContaining({ kind: 'checkpoint', checkpoint: 1 })]);
    expect((await verifyAuditLog(input(log, { stored: [cps[0], cps[2]] }))).problems).toEqual([expect.objectContaining({ kind: 'checkpoint', checkpoint: 2 })]);
    expect((await verifyAuditLog(input(log, { stored: [cps[0]], external: cps[2] }))).problems).toEqual([expect.objectContaining({ kind: 'checkpoint', checkpoint: 3 })]);
  });

  it('reads past a break only as far as it must', async () => {
    const log = chain(P, 50);
    const swapped = log.map((r) => (r.seq === 2 ? { ...r, seq: 3 } : r.seq === 3 ? { ...r, seq: 2 } : r));
    const report = await verifyAuditLog({ ...input(swapped), lookahead: 5 });
    expect(report.records).toBeLessThan(10);
    expect(report.problems[0].kind).toBe('reordered');
  });
});
