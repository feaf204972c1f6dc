import { clashes, overlaps, overlapSeconds, spanProblem } from './overlap';

const at = (h: number, m = 0) => Date.UTC(2025, 5, 2, h, m);
const span = (id: string, a: number, b: number) => ({ id, startsAt: a, endsAt: b });

describe('overlaps', () => {
  it('finds partial, nested and identical overlaps', () => {
    expect(overlaps(span('a', at(9), at(11)), span('b', at(10), at(12)))).toBe(true);
    expect(overlaps(span('a', at(9), at(12)), span('b', at(10), at(11)))).toBe(true);
    expect(overlaps(span('a', at(9), at(11)), span('b', at(9), at(11)))).toBe(true);
  });

  it('lets back-to-back and disjoint spans pass', () => {
    expect(overlaps(span('a', at(9), at(10)), span('b', at(10), at(11)))).toBe(false);
    expect(overlaps(span('a', at(10), at(11)), span('b', at(9), at(10)))).toBe(false);
    expect(overlaps(span('a', at(8), at(9)), span('b', at(14), at(15)))).toBe(false);
  });
});

describe('overlapSeconds', () => {
  it('is the shared time in whole seconds, 0 when none', () => {
    expect(overlapSeconds(span('a', at(9), at(11)), span('b', at(10), at(12)))).toBe(3600);
    expect(overlapSeconds(span('a', at(9), at(10)), span('b', at(10), at(11)))).toBe(0);
    expect(overlapSeconds(span('a', at(9), at(10)), span('b', at(9) + 1500, at(9) + 3999))).toBe(2);
  });
});

describe('clashes', () => {
  it('lists the overlapping bookings and ignores the candidate itself', () => {
    const others = [span('x', at(8), at(10)), span('y', at(10), at(11)), span('z', at(9, 30), at(9, 45)), span('me', at(9), at(10))];
    expect(clashes(span('me', at(9), at(10)), others).map((o) => o.id)).toEqual(['x', 'z']);
  });
});

describe('spanProblem', () => {
  it('accepts a normal session and refuses empty, reversed, NaN and over-long ones', () => {
    expect(spanProblem({ startsAt: at(9), endsAt: at(11) })).toBeUndefined();
    expect(spanProblem({ startsAt: at(9), endsAt: at(9) })).toContain('晚于');
    expect(spanProblem({ startsAt: at(11), endsAt: at(9) })).toContain('晚于');
    expect(spanProblem({ startsAt: NaN, endsAt: at(9) })).toContain('不合法');
    expect(spanProblem({ startsAt: at(0), endsAt: at(13) })).toContain('12');
  });
});
