import { Binary, Decimal128, Double, Long } from 'bson';
import { applyUpdate, buildUpsert, upsertSeed } from './modify';
import { resolvePositional } from './positional';

const apply = (doc: object, u: object, query: object = {}, arrayFilters?: object[]) =>
  applyUpdate(JSON.parse(JSON.stringify(doc)), u, { query, arrayFilters, inserting: false }).doc;

describe('applyUpdate', () => {
  it('applies several positional fields under one array (mingo alone reports a conflict)', () => {
    const out = apply({ _id: 1, a: [{ x: 1, y: 1 }, { x: 2, y: 2 }] }, { $set: { 'a.$.x': 5, 'a.$.y': 6 } }, { 'a.x': 2 });
    expect(out.a).toEqual([{ x: 1, y: 1 }, { x: 5, y: 6 }]);
  });

  it('resolves $[] and $[id] with arrayFilters', () => {
    expect(apply({ _id: 1, a: [1, 2, 3] }, { $inc: { 'a.$[]': 10 } }).a).toEqual([11, 12, 13]);
    expect(apply({ _id: 1, a: [{ v: 1 }, { v: 5 }] }, { $set: { 'a.$[big].v': 0 } }, {}, [{ 'big.v': { $gt: 2 } }]).a).toEqual([{ v: 1 }, { v: 0 }]);
  });

  it('keeps int64, Decimal128 and integral double types through arithmetic and unrelated changes', () => {
    const doc = { _id: 1, l: Long.fromNumber(5), d: Decimal128.fromString('1.50'), f: new Double(7), n: 1 };
    const out = applyUpdate(doc, { $inc: { l: 2, n: 1 } }, { query: {}, inserting: false }).doc;
    expect(out.l).toBeInstanceOf(Long);
    expect(out.l.toString()).toBe('7');
    expect(out.d.toString()).toBe('1.50');
    expect(out.f).toBeInstanceOf(Double);
  });

  it('leaves binData untouched by arithmetic on other fields (matching-only representations never leak)', () => {
    const doc = { _id: 1, b: new Binary(Buffer.from('abc'), 4), n: 1 };
    const out = applyUpdate(doc, { $inc: { n: 1 } }, { query: {}, inserting: false }).doc;
    expect(out.b).toBeInstanceOf(Binary);
    expect(out.b.sub_type).toBe(4);
  });

  it('pulls with $or conditions and by value', () => {
    expect(apply({ _id: 1, m: [{ n: 'a' }, { n: 'b' }] }, { $pull: { m: { $or: [{ n: 'a' }] } } }).m).toEqual([{ n: 'b' }]);
    expect(apply({ _id: 1, t: [1, 2, 3, 2] }, { $pull: { t: 2 } }).t).toEqual([1, 3]);
    expect(apply({ _id: 1, t: [1, 5, 9] }, { $pull: { t: { $gte: 5 } } }).t).toEqual([1]);
  });

  it('raises mongod errors: immutable _id, conflicting paths, type mismatches, fields inside arrays', () => {
    expect(() => apply({ _id: 1 }, { $set: { _id: 2 } })).toThrow(expect.objectContaining({ code: 66 }));
    expect(() => apply({ _id: 1, a: { b: 1 } }, { $set: { a: 1 }, $inc: { 'a.b': 1 } })).toThrow(expect.objectContaining({ code: 40 }));
    expect(() => apply({ _id: 1, s: 'x' }, { $inc: { s: 1 } })).toThrow(expect.objectContaining({ code: 14 }));
    expect(() => apply({ _id: 1, n: 4 }, { $push: { n: 1 } })).toThrow(expect.objectContaining({ code: 2 }));
    expect(() => apply({ _id: 1, c: [{ b: 1 }] }, { $set: { 'c.b': 1 } })).toThrow(expect.objectContaining({ code: 28 }));
  });

  it('allows $set of _id to its current value', () => {
    expect(apply({ _id: 1, a: 1 }, { $set: { _id: 1, a: 2 } })).toEqual({ _id: 1, a: 2 });
  });
});

describe('upserts', () => {
  it('seed from top-level and $and equalities, skipping operators and regexes', () => {
    expect(upsertSeed({ a: 1, 'b.c': 2, d: { $gt: 1 }, e: /x/, $and: [{ f: { $eq: 3 } }] })).toEqual({ a: 1, b: { c: 2 }, f: 3 });
  });

  it('apply $setOnInsert only when inserting, and put _id first', () => {
    const doc = buildUpsert({ k: 'x' }, { $inc: { n: 1 }, $setOnInsert: { created: true } });
    expect(Object.keys(doc)[0]).toBe('_id');
    expect(doc).toMatchObject({ k: 'x', n: 1, created: true });
    const replaced = buildUpsert({ _id: 7 }, { v: 1 });
    expect(replaced).toEqual({ _id: 7, v: 1 });
  });
});

describe('resolvePositional', () => {
  it('fails like mongod when the query does not pin an element', () => {
    expect(() => resolvePositional({ a: [1, 2] }, 'a.$', {})).toThrow(/positional operator did not find the match/);
  });
});
