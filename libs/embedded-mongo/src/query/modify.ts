import { Decimal128, Document, Double, Long, ObjectId } from 'bson';
import { matchable, numericValue } from './numbers';
import { concretizeUpdate } from './positional';
import { compareValues } from './sort';
import { compileFilter } from './view';
import { Aggregator } from 'mingo';
import { isEqual } from '../mingo-util';
import { CommandError, ErrorCodes } from '../errors';

const SUPPORTED_UPDATE_OPS = new Set([
  '$set', '$unset', '$inc', '$mul', '$min', '$max', '$rename', '$push', '$pull', '$pullAll', '$addToSet',
  '$pop', '$currentDate', '$bit', '$setOnInsert',
]);

export type UpdateSpec = Document | Document[];

/**
 * mingo's update operators applied directly: its `update()` entry point rebuilds its operator
 * context on every call, which cost more than the rest of an update. Positional paths are
 * already concrete here (see positional.ts), so no query or arrayFilters are needed.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const UPDATE_OPERATORS = require('mingo/operators/update') as Record<string, (expr: unknown) => (obj: Document) => string[]>;

/** mongod refuses to create a named field inside an array (PathNotViable, 28). */
function checkPathViable(doc: Document, path: string): void {
  const parts = path.split('.');
  let cur: unknown = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    if (cur === null || typeof cur !== 'object') return;
    if (Array.isArray(cur) && !/^\d+$/.test(parts[i])) {
      throw new CommandError(28, `Cannot create field '${parts[i]}' in element {${parts[i - 1] ?? ''}: [ ... ]}`);
    }
    cur = (cur as Document)[parts[i]];
  }
  if (Array.isArray(cur) && !/^\d+$/.test(parts[parts.length - 1])) {
    throw new CommandError(28, `Cannot create field '${parts[parts.length - 1]}' in element {${parts[parts.length - 2] ?? ''}: [ ... ]}`);
  }
}

function valueAt(doc: Document, path: string): unknown {
  let cur: unknown = doc;
  for (const p of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Document)[p];
  }
  return cur;
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'double';
  if (typeof v === 'object') return (v as { _bsontype?: string })._bsontype?.toLowerCase() ?? (v instanceof Date ? 'date' : 'object');
  return typeof v;
}

const ARRAY_OPS = new Set(['$push', '$addToSet', '$pop', '$pull', '$pullAll']);
const NUMERIC_OPS = new Set(['$inc', '$mul']);

/** The type errors mongod raises for array and arithmetic operators (mingo would coerce instead). */
function checkOperandTypes(doc: Document, op: string, expr: Document): void {
  for (const [path, arg] of Object.entries(expr)) {
    const cur = valueAt(doc, path);
    if (ARRAY_OPS.has(op) && cur !== undefined && !Array.isArray(cur)) {
      throw new CommandError(ErrorCodes.BadValue, `The field '${path}' must be an array but is of type ${typeName(cur)} in document {_id: ${String(doc._id)}}`);
    }
    if (NUMERIC_OPS.has(op)) {
      if (typeof arg !== 'number') throw new CommandError(ErrorCodes.TypeMismatch, `Cannot ${op === '$inc' ? 'increment' : 'multiply'} with non-numeric argument: {${path}: ${JSON.stringify(arg)}}`);
      if (cur !== undefined && typeof cur !== 'number') {
        throw new CommandError(ErrorCodes.TypeMismatch, `Cannot apply ${op} to a value of non-numeric type. {_id: ${String(doc._id)}} has the field '${path}' of non-numeric type ${typeName(cur)}`);
      }
    }
  }
}

const CREATES_PATHS = new Set(['$set', '$inc', '$mul', '$min', '$max', '$currentDate', '$push', '$addToSet', '$bit', '$setOnInsert']);

