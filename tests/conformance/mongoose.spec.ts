// The same behaviours through mongoose, the way the platform's services write them: documents,
// validation, timestamps, optimistic concurrency, populate, lean queries, cursors, bulkWrite.
import mongoose, { Schema, Types } from 'mongoose';
import { countCommands, openSuite, rejection, Suite } from './harness';

let s: Suite;
beforeAll(async () => {
  s = await openSuite('mongoose');
});
afterAll(async () => {
  await s?.close();
});

const authorSchema = new Schema({ name: { type: String, required: true }, org: String });
const courseSchema = new Schema(
  {
    title: { type: String, required: true, minlength: 2 },
    tags: [String],
    views: { type: Number, default: 0 },
    author: { type: Schema.Types.ObjectId, ref: 'Author' },
    chapters: [{ name: String, minutes: Number }],
    price: Schema.Types.Decimal128,
  },
  { timestamps: true, optimisticConcurrency: true },
);
const Author = () => s.conn.models.Author ?? s.conn.model('Author', authorSchema);
const Course = () => s.conn.models.Course ?? s.conn.model('Course', courseSchema);

it('creates, reads by id and applies defaults and timestamps', async () => {
  const c = await Course().create({ title: '安全生产基础', tags: ['safety'] });
  expect(c._id).toBeInstanceOf(Types.ObjectId);
  const found = await Course().findById(c._id).lean();
  expect(found).toMatchObject({ title: '安全生产基础', tags: ['safety'], views: 0, __v: 0 });
  expect(found!.createdAt).toBeInstanceOf(Date);
  expect(found!.updatedAt).toEqual(found!.createdAt);
});

it('rejects an invalid document without writing it', async () => {
  const err = await rejection(() => Course().create({ title: 'x' }));
  expect(err).toBeInstanceOf(mongoose.Error.ValidationError);
  expect(await Course().countDocuments({ title: 'x' })).toBe(0);
});

it('saves modifications with $set and bumps updatedAt', async () => {
  const c = await Course().create({ title: 'Edit me', price: '12.50' });
  const createdAt = c.get('updatedAt') as Date;
  await new Promise((r) => setTimeout(r, 10));
  c.set('title', 'Edited');
  c.chapters.push({ name: 'one', minutes: 5 });
  await c.save();
  const fresh = await Course().findById(c._id);
  expect(fresh!.title).toBe('Edited');
  expect(fresh!.chapters.map((ch: { name?: string | null }) => ch.name)).toEqual(['one']);
  expect(fresh!.price!.toString()).toBe('12.50');
  expect((fresh!.get('updatedAt') as Date).getTime()).toBeGreaterThan(createdAt.getTime());
});

it('optimistic concurrency: a stale copy fails to save with VersionError', async () => {
  const c = await Course().create({ title: 'Versioned' });
  const a = await Course().findById(c._id);
  const b = await Course().findById(c._id);
  a!.title = 'by a';
  await a!.save();
  b!.title = 'by b';
  const err = await rejection(() => b!.save());
  expect(err).toBeInstanceOf(mongoose.Error.VersionError);
  expect((await Course().findById(c._id).lean())!.title).toBe('by a');
});

it('populates references', async () => {
  const author = await Author().create({ name: 'Li', org: 'Yichun' });
  await Course().create([
    { title: 'Pop 1', author: author._id },
    { title: 'Pop 2', author: author._id },
  ]);
  const courses = await Course().find({ title: /^Pop/ }).sort({ title: 1 }).populate('author', 'name').lean();
  expect(courses.map((c) => [c.title, (c.author as unknown as { name: string }).name])).toEqual([
    ['Pop 1', 'Li'],
    ['Pop 2', 'Li'],
  ]);
});

it('queries with select, sort, skip, limit, countDocuments, distinct, estimatedDocumentCount', async () => {
  await Course().insertMany(Array.from({ length: 12 }, (_, i) => ({ title: `Q${String(i).padStart(2, '0')}`, views: i, tags: [i % 2 ? 'odd' : 'even'] })));
  const page = await Course().find({ title: /^Q/ }).select('title views -_id').sort({ views: -1 }).skip(2).limit(3).lean();
  expect(page).toEqual([
    { title: 'Q09', views: 9 },
    { title: 'Q08', views: 8 },
    { title: 'Q07', views: 7 },
  ]);
  expect(await Course().countDocuments({ title: /^Q/, views: { $gte: 6 } })).toBe(6);
  expect((await Course().distinct('tags', { title: /^Q/ })).sort()).toEqual(['even', 'odd']);
  expect(await Course().estimatedDocumentCount()).toBe(await Course().countDocuments());
});

it('updateOne / updateMany / deleteMany report their counts', async () => {
  const one = await Course().updateOne({ title: 'Q00' }, { $inc: { views: 100 } });
  expect([one.matchedCount, one.modifiedCount]).toEqual([1, 1]);
  const many = await Course().updateMany({ tags: 'odd' }, { $addToSet: { tags: 'flagged' } });
  expect([many.matchedCount, many.modifiedCount]).toEqual([6, 6]);
  const del = await Course().deleteMany({ tags: 'flagged' });
  expect(del.deletedCount).toBe(6);
});

it('findOneAndUpdate upserts with defaults and returns the new document', async () => {
  const doc = await Course()
    .findOneAndUpdate({ title: 'Upserted' }, { $inc: { views: 1 } }, { upsert: true, returnDocument: 'after', setDefaultsOnInsert: true })
    .lean();
  expect(doc).toMatchObject({ title: 'Upserted', views: 1 });
  const again = await Course().findOneAndUpdate({ title: 'Upserted' }, { $inc: { views: 1 } }, { returnDocument: 'after' }).lean();
  expect(again!.views).toBe(2);
  expect(again!._id).toEqual(doc!._id);
});

it('bulkWrite returns mongod\'s counts', async () => {
  const res = await Course().bulkWrite([
    { insertOne: { document: { title: 'B1' } } },
    { insertOne: { document: { title: 'B2' } } },
    { updateOne: { filter: { title: 'B1' }, update: { $set: { views: 7 } } } },
    { updateOne: { filter: { title: 'B9' }, update: { $set: { views: 1 } }, upsert: true } },
    { deleteOne: { filter: { title: 'B2' } } },
  ]);
  expect([res.insertedCount, res.matchedCount, res.modifiedCount, res.upsertedCount, res.deletedCount]).toEqual([2, 1, 1, 1, 1]);
  expect((await Course().find({ title: /^B\d/ }).sort({ title: 1 }).lean()).map((c) => [c.title, c.views])).toEqual([
    ['B1', 7],
    ['B9', 1],
  ]);
});

it('streams 1,500 documents through a query cursor over several getMores', async () => {
  const Event = s.conn.model('Event', new Schema({ seq: Number }));
  await Event.insertMany(Array.from({ length: 1500 }, (_, i) => ({ seq: i })));
  const { result: seqs, sent } = await countCommands(s, 'getMore', async () => {
    const out: number[] = [];
    for await (const e of Event.find().sort({ seq: 1 }).batchSize(200).cursor()) out.push(e.seq!);
    return out;
  });
  expect(seqs).toEqual(Array.from({ length: 1500 }, (_, i) => i));
  expect(sent).toBeGreaterThanOrEqual(7);
});
