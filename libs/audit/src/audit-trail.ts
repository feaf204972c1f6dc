import { Clock, currentRequestContext, isDuplicateKey } from '@app/platform';
import type { AsyncLocalStorage } from 'node:async_hooks';
import { Connection, mongo } from 'mongoose';
import { genesisHash, genesisHead, partitionId, recordHash, shardOf, tenantKeyOf } from './chain';
import { auditError } from './audit.errors';
import { AuditActor, AuditBody, AuditEntry, AuditRecord, ChainHead, PartitionId } from './record';
import { toSummary } from './summary';

export const AUDIT_LOG = 'audit_log';
export const AUDIT_HEADS = 'audit_heads';

/** What a use case gets inside {@link AuditTrail.commit}: the transaction's session and a place to say what it changed. */
export interface AuditTx {
  readonly session: ClientSession;
  record(entry: AuditEntry): void;
}

export interface AuditTrailOptions {
  /** This process's writer id (AUDIT_WRITER): its chains are `<writer>.<shard>`. */
  readonly writer: string;
  /** Buckets per writer (AUDIT_PARTITIONS). */
  readonly partitions: number;
  readonly clock: Clock;
  /** Attempts of the whole transaction on a transient error (write conflict, a head moved by another process); 16 with jittered backoff ≈ 1 s before AUDIT_COMMIT_CONFLICT. */
  readonly maxAttempts?: number;
}

type ClientSession = mongo.ClientSession;
type Document = mongo.Document;

/** Mongoose's (untyped) store for transactionAsyncLocalStorage: the session its model calls pick up. */
type TransactionStorage = AsyncLocalStorage<{ session: ClientSession }>;
const transactionStorage = (connection: Connection): TransactionStorage | undefined =>
  (connection.base as unknown as { transactionAsyncLocalStorage?: TransactionStorage }).transactionAsyncLocalStorage;

const ACTION = /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)+$/;

/** A use-case bug, not bad input: a change that cannot say what it is must not commit. */
function checkedEntry(e: AuditEntry): AuditEntry {
  const bad = (what: string) => new TypeError(`audit entry: ${what}`);
  if (typeof e.action !== 'string' || !ACTION.test(e.action)) throw bad(`action "${String(e.action)}" is not a dotted code`);
  if (!e.target || typeof e.target.type !== 'string' || !e.target.type || typeof e.target.id !== 'string' || !e.target.id) throw bad('target needs a type and an id');
  if (!e.tenant || (e.tenant.regionCode !== undefined && !/^\d{6}$/.test(e.tenant.regionCode))) throw bad('tenant.regionCode must be 6 digits');
  if (e.digest !== undefined && !/^[0-9a-f]{64}$/.test(e.digest)) throw bad('digest must be a SHA-256 hex string');
  if (e.reason !== undefined && (typeof e.reason !== 'string' || e.reason.trim() === '' || e.reason.length > 2000)) throw bad('reason must be 1–2000 characters');
  return e;
}

function actorRecord(actor: AuditActor): AuditActor {
  if (actor.kind === 'system') {
    if (!actor.reason?.trim()) throw new TypeError('audit actor: a system actor needs a reason');
    return { kind: 'system', reason: actor.reason.trim() };
  }
  return prune({ kind: 'user', id: actor.id, role: actor.role, organisationId: actor.organisationId, regionCode: actor.regionCode }) as AuditActor;
}

function prune<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function isTransient(e: unknown): boolean {
  const err = e as { hasErrorLabel?: (label: string) => boolean; code?: unknown };
  return err?.hasErrorLabel?.('TransientTransactionError') === true || err?.code === 112 || e instanceof HeadMoved;
}

