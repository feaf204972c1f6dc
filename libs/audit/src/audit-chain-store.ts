import type { KeyObject } from 'node:crypto';
import { Clock, isDuplicateKey } from '@app/platform';
import type { Connection, mongo } from 'mongoose';
import { advanceHead, AUDIT_HEADS, AUDIT_LOG, lastRecordOf, recordFromDoc } from './audit-trail';
import { buildCheckpoint, checkpointHash, FIRST_PREVIOUS, SignedCheckpoint, SigningKey } from './checkpoint';
import { AuditRecord, ChainHead } from './record';
import { DigestSource, PartitionSource, verifyAuditLog, verifyDigests, VerifyReport } from './verify';

export const AUDIT_CHECKPOINTS = 'audit_checkpoints';

type CheckpointDoc = SignedCheckpoint & { _id: number };

function checkpointOf(doc: CheckpointDoc): SignedCheckpoint {
  const { _id, ...cp } = doc;
  void _id;
  return cp;
}

/** Checkpoints and verification over the stored log; the write path is {@link AuditTrail}. */
export class AuditChainStore {
  private readonly log: mongo.Collection;
  private readonly heads: mongo.Collection<{ _id: string; seq: number; hash: string }>;
  private readonly checkpoints: mongo.Collection<CheckpointDoc>;
  private readonly digestSources = new Map<string, DigestSource>();

  constructor(
    connection: Connection,
    private readonly key: SigningKey,
    private readonly clock: Clock,
  ) {
    this.log = connection.collection(AUDIT_LOG);
    this.heads = connection.collection(AUDIT_HEADS);
    this.checkpoints = connection.collection(AUDIT_CHECKPOINTS);
  }

  /** A context's vouched-for targets (the ledger's entries), checked by every verify from now on. */
  registerDigestSource(source: DigestSource): void {
    this.digestSources.set(source.targetType, source);
  }

  get publicKey(): KeyObject {
    return this.key.publicKey;
  }

  /** The stored head documents: each chain's position as of its last checkpoint (or its writer's start). */
  async readHeads(): Promise<ChainHead[]> {
    const docs = await this.heads.find({}).sort({ _id: 1 }).toArray();
    return docs.map((d) => ({ partition: d._id, seq: d.seq, hash: d.hash }));
  }

  /** Every chain's last committed record, from the log itself: what a checkpoint signs. */
  async currentHeads(): Promise<ChainHead[]> {
    const partitions = new Set<string>((await this.heads.find({}, { projection: { _id: 1 } }).toArray()).map((d) => d._id));
    for (const p of (await this.log.distinct('partition')) as string[]) partitions.add(p);
    const out: ChainHead[] = [];
    for (const partition of [...partitions].sort()) out.push(await lastRecordOf(this.log, partition));
    return out;
  }

  async latestCheckpoint(): Promise<SignedCheckpoint | undefined> {
    const doc = await this.checkpoints.find({}).sort({ _id: -1 }).limit(1).next();
    return doc ? checkpointOf(doc) : undefined;
  }

  async storedCheckpoints(): Promise<SignedCheckpoint[]> {
    return (await this.checkpoints.find({}).sort({ _id: 1 }).toArray()).map(checkpointOf);
  }

  /**
   * Signs the current heads as the next checkpoint, unless nothing was written since the last
   * one. Two processes racing make one checkpoint: the number is the `_id`, the loser reads the winner's.
   */
  async checkpoint(): Promise<SignedCheckpoint> {
    const last = await this.latestCheckpoint();
    const heads = await this.currentHeads();
    for (const h of heads) if (h.seq > 0) await advanceHead(this.heads, h.partition, h, this.clock);
    if (last && sameHeads(last.heads, heads)) return last;
    const cp = buildCheckpoint((last?.number ?? 0) + 1, new Date(this.clock.now()), heads, last ? checkpointHash(last) : FIRST_PREVIOUS, this.key);
    try {
      await this.checkpoints.insertOne({ _id: cp.number, ...cp });
      return cp;
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
      return (await this.latestCheckpoint())!;
    }
  }

