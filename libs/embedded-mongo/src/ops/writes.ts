import { Document, ObjectId } from 'bson';
import { CommandError, ErrorCodes, toCommandError } from '../errors';
import { applyUpdate, buildUpsert, validateUpdate } from '../query/modify';
import { comparator } from '../query/sort';
import { DocRef, compileFilter, matching } from '../query/view';
import { CollMeta } from '../storage/catalog';
import { decodeDoc, encodeDoc, withIdFirst } from '../storage/store';
import { wireBytesOf } from '../wire/frames';
import { WriteTarget } from './target';

/** Per-statement errors become writeErrors, except transaction-level ones (WriteConflict), which fail the command. */
function statementError(e: unknown): CommandError {
  const err = toCommandError(e);
  if (err.labels.includes('TransientTransactionError')) throw err;
  return err;
}

export interface WriteResult {
  reply: Document;
  /** Some statement failed (transactions abort on this). */
  failed: boolean;
}

function checkFieldNames(doc: Document): void {
  for (const k of Object.keys(doc)) {
    if (k.startsWith('$')) throw new CommandError(ErrorCodes.BadValue, `Document can't have $ prefixed field names: ${k}`);
  }
}

const validators = new WeakMap<object, (doc: Document) => boolean>();

/** Collection validators (create/collMod `validator`), enforced like mongod's validationLevel strict/error. */
function checkValidator(meta: CollMeta, doc: Document, bypass: boolean): void {
  const v = meta.options.validator as Document | undefined;
  if (!v || bypass || meta.options.validationLevel === 'off' || meta.options.validationAction === 'warn') return;
  let test = validators.get(v);
  if (!test) validators.set(v, (test = compileFilter(v)));
  if (!test(doc)) throw new CommandError(121, 'Document failed validation', { errInfo: { failingDocumentId: doc._id, details: {} } });
}

export function insertOp(t: WriteTarget, db: string, coll: string, docs: Document[], ordered: boolean, bypass = false): WriteResult {
  const meta = t.collForWrite(db, coll);
  const writeErrors: Document[] = [];
  let n = 0;
  for (let i = 0; i < docs.length; i++) {
    try {
      const d = docs[i];
      if (typeof d !== 'object' || d === null || Array.isArray(d)) throw new CommandError(ErrorCodes.BadValue, 'document to insert must be an object');
      checkFieldNames(d);
      if (Array.isArray(d._id)) throw new CommandError(ErrorCodes.InvalidIdField, `The '_id' value cannot be of type array`);
      const doc = d._id === undefined ? { _id: new ObjectId(), ...d } : withIdFirst(d);
      checkValidator(meta, doc, bypass);
      t.insert(meta, doc, doc === d ? wireBytesOf(d) : undefined);
      n++;
    } catch (e) {
      writeErrors.push(statementError(e).toWriteError(i));
      if (ordered) break;
    }
  }
  const reply: Document = { n, ok: 1 };
  if (writeErrors.length) reply.writeErrors = writeErrors;
  return { reply, failed: writeErrors.length > 0 };
}

/** First document (in sort order when given) matching the filter, or all of them when `multi`. */
function findTargets(t: WriteTarget, meta: CollMeta, filter: Document, multi: boolean, sort?: Document): DocRef[] {
  const hasSort = !!sort && Object.keys(sort).length > 0;
  const out: DocRef[] = [];
  if (!hasSort) {
    for (const r of matching(t.view, meta, filter)) {
      out.push(r);
      if (!multi) break;
    }
    return out;
  }
  const cmp = comparator(sort!);
  for (const r of matching(t.view, meta, filter, sort)) out.push(r);
  out.sort((a, b) => cmp(a.doc, b.doc));
  return multi ? out : out.slice(0, 1);
}

interface UpdateStatement {
  q: Document;
  u: unknown;
  upsert?: boolean;
  multi?: boolean;
  arrayFilters?: Document[];
  sort?: Document;
  bypass?: boolean;
}

interface StatementResult {
  n: number;
  nModified: number;
  upsertedId?: unknown;
  /** Post-image of the (first) written document, for findAndModify. */
  before?: Document;
  after?: Document;
}

