import { BSON, Document, UUID } from 'bson';
import * as fs from 'fs';
import * as path from 'path';
import { open, RootDatabase, Database } from 'lmdb';
import { performance } from 'perf_hooks';
import { DurationCounts } from '../metrics';
import { compareValues } from '../query/sort';
import { CommandError, ErrorCodes } from '../errors';
import { decodeTyped } from '../wire/frames';
import { CollMeta, ID_INDEX_NAME, IndexMeta, IndexSpec, indexCovers, isBtreeKey, ns } from './catalog';
import { duplicateKeyError } from './dup-key';
import { KEY_MAX, KeyPrimitive, docKey, encodeValue, hasPath, indexEntries, IndexKeyEntry } from './keys';

export type Key = KeyPrimitive[];

interface WriteJob {
  fn: (w: Writer) => unknown;
  atomic: boolean;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}
type ReadTxn = ReturnType<RootDatabase['useReadTransaction']>;

/**
 * Thrown by a job sharing a group commit that failed after it began to mutate: its partial work
 * must not commit, so the batch's lmdb transaction is rolled back, the job rejected with `cause`
 * and the other jobs run again in a new one.
 */
export class BatchAbort extends Error {
  constructor(override readonly cause: unknown) {
    super('write batch aborted');
  }
}
export interface ReadOpts {
  transaction?: ReadTxn;
}

const PRESENT = Buffer.from([1]);
const SEQ_KEY = '\u0000seq';

/** Stored documents keep their numeric BSON types (integral doubles, int64, decimal) through any rewrite. */
export function decodeDoc(bytes: Uint8Array): Document {
  return decodeTyped(bytes);
}

export function encodeDoc(doc: Document): Buffer {
  return Buffer.from(BSON.serialize(doc, { checkKeys: false, ignoreUndefined: false }));
}

/** Puts _id first, as mongod does on insert. */
export function withIdFirst(doc: Document): Document {
  if (Object.keys(doc)[0] === '_id') return doc;
  const { _id, ...rest } = doc;
  return { _id, ...rest };
}

/**
 * lmdb environment with four named databases:
 *  - catalog: namespace → collection metadata (BSON)
 *  - docs:    [collId, idTag, idValue] → document BSON
 *  - index:   [indexId, ...field parts, idTag, idValue] → marker
 *  - unique:  [indexId, ...field parts] → [idTag, idValue] for unique indexes with layout 'exact'
 *             ([indexId, ...parts, idTag, idValue] → same, for an entry with a truncated value)
 *  - sys:     retryable-write records and other server state
 * One shared keyspace (ids as key prefixes) instead of one lmdb db per collection keeps
 * thousands of collections cheap and lets a single lmdb transaction touch any of them.
 */
export class Store {
  readonly env: RootDatabase;
  readonly catalogDb: Database<Buffer, string>;
  // Keys are ordered-binary arrays that may hold null, which lmdb's declared Key type omits.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly docs: Database<Buffer, any>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly index: Database<Buffer, any>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly unique: Database<Key, any>;
  readonly sys: Database<Buffer, string>;
  readonly colls = new Map<string, CollMeta>();
  seq = 0;

  constructor(readonly dbPath: string) {
    fs.mkdirSync(dbPath, { recursive: true });
    // Every open cursor pins a read snapshot (one lmdb reader slot per distinct snapshot).
    this.env = open({ path: path.join(dbPath, 'data.mdb'), maxDbs: 8, maxReaders: 1024 });
    this.catalogDb = this.env.openDB({ name: 'catalog', encoding: 'binary' });
    this.docs = this.env.openDB({ name: 'docs', encoding: 'binary' });
    this.index = this.env.openDB({ name: 'index', encoding: 'binary' });
    this.unique = this.env.openDB({ name: 'unique', encoding: 'ordered-binary' });
    this.sys = this.env.openDB({ name: 'sys', encoding: 'binary' });
    this.reloadCatalog();
  }

  async close(): Promise<void> {
    await this.env.close();
  }