  /** Every chain from its genesis, against its head and every authentic checkpoint (and `external`, when given). */
  async verify(external?: SignedCheckpoint): Promise<VerifyReport> {
    const heads = new Map((await this.readHeads()).map((h) => [h.partition, h]));
    // Chains the log holds but no head names (a deleted head) are verified too.
    const partitions = new Set<string>(heads.keys());
    for (const p of (await this.log.distinct('partition')) as string[]) partitions.add(p);
    // The digests the records vouch for are gathered while the chains are read, not by a second scan of the log.
    const tapped = new DigestTap(new Set(this.digestSources.keys()));
    const sources: PartitionSource[] = [...partitions]
      .sort()
      .map((partition) => ({ partition, head: heads.get(partition), records: this.recordsOf(partition, tapped) }));
    const report = await verifyAuditLog({ sources, stored: await this.storedCheckpoints(), external, publicKey: this.key.publicKey, concurrency: VERIFY_CONCURRENCY });
    let targets = 0;
    const problems = [...report.problems];
    for (const source of this.digestSources.values()) {
      // A broken chain was not read to its end: its digests are then read from the log on their own.
      const recorded = report.intact ? tapped.of(source.targetType) : await this.recordedDigests(source.targetType);
      const checked = await verifyDigests(source, recorded);
      targets += checked.checked;
      problems.push(...checked.problems);
    }
    return { ...report, intact: problems.length === 0, targets, problems };
  }

  /** The digest each target was written with (the latest record that carries one). */
  private async recordedDigests(targetType: string): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const cursor = this.log.find({ 'target.type': targetType, digest: { $exists: true } }, { projection: { 'target.id': 1, digest: 1 } }).sort({ at: 1 }).batchSize(5000);
    for await (const doc of cursor) out.set((doc.target as { id: string }).id, doc.digest as string);
    return out;
  }

  private async *recordsOf(partition: string, tap: DigestTap): AsyncIterable<AuditRecord> {
    const cursor = this.log.find({ partition }).sort({ seq: 1 }).batchSize(5000);
    try {
      for await (const doc of cursor) {
        const rec = recordFromDoc(doc as mongo.Document);
        tap.see(rec);
        yield rec;
      }
    } finally {
      await cursor.close();
    }
  }
}

/** Chains read at once by verify: the client hashes one batch while the server reads another. */
const VERIFY_CONCURRENCY = 4;

/** Per target type, the digest of the latest record (by `at`) that carries one — what {@link AuditChainStore.recordedDigests} reads, collected on the way. */
class DigestTap {
  private readonly latest = new Map<string, Map<string, { at: number; digest: string }>>();

  constructor(private readonly types: ReadonlySet<string>) {}

  see(rec: AuditRecord): void {
    if (rec.digest === undefined || !this.types.has(rec.target.type)) return;
    let byId = this.latest.get(rec.target.type);
    if (!byId) this.latest.set(rec.target.type, (byId = new Map()));
    const at = new Date(rec.at).getTime();
    const seen = byId.get(rec.target.id);
    if (!seen || at >= seen.at) byId.set(rec.target.id, { at, digest: rec.digest });
  }

  of(type: string): Map<string, string> {
    return new Map([...(this.latest.get(type) ?? new Map<string, { at: number; digest: string }>())].map(([id, v]) => [id, v.digest]));
  }
}

function sameHeads(a: readonly ChainHead[], b: readonly ChainHead[]): boolean {
  if (a.length !== b.length) return false;
  const byPartition = new Map(a.map((h) => [h.partition, h]));
  return b.every((h) => byPartition.get(h.partition)?.seq === h.seq && byPartition.get(h.partition)?.hash === h.hash);
}
