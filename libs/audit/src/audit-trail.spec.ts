import { createPublicKey, verify as verifySignature } from 'node:crypto';
import { ObjectId } from 'mongodb';
import { runWithRequestContext, systemClock } from '@app/platform';
import { auditMedium, AuditMedium, TEST_PARTITIONS } from '../test-support/audit-medium';
import { AUDIT_HEADS, AUDIT_LOG, AuditTrail } from './audit-trail';
import { canonicalJson } from './canonical';
import { partitionId, recordHash, shardOf, tenantKeyOf } from './chain';
import { bodyOf, exportCheckpoint } from './checkpoint';
import { AuditActor } from './record';

let m: AuditMedium;
beforeAll(async () => {
  m = await auditMedium('audit-trail');
});
afterAll(async () => {
  await m?.close();
});

const staff: AuditActor = { kind: 'user', id: '6650a0000000000000000001', role: 'institution', organisationId: 'inst-a', regionCode: '230702' };
const log = () => m.conn.collection(AUDIT_LOG);
let nextId = 1;

/** One audited change, as a use case makes it: the write and what it was, in one commit. */
function createWidget(institutionId: string, name = `w${nextId}`, trail: AuditTrail = m.trail): Promise<number> {
  const id = nextId++;
  return trail.commit(staff, async (tx) => {
    await m.widgets.create({ _id: id, name, institutionId, regionCode: '230702' });
    tx.record({ action: 'widget.create', target: { type: 'widget', id: String(id) }, tenant: { institutionId, regionCode: '230702' }, after: { name } });
    return id;
  });
}