  getColl(namespace: string): CollMeta | undefined {
    return this.colls.get(namespace);
  }

  listColls(db: string): CollMeta[] {
    return [...this.colls.values()].filter((c) => c.db === db);
  }

  databases(): string[] {
    return [...new Set([...this.colls.values()].map((c) => c.db))];
  }

  readTxn(): ReadTxn {
    return this.env.useReadTransaction();
  }

  getDocBytes(key: Key, opts?: ReadOpts): Buffer | undefined {
    return (this.docs.getBinary as (k: Key, o?: ReadOpts) => Buffer | undefined).call(this.docs, key, opts);
  }

  /**
   * Runs fn in a write transaction and resolves once its commit is on disk (durable before the
   * client hears "ok"). Writes queued in the same event-loop turn share one commit (see drain).
   * Statement writes and multi-document transaction commits validate before they mutate, so they
   * share one lmdb transaction (one fsync for the lot); a commit that fails after it began to
   * mutate throws {@link BatchAbort}, which rolls the batch back and reruns the others. `atomic`
   * work (index builds) gets a transaction of its own, so a throw rolls back exactly its changes.
   */
  write<T>(fn: (w: Writer) => T, atomic = false): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ fn, atomic, resolve: resolve as (v: unknown) => void, reject });
      if (!this.drainScheduled) {
        this.drainScheduled = true;
        setImmediate(() => this.drain());
      }
    });
  }

  private readonly pending: WriteJob[] = [];
  private drainScheduled = false;
  /** Wall time of each lmdb write transaction, fsync included (serverStatus `embedded.commits`). */
  readonly commitDurations = new DurationCounts();

  /**
   * Group commit. Everything queued while the event loop read its sockets (requests from every
   * connection) commits in one synchronous lmdb transaction. Its commit writes the pages and
   * fdatasyncs them before returning, on this thread: no hand-off to lmdb's write thread and back
   * (bench:db, findOneAndUpdate at 1,000/s: p99 3.9 → 2.2–2.6 ms), and one fsync per turn however many
   * writes it carries. The loop reads the next requests while nothing is committing.
   */
  private drain(): void {
    this.drainScheduled = false;
    const batch = this.pending.splice(0);
    for (let i = 0; i < batch.length; ) {
      let j = i + 1;
      if (!batch[i].atomic) while (j < batch.length && !batch[j].atomic) j++;
      const started = performance.now();
      this.commit(batch.slice(i, j));
      this.commitDurations.record(performance.now() - started);
      i = j;
    }
  }

  private commit(jobs: WriteJob[]): void {
    const atomic = jobs.length === 1 && jobs[0].atomic;
    const outcomes: Array<{ ok: boolean; v: unknown }> = [];
    let aborting: WriteJob | undefined;
    try {
      this.env.transactionSync(() => {
        for (const job of jobs) {
          const w = new Writer(this);
          try {
            outcomes.push({ ok: true, v: job.fn(w) });
          } catch (e) {
            // An atomic job's throw aborts its own transaction; a statement write's partial work commits.
            if (atomic) throw e;
            if (e instanceof BatchAbort) {
              aborting = job;
              throw e;
            }
            outcomes.push({ ok: false, v: e });
          }
          // Published at once so the next job in this transaction sees collections this one created.
          w.publish();
        }
      });
    } catch (e) {
      // Nothing of this transaction is on disk: drop catalog changes its jobs published in memory.
      this.reloadCatalog();
      if (aborting && e instanceof BatchAbort) {
        aborting.reject(e.cause);
        const others = jobs.filter((j) => j !== aborting);
        if (others.length > 0) this.commit(others);
        return;
      }
      for (const job of jobs) job.reject(e);
      return;
    }
    jobs.forEach((job, i) => (outcomes[i].ok ? job.resolve(outcomes[i].v) : job.reject(outcomes[i].v)));
  }

  private reloadCatalog(): void {
    this.colls.clear();
    this.seq = 0;
    for (const { key, value } of this.catalogDb.getRange()) {
      if (key === SEQ_KEY) this.seq = value.readUInt32LE(0);
      else this.colls.set(key, decodeDoc(value) as CollMeta);
    }
  }

  /** Document keys in [start, end] of the docs keyspace of one collection. */
  *scanDocs(collId: number, reverse: boolean, opts?: ReadOpts): Generator<{ key: Key; value: Buffer }> {
    const start: Key = [collId];
    const end = [collId, KEY_MAX] as unknown as Key;
    const range = this.docs.getRange({ start: reverse ? end : start, end: reverse ? start : end, reverse, ...opts } as never);
    for (const e of range as Iterable<{ key: Key; value: Buffer }>) yield e;
  }

  /** Keys of one index's entries from `start` (inclusive) to `end` (exclusive), in either layout. */
  *scanIndex(ix: IndexMeta, start: unknown[], end: unknown[], reverse: boolean, opts?: ReadOpts): Generator<Key> {
    const range = indexRange(start, end, reverse, opts);
    const keys = ix.layout === 'exact' ? this.unique.getKeys(range) : this.index.getKeys(range);
    for (const k of keys as Iterable<Key>) yield k;
  }

  /** Document keys of one index's entries in [start, end], in index order. */
  *scanIndexDocs(collId: number, ix: IndexMeta, start: unknown[], end: unknown[], reverse: boolean, opts?: ReadOpts): Generator<Key> {
    const range = indexRange(start, end, reverse, opts);
    if (ix.layout === 'exact') {
      for (const { value } of this.unique.getRange(range) as Iterable<{ value: Key }>) yield [collId, value[0], value[1]];
    } else {
      for (const k of this.index.getKeys(range) as Iterable<Key>) yield docKeyOfEntry(collId, k);
    }
  }

  countDocs(collId: number, opts?: ReadOpts): number {
    return this.docs.getKeysCount({ start: [collId], end: [collId, KEY_MAX] as unknown as Key, ...opts } as never);
  }
}

