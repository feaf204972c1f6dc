import { Clock, currentRequestContext } from '@app/platform';
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
const isSeqTaken = (e: unknown) => (e as { code?: unknown })?.code === 11000 && /partition_seq/.test(String((e as { message?: unknown }).message));

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
 * The one way a use case commits a state change: its writes and their audit records in one
 * MongoDB transaction, the records appended to a hash chain. A change whose record cannot be
 * written does not commit, and a record never exists without its change.
 *
 * Each process appends to its own chains (writer id), sharded by tenant so unrelated writes do
 * not queue behind each other. Within a chain this process takes turns (a promise chain per
 * partition) from the moment it reads the head until the commit is durable, so its own writers
 * never conflict. A second process with the same writer id is kept out by the unique (partition,
 * seq) index:
 * a sequence number taken makes the transaction retry from the start.
 */
export class AuditTrail {
  private readonly heads = new Map<PartitionId, ChainHead>();
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
    // Which chain the change went to, once known. A transaction's snapshot is taken at its first
    // write, before it waits for its turn on the chain; if another commit to that chain landed in
    // between, the head update conflicts. So a retry waits for the chain's turn before it starts:
    // then nothing of this process can commit to the chain between its snapshot and its commit.
    const chain: { partition?: PartitionId } = {};
    for (let attempt = 1; ; attempt++) {
      const held = chain.partition;
      try {
        return held ? await this.inTurn(held, () => this.attempt(who, work, chain, held)) : await this.attempt(who, work, chain, undefined);
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

  private async attempt<T>(who: AuditActor, work: (tx: AuditTx) => Promise<T>, chain: { partition?: PartitionId }, held: PartitionId | undefined): Promise<T> {
    const als = transactionStorage(this.connection);
    const session = this.connection.getClient().startSession();
    try {
      session.startTransaction({ readConcern: { level: 'snapshot' }, writeConcern: { w: 'majority' } });
      const entries: AuditEntry[] = [];
      const tx: AuditTx = { session, record: (e) => void entries.push(checkedEntry(e)) };
      const result = als ? await new Promise<T>((resolve, reject) => als.run({ session }, () => work(tx).then(resolve, reject))) : await work(tx);
      if (entries.length === 0) throw new TypeError('audit: a state change must record at least one audit entry');
      const partition = partitionId(this.options.writer, shardOf(tenantKeyOf(entries[0].tenant), this.options.partitions));
      chain.partition = partition;
      await (partition === held ? this.append(session, who, entries, partition) : this.inTurn(partition, () => this.append(session, who, entries, partition)));
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

  /** Appends the records to the chain and commits; the caller holds the chain's turn. */
  private async append(session: ClientSession, actor: AuditActor, entries: readonly AuditEntry[], partition: PartitionId): Promise<void> {
    const { requestId, ip } = currentRequestContext();
    try {
      const head = this.heads.get(partition) ?? (await lastRecordOf(this.log, partition, session));
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
      try {
        await this.log.insertMany(docs, { session, ordered: true });
        await this.commitDurably(session);
      } catch (e) {
        if (isSeqTaken(e)) throw new HeadMoved(`audit partition ${partition} moved past seq ${head.seq}`);
        throw e;
      }
      this.heads.set(partition, { partition, seq, hash });
    } catch (e) {
      // Whatever happened, the cached head may be wrong now: the next writer reads it again.
      this.heads.delete(partition);
      throw e;
    }
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