describe('AuditTrail.commit', () => {
  it('commits the change with its record: who, what, when, from where, chained to the head', async () => {
    const id = await runWithRequestContext({ requestId: 'req-12345678', ip: '127.0.0.1' }, () => createWidget('inst-a', '一号'));
    expect(await m.widgets.findById(id).lean()).toMatchObject({ name: '一号' });
    const rec = await log().findOne({ 'target.id': String(id) });
    expect(rec).toMatchObject({
      v: 1,
      action: 'widget.create',
      actor: staff,
      requestId: 'req-12345678',
      ip: '127.0.0.1',
      tenant: { institutionId: 'inst-a', regionCode: '230702' },
      after: { name: '一号' },
      partition: partitionId('test', shardOf(tenantKeyOf({ institutionId: 'inst-a' }), TEST_PARTITIONS)),
    });
    expect(rec!.at).toBeInstanceOf(Date);
    const { _id, seq, hash, ...body } = rec!;
    void _id;
    void seq;
    expect(recordHash(body as never)).toBe(hash);
    // The head document moves at checkpoints (not inside commits, see advanceHead).
    await m.store.checkpoint();
    const head = await m.conn.collection(AUDIT_HEADS).findOne({ _id: rec!.partition as never });
    expect(head).toMatchObject({ seq: rec!.seq, hash: rec!.hash });
  });

  it('commits nothing when the work fails', async () => {
    const before = await log().countDocuments();
    await expect(
      m.trail.commit(staff, async (tx) => {
        await m.widgets.create({ _id: 9001, name: 'half', institutionId: 'inst-a' });
        tx.record({ action: 'widget.create', target: { type: 'widget', id: '9001' }, tenant: { institutionId: 'inst-a' } });
        throw new Error('use case failed after writing');
      }),
    ).rejects.toThrow('use case failed');
    expect(await m.widgets.findById(9001).lean()).toBeNull();
    expect(await log().countDocuments()).toBe(before);
  });

  it('commits nothing when the record cannot be written, or was never made', async () => {
    // The log refuses the insert (a full disk, a lost connection): the change must not commit either.
    const log_ = (m.trail as unknown as { log: { insertMany: (...a: unknown[]) => Promise<unknown> } }).log;
    const refused = jest.spyOn(log_, 'insertMany').mockRejectedValueOnce(Object.assign(new Error('disk full'), { code: 14031 }));
    try {
      await expect(createWidget('inst-blocked', 'blocked')).rejects.toThrow('disk full');
      expect(await m.widgets.countDocuments({ name: 'blocked' })).toBe(0);
    } finally {
      refused.mockRestore();
    }
    await expect(m.trail.commit(staff, async () => void (await m.widgets.create({ _id: 9002, name: 'unrecorded' })))).rejects.toThrow(/at least one audit entry/);
    await expect(m.trail.commit(staff, async (tx) => tx.record({ action: 'Bad Action', target: { type: 'w', id: '1' }, tenant: {} }))).rejects.toThrow(/dotted code/);
    expect(await m.widgets.findById(9002).lean()).toBeNull();
    // The partition still takes writes afterwards.
    await createWidget('inst-blocked', 'after');
    expect((await m.store.verify()).intact).toBe(true);
  });

  it('keeps a chain unbroken when a second process with the same writer id moves its head (stale cache)', async () => {
    // A misconfigured replica with the same writer id: correct, only slower. Under a burst the two
    // starve each other (see the README); taking turns, each finds the head moved and re-reads it.
    const twin = new AuditTrail(m.conn, { writer: 'test', partitions: TEST_PARTITIONS, clock: systemClock });
    for (let i = 0; i < 6; i++) await createWidget('inst-twin', `twin${i}`, i % 2 ? twin : m.trail);
    expect(await log().countDocuments({ 'after.name': /^twin\d$/ })).toBe(6);
    expect((await m.store.verify()).problems).toEqual([]);
  });

  it('keeps each chain unbroken under concurrent writers: in one process and in two', async () => {
    const other = new AuditTrail(m.conn, { writer: 'worker', partitions: TEST_PARTITIONS, clock: systemClock });
    await other.init();
    const tenants = ['inst-a', 'inst-b', 'inst-c', 'inst-d', 'inst-e'];
    await Promise.all(Array.from({ length: 120 }, (_, i) => createWidget(tenants[i % tenants.length], `c${i}`, i % 3 === 0 ? other : m.trail)));
    const report = await m.store.verify();
    expect(report.problems).toEqual([]);
    expect(await log().countDocuments({ action: 'widget.create', 'after.name': /^c\d+$/ })).toBe(120);
    expect(await m.widgets.countDocuments({ name: /^c\d+$/ })).toBe(120);
  });

  it('pipelines one chain: a commit that fails mid-burst takes back only itself, the ones chained after it retry', async () => {
    // All on one tenant, so one chain: the commits are chained while earlier ones are still in flight.
    const trail = m.trail as unknown as { commitDurably: (s: unknown) => Promise<void> };
    const real = trail.commitDurably.bind(m.trail);
    let calls = 0;
    const failing = jest.spyOn(trail, 'commitDurably').mockImplementation(async (s) => {
      // The fifth commit to reach the server is refused as a lost connection would refuse it.
      if (++calls === 5) throw Object.assign(new Error('connection reset'), { code: 6 });
      return real(s);
    });
    try {
      const outcomes = await Promise.allSettled(Array.from({ length: 24 }, (_, i) => createWidget('inst-burst', `burst${i}`)));
      const failed = outcomes.filter((o) => o.status === 'rejected');
      expect(failed).toHaveLength(1);
      expect(String((failed[0] as PromiseRejectedResult).reason)).toMatch(/connection reset/);
    } finally {
      failing.mockRestore();
    }
    // Every change that says it committed has its record and the reverse; the chain has no gap.
    expect(await m.widgets.countDocuments({ name: /^burst\d+$/ })).toBe(23);
    expect(await log().countDocuments({ 'after.name': /^burst\d+$/ })).toBe(23);
    expect((await m.store.verify()).problems).toEqual([]);
    await createWidget('inst-burst', 'burst-after');
    expect((await m.store.verify()).intact).toBe(true);
  });

  it('keeps secrets and whole ID numbers out of a record', async () => {
    await m.trail.commit(staff, async (tx) =>
      tx.record({ action: 'trainee.update', target: { type: 'trainee', id: 't-1' }, tenant: { institutionId: 'inst-a' }, before: { idNumber: '23071719850315101X', passwordHash: 'x' }, after: { idNumber: '230717198503151028' } }),
    );
    const rec = await log().findOne({ 'target.id': 't-1' });
    expect(rec).toMatchObject({ before: { idNumber: '2307**********101X' }, after: { idNumber: '2307**********1028' } });
    expect(rec!.before).not.toHaveProperty('passwordHash');
  });

  it('records a sensitive read with nothing else', async () => {
    await m.trail.recordRead(staff, { action: 'face-reference.read', target: { type: 'face-reference', id: 'fr-1' }, tenant: { institutionId: 'inst-a' } });
    expect(await log().countDocuments({ action: 'face-reference.read', 'target.id': 'fr-1' })).toBe(1);
  });
});

describe('checkpoints', () => {
  it('signs the heads as an RFC 6962 root, once per change, exportable and checkable with the public key alone', async () => {
    await createWidget('inst-a');
    const first = await m.store.checkpoint();
    expect(await m.store.checkpoint()).toEqual(first);
    await createWidget('inst-b');
    const second = await m.store.checkpoint();
    expect(second.number).toBe(first.number + 1);
    expect(second.heads.map((h) => h.partition)).toEqual(expect.arrayContaining(['test.0', 'test.1', 'test.2', 'test.3', 'worker.0']));

    const exported = JSON.parse(JSON.stringify(exportCheckpoint(second, m.store)));
    const ok = verifySignature(null, Buffer.from(canonicalJson(bodyOf(exported))), createPublicKey(exported.publicKey), Buffer.from(exported.signature, 'base64'));
    expect(ok).toBe(true);
    expect((await m.store.verify(exported)).intact).toBe(true);
  });
});