/**
 * lmdb options for the keys k with start ≤ k < end, walked in either direction. A reverse walk
 * begins at `end`, and lmdb counts its first bound in and its last out, so both are flipped: an
 * exact-layout key can equal a bound (id-suffixed keys never do).
 */
function indexRange(start: unknown[], end: unknown[], reverse: boolean, opts?: ReadOpts): never {
  if (!reverse) return { start, end, ...opts } as never;
  return { start: end, end: start, reverse, exclusiveStart: true, inclusiveEnd: true, ...opts } as never;
}

/** Document key of the document an index entry of the id-suffixed layout points at. */
export function docKeyOfEntry(collId: number, entry: Key): Key {
  return [collId, entry[entry.length - 2], entry[entry.length - 1]];
}

/**
 * Where one index entry of the document `key` is stored. Layout 'exact' keys a unique entry by its
 * values alone, unless a value was truncated (then two documents may share the key prefix, so the
 * id stays in the key and the duplicate check compares real values).
 */
function entryKey(ix: IndexMeta, e: IndexKeyEntry, key: Key): Key {
  return ix.layout === 'exact' && !e.truncated ? [ix.id, ...e.parts] : [ix.id, ...e.parts, key[1], key[2]];
}

/**
 * The duplicate-key error a new index entry would cause, if another document (not `self`, and
 * not one `skip` says is being rewritten) already holds the same key.
 */
