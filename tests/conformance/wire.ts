// Raw MongoDB wire frames for the fuzz spec, built by hand so malformed variants are possible.
// Layout: mongodb.com/docs/manual/reference/mongodb-wire-protocol/
import { connect, Socket } from 'node:net';
import { BSON, Document } from 'bson';

export const OP_MSG = 2013;
export const OP_QUERY = 2004;
export const OP_REPLY = 1;

let nextRequestId = 1;

export function header(length: number, opCode: number, requestId = nextRequestId++): Buffer {
  const h = Buffer.alloc(16);
  h.writeInt32LE(length, 0);
  h.writeInt32LE(requestId, 4);
  h.writeInt32LE(0, 8);
  h.writeInt32LE(opCode, 12);
  return h;
}

/** A complete OP_MSG with one kind-0 section; `checksum` appends a CRC-32C (or the given value). */
export function opMsg(body: Document | Buffer, opts: { flags?: number; checksum?: 'valid' | number } = {}): Buffer {
  const bson = Buffer.isBuffer(body) ? body : Buffer.from(BSON.serialize(body));
  let flags = opts.flags ?? 0;
  if (opts.checksum !== undefined) flags |= 1;
  const flagBuf = Buffer.alloc(4);
  flagBuf.writeUInt32LE(flags >>> 0, 0);
  const payload = Buffer.concat([flagBuf, Buffer.from([0]), bson]);
  const total = 16 + payload.length + (opts.checksum !== undefined ? 4 : 0);
  const frame = Buffer.concat([header(total, OP_MSG), payload]);
  if (opts.checksum === undefined) return frame;
  const sum = Buffer.alloc(4);
  sum.writeUInt32LE((opts.checksum === 'valid' ? crc32c(frame) : opts.checksum) >>> 0, 0);
  return Buffer.concat([frame, sum]);
}

/** Legacy OP_QUERY, as the driver sends its first `ismaster`. */
export function opQuery(collection: string, query: Document): Buffer {
  const fixed = Buffer.alloc(4);
  const name = Buffer.from(`${collection}\0`, 'utf8');
  const skipReturn = Buffer.alloc(8);
  skipReturn.writeInt32LE(0, 0);
  skipReturn.writeInt32LE(-1, 4);
  const payload = Buffer.concat([fixed, name, skipReturn, Buffer.from(BSON.serialize(query))]);
  return Buffer.concat([header(16 + payload.length, OP_QUERY), payload]);
}

const CRC32C_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32c(buf: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of buf) crc = CRC32C_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

export interface Exchange {
  /** Every complete reply frame, decoded (OP_MSG kind-0 body or OP_REPLY's first document). */
  replies: Document[];
  closedByServer: boolean;
  timedOut: boolean;
}

function decodeReply(frame: Buffer): Document {
  const opCode = frame.readInt32LE(12);
  if (opCode === OP_MSG) return BSON.deserialize(frame.subarray(21));
  if (opCode === OP_REPLY) return BSON.deserialize(frame.subarray(36));
  throw new Error(`unexpected reply opCode ${opCode}`);
}

/**
 * Sends `chunks` (one write each) and collects replies until `wantReplies` arrived, the server
 * closed the socket, or `timeoutMs` passed. `halfClose` ends our side after writing, so a server
 * waiting for the rest of a truncated frame sees EOF.
 */
export function exchange(
  port: number,
  chunks: Buffer[],
  opts: { wantReplies?: number; timeoutMs?: number; halfClose?: boolean } = {},
): Promise<Exchange> {
  const { wantReplies = 1, timeoutMs = 3000, halfClose = false } = opts;
  return new Promise((resolve) => {
    const socket: Socket = connect({ port, host: '127.0.0.1' });
    const replies: Document[] = [];
    let pending = Buffer.alloc(0);
    let done = false;
    const finish = (closedByServer: boolean, timedOut: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ replies, closedByServer, timedOut });
    };
    const timer = setTimeout(() => finish(false, true), timeoutMs);
    socket.on('connect', async () => {
      for (const chunk of chunks) {
        if (done) return;
        socket.write(chunk);
        if (chunks.length > 1) await new Promise((r) => setImmediate(r));
      }
      if (halfClose) socket.end();
    });
    socket.on('data', (data) => {
      pending = Buffer.concat([pending, data]);
      while (pending.length >= 4 && pending.length >= pending.readInt32LE(0)) {
        const len = pending.readInt32LE(0);
        replies.push(decodeReply(pending.subarray(0, len)));
        pending = pending.subarray(len);
      }
      if (replies.length >= wantReplies) finish(false, false);
    });
    socket.on('end', () => finish(true, false));
    socket.on('close', () => finish(true, false));
    socket.on('error', () => finish(true, false));
  });
}

/** Deterministic PRNG (mulberry32) so a failing fuzz case can be replayed from its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomBytes(next: () => number, n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = Math.floor(next() * 256);
  return b;
}
