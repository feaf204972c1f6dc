import { Document } from 'bson';
import { CommandError, ErrorCodes, writeConflict } from '../errors';
import { WriteTarget } from '../ops/target';
import { Candidates, DocRef, StoreView, View, idKeyOf, ref } from '../query/view';
import { CollMeta, ID_INDEX_NAME, ns } from '../storage/catalog';
import { duplicateKeyError } from '../storage/dup-key';
import { docKey } from '../storage/keys';
import { BatchAbort, Key, Store, Writer, decodeDoc, encodeDoc, entriesOf, keyValueOf, uniqueViolation } from '../storage/store';

interface BufferedWrite {
  id: unknown;
  /** Bytes of the document in the transaction's snapshot (undefined: absent). */
  base: Buffer | undefined;
  /** Bytes after this transaction's writes (null: deleted). */
  after: Buffer | null;
}

/** Documents locked by an uncommitted transaction write; a second writer gets WriteConflict, as in mongod. */
const locks = new Map<string, Transaction>();

export type TxnState = 'in_progress' | 'committed' | 'aborted';

/**
 * A multi-document transaction: reads from an lmdb read snapshot overlaid with its own buffered
 * writes; commit re-checks every written document against the snapshot (first committer wins)
 * and applies all of them in one lmdb write transaction.
 */
export class Transaction {
  state: TxnState = 'in_progress';
  readonly startedAt = Date.now();
  private readonly snapshot;
  private readonly base: StoreView;
  private readonly writes = new Map<string, Map<string, BufferedWrite>>();
  private readonly created = new Map<string, CollMeta>();
  /**
   * Per namespace and unique index, which buffered document holds each key (its parts as JSON):
   * built from the buffer the first time an index is checked, then kept up to date by every
   * write, so checking a transaction of n writes is n lookups rather than n² decodes.
   */
  private readonly claimed = new Map<string, Map<string, Map<string, string>>>();
  readonly view: View;
  readonly target: WriteTarget;

  constructor(
    private readonly store: Store,
    readonly txnNumber: number,
  ) {
    this.snapshot = store.readTxn();
    this.base = new StoreView(store, { transaction: this.snapshot });
    this.view = this.makeView();
    this.target = this.makeTarget();
  }

  private release(): void {
    for (const [k, t] of locks) if (t === this) locks.delete(k);
    this.snapshot.done();
  }

  abort(): void {
    if (this.state !== 'in_progress') return;
    this.state = 'aborted';
    this.release();
  }

  private coll(namespace: string): CollMeta | undefined {
    return this.store.getColl(namespace) ?? this.created.get(namespace);
  }

  private bufferFor(namespace: string): Map<string, BufferedWrite> {
    let m = this.writes.get(namespace);
    if (!m) this.writes.set(namespace, (m = new Map()));
    return m;
  }

  private makeView(): View {
    return {
      coll: (namespace) => this.coll(namespace),
      getById: (meta: CollMeta, id: unknown): DocRef | undefined => {
        const w = this.writes.get(ns(meta))?.get(idKeyOf(id));
        if (w) return w.after ? refOf(w.after) : undefined;
        return this.store.getColl(ns(meta)) ? this.base.getById(meta, id) : undefined;
      },
      candidates: (meta: CollMeta, filter: Document, sort?: Document): Candidates => {
        const buffered = this.writes.get(ns(meta));
        const stored = this.store.getColl(ns(meta));
        const baseC = stored ? this.base.candidates(stored, filter, sort) : { iter: [], sorted: true };
        if (!buffered || buffered.size === 0) return baseC;
        return {
          sorted: false,
          iter: (function* () {
            for (const r of baseC.iter) if (!buffered.has(r.idKey)) yield r;
            for (const w of buffered.values()) if (w.after) yield refOf(w.after);
          })(),
        };
      },
    };
  }

  private makeTarget(): WriteTarget {
    return {
      view: this.view,
      collForWrite: (db: string, name: string): CollMeta => {
        const namespace = `${db}.${name}`;
        let meta = this.coll(namespace);
        if (!meta) {
          meta = { id: -1, db, name, options: {}, uuidHex: '', indexes: [] };
          this.created.set(namespace, meta);
        }
        return meta;
      },
      insert: (meta: CollMeta, doc: Document, bytes?: Buffer): void => {
        if (this.view.getById(meta, doc._id)) throw duplicateKeyError(ns(meta), ID_INDEX_NAME, { _id: 1 }, { _id: doc._id });
        this.record(meta, doc._id, doc, bytes);
      },
      replace: (meta: CollMeta, ref: DocRef, doc: Document, bytes?: Buffer): void => this.record(meta, ref.id, doc, bytes),
      remove: (meta: CollMeta, ref: DocRef): void => this.record(meta, ref.id, null),
    };
  }

  private record(meta: CollMeta, id: unknown, doc: Document | null, encoded?: Buffer): void {
    const namespace = ns(meta);
    const idKey = idKeyOf(id);
    const buf = this.bufferFor(namespace);
    let w = buf.get(idKey);
    if (!w) {
      const lockKey = `${namespace}|${idKey}`;
      const holder = locks.get(lockKey);
      if (holder && holder !== this && holder.state === 'in_progress') throw writeConflict();
      const stored = this.store.getColl(namespace);
      const snap = stored ? this.store.getDocBytes(docKey(stored.id, id), { transaction: this.snapshot }) : undefined;
      const current = stored ? this.store.getDocBytes(docKey(stored.id, id)) : undefined;
      if (!sameBytes(snap, current)) throw writeConflict();
      locks.set(lockKey, this);
      w = { id, base: snap, after: null };
      buf.set(idKey, w);
    }
    const bytes = doc ? (encoded ?? encodeDoc(doc)) : null;
    if (doc) this.checkUnique(meta, id, doc);
    this.reclaim(namespace, idKey, w.after, doc);
    w.after = bytes;
  }

