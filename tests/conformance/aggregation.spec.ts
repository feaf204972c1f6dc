// Aggregation pipelines the platform's reports use, with results worked out by hand from
// mongod's documented stage semantics.
import { Schema } from 'mongoose';
import { Collection, Document } from 'mongodb';
import { countCommands, openSuite, rejection, Suite } from './harness';

let s: Suite;
let orders: Collection;
const at = (iso: string) => new Date(iso);
beforeAll(async () => {
  s = await openSuite('aggregation');
  orders = s.db.collection('orders');
  await orders.insertMany([
    { _id: 1, cust: 'a', status: 'paid', at: at('2025-01-01T20:00:00Z'), items: [{ sku: 'x', qty: 2, price: 10 }, { sku: 'y', qty: 1, price: 5 }] },
    { _id: 2, cust: 'b', status: 'paid', at: at('2025-01-02T01:00:00Z'), items: [{ sku: 'x', qty: 1, price: 10 }] },
    { _id: 3, cust: 'a', status: 'open', at: at('2025-01-03T10:00:00Z'), items: [] },
    { _id: 4, cust: 'c', status: 'paid', at: at('2025-01-03T12:00:00Z'), items: [{ sku: 'z', qty: 5, price: 2 }] },
    { _id: 5, cust: 'a', status: 'cancelled', at: at('2025-01-04T00:00:00Z') },
  ] as never[]);
  await s.db.collection('customers').insertMany([
    { _id: 'a', name: 'Ann', city: 'sh' },
    { _id: 'b', name: 'Bob', city: 'bj' },
    { _id: 'c', name: 'Cat', city: 'sh' },
    { _id: 'd', name: 'Dan', city: 'gz' },
  ] as never[]);
});
afterAll(async () => {
  await s?.close();
});

const run = (pipeline: Document[], coll = orders) => coll.aggregate(pipeline).toArray();

const revenuePipeline = [
  { $match: { status: 'paid' } },
  { $unwind: '$items' },
  {
    $group: {
      _id: '$cust',
      revenue: { $sum: { $multiply: ['$items.qty', '$items.price'] } },
      lines: { $sum: 1 },
      skus: { $addToSet: '$items.sku' },
    },
  },
  { $sort: { revenue: -1, _id: 1 } },
];
const sortSkus = (rows: Document[]) => rows.map((r) => ({ ...r, skus: [...r.skus].sort() }));
const expectedRevenue = [
  { _id: 'a', revenue: 25, lines: 2, skus: ['x', 'y'] },
  { _id: 'b', revenue: 10, lines: 1, skus: ['x'] },
  { _id: 'c', revenue: 10, lines: 1, skus: ['z'] },
];

it('$match $unwind $group $sort: revenue per customer', async () => {
  expect(sortSkus(await run(revenuePipeline))).toEqual(expectedRevenue);
});

it('$unwind with preserveNullAndEmptyArrays and includeArrayIndex', async () => {
  const rows = await run([
    { $unwind: { path: '$items', preserveNullAndEmptyArrays: true, includeArrayIndex: 'line' } },
    { $project: { line: 1, sku: '$items.sku' } },
    { $sort: { _id: 1, line: 1 } },
  ]);
  expect(rows).toEqual([
    { _id: 1, line: 0, sku: 'x' },
    { _id: 1, line: 1, sku: 'y' },
    { _id: 2, line: 0, sku: 'x' },
    { _id: 3, line: null },
    { _id: 4, line: 0, sku: 'z' },
    { _id: 5, line: null },
  ]);
});

it('$lookup by localField/foreignField', async () => {
  const rows = await run(
    [{ $lookup: { from: 'orders', localField: '_id', foreignField: 'cust', as: 'orders' } }, { $project: { name: 1, n: { $size: '$orders' } } }, { $sort: { _id: 1 } }],
    s.db.collection('customers'),
  );
  expect(rows).toEqual([
    { _id: 'a', name: 'Ann', n: 3 },
    { _id: 'b', name: 'Bob', n: 1 },
    { _id: 'c', name: 'Cat', n: 1 },
    { _id: 'd', name: 'Dan', n: 0 },
  ]);
});

it('$lookup with let and a sub-pipeline', async () => {
  const rows = await run(
    [
      {
        $lookup: {
          from: 'orders',
          let: { c: '$_id' },
          pipeline: [{ $match: { $expr: { $and: [{ $eq: ['$cust', '$$c'] }, { $eq: ['$status', 'paid'] }] } } }, { $project: { _id: 1 } }],
          as: 'paid',
        },
      },
      { $project: { paid: '$paid._id' } },
      { $sort: { _id: 1 } },
    ],
    s.db.collection('customers'),
  );
  expect(rows).toEqual([
    { _id: 'a', paid: [1] },
    { _id: 'b', paid: [2] },
    { _id: 'c', paid: [4] },
    { _id: 'd', paid: [] },
  ]);
});

