// Malformed and hostile frames against the embedded server (always the embedded one: this needs a
// server process we own and can watch). Each bad connection must be answered or closed promptly,
// the server process must survive, and a mongoose client working throughout must never notice.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';
import mongoose, { Connection, Schema } from 'mongoose';
import { BSON } from 'bson';
import { spawnServer } from '@app/embedded-mongo';
import { Exchange, exchange, header, OP_MSG, opMsg, opQuery, prng, randomBytes } from './wire';
import { sleep } from './harness';

type Server = Awaited<ReturnType<typeof spawnServer>>;
let server: Server;
let dbPath: string;
let conn: Connection;
const probeSchema = new Schema({ seq: { type: Number, required: true } });
const probeModel = (c: Connection) => c.model('Probe', probeSchema);
let Probe: ReturnType<typeof probeModel>;
let probing = true;
let probeLoop: Promise<void>;
const probeFailures: string[] = [];
let probes = 0;
let slowestProbeMs = 0;
let slowestDuring = '';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const rssKb = async (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(await readFile(`/proc/${pid}/status`, 'utf8'))![1]);

/** The two big hostile frames, built before the probe starts so their cost is not charged to the server. */
function bigFrames(): { deep: Buffer; huge: Buffer } {
  // Splice `doc: <100,000 levels>` into an insert command document.
  const prefix = Buffer.from(BSON.serialize({ insert: 'deep', $db: 'fuzz' }));
  const fieldHead = Buffer.concat([Buffer.from([0x03]), Buffer.from('doc\0', 'latin1')]);
  const deepBody = Buffer.concat([prefix.subarray(0, prefix.length - 1), fieldHead, nestedDocument(100_000), Buffer.from([0])]);
  deepBody.writeInt32LE(deepBody.length, 0);
  BSON.setInternalBufferSize(40 * 1024 * 1024);
  const hugeBody = Buffer.from(BSON.serialize({ insert: 'huge', documents: [{ _id: 1, blob: 'x'.repeat(17 * 1024 * 1024) }], $db: 'fuzz' }));
  return { deep: opMsg(deepBody), huge: opMsg(hugeBody) };
}
let frames: { deep: Buffer; huge: Buffer };

beforeAll(async () => {
  console.log('fuzz: embedded server in a child process');
  frames = bigFrames();
  dbPath = await mkdtemp(join(tmpdir(), 'emb-fuzz-'));
  server = await spawnServer({ dbPath, port: 0, host: '127.0.0.1' });
  conn = await mongoose.createConnection(server.uri, { dbName: 'fuzz', serverSelectionTimeoutMS: 3000 }).asPromise();
  Probe = probeModel(conn);
  // The concurrent, well-behaved client: a write and a read every ~20 ms for the whole suite.
  probeLoop = (async () => {
    while (probing) {
      const seq = probes++;
      const started = Date.now();
      try {
        await Probe.create({ seq });
        const back = await Probe.findOne({ seq }).lean();
        if (back?.seq !== seq) probeFailures.push(`probe ${seq}: read back ${JSON.stringify(back)}`);
      } catch (err) {
        probeFailures.push(`probe ${seq}: ${(err as Error).message}`);
      }
      const took = Date.now() - started;
      if (took > slowestProbeMs) {
        slowestProbeMs = took;
        slowestDuring = expect.getState().currentTestName ?? '(between tests)';
      }
      await sleep(20);
    }
  })();
});

afterAll(async () => {
  probing = false;
  await probeLoop;
  await conn?.close();
  if (server && alive(server.pid)) await server.close();
  if (dbPath) await rm(dbPath, { recursive: true, force: true });
});

/** BSON bytes of { n: { n: … { leaf: 1 } } } nested `depth` times, built in one linear pass. */
function nestedDocument(depth: number): Buffer {
  const leaf = Buffer.from(BSON.serialize({ leaf: 1 }));
  const out = Buffer.alloc(depth * 8 + leaf.length);
  for (let level = 0; level < depth; level++) {
    const at = level * 7;
    out.writeInt32LE((depth - level) * 8 + leaf.length, at);
    out[at + 4] = 0x03;
    out.write('n\0', at + 5, 'latin1');
  }
  leaf.copy(out, depth * 7);
  // The remaining `depth` bytes are the zero terminators of every enclosing level.
  return out;
}

/** The server either answered with an error or dropped the connection, promptly. */
function expectRejected(r: Exchange, what: string) {
  expect({ what, timedOut: r.timedOut }).toEqual({ what, timedOut: false });
  if (!r.closedByServer) expect({ what, ok: r.replies[0]?.ok }).toEqual({ what, ok: 0 });
}

