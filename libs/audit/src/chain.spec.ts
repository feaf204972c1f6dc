import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical';
import { genesisHash, partitionId, recordHash, shardOf, tenantKeyOf } from './chain';
import { leafHash, merkleTreeHash, nodeHash } from './merkle';
import { maskResidentIds, toSummary } from './summary';
import { AuditBody } from './record';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined, so field order never changes a hash', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[1,{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson({ x: 1, y: 2 })).toBe(canonicalJson({ y: 2, x: 1 }));
  });

  it('writes dates as ISO-8601 and ObjectId-like values as hex', () => {
    expect(canonicalJson({ at: new Date('2026-12-07T01:02:03.004Z') })).toBe('{"at":"2026-12-07T01:02:03.004Z"}');
    expect(canonicalJson({ id: { toHexString: () => 'abc' } })).toBe('{"id":"abc"}');
  });

  it('refuses values with no single text form', () => {
    expect(() => canonicalJson({ n: NaN })).toThrow(/finite/);
    expect(() => canonicalJson({ n: Infinity })).toThrow(/finite/);
    expect(() => canonicalJson({ b: Buffer.from('x') })).toThrow(/binary/);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(/function/);
    expect(() => canonicalJson({ d: new Date('nope') })).toThrow(/invalid date/);
    expect(() => canonicalJson(10n)).toThrow(/bigint/);
  });
});

describe('RFC 6962 Merkle tree hash', () => {
  const sha = (b: Buffer) => createHash('sha256').update(b).digest();
  const l = [0, 1, 2, 3, 4].map((i) => Buffer.from([i]));

  it('hashes the empty tree as SHA-256 of nothing and a single leaf with the 0x00 prefix', () => {
    expect(merkleTreeHash([]).toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(merkleTreeHash([l[0]])).toEqual(sha(Buffer.concat([Buffer.from([0]), l[0]])));
  });

  it('splits at the largest power of two below n (RFC 6962 §2.1)', () => {
    const [a, b, c, d, e] = l.map(leafHash);
    expect(merkleTreeHash(l.slice(0, 3))).toEqual(nodeHash(nodeHash(a, b), c));
    expect(merkleTreeHash(l)).toEqual(nodeHash(nodeHash(nodeHash(a, b), nodeHash(c, d)), e));
  });

  it('tells a leaf from an inner node (second-preimage resistance)', () => {
    const inner = Buffer.concat([leafHash(l[0]), leafHash(l[1])]);
    expect(merkleTreeHash([inner])).not.toEqual(merkleTreeHash(l.slice(0, 2)));
  });
});

describe('record hash', () => {
  const body: AuditBody = {
    v: 1,
    partition: 'api.3',
    prevHash: genesisHash('api.3'),
    at: new Date('2026-12-07T00:00:00Z'),
    actor: { kind: 'user', id: 'u1', role: 'institution' },
    action: 'trainee.create',
    target: { type: 'trainee', id: 't1' },
    tenant: { institutionId: 'i1', regionCode: '230700' },
    after: { name: '张三' },
  };

  it('changes with any hashed field and with the previous hash', () => {
    const h = recordHash(body);
    expect(recordHash({ ...body })).toBe(h);
    expect(recordHash({ ...body, after: { name: '李四' } })).not.toBe(h);
    expect(recordHash({ ...body, prevHash: genesisHash('api.4') })).not.toBe(h);
    expect(recordHash({ ...body, actor: { kind: 'user', id: 'u2', role: 'institution' } })).not.toBe(h);
    expect(recordHash({ ...body, at: new Date('2026-12-07T00:00:01Z') })).not.toBe(h);
  });

  it('ignores storage-only fields', () => {
    expect(recordHash({ ...body, _id: 'x', seq: 9, hash: 'y' } as AuditBody)).toBe(recordHash(body));
  });

  it('starts each partition from its own genesis', () => {
    expect(genesisHash('api.0')).not.toBe(genesisHash('api.1'));
    expect(genesisHash('api.0')).not.toBe(genesisHash('worker.0'));
    expect(genesisHash('api.0')).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('partitions', () => {
  it('maps a tenant to the same partition every time, spread over all of them', () => {
    expect(shardOf('institution:a', 16)).toBe(shardOf('institution:a', 16));
    const seen = new Set(Array.from({ length: 400 }, (_, i) => shardOf(`institution:${i}`, 16)));
    expect(seen.size).toBe(16);
    expect(() => shardOf('x', 0)).toThrow(RangeError);
  });

  it('names a chain by its writer and shard, refusing ids that could collide or inject', () => {
    expect(partitionId('api', 3)).toBe('api.3');
    expect(() => partitionId('API', 1)).toThrow(RangeError);
    expect(() => partitionId('a.b', 1)).toThrow(RangeError);
    expect(() => partitionId('', 1)).toThrow(RangeError);
  });

  it('keys a tenant by institution, then region, then the platform itself', () => {
    expect(tenantKeyOf({ institutionId: 'i', regionCode: '230700' })).toBe('institution:i');
    expect(tenantKeyOf({ regionCode: '230700' })).toBe('region:230700');
    expect(tenantKeyOf({})).toBe('platform');
  });
});

describe('summaries', () => {
  it('drop secret-looking keys at any depth and mask resident ID numbers in any string', () => {
    const s = toSummary({
      name: '张三',
      passwordHash: 'argon2…',
      nested: { refreshToken: 't', idNumberCipher: 'c', note: '身份证 23071719850315101X 已核验' },
      list: [{ secret: 1, keep: 2 }],
      at: new Date('2026-01-01T00:00:00Z'),
      bytes: Buffer.alloc(3),
      none: undefined,
    });
    expect(s).toEqual({ name: '张三', nested: { note: '身份证 2307**********101X 已核验' }, list: [{ keep: 2 }], at: '2026-01-01T00:00:00.000Z', bytes: '[3 bytes]' });
  });

  it('leaves other digit runs alone', () => {
    expect(maskResidentIds('13800138000')).toBe('13800138000');
    expect(maskResidentIds('1234567890123456789')).toBe('1234567890123456789');
    expect(maskResidentIds('110101199003077777')).toBe('1101**********7777');
  });
});