export function uniqueViolation(
  store: Store,
  meta: CollMeta,
  ix: IndexMeta,
  e: IndexKeyEntry,
  self: Key,
  skip?: (other: Key) => boolean,
  opts?: ReadOpts,
): CommandError | null {
  if (ix.layout === 'exact' && !e.truncated) {
    // Only an exact key can hold the same untruncated values; id-suffixed keys sharing the prefix
    // hold longer (truncated) values, which differ from these.
    const holder = store.unique.get([ix.id, ...e.parts], opts as never) as Key | undefined;
    if (!holder || (holder[0] === self[1] && holder[1] === self[2]) || skip?.([meta.id, holder[0], holder[1]])) return null;
    return duplicateKeyError(ns(meta), ix.spec.name, ix.spec.key, keyValueOf(ix, e));
  }
  for (const otherKey of store.scanIndexDocs(meta.id, ix, [ix.id, ...e.parts], [ix.id, ...e.parts, KEY_MAX], false, opts)) {
    if (otherKey[1] === self[1] && otherKey[2] === self[2]) continue;
    if (skip && skip(otherKey)) continue;
    // A key here may be a truncation of a longer value (this entry's or the other's: a 160-char
    // string keys like every longer string it begins), so the real values decide. Only hits pay this.
    const other = store.getDocBytes(otherKey, opts);
    if (!other) continue;
    const otherEntries = indexEntries(decodeDoc(other), ix.fields);
    if (!otherEntries.some((o) => o.values.every((v, i) => compareValues(v, e.values[i]) === 0))) continue;
    return duplicateKeyError(ns(meta), ix.spec.name, ix.spec.key, keyValueOf(ix, e));
  }
  return null;
}

export function keyValueOf(ix: IndexMeta, e: IndexKeyEntry): Document {
  const keyValue: Document = {};
  ix.fields.forEach((f, i) => (keyValue[f] = e.values[i] ?? null));
  return keyValue;
}

/** Index entries a document contributes to one index (none when sparse/partial exclude it). */
export function entriesOf(ix: IndexMeta, doc: Document): IndexKeyEntry[] {
  if (!ix.btree || ix.spec.name === ID_INDEX_NAME) return [];
  if (!indexCovers(ix, doc, hasPath)) return [];
  return indexEntries(doc, ix.fields);
}

function makeIndexMeta(id: number, spec: IndexSpec, layout: IndexLayout): IndexMeta {
  const fields = Object.keys(spec.key);
  const btree = isBtreeKey(spec.key);
  const ix: IndexMeta = { id, spec, fields, btree, multikey: false };
  if (layout === 'exact' && btree && spec.unique && spec.name !== ID_INDEX_NAME) ix.layout = 'exact';
  return ix;
}

/** 'range' builds a unique index the way versions before the exact layout did (kept readable and writable). */
export type IndexLayout = 'exact' | 'range';

/** All mutations happen through a Writer, inside one lmdb write transaction. */
export class Writer {
  private readonly changed = new Map<string, CollMeta | null>();
  private seq: number;

  constructor(private readonly store: Store) {
    this.seq = store.seq;
  }

  /** Makes catalog changes visible to later transactions once this one's callback has succeeded. */
  publish(): void {
    for (const [name, meta] of this.changed) {
      if (meta) this.store.colls.set(name, meta);
      else this.store.colls.delete(name);
    }
    this.store.seq = this.seq;
  }

  private nextId(): number {
    this.seq += 1;
    const b = Buffer.alloc(4);
    b.writeUInt32LE(this.seq, 0);
    this.store.catalogDb.put(SEQ_KEY, b);
    return this.seq;
  }

  getColl(namespace: string): CollMeta | undefined {
    if (this.changed.has(namespace)) return this.changed.get(namespace) ?? undefined;
    return this.store.colls.get(namespace);
  }

  private saveColl(meta: CollMeta): void {
    this.changed.set(ns(meta), meta);
    this.store.catalogDb.put(ns(meta), encodeDoc(meta));
  }

  createColl(db: string, name: string, options: Document = {}): CollMeta {
    if (this.getColl(`${db}.${name}`)) {
      throw new CommandError(ErrorCodes.NamespaceExists, `Collection ${db}.${name} already exists.`);
    }
    const meta: CollMeta = {
      id: this.nextId(),
      db,
      name,
      options,
      uuidHex: new UUID().toHexString(false),
      indexes: [],
    };
    if (!options.viewOn) meta.indexes.push(makeIndexMeta(this.nextId(), { v: 2, key: { _id: 1 }, name: ID_INDEX_NAME }, 'range'));
    this.saveColl(meta);
    return meta;
  }

  ensureColl(db: string, name: string): CollMeta {
    return this.getColl(`${db}.${name}`) ?? this.createColl(db, name);
  }