describe('well-formed frames (the harness speaks the protocol)', () => {
  it('answers a raw OP_MSG ping and a legacy OP_QUERY ismaster', async () => {
    const ping = await exchange(server.port, [opMsg({ ping: 1, $db: 'admin' })]);
    expect(ping.replies[0]).toMatchObject({ ok: 1 });
    const hello = await exchange(server.port, [opQuery('admin.$cmd', { ismaster: 1 })]);
    expect(hello.replies[0]).toMatchObject({ ok: 1, ismaster: true });
  });

  it('answers 50 pipelined pings sent in one write, and one ping sent a byte at a time', async () => {
    const many = Buffer.concat(Array.from({ length: 50 }, () => opMsg({ ping: 1, $db: 'admin' })));
    const r = await exchange(server.port, [many], { wantReplies: 50 });
    expect(r.replies).toHaveLength(50);
    const frame = opMsg({ ping: 1, $db: 'admin' });
    const bytes = [...frame].map((b) => Buffer.from([b]));
    const slow = await exchange(server.port, bytes);
    expect(slow.replies[0]).toMatchObject({ ok: 1 });
  });

  it('tolerates the checksumPresent flag with a valid CRC-32C', async () => {
    // mongodb.com/docs/manual/reference/mongodb-wire-protocol/#checksum
    const r = await exchange(server.port, [opMsg({ ping: 1, $db: 'admin' }, { checksum: 'valid' })]);
    expect(r.replies[0]).toMatchObject({ ok: 1 });
  });

  it('answers a command without $db with an error, not a crash or a hang', async () => {
    const r = await exchange(server.port, [opMsg({ ping: 1 })]);
    expect(r.timedOut).toBe(false);
    expect(r.replies[0]?.ok).toBe(0);
  });
});

