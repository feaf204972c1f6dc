import { intersect, normalize, subtract, takeFirst, total, union } from './intervals';

describe('interval sets of whole seconds', () => {
  it('normalize sorts, merges overlapping and touching ranges and drops empty ones', () => {
    expect(normalize([[10, 20], [0, 5], [5, 7], [15, 25], [30, 30], [40, 39]])).toEqual([[0, 7], [10, 25]]);
    expect(normalize([])).toEqual([]);
  });

  it('normalize refuses fractional or negative bounds', () => {
    expect(() => normalize([[0.5, 3]])).toThrow(RangeError);
    expect(() => normalize([[-1, 3]])).toThrow(RangeError);
    expect(() => normalize([[0, Number.NaN]])).toThrow(RangeError);
  });

  it('union merges two sets', () => {
    expect(union([[0, 10]], [[5, 15], [20, 30]])).toEqual([[0, 15], [20, 30]]);
    expect(union([], [[1, 2]])).toEqual([[1, 2]]);
  });

  it('subtract leaves the uncovered parts of a range', () => {
    const set = normalize([[10, 20], [30, 40]]);
    expect(subtract([0, 50], set)).toEqual([[0, 10], [20, 30], [40, 50]]);
    expect(subtract([12, 18], set)).toEqual([]);
    expect(subtract([15, 35], set)).toEqual([[20, 30]]);
    expect(subtract([20, 30], set)).toEqual([[20, 30]]);
    expect(subtract([5, 5], set)).toEqual([]);
    expect(subtract([0, 10], [])).toEqual([[0, 10]]);
  });

  it('intersect keeps the covered parts of a range', () => {
    const set = normalize([[10, 20], [30, 40]]);
    expect(intersect([15, 35], set)).toEqual([[15, 20], [30, 35]]);
    expect(intersect([20, 30], set)).toEqual([]);
  });

  it('subtract and intersect partition the range', () => {
    const set = normalize([[3, 8], [11, 12], [20, 29]]);
    for (let a = 0; a < 32; a++) {
      for (let b = a; b < 32; b++) {
        expect(total(subtract([a, b], set)) + total(intersect([a, b], set))).toBe(b - a);
      }
    }
  });

  it('takeFirst splits a set at a number of seconds, in lesson order', () => {
    const set = normalize([[0, 5], [10, 20]]);
    expect(takeFirst(set, 7)).toEqual({ taken: [[0, 5], [10, 12]], rest: [[12, 20]] });
    expect(takeFirst(set, 0)).toEqual({ taken: [], rest: [[0, 5], [10, 20]] });
    expect(takeFirst(set, 100)).toEqual({ taken: [[0, 5], [10, 20]], rest: [] });
    expect(takeFirst(set, -3).taken).toEqual([]);
    expect(takeFirst(set, 2.9).taken).toEqual([[0, 2]]);
  });

  it('total sums lengths', () => {
    expect(total([[0, 5], [10, 20]])).toBe(15);
    expect(total([])).toBe(0);
  });
});