/** The (partition, seq) index refused the record: someone else wrote that sequence number (a same-id twin process). */
const isSeqTaken = (e: unknown) => isDuplicateKey(e) && /partition_seq/.test(String((e as { message?: unknown }).message));

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A chain's last committed record, from the log itself (the head document trails it); genesis when empty. */
export async function lastRecordOf(log: mongo.Collection, partition: PartitionId, session?: ClientSession): Promise<ChainHead> {
  const last = await log.find({ partition }, { session, projection: { seq: 1, hash: 1 } }).sort({ seq: -1 }).limit(1).next();
  return last ? { partition, seq: last.seq as number, hash: last.hash as string } : genesisHead(partition);
}

/**
 * Moves a head document forward only, so a late or repeated advance never moves it back. Heads
 * are not written inside the commits: a document every commit to the chain updated would make
 * each one's snapshot (taken at its first write, before its turn) conflict with the commit before
 * it. The (partition, seq) index keeps sequence numbers unique; the head trails the log, so
 * verify notices a tail cut below it.
 */
export async function advanceHead(heads: mongo.Collection<{ _id: string; seq: number; hash: string; at?: Date }>, partition: PartitionId, head: { seq: number; hash: string }, clock: Clock): Promise<void> {
  await heads.updateOne({ _id: partition, seq: { $lt: head.seq } }, { $set: { seq: head.seq, hash: head.hash, at: new Date(clock.now()) } });
}

/** Another process advanced the partition since this one cached its head. */
class HeadMoved extends Error {}

/**
 * The session of the transaction {@link AuditTrail.commit} is running, if any. Model and query calls
 * pick it up by themselves; a repository that goes to `model.collection` directly (for BSON
 * control or speed) passes it on with this.
 */
export function activeSession(connection: Connection): ClientSession | undefined {
  return transactionStorage(connection)?.getStore()?.session;
}

export function recordFromDoc(doc: Document): AuditRecord {
  const { _id, ...rest } = doc;
  return { id: (_id as mongo.ObjectId).toHexString(), ...(rest as Omit<AuditRecord, 'id'>) };
}

/**
 * Where this process's chain stands: its last chained record (committed or still in flight) and
 * whether that record's transaction committed. A failure starts a new epoch, so a link that
 * fails late cannot throw away a tail chained after the failure was noticed.
 */
interface ChainTail {
  readonly head: ChainHead;
  readonly committed: Promise<boolean>;
  readonly epoch: number;
}

/** One commit's place on its chain: the records to insert, the link it hangs on and how to report its outcome. */
interface ChainLink {
  readonly docs: Document[];
  readonly after: ChainHead;
  readonly predecessor: Promise<boolean>;
  readonly epoch: number;
  settle(committed: boolean): void;
}

/**
 * The one way a use case commits a state change: its writes and their audit records in one
 * MongoDB transaction, the records appended to a hash chain. A change whose record cannot be
 * written does not commit, and a record never exists without its change.
 *
 * Each process appends to its own chains (writer id), sharded by tenant so unrelated writes do
 * not queue behind each other. Commits to one chain are pipelined: a commit takes its place on the
 * chain (sequence numbers and hashes, chained to the record before it even while that one is still
 * in flight), inserts its records alongside the others, and sends its commit only once the commit
 * before it on the chain has succeeded — so the chain in the database never has a gap, and the only
 * wait a commit has on its chain is its predecessor's commit. When a commit fails, every commit
 * chained after it fails too (its prevHash names a record that does not exist) and retries from the
 * start on the chain as stored. A second process with the same writer id is kept out by the unique
 * (partition, seq) index: a sequence number taken makes the transaction retry from the start.
 */
export class AuditTrail {
  private readonly tails = new Map<PartitionId, ChainTail>();
  private readonly epochs = new Map<PartitionId, number>();
  private readonly turns = new Map<PartitionId, Promise<void>>();
  private readonly log: mongo.Collection;
  private readonly headDocs: mongo.Collection<{ _id: string; seq: number; hash: string; at?: Date }>;

