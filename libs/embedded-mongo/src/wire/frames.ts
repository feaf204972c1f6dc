import { BSON, Document } from 'bson';

// Opcodes from the MongoDB wire protocol specification.
export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_COMPRESSED = 2012;
export const OP_MSG = 2013;

export const HEADER_SIZE = 16;
/** Same ceiling mongod advertises as maxMessageSizeBytes. */
export const MAX_MESSAGE_SIZE = 48_000_000;

const MSG_CHECKSUM_PRESENT = 1 << 0;
export const MSG_MORE_TO_COME = 1 << 1;

export class FrameError extends Error {}

/** A well-formed frame carrying a document over mongod's 16 MB limit: answered, not disconnected. */
export class DocumentTooLarge extends Error {
  constructor(
    readonly requestId: number,
    readonly size: number,
  ) {
    super(`BSONObj size: ${size} (0x${size.toString(16)}) is invalid. Size must be between 0 and 16793600(16MB)`);
  }
}

/** mongod accepts command bodies up to 16 MB plus 16 KB of command overhead. */
const MAX_DOC_SIZE = 16 * 1024 * 1024 + 16 * 1024;

export interface MsgHeader {
  messageLength: number;
  requestId: number;
  responseTo: number;
  opCode: number;
}

export interface ParsedMsg {
  kind: 'msg';
  header: MsgHeader;
  flags: number;
  /** Body document with kind-1 document sequences folded in under their identifiers. */
  command: Document;
}

export interface ParsedQuery {
  kind: 'query';
  header: MsgHeader;
  fullCollectionName: string;
  command: Document;
}

export type ParsedFrame = ParsedMsg | ParsedQuery;

/**
 * BSON as the command layer sees it: int32/double promoted to number; int64 kept as Long and
 * Decimal128 as Decimal128 so stored documents keep their types (matching converts them, see
 * query/numbers.ts); Binary kept as Binary so subtypes survive a round trip.
 */
export const DESERIALIZE_OPTIONS = {
  promoteLongs: false,
  promoteValues: true,
  promoteBuffers: false,
  bsonRegExp: false,
} as const;

/** Every numeric type as its wrapper, so the exact BSON type can be kept where it matters. */
export const TYPED_OPTIONS = {
  promoteLongs: false,
  promoteValues: false,
  promoteBuffers: false,
  bsonRegExp: false,
} as const;

/**
 * After a typed decode: int32 and fractional doubles become JS numbers (they re-encode to the
 * same BSON type), while integral doubles stay `Double` wrappers (a JS 7 would re-encode as
 * int32), as do int64 and Decimal128. Strings, booleans and other wrappers are unwrapped as
 * promoteValues would.
 */
export function liftNumbers<T>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  const t = (v as { _bsontype?: string })._bsontype;
  if (t === 'Int32') return (v as unknown as { value: number }).value as unknown as T;
  if (t === 'Double') {
    const n = (v as unknown as { value: number }).value;
    return (Number.isInteger(n) && !Object.is(n, -0) ? v : n) as unknown as T;
  }
  if (t) return v;
  if (v instanceof Date || v instanceof RegExp) return v;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = liftNumbers(v[i]);
    return v;
  }
  const o = v as unknown as Record<string, unknown>;
  for (const k of Object.keys(o)) o[k] = liftNumbers(o[k]);
  return v;
}

/** Decodes stored or client documents keeping int32 / double / int64 / decimal distinct (see liftNumbers). */
export function decodeTyped(bytes: Uint8Array): Document {
  return liftNumbers(BSON.deserialize(bytes, TYPED_OPTIONS));
}

/**
 * The wire bytes each document of an OP_MSG document sequence was decoded from (typed decodes
 * only, where decoding and re-encoding give back the same bytes). An insert stores them as they
 * are instead of serializing the document again.
 */
const wireBytes = new WeakMap<Document, Buffer>();

export function wireBytesOf(doc: Document): Buffer | undefined {
  return wireBytes.get(doc);
}

export function readHeader(buf: Buffer): MsgHeader {
  return {
    messageLength: buf.readInt32LE(0),
    requestId: buf.readInt32LE(4),
    responseTo: buf.readInt32LE(8),
    opCode: buf.readInt32LE(12),
  };
}

/** Returns the length of the next frame once the buffer holds its header, or throws on an impossible length. */
export function frameLength(buf: Buffer): number | undefined {
  if (buf.length < 4) return undefined;
  const len = buf.readInt32LE(0);
  if (len < HEADER_SIZE || len > MAX_MESSAGE_SIZE) throw new FrameError(`invalid message length ${len}`);
  return len;
}

