import { Binary, Decimal128, Double, Int32, Long, ObjectId } from 'bson';
import { decodeTyped } from '../wire/frames';
import { BSON } from 'bson';
import { validateJsonSchema } from './json-schema';
import { textScore } from './text';
import { compileFilter } from './view';

describe('compileFilter', () => {
  it('compares every numeric BSON type as a number', () => {
    expect(compileFilter({ v: 2 })({ v: Decimal128.fromString('2') })).toBe(true);
    expect(compileFilter({ v: Decimal128.fromString('3') })({ v: Long.fromNumber(3) })).toBe(true);
    expect(compileFilter({ v: { $gt: 1 } })({ v: new Double(2.5) })).toBe(true);
  });

  it('matches $type by the stored BSON type', () => {
    const doc = decodeTyped(BSON.serialize({ i: new Int32(7), d: new Double(7), l: Long.fromNumber(7), o: new ObjectId(), b: new Binary(Buffer.from('x')) }));
    const types = (field: string) => ['int', 'double', 'long', 'objectId', 'binData'].filter((t) => compileFilter({ [field]: { $type: t } })(doc));
    expect([types('i'), types('d'), types('l'), types('o'), types('b')]).toEqual([['int'], ['double'], ['long'], ['objectId'], ['binData']]);
  });

  it('treats $all as an $and of equalities, which also matches a scalar', () => {
    expect(compileFilter({ v: { $all: [4] } })({ v: 4 })).toBe(true);
    expect(compileFilter({ v: { $all: [1, 2] } })({ v: [2, 3, 1] })).toBe(true);
    expect(compileFilter({ v: { $all: [1, 5] } })({ v: [2, 3, 1] })).toBe(false);
  });

  it('equality fast path keeps mongod semantics for arrays and null', () => {
    expect(compileFilter({ tags: 'a' })({ tags: ['b', 'a'] })).toBe(true);
    expect(compileFilter({ missing: null })({ other: 1 })).toBe(true);
    expect(compileFilter({ n: 1 })({ n: '1' })).toBe(false);
  });

  it('runs $where strings in a sandbox and stops runaway scripts', () => {
    expect(compileFilter({ $where: 'this.a > 1' })({ a: 2 })).toBe(true);
    expect(() => compileFilter({ $where: 'while (true) {}' })({ a: 1 })).toThrow(/\$where/);
  });
});

describe('$jsonSchema validators', () => {
  const schema = { bsonType: 'object', required: ['name'], properties: { name: { bsonType: 'string' }, age: { bsonType: ['number', 'null'] }, src: { enum: ['a', null] } } };
  it('accepts and rejects like mongod for the common keywords', () => {
    expect(validateJsonSchema(schema, { name: 'x', age: null, src: 'a' })).toBe(true);
    expect(validateJsonSchema(schema, { age: 3 })).toBe(false);
    expect(validateJsonSchema(schema, { name: 'x', src: 'b' })).toBe(false);
    expect(validateJsonSchema(schema, { name: 5 })).toBe(false);
  });
});

describe('$text', () => {
  it('matches words case-insensitively, honours phrases and negations', () => {
    const doc = { title: 'Coffee shops', body: 'Best espresso in town' };
    expect(textScore(doc, { $search: 'coffee' })).toBeGreaterThan(0);
    expect(textScore(doc, { $search: '"espresso in"' })).toBeGreaterThan(0);
    expect(textScore(doc, { $search: 'coffee -espresso' })).toBe(0);
    expect(textScore(doc, { $search: 'tea' })).toBe(0);
  });
});