  constructor(
    private readonly connection: Connection,
    private readonly options: AuditTrailOptions,
  ) {
    // Repositories take no session parameter: inside commit() mongoose hands every model
    // operation the transaction's session through this AsyncLocalStorage.
    if (!transactionStorage(connection)) connection.base.set('transactionAsyncLocalStorage', true);
    this.log = connection.collection(AUDIT_LOG);
    this.headDocs = connection.collection(AUDIT_HEADS);
  }

  /** Indexes and one head per partition, before the first write. */
  async init(): Promise<void> {
    await this.log.createIndex({ partition: 1, seq: 1 }, { unique: true, name: 'partition_seq' });
    await this.log.createIndex({ at: -1 }, { name: 'at' });
    await this.log.createIndex({ 'tenant.regionCode': 1, at: -1 }, { name: 'tenant_region_at' });
    await this.log.createIndex({ 'tenant.institutionId': 1, at: -1 }, { name: 'tenant_institution_at' });
    await this.log.createIndex({ 'target.id': 1, at: -1 }, { name: 'target_at' });
    await this.log.createIndex({ 'actor.id': 1, at: -1 }, { name: 'actor_at' });
    await this.log.createIndex({ action: 1, at: -1 }, { name: 'action_at' });
    for (let shard = 0; shard < this.options.partitions; shard++) {
      const p = partitionId(this.options.writer, shard);
      await this.headDocs.updateOne({ _id: p }, { $setOnInsert: { seq: 0, hash: genesisHash(p) } }, { upsert: true });
      // Heads move at checkpoints (AuditChainStore), and here: a restarted writer's chains are caught up.
      const last = await lastRecordOf(this.log, p);
      if (last.seq > 0) await advanceHead(this.headDocs, p, last, this.options.clock);
    }
  }

