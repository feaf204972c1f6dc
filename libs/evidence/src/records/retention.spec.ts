import { addYears, deleteRefusal, expiringWindow, MIN_RETENTION_YEARS, retainUntilOf } from './retention';

const at = (s: string) => new Date(s);

describe('retention rules', () => {
  it('keeps evidence five years after its session by default', () => {
    expect(MIN_RETENTION_YEARS).toBe(5);
    expect(retainUntilOf(at('2026-03-10T01:00:00Z'))).toEqual(at('2031-03-10T01:00:00Z'));
  });

  it('a longer program rule or setting wins; a shorter one cannot lower the five-year floor', () => {
    expect(retainUntilOf(at('2026-03-10T00:00:00Z'), { programYears: 8 })).toEqual(at('2034-03-10T00:00:00Z'));
    expect(retainUntilOf(at('2026-03-10T00:00:00Z'), { programYears: 2 })).toEqual(at('2031-03-10T00:00:00Z'));
    expect(retainUntilOf(at('2026-03-10T00:00:00Z'), { settingYears: 6, programYears: 7 })).toEqual(at('2033-03-10T00:00:00Z'));
    expect(() => retainUntilOf(at('2026-03-10T00:00:00Z'), { programYears: 5.5 })).toThrow(RangeError);
  });

  it('29 February lands on 28 February of a common year, not in March', () => {
    expect(addYears(at('2028-02-29T12:00:00Z'), 5)).toEqual(at('2033-02-28T12:00:00Z'));
    expect(addYears(at('2028-02-29T12:00:00Z'), 4)).toEqual(at('2032-02-29T12:00:00Z'));
  });

  it('refuses deletion before retainUntil, under a hold whatever the date, and for kinds never disposed', () => {
    const retainUntil = at('2031-03-10T00:00:00Z');
    const hold = { reason: '稽查调取', by: 'u1', at: at('2027-01-01T00:00:00Z') };
    expect(deleteRefusal({ retainUntil, kind: 'recording' }, at('2031-03-09T23:59:59Z'))).toBe('retained');
    expect(deleteRefusal({ retainUntil, kind: 'recording' }, at('2031-03-10T00:00:00Z'))).toBeUndefined();
    expect(deleteRefusal({ retainUntil, kind: 'recording', hold }, at('2040-01-01T00:00:00Z'))).toBe('held');
    expect(deleteRefusal({ retainUntil, kind: 'consent-scan' }, at('2040-01-01T00:00:00Z'))).toBe('kept-kind');
    expect(deleteRefusal({ retainUntil, kind: 'face-reference' }, at('2040-01-01T00:00:00Z'))).toBeUndefined();
  });

  it('the disposition page looks 90 days ahead', () => {
    const now = at('2031-01-01T00:00:00Z');
    expect(expiringWindow(now)).toEqual({ from: now, to: at('2031-04-01T00:00:00Z') });
  });
});
