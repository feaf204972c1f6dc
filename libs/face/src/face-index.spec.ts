import { FaceError } from './errors';
import { FaceIndex, IndexedDescriptor, search } from './face-index';

function vec(seed: number): Float32Array {
  const v = new Float32Array(128);
  let s = seed * 9301 + 49297;
  for (let i = 0; i < 128; i++) {
    s = (s * 9301 + 49297) % 233280;
    v[i] = s / 233280 - 0.5;
  }
  return v;
}

describe('FaceIndex', () => {
  it('finds the k nearest, closest first, with subject ids', () => {
    const idx = new FaceIndex(2);
    for (let i = 0; i < 50; i++) idx.add({ id: `d${i}`, subjectId: `p${i % 10}`, descriptor: vec(i) });
    expect(idx.size).toBe(50);
    const hits = idx.search(vec(7), 3);
    expect(hits[0]).toEqual({ id: 'd7', subjectId: 'p7', distance: 0 });
    expect(hits).toHaveLength(3);
    expect(hits[1].distance).toBeLessThanOrEqual(hits[2].distance);
    // Same answer as a plain sort over all distances.
    const naive = Array.from({ length: 50 }, (_, i) => ({ i, d: Math.hypot(...Array.from(vec(i), (x, j) => x - vec(7)[j])) }))
      .sort((a, b) => a.d - b.d)
      .slice(0, 3)
      .map((x) => `d${x.i}`);
    expect(hits.map((h) => h.id)).toEqual(naive);
  });

  it('replaces on re-add, removes by id (keeping the rest findable), and by subject', () => {
    const idx = new FaceIndex();
    for (let i = 0; i < 5; i++) idx.add({ id: `d${i}`, subjectId: i < 3 ? 'a' : 'b', descriptor: vec(i) });
    idx.add({ id: 'd0', subjectId: 'a', descriptor: vec(99) });
    expect(idx.size).toBe(5);
    expect(idx.search(vec(99), 1)[0].id).toBe('d0');
    expect(idx.remove('d1')).toBe(true);
    expect(idx.remove('d1')).toBe(false);
    expect(idx.search(vec(4), 1)[0]).toMatchObject({ id: 'd4', distance: 0 });
    expect(idx.removeSubject('a')).toBe(2);
    expect(idx.search(vec(3), 10).map((h) => h.id).sort()).toEqual(['d3', 'd4']);
  });

  it('applies maxDistance and copes with an empty index', () => {
    const idx = new FaceIndex();
    expect(search(vec(1), idx, 5)).toEqual([]);
    idx.add({ id: 'x', subjectId: 's', descriptor: vec(1) });
    expect(idx.search(vec(2), 5, 0.01)).toEqual([]);
    expect(idx.search(vec(1), 5, 0.01)).toHaveLength(1);
  });

  it('rebuilds from a source, replacing old content', async () => {
    const idx = new FaceIndex();
    idx.add({ id: 'old', subjectId: 's', descriptor: vec(1) });
    async function* rows(): AsyncIterable<IndexedDescriptor> {
      for (let i = 0; i < 3; i++) yield { id: `n${i}`, subjectId: 't', descriptor: Array.from(vec(10 + i)) };
    }
    await expect(idx.rebuild({ all: rows })).resolves.toBe(3);
    expect(idx.has('old')).toBe(false);
    expect(idx.search(vec(11), 1)[0].id).toBe('n1');
  });

  it('refuses a malformed descriptor', () => {
    const idx = new FaceIndex();
    expect(() => idx.add({ id: 'x', subjectId: 's', descriptor: [1, 2, 3] })).toThrow(FaceError);
    expect(() => idx.search(new Float32Array(127))).toThrow(FaceError);
  });
});
