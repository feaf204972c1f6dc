import { CollMeta, IndexMeta } from '../storage/catalog';
import { Document, Long } from 'bson';
import { KEY_MAX, MAX_KEY_STRING, Tag } from '../storage/keys';
import { plan } from './planner';

function ix(id: number, key: Record<string, number>, extra: Partial<IndexMeta['spec']> = {}): IndexMeta {
  return { id, spec: { v: 2, key, name: Object.keys(key).join('_'), ...extra }, fields: Object.keys(key), btree: true, multikey: false };
}

const meta: CollMeta = {
  id: 1,
  db: 'd',
  name: 'c',
  options: {},
  uuidHex: '',
  indexes: [ix(2, { _id: 1 }, { name: '_id_' }), ix(3, { email: 1 }, { unique: true }), ix(4, { org: 1, at: -1 }), ix(5, { s: 1 }, { sparse: true })],
};

describe('plan', () => {
  it('answers _id equality and $in with point lookups', () => {
    expect(plan(meta, { _id: 5 })).toEqual({ kind: 'ids', ids: [5] });
    expect(plan(meta, { _id: { $in: [1, 2] } })).toEqual({ kind: 'ids', ids: [1, 2] });
  });

  it('uses an equality on an indexed field as a one-key interval', () => {
    const p = plan(meta, { email: 'a@x', other: 1 });
    expect(p.kind).toBe('ixscan');
    if (p.kind !== 'ixscan') return;
    expect(p.index.id).toBe(3);
    expect(p.intervals).toEqual([{ start: [3, Tag.String, 'a@x'], end: [3, Tag.String, 'a@x', KEY_MAX] }]);
  });

  it('extends an equality prefix with a range on the next field, bounded by type', () => {
    const p = plan(meta, { org: 'o7', at: { $gte: new Date(10), $lt: new Date(20) } });
    if (p.kind !== 'ixscan') throw new Error('expected ixscan');
    expect(p.index.id).toBe(4);
    expect(p.intervals).toEqual([{ start: [4, Tag.String, 'o7', Tag.Date, 10], end: [4, Tag.String, 'o7', Tag.Date, 20] }]);
    const open = plan(meta, { email: { $gt: 'm' } });
    if (open.kind !== 'ixscan') throw new Error('expected ixscan');
    expect(open.intervals).toEqual([{ start: [3, Tag.String, 'm', KEY_MAX], end: [3, Tag.String, KEY_MAX] }]);
  });

  it('keeps a bound key in when other values share it (strings cut at MAX_KEY_STRING, rounded longs)', () => {
    const cut = 'p'.repeat(MAX_KEY_STRING);
    const intervals = (filter: Document) => {
      const p = plan(meta, filter);
      if (p.kind !== 'ixscan') throw new Error('expected ixscan');
      return p.intervals;
    };
    // Every longer string beginning with `cut` keys as `cut` and is greater than it.
    expect(intervals({ email: { $gt: cut } })).toEqual([{ start: [3, Tag.String, cut], end: [3, Tag.String, KEY_MAX] }]);
    // A cut bound stands for strings on both sides of the value.
    expect(intervals({ email: { $lt: `${cut}zz` } })).toEqual([{ start: [3, Tag.String], end: [3, Tag.String, cut, KEY_MAX] }]);
    expect(intervals({ email: { $gt: `${cut}zz` } })).toEqual([{ start: [3, Tag.String, cut], end: [3, Tag.String, KEY_MAX] }]);
    // A string at the limit keeps its key in either way (the filter then drops the longer ones); a shorter one is exclusive as before.
    expect(intervals({ email: { $lt: cut } })).toEqual([{ start: [3, Tag.String], end: [3, Tag.String, cut, KEY_MAX] }]);
    expect(intervals({ email: { $lt: cut.slice(1) } })).toEqual([{ start: [3, Tag.String], end: [3, Tag.String, cut.slice(1)] }]);
    const big = Long.fromString('9007199254740993');
    expect(intervals({ email: { $gt: big } })).toEqual([{ start: [3, Tag.Number, 9007199254740992], end: [3, Tag.Number, KEY_MAX] }]);
  });

  it('expands $in into one interval per distinct value', () => {
    const p = plan(meta, { email: { $in: ['b', 'a', 'b'] } });
    if (p.kind !== 'ixscan') throw new Error('expected ixscan');
    expect(p.intervals).toHaveLength(2);
  });

  it('falls back to a collection scan for unindexed fields, regexes, arrays and sparse indexes', () => {
    expect(plan(meta, { plain: 1 }).kind).toBe('collscan');
    expect(plan(meta, { email: /^a/ }).kind).toBe('collscan');
    expect(plan(meta, { email: ['a', 'b'] }).kind).toBe('collscan');
    expect(plan(meta, { s: 1 }).kind).toBe('collscan');
  });

  it('walks an index backwards when that yields the requested sort', () => {
    const p = plan(meta, {}, { org: -1, at: -1 });
    expect(p).toMatchObject({ kind: 'ixscan', reverse: true, sorted: true });
    // Mixed directions cannot be read off ascending-stored entries.
    expect(plan(meta, {}, { org: -1, at: 1 })).toMatchObject({ kind: 'collscan', sorted: false });
    expect(plan(meta, {}, { _id: -1 })).toEqual({ kind: 'collscan', reverse: true, sorted: true });
    expect(plan(meta, {}, { plain: 1 })).toEqual({ kind: 'collscan', reverse: false, sorted: false });
  });
});

describe('boundsDecide: when the index bounds alone decide the filter', () => {
  const decided = (filter: Document, m: CollMeta = meta) => {
    const p = plan(m, filter);
    return p.kind === 'ixscan' && p.decided === true;
  };

  it('holds for equalities on plain scalars over the leading fields', () => {
    expect(decided({ email: 'a@x' })).toBe(true);
    expect(decided({ org: 'o7' })).toBe(true);
    expect(decided({ org: 'o7', at: 5 })).toBe(true);
    expect(decided({ org: 'o7', at: true })).toBe(true);
  });

  it('does not hold when the filter says more than the bounds', () => {
    expect(decided({ email: 'a@x', other: 1 })).toBe(false);
    expect(decided({ at: 5 })).toBe(false); // not a leading field
    expect(decided({ org: { $in: ['a', 'b'] } })).toBe(false);
    expect(decided({ org: { $eq: 'a' } })).toBe(false);
    expect(decided({ org: 'o7', at: { $gte: new Date(10) } })).toBe(false);
    expect(decided({ org: null })).toBe(false); // null also matches a missing field
    expect(decided({ org: /o7/ })).toBe(false);
    expect(decided({ org: { x: 1 } })).toBe(false);
    expect(decided({ $and: [{ org: 'o7' }] })).toBe(false);
  });

  it('does not hold for keys that stand for several values, or multikey and sparse indexes', () => {
    expect(decided({ email: 'x'.repeat(MAX_KEY_STRING + 10) })).toBe(false);
    expect(decided({ email: Number.NaN })).toBe(false);
    expect(decided({ email: Long.fromString('9007199254740993') })).toBe(false);
    const multikey: CollMeta = { ...meta, indexes: meta.indexes.map((i) => (i.id === 3 ? { ...i, multikey: true } : i)) };
    expect(decided({ email: 'a@x' }, multikey)).toBe(false);
    expect(decided({ s: 'v' })).toBe(false);
  });
});
