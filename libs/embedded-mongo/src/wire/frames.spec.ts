import { BSON, Decimal128, Double, Int32, Long, ObjectId } from 'bson';
import { DocumentTooLarge, FrameError, MAX_MESSAGE_SIZE, OP_MSG, OP_QUERY, encodeMsgReply, encodeOpReply, frameLength, parseFrame, readHeader, RawDocument, serializeReply, wireBytesOf } from './frames';
import { encodeDoc } from '../storage/store';

function header(len: number, opCode: number, requestId = 7): Buffer {
  const h = Buffer.alloc(16);
  h.writeInt32LE(len, 0);
  h.writeInt32LE(requestId, 4);
  h.writeInt32LE(0, 8);
  h.writeInt32LE(opCode, 12);
  return h;
}

function opMsg(sections: Buffer[], flags = 0): Buffer {
  const body = Buffer.concat([Buffer.from(Uint32Array.of(flags).buffer), ...sections]);
  return Buffer.concat([header(16 + body.length, OP_MSG), body]);
}

const bson = (d: object): Buffer => Buffer.from(BSON.serialize(d));
const kind0 = (d: object): Buffer => Buffer.concat([Buffer.from([0]), bson(d)]);
function kind1(id: string, docs: object[]): Buffer {
  const payload = Buffer.concat([Buffer.from(id + '\0', 'utf8'), ...docs.map(bson)]);
  const size = Buffer.alloc(4);
  size.writeInt32LE(4 + payload.length, 0);
  return Buffer.concat([Buffer.from([1]), size, payload]);
}