it('$facet runs independent sub-pipelines over the same input', async () => {
  const [row] = await run([
    {
      $facet: {
        byStatus: [{ $group: { _id: '$status', n: { $sum: 1 } } }, { $sort: { _id: 1 } }],
        total: [{ $count: 'n' }],
        latest: [{ $sort: { at: -1 } }, { $limit: 1 }, { $project: { _id: 1 } }],
      },
    },
  ]);
  expect(row).toEqual({
    byStatus: [
      { _id: 'cancelled', n: 1 },
      { _id: 'open', n: 1 },
      { _id: 'paid', n: 3 },
    ],
    total: [{ n: 5 }],
    latest: [{ _id: 5 }],
  });
});

// "If the input dataset is empty, $count doesn't return a result."
// (mongodb.com/docs/manual/reference/operator/aggregation/count/)
it('$count yields one document, or none when nothing matches', async () => {
  expect(await run([{ $match: { cust: 'a' } }, { $count: 'orders' }])).toEqual([{ orders: 3 }]);
  expect(await run([{ $match: { cust: 'nobody' } }, { $count: 'orders' }])).toEqual([]);
});

it('$skip $limit $addFields $set $unset $replaceRoot', async () => {
  const rows = await run([
    { $sort: { _id: 1 } },
    { $skip: 1 },
    { $limit: 2 },
    { $addFields: { nItems: { $size: { $ifNull: ['$items', []] } } } },
    { $set: { tag: { $concat: ['$cust', '-', '$status'] } } },
    { $unset: ['items', 'at'] },
    { $replaceRoot: { newRoot: { id: '$_id', tag: '$tag', nItems: '$nItems' } } },
  ]);
  expect(rows).toEqual([
    { id: 2, tag: 'b-paid', nItems: 1 },
    { id: 3, tag: 'a-open', nItems: 0 },
  ]);
});

it('$group accumulators over a sorted input', async () => {
  const rows = await run([
    { $sort: { _id: 1 } },
    {
      $group: {
        _id: null,
        first: { $first: '$_id' },
        last: { $last: '$_id' },
        minAt: { $min: '$at' },
        maxAt: { $max: '$at' },
        custs: { $push: '$cust' },
        avgId: { $avg: '$_id' },
      },
    },
  ]);
  expect(rows).toEqual([
    { _id: null, first: 1, last: 5, minAt: at('2025-01-01T20:00:00Z'), maxAt: at('2025-01-04T00:00:00Z'), custs: ['a', 'b', 'a', 'c', 'a'], avgId: 3 },
  ]);
});

it('groups by local day with $dateToString in Asia/Shanghai', async () => {
  const rows = await run([
    { $group: { _id: { $dateToString: { format: '%Y-%m-%d', date: '$at', timezone: 'Asia/Shanghai' } }, n: { $sum: 1 } } },
    { $sort: { _id: 1 } },
  ]);
  expect(rows).toEqual([
    { _id: '2025-01-02', n: 2 },
    { _id: '2025-01-03', n: 2 },
    { _id: '2025-01-04', n: 1 },
  ]);
});

it('$project with $cond, $map and $sum expressions', async () => {
  const rows = await run([
    { $match: { _id: 1 } },
    {
      $project: {
        _id: 0,
        kind: { $cond: [{ $gt: [{ $size: '$items' }, 1] }, 'multi', 'single'] },
        total: { $sum: { $map: { input: '$items', as: 'i', in: { $multiply: ['$$i.qty', '$$i.price'] } } } },
      },
    },
  ]);
  expect(rows).toEqual([{ kind: 'multi', total: 25 }]);
});

it('names an unknown stage (40324)', async () => {
  const err = await rejection(() => run([{ $frobnicate: {} }]));
  expect(err.code).toBe(40324);
  expect(err.message).toContain('$frobnicate');
});

it('returns a large result over several getMores', async () => {
  const big = s.db.collection('agg_many');
  await big.insertMany(Array.from({ length: 1500 }, (_, i) => ({ i, odd: i % 2 === 1 })));
  const { result, sent } = await countCommands(s, 'getMore', () =>
    big.aggregate([{ $match: { odd: true } }, { $sort: { i: -1 } }, { $project: { _id: 0, i: 1 } }], { batchSize: 100 }).toArray(),
  );
  expect(result).toHaveLength(750);
  expect(result[0]).toEqual({ i: 1499 });
  expect(result[749]).toEqual({ i: 1 });
  expect(sent).toBeGreaterThanOrEqual(7);
});

it('mongoose Model.aggregate gives the same answer', async () => {
  const Order = s.conn.model('Order', new Schema({ cust: String, status: String }, { strict: false }), 'orders');
  expect(sortSkus(await Order.aggregate(revenuePipeline as never[]))).toEqual(expectedRevenue);
});