  /** Moves a document's claims on the unique keys from its previous buffered version to the new one. */
  private reclaim(namespace: string, idKey: string, before: Buffer | null, after: Document | null): void {
    const byIndex = this.claimed.get(namespace);
    if (!byIndex || byIndex.size === 0) return;
    const stored = this.store.getColl(namespace);
    const old = before ? decodeDoc(before) : null;
    for (const ix of stored?.indexes ?? []) {
      const keys = byIndex.get(ix.spec.name);
      if (!keys) continue;
      if (old) for (const e of entriesOf(ix, old)) if (keys.get(partsOf(e)) === idKey) keys.delete(partsOf(e));
      if (after) for (const e of entriesOf(ix, after)) keys.set(partsOf(e), idKey);
    }
  }

  /** The unique keys of one index held by this transaction's buffered documents. */
  private claimsOf(namespace: string, ix: CollMeta['indexes'][number]): Map<string, string> {
    let byIndex = this.claimed.get(namespace);
    if (!byIndex) this.claimed.set(namespace, (byIndex = new Map()));
    let keys = byIndex.get(ix.spec.name);
    if (!keys) {
      keys = new Map();
      for (const [k, w] of this.writes.get(namespace) ?? []) if (w.after) for (const e of entriesOf(ix, decodeDoc(w.after))) keys.set(partsOf(e), k);
      byIndex.set(ix.spec.name, keys);
    }
    return keys;
  }

  /** Unique indexes, checked against committed data and this transaction's other writes. */
  private checkUnique(meta: CollMeta, id: unknown, doc: Document): void {
    const namespace = ns(meta);
    const stored = this.store.getColl(namespace);
    if (!stored) return;
    const buf = this.writes.get(namespace);
    const self = docKey(stored.id, id);
    const selfKey = idKeyOf(id);
    const rewritten = (k: Key): boolean => !!buf?.has(JSON.stringify([k[1], k[2]]));
    for (const ix of stored.indexes) {
      if (!ix.spec.unique) continue;
      const claims = buf && buf.size > 0 ? this.claimsOf(namespace, ix) : undefined;
      for (const e of entriesOf(ix, doc)) {
        const err = uniqueViolation(this.store, stored, ix, e, self, rewritten);
        if (err) throw err;
        const holder = claims?.get(partsOf(e));
        if (holder !== undefined && holder !== selfKey) throw duplicateKeyError(ns(stored), ix.spec.name, ix.spec.key, keyValueOf(ix, e));
      }
    }
  }

  /**
   * Applies every buffered write atomically; throws WriteConflict if a written document changed
   * since the snapshot, DuplicateKey if a unique key was taken meanwhile. Everything is checked
   * before anything is written, so the commit can share the store's group commit (one fsync with
   * the other writes of its turn); a failure past that point aborts the whole batch.
   */
  async commit(): Promise<void> {
    if (this.state !== 'in_progress') throw new CommandError(ErrorCodes.NoSuchTransaction, `Transaction ${this.txnNumber} has been aborted.`);
    try {
      await this.store.write((w) => {
        for (const [namespace, buf] of this.writes) {
          const stored = w.getColl(namespace);
          for (const bw of buf.values()) {
            const cur = stored ? this.store.getDocBytes(docKey(stored.id, bw.id)) : undefined;
            if (!sameBytes(cur, bw.base)) throw writeConflict();
          }
        }
        // Another commit since this transaction's writes may have taken one of its unique keys.
        for (const [namespace, buf] of this.writes) {
          const stored = w.getColl(namespace);
          if (!stored) continue;
          for (const bw of buf.values()) if (bw.after) this.checkUnique(stored, bw.id, decodeDoc(bw.after));
        }
        try {
          this.apply(w);
        } catch (e) {
          throw new BatchAbort(e);
        }
      });
      this.state = 'committed';
    } catch (e) {
      this.state = 'aborted';
      throw e;
    } finally {
      this.release();
    }
  }

  /** The buffered writes, into the batch's lmdb transaction (checked by {@link commit} first). */
  private apply(w: Writer): void {
    for (const [namespace, buf] of this.writes) {
      const dot = namespace.indexOf('.');
      let meta = w.ensureColl(namespace.slice(0, dot), namespace.slice(dot + 1));
      for (const bw of buf.values()) {
        const key = docKey(meta.id, bw.id);
        if (bw.base && bw.after) w.replace(meta, key, decodeDoc(bw.base), decodeDoc(bw.after), bw.after);
        else if (bw.base && !bw.after) w.remove(meta, key, decodeDoc(bw.base));
        else if (!bw.base && bw.after) w.insert(meta, decodeDoc(bw.after), bw.after);
        meta = w.getColl(namespace) ?? meta;
      }
    }
    for (const [namespace, meta] of this.created) if (!w.getColl(namespace)) w.ensureColl(meta.db, meta.name);
  }
}

const refOf = ref;

const partsOf = (e: { parts: unknown }): string => JSON.stringify(e.parts);

function sameBytes(a: Buffer | undefined, b: Buffer | undefined): boolean {
  if (!a || !b) return a === b || (!a && !b);
  return a.equals(b);
}