function applyOperators(doc: Document, mods: Document): void {
  for (const [op, expr] of Object.entries(mods)) {
    if (CREATES_PATHS.has(op)) for (const path of Object.keys(expr as Document)) checkPathViable(doc, path);
    checkOperandTypes(doc, op, expr as Document);
    if (op === '$pull') applyPull(doc, expr as Document);
    else UPDATE_OPERATORS[op](expr)(doc);
  }
}

/**
 * $pull with mongod's rules: a condition on subdocuments is a query over each element (including
 * $or/$and, which mingo's $pull does not evaluate), operator conditions apply to each element as a
 * value, anything else removes equal elements.
 */
function applyPull(doc: Document, expr: Document): void {
  for (const [path, cond] of Object.entries(expr)) {
    const parts = path.split('.');
    let parent: Document | undefined = doc;
    for (let i = 0; i < parts.length - 1 && parent; i++) parent = parent[parts[i]] as Document | undefined;
    const last = parts[parts.length - 1];
    const arr = parent?.[last];
    if (!Array.isArray(arr)) continue;
    const test = pullPredicate(cond);
    parent![last] = arr.filter((el) => !test(el));
  }
}

function pullPredicate(cond: unknown): (el: unknown) => boolean {
  if (cond !== null && typeof cond === 'object' && !Array.isArray(cond) && Object.getPrototypeOf(cond) === Object.prototype) {
    const keys = Object.keys(cond);
    const valueOps = keys.length > 0 && keys.every((k) => k.startsWith('$') && !['$and', '$or', '$nor', '$where', '$expr'].includes(k));
    if (valueOps) {
      const t = compileFilter({ v: cond });
      return (el) => t({ v: el });
    }
    const t = compileFilter(cond as Document);
    return (el) => el !== null && typeof el === 'object' && !Array.isArray(el) && t(el as Document);
  }
  return (el) => compareValues(el, cond) === 0 && (typeof el !== 'object' || el === null || isEqual(el, cond));
}

export function isOperatorUpdate(u: UpdateSpec): boolean {
  if (Array.isArray(u)) return false;
  const keys = Object.keys(u);
  return keys.length > 0 && keys[0].startsWith('$');
}

export function validateUpdate(u: unknown): UpdateSpec {
  if (Array.isArray(u)) {
    if (!u.every((s) => typeof s === 'object' && s !== null)) throw new CommandError(ErrorCodes.FailedToParse, 'pipeline 更新的每个阶段都必须是对象 (each update pipeline stage must be an object)');
    return u as Document[];
  }
  if (typeof u !== 'object' || u === null) throw new CommandError(ErrorCodes.FailedToParse, 'Update argument must be either an object or an array');
  const keys = Object.keys(u);
  const ops = keys.filter((k) => k.startsWith('$'));
  if (ops.length && ops.length !== keys.length) {
    throw new CommandError(ErrorCodes.FailedToParse, `Unknown modifier: ${keys.find((k) => !k.startsWith('$'))}. Expected a valid update modifier or pipeline-style update specified as an array`);
  }
  for (const op of ops) {
    if (!SUPPORTED_UPDATE_OPS.has(op)) throw new CommandError(ErrorCodes.FailedToParse, `Unknown modifier: ${op}. Expected a valid update modifier or pipeline-style update specified as an array`);
  }
  if (!ops.length) {
    for (const k of keys) {
      if (k.includes('.')) throw new CommandError(ErrorCodes.BadValue, `The dotted field '${k}' in '${k}' is not valid for storage.`);
    }
  }
  return u as Document;
}

function idChanged(before: unknown, after: unknown): boolean {
  return !isEqual(before, after);
}

export interface ApplyOptions {
  query: Document;
  arrayFilters?: Document[];
  /** Applying to a document the upsert is creating: $setOnInsert takes effect. */
  inserting: boolean;
}

/** Applies an update (operators, replacement or pipeline) to a private copy; returns the new doc and whether it changed. */
/** Operators that only move values around; everything else compares or computes with numbers. */
const RAW_SAFE = new Set(['$set', '$unset', '$rename', '$currentDate', '$setOnInsert', '$push']);