  /**
   * Runs `work` in a transaction and commits it with the records it made through `tx.record`.
   * `work` may run more than once (a write conflict retries the whole transaction), so it must
   * do nothing outside the database that a retry would repeat.
   */
  async commit<T>(actor: AuditActor, work: (tx: AuditTx) => Promise<T>): Promise<T> {
    const who = actorRecord(actor);
    const maxAttempts = this.options.maxAttempts ?? 16;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attempt(who, work);
      } catch (e) {
        if (isTransient(e)) {
          if (attempt < maxAttempts) {
            // Another process sharing the writer id may hold the head until its commit: give it that long.
            await sleep(Math.random() * 2 ** Math.min(attempt, 7));
            continue;
          }
          throw auditError('AUDIT_COMMIT_CONFLICT', { attempts: attempt });
        }
        throw e;
      }
    }
  }

  private async attempt<T>(who: AuditActor, work: (tx: AuditTx) => Promise<T>): Promise<T> {
    const als = transactionStorage(this.connection);
    const session = this.connection.getClient().startSession();
    try {
      session.startTransaction({ readConcern: { level: 'snapshot' }, writeConcern: { w: 'majority' } });
      const entries: AuditEntry[] = [];
      const tx: AuditTx = { session, record: (e) => void entries.push(checkedEntry(e)) };
      const result = als ? await new Promise<T>((resolve, reject) => als.run({ session }, () => work(tx).then(resolve, reject))) : await work(tx);
      if (entries.length === 0) throw new TypeError('audit: a state change must record at least one audit entry');
      const partition = partitionId(this.options.writer, shardOf(tenantKeyOf(entries[0].tenant), this.options.partitions));
      await this.append(session, who, entries, partition);
      return result;
    } catch (e) {
      if (session.inTransaction()) await session.abortTransaction().catch(() => undefined);
      throw e;
    } finally {
      await session.endSession().catch(() => undefined);
    }
  }

  /** A read of sensitive data (an unmasked ID number, a face image): recorded, nothing else changes. */
  async recordRead(actor: AuditActor, entry: AuditEntry): Promise<void> {
    await this.commit(actor, async (tx) => tx.record(entry));
  }

  /** Chains the records, inserts them and commits once the chain's previous commit has. */
  private async append(session: ClientSession, actor: AuditActor, entries: readonly AuditEntry[], partition: PartitionId): Promise<void> {
    const link = await this.inTurn(partition, () => this.chain(actor, entries, partition));
    try {
      await this.log.insertMany(link.docs, { session, ordered: true });
      // A predecessor that did not commit leaves these records pointing at nothing: start again.
      if (!(await link.predecessor)) throw new HeadMoved(`audit partition ${partition}: the commit before seq ${link.after.seq} failed`);
      await this.commitDurably(session);
      link.settle(true);
    } catch (e) {
      link.settle(false);
      this.forget(partition, link.epoch);
      if (isSeqTaken(e)) throw new HeadMoved(`audit partition ${partition} moved past seq ${link.after.seq}`);
      throw e;
    }
  }

  /**
   * The records' place on the chain, after the last one this process chained (read from the log
   * when it knows none, e.g. after a failure). The caller holds the chain's turn, which lasts only
   * this long: the hashes are computed here, the round trips happen outside it.
   */
  private async chain(actor: AuditActor, entries: readonly AuditEntry[], partition: PartitionId): Promise<ChainLink> {
    const { requestId, ip } = currentRequestContext();
    const tail = this.tails.get(partition);
    const head = tail?.head ?? (await lastRecordOf(this.log, partition));
    const epoch = this.epochs.get(partition) ?? 0;
    let { seq, hash } = head;
    const at = new Date(this.options.clock.now());
    const docs: Document[] = entries.map((e) => {
      const body: AuditBody = prune({
        v: 1,
        partition,
        prevHash: hash,
        at,
        actor,
        requestId,
        ip,
        action: e.action,
        target: { type: e.target.type, id: e.target.id },
        tenant: prune({ institutionId: e.tenant.institutionId, regionCode: e.tenant.regionCode }),
        before: toSummary(e.before),
        after: toSummary(e.after),
        reason: e.reason?.trim(),
        digest: e.digest,
      }) as AuditBody;
      seq += 1;
      hash = recordHash(body);
      return { _id: new mongo.ObjectId(), ...body, seq, hash };
    });
    let settle!: (committed: boolean) => void;
    const committed = new Promise<boolean>((resolve) => (settle = resolve));
    const after: ChainHead = { partition, seq, hash };
    this.tails.set(partition, { head: after, committed, epoch });
    return { docs, after, predecessor: tail?.committed ?? Promise.resolve(true), epoch, settle };
  }

  /** A commit of this epoch failed: what this process chained since is void, the next commit reads the chain from the log. */
  private forget(partition: PartitionId, epoch: number): void {
    if ((this.epochs.get(partition) ?? 0) !== epoch) return;
    this.epochs.set(partition, epoch + 1);
    this.tails.delete(partition);
  }

  /** The driver's own rule: a commit whose outcome is unknown is retried as a commit (it is idempotent). */
  private async commitDurably(session: ClientSession): Promise<void> {
    for (let i = 0; ; i++) {
      try {
        await session.commitTransaction();
        return;
      } catch (e) {
        const unknown = (e as { hasErrorLabel?: (l: string) => boolean }).hasErrorLabel?.('UnknownTransactionCommitResult');
        if (!unknown || i >= 3) throw e;
      }
    }
  }

  private async inTurn<T>(partition: PartitionId, fn: () => Promise<T>): Promise<T> {
    const before = this.turns.get(partition) ?? Promise.resolve();
    let done!: () => void;
    const gate = new Promise<void>((resolve) => (done = resolve));
    const mine = before.then(() => gate);
    this.turns.set(partition, mine);
    await before;
    try {
      return await fn();
    } finally {
      done();
      if (this.turns.get(partition) === mine) this.turns.delete(partition);
    }
  }
}
