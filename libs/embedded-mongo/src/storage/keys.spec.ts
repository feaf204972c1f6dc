import { Binary, Decimal128, Long, MaxKey, MinKey, ObjectId } from 'bson';
import { open } from 'lmdb';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { KEY_MAX, MAX_KEY_STRING, Tag, encodeValue, indexEntries, pathValues } from './keys';

describe('encodeValue', () => {
  it('puts BSON types in mongod comparison order', () => {
    const ordered = [
      new MinKey(),
      null,
      1,
      'a',
      { x: 1 },
      [1],
      new Binary(Buffer.from([1])),
      new ObjectId(),
      false,
      new Date(0),
      /re/,
      new MaxKey(),
    ].map((v) => encodeValue(v).part[0]);
    expect(ordered).toEqual([...ordered].sort((a, b) => a - b));
    expect(new Set(ordered).size).toBe(ordered.length);
  });

  it('keys every numeric type as a number so 2, Long(2) and Decimal128("2") collide', () => {
    expect(encodeValue(2).part).toEqual([Tag.Number, 2]);
    expect(encodeValue(Long.fromNumber(2)).part).toEqual([Tag.Number, 2]);
    expect(encodeValue(Decimal128.fromString('2')).part).toEqual([Tag.Number, 2]);
    expect(encodeValue(-0).part).toEqual([Tag.Number, 0]);
    expect(encodeValue(NaN).part[0]).toBe(Tag.NaN);
  });

  it('treats null and missing alike, as mongod indexes do', () => {
    expect(encodeValue(undefined).part).toEqual(encodeValue(null).part);
  });

  it('escapes NUL (ordered-binary delimiter) without breaking order, and truncates long strings', () => {
    const a = encodeValue('a\u0000').part[1] as string;
    const b = encodeValue('a\u0001x').part[1] as string;
    expect(a.includes('\u0000')).toBe(false);
    expect(a < b).toBe(true);
    const long = encodeValue('x'.repeat(MAX_KEY_STRING + 10));
    expect(long.truncated).toBe(true);
    expect((long.part[1] as string).length).toBe(MAX_KEY_STRING);
  });
});

describe('pathValues (multikey)', () => {
  it('reaches into arrays of subdocuments and unwinds leaf arrays', () => {
    expect(pathValues({ a: [{ b: 1 }, { b: [2, 3] }, { c: 1 }] }, 'a.b')).toEqual([1, 2, 3, null]);
    expect(pathValues({ a: { b: [] } }, 'a.b')).toEqual([null]);
    expect(pathValues({}, 'a.b')).toEqual([null]);
    expect(pathValues({ a: [10, 20] }, 'a.1')).toEqual([20]);
  });

  it('produces the cartesian product for compound keys, deduplicated', () => {
    const e = indexEntries({ a: [1, 1, 2], b: 'x' }, ['a', 'b']);
    expect(e.map((x) => x.values)).toEqual([
      [1, 'x'],
      [2, 'x'],
    ]);
  });
});

describe('ordering inside lmdb', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'em-keys-'));
  const env = open({ path: path.join(dir, 'k.mdb') });
  afterAll(async () => {
    await env.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('range scans return keys in mongod order and KEY_MAX bounds a prefix', async () => {
    const values = [new Date(5), 'b', -3, null, true, 'a', 10, new ObjectId('64b000000000000000000000')];
    for (const [i, v] of values.entries()) await env.put([7, ...encodeValue(v).part, Tag.Number, i] as never, "x");
    await env.put([8, Tag.Number, 1], 'other index');
    const keys = [...env.getKeys({ start: [7], end: [7, KEY_MAX] as never })] as unknown[][];
    expect(keys.map((k) => k[k.length - 1])).toEqual([3, 2, 6, 5, 1, 7, 4, 0]);
  });
});
