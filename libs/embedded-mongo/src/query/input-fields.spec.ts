import { Aggregator } from 'mingo';
import { groupInputFields, pickFields } from './input-fields';

describe('groupInputFields', () => {
  it('lists the top-level fields a leading $group reads', () => {
    expect(groupInputFields([{ $group: { _id: null, n: { $sum: '$n' } } }])).toEqual(['n']);
    expect(groupInputFields([{ $group: { _id: '$a.b', t: { $sum: { $multiply: ['$x', '$y.z'] } } } }, { $sort: { t: -1 } }])?.sort()).toEqual(['a', 'x', 'y']);
    expect(groupInputFields([{ $group: { _id: { k: '$k' }, c: { $sum: 1 } } }])).toEqual(['k']);
    expect(groupInputFields([{ $group: { _id: 1, c: { $sum: 1 } } }])).toEqual([]);
  });

  it('counts fields read through $let variables and ignores system variables other than ROOT/CURRENT', () => {
    expect(groupInputFields([{ $group: { _id: null, v: { $max: { $let: { vars: { p: '$price' }, in: { $add: ['$$p', '$$NOW'] } } } } } }])).toEqual(['price']);
  });

  it('gives up (null) when the whole document may be read', () => {
    expect(groupInputFields([{ $group: { _id: null, docs: { $push: '$$ROOT' } } }])).toBeNull();
    expect(groupInputFields([{ $group: { _id: null, d: { $first: '$$CURRENT.a' } } }])).toBeNull();
    expect(groupInputFields([{ $group: { _id: null, v: { $max: { $getField: 'a.b' } } } }])).toBeNull();
    expect(groupInputFields([{ $group: { _id: null, t: { $top: { sortBy: { score: -1 }, output: '$name' } } } }])).toBeNull();
    expect(groupInputFields([{ $group: { _id: null, f: { $accumulator: { init: 'function(){}' } } } }])).toBeNull();
  });

  it('only applies to a pipeline that starts with $group', () => {
    expect(groupInputFields([{ $project: { a: 1 } }, { $group: { _id: '$a' } }])).toBeNull();
    expect(groupInputFields([])).toBeNull();
  });

  it('gives mingo the same $group result on the picked fields as on the whole documents', () => {
    const docs = Array.from({ length: 50 }, (_, i) => ({ _id: i, g: i % 3, n: i, other: { deep: i }, s: `x${i}` }));
    const pipeline = [{ $group: { _id: '$g', total: { $sum: '$n' }, top: { $max: '$s' }, c: { $sum: 1 } } }, { $sort: { _id: 1 } }];
    const fields = groupInputFields(pipeline)!;
    const whole = new Aggregator(pipeline).run(docs);
    const picked = new Aggregator(pipeline).run(docs.map((d) => pickFields(d, fields)));
    expect(picked).toEqual(whole);
  });
});

describe('pickFields', () => {
  it('keeps only the named fields the document has', () => {
    expect(pickFields({ a: 1, b: null, c: 3 }, ['a', 'b', 'z'])).toEqual({ a: 1, b: null });
  });
});