describe('verify against a tampered database', () => {
  const edits: Array<[string, (coll: ReturnType<typeof log>, p: string) => Promise<{ seq: number; id?: string }>, string]> = [
    [
      'an edited field',
      async (coll, p) => {
        const r = (await coll.findOne({ partition: p, seq: 3 }))!;
        await coll.updateOne({ _id: r._id }, { $set: { 'after.name': '改过的' } });
        return { seq: 3, id: r._id.toHexString() };
      },
      'edited',
    ],
    [
      'a deleted record',
      async (coll, p) => {
        await coll.deleteOne({ partition: p, seq: 4 });
        return { seq: 4 };
      },
      'removed',
    ],
    [
      'an inserted record',
      async (coll, p) => {
        const r = (await coll.findOne({ partition: p, seq: 4 }))!;
        const last = (await coll.find({ partition: p }).sort({ seq: -1 }).limit(1).next())!;
        for (let s = last.seq; s >= 5; s--) await coll.updateOne({ partition: p, seq: s }, { $inc: { seq: 1 } });
        const { _id, seq, hash, ...body } = r;
        void _id;
        void seq;
        void hash;
        const forged = { ...body, prevHash: r.hash, target: { type: 'widget', id: 'forged' } };
        const inserted = await coll.insertOne({ ...forged, seq: 5, hash: recordHash(forged as never) });
        await m.conn.collection(AUDIT_HEADS).updateOne({ _id: p as never }, { $inc: { seq: 1 } });
        return { seq: 5, id: inserted.insertedId.toHexString() };
      },
      'inserted',
    ],
    [
      'two records swapped',
      async (coll, p) => {
        const a = (await coll.findOne({ partition: p, seq: 2 }))!;
        const b = (await coll.findOne({ partition: p, seq: 3 }))!;
        await coll.updateOne({ _id: a._id }, { $set: { seq: -1 } });
        await coll.updateOne({ _id: b._id }, { $set: { seq: 2 } });
        await coll.updateOne({ _id: a._id }, { $set: { seq: 3 } });
        return { seq: 2, id: b._id.toHexString() };
      },
      'reordered',
    ],
  ];

  it.each(edits)('finds %s and names the first bad record', async (_what, tamper, kind) => {
    const t = await auditMedium('audit-tamper');
    try {
      for (let i = 0; i < 8; i++) await createWidgetIn(t, 'inst-x', i);
      const p = partitionId('test', shardOf(tenantKeyOf({ institutionId: 'inst-x' }), TEST_PARTITIONS));
      expect((await t.store.verify()).intact).toBe(true);
      const bad = await tamper(t.conn.collection(AUDIT_LOG), p);
      const report = await t.store.verify();
      expect(report.intact).toBe(false);
      expect(report.problems).toEqual([expect.objectContaining({ kind, partition: p, seq: bad.seq, ...(bad.id ? { recordId: bad.id } : {}) })]);
    } finally {
      await t.close();
    }
  });

  it('finds a whole-chain rewrite with recomputed hashes against an exported checkpoint', async () => {
    const t = await auditMedium('audit-rewrite');
    try {
      for (let i = 0; i < 8; i++) await createWidgetIn(t, 'inst-x', i);
      const p = partitionId('test', shardOf(tenantKeyOf({ institutionId: 'inst-x' }), TEST_PARTITIONS));
      const exported = JSON.parse(JSON.stringify(exportCheckpoint(await t.store.checkpoint(), t.store)));
      // Someone with write access drops the platform's checkpoints and rewrites the chain from the start.
      await t.conn.collection('audit_checkpoints').deleteMany({});
      const coll = t.conn.collection(AUDIT_LOG);
      const records = await coll.find({ partition: p }).sort({ seq: 1 }).toArray();
      let prevHash = records[0].prevHash as string;
      for (const r of records) {
        const { _id, seq, hash, ...body } = r;
        void seq;
        void hash;
        const forged = { ...body, prevHash, ...(r.seq === 1 ? { after: { name: '虚增' } } : {}) };
        prevHash = recordHash(forged as never);
        await coll.replaceOne({ _id }, { ...forged, seq: r.seq, hash: prevHash });
      }
      await t.conn.collection(AUDIT_HEADS).updateOne({ _id: p as never }, { $set: { hash: prevHash } });
      expect((await t.store.verify()).intact).toBe(true);
      const report = await t.store.verify(exported);
      expect(report.problems).toEqual([
        expect.objectContaining({ kind: 'checkpoint', checkpoint: exported.number }),
        expect.objectContaining({ kind: 'rewritten', partition: p, seq: 1, recordId: (records[0]._id as ObjectId).toHexString(), checkpoint: exported.number }),
      ]);
    } finally {
      await t.close();
    }
  });
});

function createWidgetIn(t: AuditMedium, institutionId: string, i: number): Promise<void> {
  return t.trail.commit(staff, async (tx) => {
    await t.widgets.create({ _id: 100 + i, name: `t${i}`, institutionId });
    tx.record({ action: 'widget.create', target: { type: 'widget', id: String(100 + i) }, tenant: { institutionId }, after: { name: `t${i}` } });
  });
}