type WrapperPath = { path: string; type: 'Long' | 'Decimal128' | 'Double'; original: unknown };

/** Dotted paths (outside arrays) holding int64 / Decimal128 values, to restore their types after arithmetic. */
function wrapperPaths(doc: Document, prefix = '', out: WrapperPath[] = []): WrapperPath[] {
  for (const [k, v] of Object.entries(doc)) {
    if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof Date) continue;
    const t = (v as { _bsontype?: string })._bsontype;
    if (t === 'Long' || t === 'Decimal128' || t === 'Double') out.push({ path: prefix + k, type: t, original: v });
    else if (!t) wrapperPaths(v as Document, `${prefix}${k}.`, out);
  }
  return out;
}

function restoreWrappers(doc: Document, paths: WrapperPath[]): void {
  for (const { path, type, original } of paths) {
    const parts = path.split('.');
    let cur: Document | undefined = doc;
    for (let i = 0; i < parts.length - 1 && cur; i++) cur = cur[parts[i]] as Document | undefined;
    const last = parts[parts.length - 1];
    const v = cur?.[last];
    if (!cur || typeof v !== 'number') continue;
    // Unchanged values get their exact original back (Decimal128 "12.50" keeps its trailing zero).
    if (numericValue(original) === v) cur[last] = original;
    else if (type === 'Long' && Number.isInteger(v)) cur[last] = Long.fromNumber(v);
    else if (type === 'Decimal128') cur[last] = Decimal128.fromString(String(v));
    else if (type === 'Double' && Number.isInteger(v)) cur[last] = new Double(v);
  }
}

/**
 * mingo computes with JS numbers (a Long would concatenate as a string), so a document holding
 * int64/Decimal128 values is updated as numbers and those fields get their BSON type back after,
 * as mongod keeps them.
 */
export function applyUpdate(doc: Document, u: UpdateSpec, opts: ApplyOptions): { doc: Document; changed: boolean } {
  const rawSafe =
    !Array.isArray(u) &&
    !opts.arrayFilters?.length &&
    (!isOperatorUpdate(u) || Object.entries(u).every(([op, v]) => RAW_SAFE.has(op) && !(op === '$push' && JSON.stringify(v).includes('"$sort"'))));
  if (rawSafe) return applyUpdateRaw(doc, u, opts);
  // Arithmetic and comparisons run on plain numbers, for the update's operands as well.
  const numericUpdate = matchable(u);
  const numeric = matchable(doc);
  if (numeric === doc) return applyUpdateRaw(doc, numericUpdate, opts);
  const wrappers = wrapperPaths(doc);
  const r = applyUpdateRaw(numeric, numericUpdate, opts);
  restoreWrappers(r.doc, wrappers);
  return r;
}

function applyUpdateRaw(doc: Document, u: UpdateSpec, opts: ApplyOptions): { doc: Document; changed: boolean } {
  const id = doc._id;
  let out: Document;
  if (Array.isArray(u)) {
    out = new Aggregator(u).run([doc])[0] as Document;
    if (!out) throw new CommandError(ErrorCodes.BadValue, 'pipeline update produced no document');
  } else if (isOperatorUpdate(u)) {
    const { $setOnInsert, ...mods } = u as Document;
    out = doc;
    for (const op of ['$set', '$setOnInsert'] as const) {
      // $setOnInsert on a document that exists is not applied at all: its _id is not checked either.
      if (op === '$setOnInsert' && !opts.inserting) continue;
      const fields = op === '$set' ? mods.$set : $setOnInsert;
      if (!fields || typeof fields !== 'object' || !('_id' in fields)) continue;
      // mingo refuses any _id path; mongod allows setting it to its current value, or on insert.
      if (out._id === undefined && (opts.inserting || op === '$set')) out._id = fields._id;
      else if (idChanged(out._id, fields._id)) throw immutableId();
      const { _id: _dropped, ...restFields } = fields as Document;
      if (op === '$set') mods.$set = restFields;
      else if (opts.inserting) applyOperators(out, { $set: restFields });
    }
    if (Object.keys(mods).length) {
      checkConflicts(mods);
      try {
        applyOperators(out, concretizeUpdate(out, mods, opts.query, opts.arrayFilters));
      } catch (e) {
        if (e instanceof CommandError) throw e;
        const msg = (e as Error).message;
        if (msg.includes('immutable field')) throw immutableId();
        throw new CommandError(ErrorCodes.BadValue, msg);
      }
    }
    if (opts.inserting && $setOnInsert && !('_id' in $setOnInsert)) applyOperators(out, { $set: $setOnInsert });
  } else {
    const r = u as Document;
    if ('_id' in r && id !== undefined && idChanged(id, r._id)) throw immutableId();
    out = { _id: id, ...r };
    if (id === undefined) delete out._id;
  }
  if (id !== undefined && idChanged(id, out._id)) throw immutableId();
  return { doc: out, changed: true };
}

