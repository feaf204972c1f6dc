import { Document } from 'bson';
import { CollMeta } from '../storage/catalog';
import { docKey } from '../storage/keys';
import { Writer } from '../storage/store';
import { DocRef, StoreView, View } from '../query/view';

/**
 * Where a write statement reads from and writes to: straight into an lmdb write transaction,
 * or into a multi-document transaction's buffer. Statements are written once against this.
 */
export interface WriteTarget {
  readonly view: View;
  collForWrite(db: string, name: string): CollMeta;
  /** `bytes`, when given, are `doc` already BSON-encoded (saves serializing it again). */
  insert(meta: CollMeta, doc: Document, bytes?: Buffer): void;
  replace(meta: CollMeta, ref: DocRef, doc: Document, bytes?: Buffer): void;
  remove(meta: CollMeta, ref: DocRef): void;
}

/** Catalog lookups go through the writer so collections created in this transaction are visible. */
class WriterView extends StoreView {
  constructor(
    store: StoreView['store'],
    private readonly writer: Writer,
  ) {
    super(store);
  }

  override coll(namespace: string): CollMeta | undefined {
    return this.writer.getColl(namespace);
  }
}

/** Runs inside Store.write: reads see this transaction's own earlier writes. */
export class DirectTarget implements WriteTarget {
  readonly view: View;

  constructor(readonly writer: Writer, store: StoreView['store']) {
    this.view = new WriterView(store, writer);
  }

  collForWrite(db: string, name: string): CollMeta {
    return this.writer.ensureColl(db, name);
  }

  insert(meta: CollMeta, doc: Document, bytes?: Buffer): void {
    this.writer.insert(meta, doc, bytes);
  }

  replace(meta: CollMeta, ref: DocRef, doc: Document, bytes?: Buffer): void {
    this.writer.replace(meta, docKey(meta.id, ref.id), ref.doc, doc, bytes);
  }

  remove(meta: CollMeta, ref: DocRef): void {
    this.writer.remove(meta, docKey(meta.id, ref.id), ref.doc);
  }
}