describe('malformed frames', () => {
  it('a wrong checksum is rejected or ignored, never a hang', async () => {
    const r = await exchange(server.port, [opMsg({ ping: 1, $db: 'admin' }, { checksum: 0xdeadbeef })]);
    expect(r.timedOut).toBe(false);
  });

  it.each([0, 4, 15, -1, -2147483648])('messageLength %i (< 16) closes the connection', async (len) => {
    const frame = Buffer.concat([header(16, OP_MSG), Buffer.alloc(16)]);
    frame.writeInt32LE(len, 0);
    const r = await exchange(server.port, [frame]);
    expect(r.closedByServer).toBe(true);
  });

  it.each([48_000_001, 64 * 1024 * 1024, 2147483647])('messageLength %i (> 48 MB) is refused without buffering it', async (len) => {
    const before = await rssKb(server.pid);
    const frame = Buffer.concat([header(len, OP_MSG), Buffer.alloc(4096, 7)]);
    const r = await exchange(server.port, [frame, Buffer.alloc(1 << 20, 1)]);
    expectRejected(r, `length ${len}`);
    expect((await rssKb(server.pid)) - before).toBeLessThan(200 * 1024);
  });

  it('a frame truncated mid-body, then EOF, closes only that connection', async () => {
    const full = opMsg({ insert: 'x', documents: [{ a: 1 }], $db: 'fuzz' });
    for (const cut of [3, 15, 17, 21, full.length - 1]) {
      const r = await exchange(server.port, [full.subarray(0, cut)], { halfClose: true });
      expect({ cut, closed: r.closedByServer, replies: r.replies.length }).toEqual({ cut, closed: true, replies: 0 });
    }
  });

  it('a valid header around garbage BSON is rejected', async () => {
    const next = prng(7);
    for (let i = 0; i < 20; i++) {
      const garbage = randomBytes(next, 8 + Math.floor(next() * 200));
      const r = await exchange(server.port, [opMsg(garbage)]);
      expectRejected(r, `garbage body #${i}`);
    }
  });

  it('a BSON document whose own length overruns the section is rejected', async () => {
    const doc = Buffer.from(BSON.serialize({ ping: 1, $db: 'admin' }));
    doc.writeInt32LE(doc.length + 1000, 0);
    expectRejected(await exchange(server.port, [opMsg(doc)]), 'overrunning BSON');
    const tiny = Buffer.from([5, 0, 0, 0]);
    expectRejected(await exchange(server.port, [opMsg(tiny)]), 'BSON cut short');
  });

  it('unknown opcodes, unknown required flag bits and unknown section kinds are rejected', async () => {
    const body = Buffer.from(BSON.serialize({ ping: 1, $db: 'admin' }));
    const unknownOp = Buffer.concat([header(16 + 5 + body.length, 9999), Buffer.alloc(5), body]);
    expectRejected(await exchange(server.port, [unknownOp]), 'opCode 9999');
    expectRejected(await exchange(server.port, [opMsg({ ping: 1, $db: 'admin' }, { flags: 1 << 4 })]), 'required flag bit 4');
    const badKind = opMsg({ ping: 1, $db: 'admin' });
    badKind[20] = 7;
    expectRejected(await exchange(server.port, [badKind]), 'section kind 7');
    const seq = Buffer.concat([opMsg({ insert: 'x', $db: 'fuzz' }), Buffer.from([1, 0xff, 0xff, 0, 0]), Buffer.from('documents\0')]);
    seq.writeInt32LE(seq.length, 0);
    expectRejected(await exchange(server.port, [seq]), 'document sequence overrunning the frame');
  });

  it('a 100,000-level nested document is rejected without taking the server down', async () => {
    // Built by hand: each level is { n: <inner> }. A recursive decoder would overflow the stack;
    // mongod refuses anything nested deeper than 200 levels
    // (mongodb.com/docs/manual/reference/limits/#mongodb-limit-Nested-Depth-for-BSON-Documents).
    const r = await exchange(server.port, [frames.deep], { timeoutMs: 3000 });
    expectRejected(r, 'deep document');
    expect(alive(server.pid)).toBe(true);
  });

  it('a well-formed insert of a 17 MB document is refused (BSONObjectTooLarge) and nothing is stored', async () => {
    // mongod: documents are limited to 16 MB (mongodb.com/docs/manual/reference/limits/#mongodb-limit-BSON-Document-Size);
    // the frame itself is legal (< 48 MB), so the answer is an error reply, not a dropped connection.
    const r = await exchange(server.port, [frames.huge], { timeoutMs: 10_000 });
    expect(r.timedOut).toBe(false);
    expect(r.replies).toHaveLength(1);
    const reply = r.replies[0];
    expect(reply.ok === 0 || reply.writeErrors?.length === 1).toBe(true);
    expect(await conn.collection('huge').countDocuments()).toBe(0);
  });

  it('300 random frames and 100 abandoned half-headers leave the server up', async () => {
    const next = prng(20261124);
    const tasks: Promise<unknown>[] = [];
    for (let i = 0; i < 300; i++) {
      const bytes = randomBytes(next, 1 + Math.floor(next() * 2048));
      // Half of them get a plausible header so the body parser, not just the framer, sees garbage.
      if (i % 2 === 0 && bytes.length >= 16) {
        bytes.writeInt32LE(bytes.length, 0);
        bytes.writeInt32LE([OP_MSG, 2004, 2012, 2010][i % 4], 12);
      }
      tasks.push(exchange(server.port, [bytes], { timeoutMs: 500, halfClose: true }));
      if (tasks.length >= 20) await Promise.all(tasks.splice(0));
    }
    for (let i = 0; i < 100; i++) {
      tasks.push(
        new Promise<void>((resolve) => {
          const sock = connect({ port: server.port, host: '127.0.0.1' }, () => {
            sock.write(Buffer.from([0x30, 0x00, 0x00]));
            setTimeout(() => {
              sock.destroy();
              resolve();
            }, 10);
          });
          sock.on('error', () => resolve());
        }),
      );
    }
    await Promise.all(tasks);
    expect(alive(server.pid)).toBe(true);
    const ping = await exchange(server.port, [opMsg({ ping: 1, $db: 'admin' })]);
    expect(ping.replies[0]).toMatchObject({ ok: 1 });
  });
});

describe('after all of it', () => {
  it('the server is alive and the concurrent mongoose client never saw an error', async () => {
    const before = probes;
    await sleep(300);
    expect(probes).toBeGreaterThan(before);
    expect(alive(server.pid)).toBe(true);
    expect(probeFailures).toEqual([]);
    console.log(`fuzz: ${probes} probe round trips during the run, slowest ${slowestProbeMs} ms (during "${slowestDuring}")`);
    expect(probes).toBeGreaterThan(5);
    // Hostile input on other connections must not stall a well-behaved client.
    expect(slowestProbeMs).toBeLessThan(1000);
    expect(await Probe.countDocuments()).toBeGreaterThanOrEqual(probes - 1);
  });
});