function immutableId(): CommandError {
  return new CommandError(ErrorCodes.ImmutableField, "Performing an update on the path '_id' would modify the immutable field '_id'");
}

/** mongod refuses one update touching the same path twice (or a path and its prefix). */
function checkConflicts(mods: Document): void {
  const paths: string[] = [];
  for (const [op, fields] of Object.entries(mods)) {
    if (typeof fields !== 'object' || fields === null) {
      throw new CommandError(ErrorCodes.FailedToParse, `Modifiers operate on fields but we found type ${typeof fields} instead. For example: {$mod: {<field>: ...}} not {${op}: ${String(fields)}}`);
    }
    for (const f of Object.keys(fields)) {
      paths.push(f);
      if (op === '$rename') paths.push(String((fields as Document)[f]));
    }
  }
  for (let i = 0; i < paths.length; i++) {
    for (let j = i + 1; j < paths.length; j++) {
      const a = paths[i];
      const b = paths[j];
      if (a === b || a.startsWith(b + '.') || b.startsWith(a + '.')) {
        throw new CommandError(ErrorCodes.ConflictingUpdateOperators, `Updating the path '${paths[j]}' would create a conflict at '${paths[i]}'`);
      }
    }
  }
}

function setPath(doc: Document, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur: Document = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    if (typeof cur[parts[i]] !== 'object' || cur[parts[i]] === null) cur[parts[i]] = {};
    cur = cur[parts[i]] as Document;
  }
  cur[parts[parts.length - 1]] = value;
}

function isPlain(v: unknown): v is Document {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}

/** The fields an upsert copies from its query: top-level equalities (and those inside $and). */
export function upsertSeed(query: Document): Document {
  const seed: Document = {};
  const visit = (q: Document): void => {
    for (const [k, v] of Object.entries(q)) {
      if (k === '$and' && Array.isArray(v)) {
        for (const sub of v) if (isPlain(sub)) visit(sub);
        continue;
      }
      if (k.startsWith('$')) continue;
      if (isPlain(v) && Object.keys(v).some((x) => x.startsWith('$'))) {
        if ('$eq' in v) setPath(seed, k, v.$eq);
        else if (Array.isArray(v.$in) && v.$in.length === 1) setPath(seed, k, v.$in[0]);
        continue;
      }
      if (v instanceof RegExp) continue;
      setPath(seed, k, v);
    }
  };
  visit(query);
  return seed;
}

/** Builds the document an upsert inserts. */
export function buildUpsert(query: Document, u: UpdateSpec, arrayFilters?: Document[]): Document {
  let doc: Document;
  if (!Array.isArray(u) && !isOperatorUpdate(u)) {
    const seed = upsertSeed(query);
    doc = { ...(u as Document) };
    if (doc._id === undefined && seed._id !== undefined) doc._id = seed._id;
  } else {
    doc = applyUpdate(upsertSeed(query), u, { query: {}, arrayFilters, inserting: true }).doc;
  }
  if (doc._id === undefined) doc._id = new ObjectId();
  const { _id, ...rest } = doc;
  return { _id, ...rest };
}