  dropColl(meta: CollMeta): void {
    const s = this.store;
    for (const { key } of s.scanDocs(meta.id, false)) s.docs.remove(key);
    for (const ix of meta.indexes) this.clearIndex(ix);
    s.catalogDb.remove(ns(meta));
    this.changed.set(ns(meta), null);
  }

  /** Persists changed collection options or index options. */
  updateColl(meta: CollMeta): void {
    this.saveColl(meta);
  }

  renameColl(meta: CollMeta, toDb: string, toName: string): void {
    this.store.catalogDb.remove(ns(meta));
    this.changed.set(ns(meta), null);
    this.saveColl({ ...meta, db: toDb, name: toName });
  }

  private clearIndex(ix: IndexMeta): void {
    const db = ix.layout === 'exact' ? this.store.unique : this.store.index;
    for (const k of this.store.scanIndex(ix, [ix.id], [ix.id, KEY_MAX], false)) db.remove(k);
  }

  private putEntry(ix: IndexMeta, e: IndexKeyEntry, key: Key): void {
    if (ix.layout === 'exact') this.store.unique.put(entryKey(ix, e, key), [key[1], key[2]]);
    else this.store.index.put(entryKey(ix, e, key), PRESENT);
  }

  private removeEntry(ix: IndexMeta, e: IndexKeyEntry, key: Key): void {
    (ix.layout === 'exact' ? this.store.unique : this.store.index).remove(entryKey(ix, e, key));
  }

  /**
   * Builds a new index over the existing documents; throws on a unique violation, leaving nothing
   * behind. `layout` 'range' is only for reproducing indexes built by earlier versions.
   */
  createIndex(meta: CollMeta, spec: IndexSpec, layout: IndexLayout = 'exact'): CollMeta {
    const ix = makeIndexMeta(this.nextId(), spec, layout);
    const next: CollMeta = { ...meta, indexes: [...meta.indexes, ix] };
    if (ix.btree) {
      for (const { key, value } of this.store.scanDocs(meta.id, false)) {
        const doc = decodeDoc(value);
        const entries = this.entriesFor(next, ix, doc);
        if (ix.spec.unique) for (const e of entries) this.checkUnique(next, ix, e, key);
        for (const e of entries) this.putEntry(ix, e, key);
      }
    }
    this.saveColl(next);
    return next;
  }

  dropIndex(meta: CollMeta, name: string): CollMeta {
    const ix = meta.indexes.find((i) => i.spec.name === name);
    if (!ix) throw new CommandError(ErrorCodes.IndexNotFound, `index not found with name [${name}]`);
    this.clearIndex(ix);
    const next = { ...meta, indexes: meta.indexes.filter((i) => i !== ix) };
    this.saveColl(next);
    return next;
  }

  private entriesFor(meta: CollMeta, ix: IndexMeta, doc: Document): IndexKeyEntry[] {
    const entries = entriesOf(ix, doc);
    if (entries.length > 1 && !ix.multikey) {
      // Persisted so that scans know they must dedupe documents; never reset (conservative).
      ix.multikey = true;
      this.saveColl(meta);
    }
    return entries;
  }

  private checkUnique(meta: CollMeta, ix: IndexMeta, e: IndexKeyEntry, self: Key): void {
    const err = uniqueViolation(this.store, meta, ix, e, self);
    if (err) throw err;
  }