function readBsonAt(buf: Buffer, offset: number, end: number, typed = false): { doc: Document; next: number } {
  if (offset + 5 > end) throw new FrameError('truncated BSON document');
  const size = buf.readInt32LE(offset);
  if (size < 5 || offset + size > end) throw new FrameError(`invalid BSON document size ${size}`);
  try {
    const bytes = buf.subarray(offset, offset + size);
    const doc = typed ? decodeTyped(bytes) : BSON.deserialize(bytes, DESERIALIZE_OPTIONS);
    return { doc, next: offset + size };
  } catch (e) {
    throw new FrameError(`invalid BSON: ${(e as Error).message}`);
  }
}

function readCString(buf: Buffer, offset: number, end: number): { value: string; next: number } {
  const zero = buf.indexOf(0, offset);
  if (zero < 0 || zero >= end) throw new FrameError('unterminated cstring');
  return { value: buf.toString('utf8', offset, zero), next: zero + 1 };
}

/** Parses one complete frame (header included). Throws FrameError on anything malformed. */
export function parseFrame(frame: Buffer, typed = false): ParsedFrame {
  if (frame.length < HEADER_SIZE) throw new FrameError('short frame');
  const header = readHeader(frame);
  if (header.messageLength !== frame.length) throw new FrameError('length mismatch');
  if (header.opCode === OP_MSG) return parseMsg(frame, header, typed);
  if (header.opCode === OP_QUERY) return parseQuery(frame, header);
  throw new FrameError(`unsupported opCode ${header.opCode}`);
}

function parseMsg(frame: Buffer, header: MsgHeader, typed: boolean): ParsedMsg {
  if (frame.length < HEADER_SIZE + 5) throw new FrameError('short OP_MSG');
  checkDocumentSizes(frame, header);
  const flags = frame.readUInt32LE(HEADER_SIZE);
  // Unknown required bits (0-15) must make the message fail, per the OP_MSG spec.
  if ((flags & 0xffff & ~(MSG_CHECKSUM_PRESENT | MSG_MORE_TO_COME)) !== 0) {
    throw new FrameError(`unsupported OP_MSG flag bits ${flags}`);
  }
  const end = flags & MSG_CHECKSUM_PRESENT ? frame.length - 4 : frame.length;
  let offset = HEADER_SIZE + 4;
  let body: Document | undefined;
  const sequences: Array<[string, Document[]]> = [];
  while (offset < end) {
    const kind = frame[offset++];
    if (kind === 0) {
      if (body) throw new FrameError('OP_MSG with two body sections');
      const r = readBsonAt(frame, offset, end, typed);
      body = r.doc;
      offset = r.next;
    } else if (kind === 1) {
      if (offset + 4 > end) throw new FrameError('truncated document sequence');
      const size = frame.readInt32LE(offset);
      const seqEnd = offset + size;
      if (size < 5 || seqEnd > end) throw new FrameError('invalid document sequence size');
      const id = readCString(frame, offset + 4, seqEnd);
      const docs: Document[] = [];
      let p = id.next;
      while (p < seqEnd) {
        const r = readBsonAt(frame, p, seqEnd, typed);
        docs.push(r.doc);
        if (typed && r.doc !== null && typeof r.doc === 'object') wireBytes.set(r.doc, frame.subarray(p, r.next));
        p = r.next;
      }
      sequences.push([id.value, docs]);
      offset = seqEnd;
    } else {
      throw new FrameError(`unknown OP_MSG section kind ${kind}`);
    }
  }
  if (!body) throw new FrameError('OP_MSG without body');
  for (const [id, docs] of sequences) body[id] = docs;
  return { kind: 'msg', header, flags, command: body };
}

/** Finds an oversized document before any decoding work (a 17 MB string would otherwise be decoded first). */
function checkDocumentSizes(frame: Buffer, header: MsgHeader): void {
  let offset = HEADER_SIZE + 4;
  const end = frame.readUInt32LE(HEADER_SIZE) & 1 ? frame.length - 4 : frame.length;
  while (offset + 5 <= end) {
    const kind = frame[offset++];
    if (kind === 0) {
      const size = frame.readInt32LE(offset);
      if (size > MAX_DOC_SIZE) throw new DocumentTooLarge(header.requestId, size);
      offset += Math.max(size, 5);
    } else if (kind === 1) {
      const seqSize = frame.readInt32LE(offset);
      const seqEnd = offset + seqSize;
      let p = frame.indexOf(0, offset + 4) + 1;
      while (p > 0 && p + 4 <= seqEnd && p + 4 <= end) {
        const size = frame.readInt32LE(p);
        if (size > MAX_DOC_SIZE) throw new DocumentTooLarge(header.requestId, size);
        if (size < 5) return;
        p += size;
      }
      if (seqSize < 5) return;
      offset = seqEnd;
    } else return; // parseMsg reports it
  }
}

