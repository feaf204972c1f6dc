import { Document, Long } from 'bson';
import { CommandError, ErrorCodes } from '../errors';

/** Work done synchronously before handing the event loop back to other connections. */
export const SLICE_MS = 8;
export const MAX_BATCH_BYTES = 16 * 1024 * 1024 - 16 * 1024;
const CURSOR_IDLE_MS = 10 * 60_000;
/** Open cursors pin lmdb snapshots; past this many the least recently used one is closed. */
const MAX_OPEN_CURSORS = 500;

export const yieldToLoop = (): Promise<void> => new Promise((r) => setImmediate(r));

/**
 * Yielded by filtering iterators for a run of rejected candidates, so that `pull` regains control
 * (and can hand the event loop back) during a scan that matches nothing: otherwise a single
 * `next()` would walk the whole collection synchronously.
 */
export const SKIPPED: unique symbol = Symbol('skipped');
export type Skippable<T> = T | typeof SKIPPED;

/** Yields the items that pass `test`, and SKIPPED after every 64 rejected ones. */
export function* keepIf<T>(it: Iterable<T>, test: (t: T) => boolean): Generator<Skippable<T>> {
  let rejected = 0;
  for (const x of it) {
    if (test(x)) yield x;
    else if ((++rejected & 63) === 0) yield SKIPPED;
  }
}

/** Pulls up to n items, yielding to the event loop every SLICE_MS so one query never starves others. */
export async function pull<T>(it: Iterator<Skippable<T>>, n: number, size: (t: T) => number = () => 0): Promise<{ items: T[]; done: boolean }> {
  const items: T[] = [];
  let bytes = 0;
  let sliceStart = Date.now();
  let i = 0;
  while (items.length < n) {
    const r = it.next();
    if (r.done) return { items, done: true };
    // A SKIPPED stands for 64 rejected candidates, so the clock is read at each one.
    const skipped = r.value === SKIPPED;
    if ((skipped || (++i & 63) === 0) && Date.now() - sliceStart > SLICE_MS) {
      await yieldToLoop();
      sliceStart = Date.now();
    }
    if (skipped) continue;
    const item = r.value as T;
    items.push(item);
    bytes += size(item);
    if (bytes >= MAX_BATCH_BYTES) break;
  }
  return { items, done: false };
}

export async function pullAll<T>(it: Iterator<Skippable<T>>): Promise<T[]> {
  return (await pull(it, Number.MAX_SAFE_INTEGER)).items;
}

export interface CursorSource {
  /** Next results, already filtered, ordered and projected. */
  next(n: number): Promise<{ docs: Document[]; done: boolean }>;
  close(): void;
}

interface OpenCursor {
  id: bigint;
  ns: string;
  source: CursorSource;
  lastUse: number;
  /** Session that owns the cursor (getMore from another session is refused by mongod). */
  session?: string;
}

export class CursorRegistry {
  private readonly cursors = new Map<bigint, OpenCursor>();
  private nextId = BigInt(Date.now()) * 1000n;

  /** Runs the first batch; keeps the cursor open only if more results remain. */
  async open(ns: string, source: CursorSource, batchSize: number | undefined, session?: string): Promise<Document> {
    const n = batchSize === undefined || batchSize === 0 ? 101 : batchSize;
    let batch: { docs: Document[]; done: boolean };
    try {
      batch = await source.next(n);
    } catch (e) {
      source.close();
      throw e;
    }
    const { docs, done } = batch;
    let id = 0n;
    if (!done) {
      id = ++this.nextId;
      this.cursors.set(id, { id, ns, source, lastUse: Date.now(), session });
      if (this.cursors.size > MAX_OPEN_CURSORS) this.evictOldest();
    } else source.close();
    return { cursor: { firstBatch: docs, id: Long.fromBigInt(id), ns }, ok: 1 };
  }

  async getMore(id: bigint, ns: string, batchSize: number | undefined): Promise<Document> {
    const c = this.cursors.get(id);
    if (!c) throw new CommandError(ErrorCodes.CursorNotFound, `cursor id ${id} not found`);
    if (c.ns !== ns) throw new CommandError(ErrorCodes.Unauthorized, `Requested getMore on namespace '${ns}', but cursor belongs to a different namespace ${c.ns}`);
    c.lastUse = Date.now();
    let batch: { docs: Document[]; done: boolean };
    try {
      batch = await c.source.next(batchSize && batchSize > 0 ? batchSize : Number.MAX_SAFE_INTEGER);
    } catch (e) {
      this.kill(id);
      throw e;
    }
    const { docs, done } = batch;
    let outId = id;
    if (done) {
      this.kill(id);
      outId = 0n;
    }
    return { cursor: { nextBatch: docs, id: Long.fromBigInt(outId), ns }, ok: 1 };
  }

  kill(id: bigint): boolean {
    const c = this.cursors.get(id);
    if (!c) return false;
    this.cursors.delete(id);
    c.source.close();
    return true;
  }

  private evictOldest(): void {
    let oldest: OpenCursor | undefined;
    for (const c of this.cursors.values()) if (!oldest || c.lastUse < oldest.lastUse) oldest = c;
    if (oldest) this.kill(oldest.id);
  }

  sweep(now = Date.now()): void {
    for (const c of this.cursors.values()) if (now - c.lastUse > CURSOR_IDLE_MS) this.kill(c.id);
  }

  closeAll(): void {
    for (const id of [...this.cursors.keys()]) this.kill(id);
  }
}

/** A cursor over an in-memory array (listCollections, aggregation results). */
export function arraySource(docs: Document[], onClose?: () => void): CursorSource {
  let i = 0;
  return {
    async next(n) {
      const out: Document[] = [];
      let bytes = 0;
      while (i < docs.length && out.length < n && bytes < MAX_BATCH_BYTES) {
        out.push(docs[i++]);
        bytes += 256; // rough: aggregation outputs are not re-measured
      }
      return { docs: out, done: i >= docs.length };
    },
    close() {
      onClose?.();
    },
  };
}
