import { BSON } from 'bson';
import { AggregatePool } from './aggregate-pool';

const input = (n: number) => Array.from({ length: n }, (_, i) => BSON.serialize({ _id: i, g: i % 2, n: i }));

describe('AggregatePool', () => {
  jest.setTimeout(60_000);

  it('retires its idle worker and starts a fresh one for the next job', async () => {
    const pool = new AggregatePool(200);
    try {
      const pipeline = [{ $group: { _id: '$g', s: { $sum: '$n' } } }, { $sort: { _id: 1 } }];
      expect(await pool.run(pipeline, input(10), {})).toEqual([{ _id: 0, s: 20 }, { _id: 1, s: 25 }]);
      const first = (pool as unknown as { worker?: unknown }).worker;
      expect(first).toBeDefined();
      await new Promise((r) => setTimeout(r, 1500));
      expect((pool as unknown as { worker?: unknown }).worker).toBeUndefined();
      expect(await pool.run(pipeline, input(4), {})).toEqual([{ _id: 0, s: 2 }, { _id: 1, s: 4 }]);
      expect((pool as unknown as { worker?: unknown }).worker).not.toBe(first);
    } finally {
      await pool.close();
    }
  });

  it('keeps a busy worker: jobs queued back to back all complete', async () => {
    const pool = new AggregatePool(0);
    try {
      const results = await Promise.all([1, 2, 3].map((k) => pool.run([{ $group: { _id: null, c: { $sum: k } } }], input(5), {})));
      expect(results).toEqual([[{ _id: null, c: 5 }], [{ _id: null, c: 10 }], [{ _id: null, c: 15 }]]);
    } finally {
      await pool.close();
    }
  });
});