function parseQuery(frame: Buffer, header: MsgHeader): ParsedQuery {
  let offset = HEADER_SIZE + 4; // flags
  if (offset >= frame.length) throw new FrameError('short OP_QUERY');
  const name = readCString(frame, offset, frame.length);
  offset = name.next + 8; // numberToSkip + numberToReturn
  const q = readBsonAt(frame, offset, frame.length);
  return { kind: 'query', header, fullCollectionName: name.value, command: q.doc };
}

/** Name of an OP_MSG's command (first key of its body) without decoding it, or undefined. */
export function peekCommandName(frame: Buffer): string | undefined {
  if (frame.length < HEADER_SIZE + 5 + 6 || frame.readInt32LE(12) !== OP_MSG || frame[HEADER_SIZE + 4] !== 0) return undefined;
  const start = HEADER_SIZE + 4 + 1 + 4 + 1; // section kind, document length, element type
  const zero = frame.indexOf(0, start);
  return zero > start ? frame.toString('utf8', start, zero) : undefined;
}

let nextRequestId = 1;
function header(len: number, responseTo: number, opCode: number): Buffer {
  const h = Buffer.allocUnsafe(HEADER_SIZE);
  h.writeInt32LE(len, 0);
  h.writeInt32LE(nextRequestId++ & 0x7fffffff, 4);
  h.writeInt32LE(responseTo, 8);
  h.writeInt32LE(opCode, 12);
  return h;
}

/**
 * A document that is already BSON (a stored document returned unchanged): placed in a cursor
 * batch, its bytes go to the wire as they are instead of being decoded and serialized again.
 */
export class RawDocument {
  constructor(readonly bytes: Uint8Array) {}
}

const BATCH_KEYS = ['firstBatch', 'nextBatch'] as const;

/** The elements of a serialized document: its bytes without the length prefix and the final NUL. */
function elementsOf(doc: Document): Buffer {
  const b = Buffer.from(BSON.serialize(doc));
  return b.subarray(4, b.length - 1);
}

function bsonDocument(parts: Buffer[]): Buffer {
  const len = 4 + parts.reduce((n, p) => n + p.length, 0) + 1;
  const size = Buffer.allocUnsafe(4);
  size.writeInt32LE(len, 0);
  return Buffer.concat([size, ...parts, Buffer.from([0])], len);
}

function element(type: number, name: string, value: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([type]), Buffer.from(name + '\0', 'utf8'), value]);
}

/** Serializes a reply; a cursor batch holding RawDocuments is assembled around their bytes. */
export function serializeReply(doc: Document): Buffer {
  const cursor = doc.cursor as Document | undefined;
  const key = cursor && BATCH_KEYS.find((k) => Array.isArray(cursor[k]));
  const batch = key ? (cursor![key] as unknown[]) : undefined;
  if (!batch || !batch.some((d) => d instanceof RawDocument)) return Buffer.from(BSON.serialize(doc));
  const items = batch.map((d, i) => element(0x03, String(i), d instanceof RawDocument ? d.bytes : BSON.serialize(d as Document)));
  const { [key!]: _batch, ...cursorRest } = cursor!;
  const { cursor: _cursor, ...rest } = doc;
  const cursorDoc = bsonDocument([element(0x04, key!, bsonDocument(items)), elementsOf(cursorRest)]);
  return bsonDocument([element(0x03, 'cursor', cursorDoc), elementsOf(rest)]);
}

export function encodeMsgReply(responseTo: number, doc: Document): Buffer {
  const body = serializeReply(doc);
  const len = HEADER_SIZE + 4 + 1 + body.length;
  const prefix = Buffer.alloc(5); // flagBits 0 + section kind 0
  return Buffer.concat([header(len, responseTo, OP_MSG), prefix, body], len);
}

export function encodeOpReply(responseTo: number, doc: Document): Buffer {
  const body = serializeReply(doc);
  const fields = Buffer.alloc(20);
  fields.writeInt32LE(0, 0); // responseFlags
  fields.writeBigInt64LE(0n, 4); // cursorID
  fields.writeInt32LE(0, 12); // startingFrom
  fields.writeInt32LE(1, 16); // numberReturned
  const len = HEADER_SIZE + 20 + body.length;
  return Buffer.concat([header(len, responseTo, OP_REPLY), fields, body], len);
}