  /**
   * The hot path of every insert: lmdb's no-overwrite put is both the duplicate check and the
   * write for the document (_id) and for each exact unique entry, so an insert costs no lookups.
   * The first refusal undoes what this insert wrote before it, in the same lmdb transaction.
   */
  insert(meta: CollMeta, doc: Document, encoded?: Buffer): Key {
    const key = docKey(meta.id, doc._id);
    const bytes = encoded ?? encodeDoc(doc);
    checkDocSize(bytes);
    const all = meta.indexes.map((ix) => this.entriesFor(meta, ix, doc));
    // Entries that cannot be claimed by a put (older layout, truncated values) are checked first.
    meta.indexes.forEach((ix, i) => {
      if (!ix.spec.unique) return;
      for (const e of all[i]) {
        if (ix.layout === 'exact' && !e.truncated) continue;
        const err = uniqueViolation(this.store, meta, ix, e, key);
        if (err) {
          this.idTaken(meta, key, doc);
          throw err;
        }
      }
    });
    if (!putNew(this.store.docs, key, bytes)) throw idDuplicate(meta, doc);
    const written: Array<{ ix: IndexMeta; e: IndexKeyEntry }> = [];
    meta.indexes.forEach((ix, i) => {
      for (const e of all[i]) {
        if (ix.layout === 'exact' && !e.truncated) {
          if (!putNew(this.store.unique, entryKey(ix, e, key), [key[1], key[2]])) {
            this.store.docs.remove(key);
            for (const w of written) this.removeEntry(w.ix, w.e, key);
            throw duplicateKeyError(ns(meta), ix.spec.name, ix.spec.key, keyValueOf(ix, e));
          }
        } else this.putEntry(ix, e, key);
        written.push({ ix, e });
      }
    });
    return key;
  }

  /** mongod reports a clashing _id before any other index (the _id index comes first). */
  private idTaken(meta: CollMeta, key: Key, doc: Document): void {
    if (this.store.docs.doesExist(key)) throw idDuplicate(meta, doc);
  }

  replace(meta: CollMeta, key: Key, oldDoc: Document, newDoc: Document, encoded?: Buffer): void {
    const bytes = encoded ?? encodeDoc(newDoc);
    checkDocSize(bytes);
    const plans = meta.indexes.map((ix) => {
      const before = this.entriesFor(meta, ix, oldDoc);
      const after = this.entriesFor(meta, ix, newDoc);
      const b = new Map(before.map((e) => [JSON.stringify(e.parts), e]));
      const a = new Map(after.map((e) => [JSON.stringify(e.parts), e]));
      return {
        ix,
        removed: before.filter((e) => !a.has(JSON.stringify(e.parts))),
        added: after.filter((e) => !b.has(JSON.stringify(e.parts))),
      };
    });
    for (const p of plans) if (p.ix.spec.unique) for (const e of p.added) this.checkUnique(meta, p.ix, e, key);
    this.store.docs.put(key, bytes);
    for (const p of plans) {
      for (const e of p.removed) this.removeEntry(p.ix, e, key);
      for (const e of p.added) this.putEntry(p.ix, e, key);
    }
  }

  remove(meta: CollMeta, key: Key, oldDoc: Document): void {
    this.store.docs.remove(key);
    for (const ix of meta.indexes) {
      for (const e of this.entriesFor(meta, ix, oldDoc)) this.removeEntry(ix, e, key);
    }
  }
}

/**
 * Writes key → value unless the key exists (lmdb's MDB_NOOVERWRITE); false when it was taken.
 * Inside a write transaction lmdb applies the put at once and says whether it did.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function putNew(db: Database<any, any>, key: Key, value: unknown): boolean {
  const put = db.put as unknown as (k: Key, v: unknown, options: { noOverwrite: true }) => unknown;
  const r = put.call(db, key, value, { noOverwrite: true }) as { isSync?: boolean; result?: boolean };
  // Outside a write transaction lmdb queues the put and answers later: the check would be lost.
  if (!r.isSync) throw new Error('Writer used outside an lmdb write transaction');
  return r.result === true;
}

function idDuplicate(meta: CollMeta, doc: Document): CommandError {
  return duplicateKeyError(ns(meta), ID_INDEX_NAME, { _id: 1 }, { _id: doc._id });
}

const MAX_BSON_SIZE = 16 * 1024 * 1024;
function checkDocSize(bytes: Buffer): void {
  if (bytes.length > MAX_BSON_SIZE) {
    throw new CommandError(ErrorCodes.BadValue, `object to insert too large. size in bytes: ${bytes.length}, max size: ${MAX_BSON_SIZE}`);
  }
}

export { encodeValue };