describe('OP_MSG parsing', () => {
  it('reads the body section', () => {
    const f = parseFrame(opMsg([kind0({ ping: 1, $db: 'admin' })]));
    expect(f.kind).toBe('msg');
    expect(f.command).toEqual({ ping: 1, $db: 'admin' });
  });

  it('folds kind-1 document sequences into the command under their identifier', () => {
    const f = parseFrame(opMsg([kind0({ insert: 'c', $db: 'd' }), kind1('documents', [{ a: 1 }, { a: 2 }])]));
    expect(f.command.documents).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it('keeps the wire bytes of typed sequence documents, identical to re-encoding what was decoded', () => {
    const docs = [
      { _id: new ObjectId(), i: 1, big: Long.fromString('9007199254740993'), d: new Double(7), frac: 1.5, dec: Decimal128.fromString('2.50'), neg0: -0, s: '学员', nested: { a: [1, new Int32(2), null], at: new Date(0) } },
      { _id: 'x', empty: {}, list: [] },
    ];
    const f = parseFrame(opMsg([kind0({ insert: 'c', $db: 'd' }), kind1('documents', docs)]), true);
    for (const [i, d] of (f.command.documents as object[]).entries()) {
      const raw = wireBytesOf(d);
      expect(raw).toBeDefined();
      expect(raw!.equals(Buffer.from(BSON.serialize(docs[i])))).toBe(true);
      expect(encodeDoc(d).equals(raw!)).toBe(true);
    }
    // Untyped decodes promote values; their bytes are not kept.
    const plain = parseFrame(opMsg([kind0({ insert: 'c', $db: 'd' }), kind1('documents', docs)]));
    expect(wireBytesOf((plain.command.documents as object[])[0])).toBeUndefined();
  });

  it('serializes a cursor batch of RawDocuments to the same bytes as the decoded documents', () => {
    const docs = [{ _id: 1, a: 'x', n: { d: new Date(5) } }, { _id: 2, list: [1, 2, { z: null }] }];
    for (const key of ['firstBatch', 'nextBatch']) {
      const plain = { cursor: { [key]: docs, id: Long.fromNumber(42), ns: 'db.c' }, ok: 1 };
      const raw = { cursor: { [key]: [new RawDocument(BSON.serialize(docs[0])), docs[1]], id: Long.fromNumber(42), ns: 'db.c' }, ok: 1 };
      expect(serializeReply(raw).equals(Buffer.from(BSON.serialize(plain)))).toBe(true);
    }
    const empty = { cursor: { firstBatch: [], id: Long.ZERO, ns: 'db.c' }, ok: 1 };
    expect(serializeReply(empty).equals(Buffer.from(BSON.serialize(empty)))).toBe(true);
  });

  it('tolerates the checksum flag by ignoring the trailing CRC', () => {
    const withCrc = opMsg([kind0({ ping: 1, $db: 'a' }), Buffer.alloc(4, 0xee)], 1);
    expect(parseFrame(withCrc).command).toEqual({ ping: 1, $db: 'a' });
  });

  it('rejects unknown required flag bits, unknown section kinds and a missing body', () => {
    expect(() => parseFrame(opMsg([kind0({ ping: 1 })], 1 << 4))).toThrow(FrameError);
    expect(() => parseFrame(opMsg([Buffer.from([9]), bson({ a: 1 })]))).toThrow(/section kind/);
    expect(() => parseFrame(opMsg([kind1('documents', [{ a: 1 }])]))).toThrow(/without body/);
  });

  it('rejects BSON whose length runs past the frame, and corrupt BSON', () => {
    const doc = bson({ ping: 1 });
    doc.writeInt32LE(doc.length + 50, 0);
    expect(() => parseFrame(opMsg([Buffer.concat([Buffer.from([0]), doc])]))).toThrow(FrameError);
    const bad = bson({ s: 'x' });
    bad[4] = 0x7f; // unknown element type
    expect(() => parseFrame(opMsg([Buffer.concat([Buffer.from([0]), bad])]))).toThrow(FrameError);
  });

  it('rejects a header whose length disagrees with the frame', () => {
    const f = opMsg([kind0({ ping: 1 })]);
    f.writeInt32LE(f.length + 1, 0);
    expect(() => parseFrame(f)).toThrow(/length mismatch/);
  });
});

describe('oversized documents', () => {
  it('are reported as DocumentTooLarge (answered, not disconnected) before any decoding', () => {
    const big = Buffer.from(BSON.serialize({ insert: 'c', $db: 'd', s: 'x'.repeat(17 * 1024 * 1024) }));
    expect(() => parseFrame(opMsg([Buffer.concat([Buffer.from([0]), big])]))).toThrow(DocumentTooLarge);
    const inSequence = opMsg([kind0({ insert: 'c', $db: 'd' }), kind1('documents', [{ s: 'y'.repeat(17 * 1024 * 1024) }])]);
    expect(() => parseFrame(inSequence)).toThrow(DocumentTooLarge);
  });
});

describe('frame length', () => {
  it('waits for four bytes, then validates the declared length', () => {
    expect(frameLength(Buffer.from([1, 2]))).toBeUndefined();
    expect(frameLength(header(100, OP_MSG))).toBe(100);
    expect(() => frameLength(header(3, OP_MSG))).toThrow(FrameError);
    expect(() => frameLength(header(MAX_MESSAGE_SIZE + 1, OP_MSG))).toThrow(FrameError);
  });
});

describe('legacy OP_QUERY handshake', () => {
  it('parses the namespace and query document', () => {
    const q = Buffer.concat([Buffer.alloc(4), Buffer.from('admin.$cmd\0'), Buffer.alloc(8), bson({ isMaster: 1 })]);
    const f = parseFrame(Buffer.concat([header(16 + q.length, OP_QUERY), q]));
    expect(f.kind).toBe('query');
    expect(f.kind === 'query' && f.fullCollectionName).toBe('admin.$cmd');
    expect(f.command).toEqual({ isMaster: 1 });
  });

  it('answers with OP_REPLY carrying one document', () => {
    const r = encodeOpReply(42, { ok: 1 });
    const h = readHeader(r);
    expect([h.opCode, h.responseTo, h.messageLength]).toEqual([1, 42, r.length]);
    expect(r.readInt32LE(16 + 16)).toBe(1); // numberReturned
    expect(BSON.deserialize(r.subarray(36))).toEqual({ ok: 1 });
  });
});

describe('OP_MSG reply', () => {
  it('is a single kind-0 section answering the request id', () => {
    const r = encodeMsgReply(9, { ok: 1, n: 2 });
    const f = parseFrame(r);
    expect(f.header.responseTo).toBe(9);
    expect(f.command).toEqual({ ok: 1, n: 2 });
  });
});
