import { parseResidentId, RESIDENT_ID_PROBLEM_MESSAGES, residentIdCheckChar } from './resident-id';

const now = new Date('2026-06-01T00:00:00Z');
const withCheck = (first17: string) => first17 + residentIdCheckChar(first17);

describe('resident ID number (GB 11643-1999)', () => {
  it("accepts the standard's worked examples with their derived facts", () => {
    expect(parseResidentId('11010519491231002X', now)).toEqual({
      ok: true,
      value: { number: '11010519491231002X', regionCode: '110105', birthDate: '1949-12-31', sex: 'female' },
    });
    expect(parseResidentId('440524188001010014', now)).toEqual({
      ok: true,
      value: { number: '440524188001010014', regionCode: '440524', birthDate: '1880-01-01', sex: 'male' },
    });
  });

  it('normalises a lower-case x and surrounding spaces', () => {
    const r = parseResidentId(' 11010519491231002x ', now);
    expect(r.ok && r.value.number).toBe('11010519491231002X');
  });

  it('reads full-width digits as typed into spreadsheets', () => {
    const r = parseResidentId('１１０１０５１９４９１２３１００２Ｘ', now);
    expect(r.ok && r.value.number).toBe('11010519491231002X');
  });

  it('derives sex from the parity of the 17th digit', () => {
    for (let d = 0; d <= 9; d++) {
      const r = parseResidentId(withCheck(`2307021990010112${d}`), now);
      expect(r.ok && r.value.sex).toBe(d % 2 === 1 ? 'male' : 'female');
    }
  });

  it('detects every single-digit substitution in the first 17 digits', () => {
    const valid = '230702199001011235'.slice(0, 17);
    const id = withCheck(valid);
    expect(parseResidentId(id, now).ok).toBe(true);
    for (let pos = 0; pos < 17; pos++) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === id[pos]) continue;
        const changed = id.slice(0, pos) + d + id.slice(pos + 1);
        expect(parseResidentId(changed, now).ok).toBe(false);
      }
    }
  });

  it('detects a wrong check character, including X where a digit belongs', () => {
    const id = withCheck('23070219900101123');
    for (const c of '0123456789X') if (c !== id[17]) expect(parseResidentId(id.slice(0, 17) + c, now)).toEqual({ ok: false, problem: 'check' });
  });

  it('maps a remainder of 2 to X', () => {
    const bodies = Array.from({ length: 200 }, (_, i) => `37030219850601${String(i).padStart(3, '0')}`);
    const xs = bodies.filter((b) => residentIdCheckChar(b) === 'X');
    expect(xs.length).toBeGreaterThan(0);
    for (const b of xs) expect(parseResidentId(b + 'X', now).ok).toBe(true);
  });

  it.each([
    ['19900230', 'no 30 February'],
    ['19000229', '1900 was not a leap year'],
    ['19901301', 'no month 13'],
    ['19900100', 'no day 0'],
    ['19900431', 'April has 30 days'],
    ['18491231', 'before 1850'],
    ['20260602', 'in the future'],
  ])('refuses the birth date %s (%s)', (date) => {
    expect(parseResidentId(withCheck(`230702${date}123`), now)).toEqual({ ok: false, problem: 'birth-date' });
  });

  it('accepts 29 February of a leap year and a birth today in Beijing time', () => {
    expect(parseResidentId(withCheck('23070220000229123'), now).ok).toBe(true);
    // 2026-06-01T00:00Z is already 08:00 on 1 June in Beijing.
    expect(parseResidentId(withCheck('23070220260601123'), now).ok).toBe(true);
    expect(parseResidentId(withCheck('23070220260601123'), new Date('2026-05-31T15:59:59Z')).ok).toBe(false);
  });

  it.each([
    ['00', 'region'],
    ['10', 'region'],
    ['24', 'region'],
    ['99', 'region'],
  ])('refuses the province code %s', (prov, problem) => {
    expect(parseResidentId(withCheck(`${prov}0702199001011${'23'}`), now)).toEqual({ ok: false, problem });
  });

  it.each([
    ['', 'length'],
    ['230702900101123', 'length'],
    ['2307021990010112355', 'length'],
    ['23070219900101X235', 'character'],
    ['2307021990O101123X', 'character'],
  ])('refuses %p as %s', (raw, problem) => {
    expect(parseResidentId(raw, now)).toEqual({ ok: false, problem });
  });

  it('has a zh-CN message for every problem', () => {
    for (const m of Object.values(RESIDENT_ID_PROBLEM_MESSAGES)) expect(m).toMatch(/身份证号/);
  });

  it('refuses a non-digit body for the check character', () => {
    expect(() => residentIdCheckChar('1234')).toThrow(RangeError);
  });
});