function runUpdate(t: WriteTarget, db: string, coll: string, st: UpdateStatement): StatementResult {
  const q = st.q ?? {};
  if (typeof q !== 'object') throw new CommandError(ErrorCodes.TypeMismatch, 'q must be an object');
  const u = validateUpdate(st.u);
  if (st.multi && !Array.isArray(u) && !Object.keys(u).some((k) => k.startsWith('$'))) {
    throw new CommandError(ErrorCodes.FailedToParse, 'multi update is not supported for replacement-style update');
  }
  const existing = t.view.coll(`${db}.${coll}`);
  const targets = existing ? findTargets(t, existing, q, !!st.multi, st.sort) : [];
  if (targets.length === 0) {
    if (!st.upsert) return { n: 0, nModified: 0 };
    const meta = t.collForWrite(db, coll);
    const doc = buildUpsert(q, u, st.arrayFilters);
    checkFieldNames(doc);
    checkValidator(meta, doc, !!st.bypass);
    t.insert(meta, doc);
    return { n: 1, nModified: 0, upsertedId: doc._id, after: doc };
  }
  const meta = t.collForWrite(db, coll);
  let nModified = 0;
  let first: { before: Document; after: Document } | undefined;
  for (const ref of targets) {
    const work = decodeDoc(ref.bytes);
    const { doc } = applyUpdate(work, u, { query: q, arrayFilters: st.arrayFilters, inserting: false });
    const next = withIdFirst(doc);
    if (!first) first = { before: ref.doc, after: next };
    const bytes = encodeDoc(next);
    if (!bytes.equals(ref.bytes)) {
      checkValidator(meta, next, !!st.bypass);
      t.replace(meta, ref, next, bytes);
      nModified++;
    }
  }
  return { n: targets.length, nModified, before: first?.before, after: first?.after };
}

export function updateOp(t: WriteTarget, db: string, coll: string, updates: Document[], ordered: boolean, bypass = false): WriteResult {
  const writeErrors: Document[] = [];
  const upserted: Document[] = [];
  let n = 0;
  let nModified = 0;
  for (let i = 0; i < updates.length; i++) {
    try {
      const r = runUpdate(t, db, coll, { ...(updates[i] as UpdateStatement), bypass });
      n += r.n;
      nModified += r.nModified;
      if (r.upsertedId !== undefined) upserted.push({ index: i, _id: r.upsertedId });
    } catch (e) {
      writeErrors.push(statementError(e).toWriteError(i));
      if (ordered) break;
    }
  }
  const reply: Document = { n, nModified, ok: 1 };
  if (upserted.length) reply.upserted = upserted;
  if (writeErrors.length) reply.writeErrors = writeErrors;
  return { reply, failed: writeErrors.length > 0 };
}

export function deleteOp(t: WriteTarget, db: string, coll: string, deletes: Document[], ordered: boolean): WriteResult {
  const writeErrors: Document[] = [];
  let n = 0;
  const meta = t.view.coll(`${db}.${coll}`);
  for (let i = 0; i < deletes.length; i++) {
    try {
      const st = deletes[i];
      if (!meta) continue;
      const limit = Number(st.limit ?? 0);
      const targets = findTargets(t, meta, st.q ?? {}, limit !== 1);
      for (const ref of targets) t.remove(meta, ref);
      n += targets.length;
    } catch (e) {
      writeErrors.push(statementError(e).toWriteError(i));
      if (ordered) break;
    }
  }
  const reply: Document = { n, ok: 1 };
  if (writeErrors.length) reply.writeErrors = writeErrors;
  return { reply, failed: writeErrors.length > 0 };
}

/** findAndModify: errors (including duplicate keys) surface as a top-level command error, as in mongod. */
export function findAndModifyOp(t: WriteTarget, db: string, coll: string, cmd: Document, project: (d: Document) => Document): Document {
  const query = (cmd.query ?? {}) as Document;
  const sort = cmd.sort as Document | undefined;
  if (cmd.remove) {
    if (cmd.new) throw new CommandError(ErrorCodes.FailedToParse, 'Cannot specify both new=true and remove=true; \'remove\' always returns the deleted document');
    const meta = t.view.coll(`${db}.${coll}`);
    const [target] = meta ? findTargets(t, meta, query, false, sort) : [];
    if (!target || !meta) return { lastErrorObject: { n: 0 }, value: null, ok: 1 };
    t.remove(meta, target);
    return { lastErrorObject: { n: 1 }, value: project(target.doc), ok: 1 };
  }
  if (cmd.update === undefined) throw new CommandError(ErrorCodes.FailedToParse, 'Either an update or remove=true must be specified');
  const r = runUpdate(t, db, coll, { q: query, u: cmd.update, upsert: !!cmd.upsert, multi: false, arrayFilters: cmd.arrayFilters, sort, bypass: !!cmd.bypassDocumentValidation });
  const lastErrorObject: Document = { n: r.n, updatedExisting: r.n > 0 && r.upsertedId === undefined };
  if (r.upsertedId !== undefined) lastErrorObject.upserted = r.upsertedId;
  const value = cmd.new ? r.after : r.upsertedId !== undefined ? undefined : r.before;
  return { lastErrorObject, value: value ? project(value) : null, ok: 1 };
}
