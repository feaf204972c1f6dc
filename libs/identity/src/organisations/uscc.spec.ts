import { usccCheckChar, usccProblem } from './uscc';

describe('USCC (GB 32100-2015)', () => {
  // The worked example of GB 32100-2015.
  it('accepts the standard\'s example', () => {
    expect(usccCheckChar('91350100M000100Y4')).toBe('3');
    expect(usccProblem('91350100M000100Y43')).toBeUndefined();
  });

  it('detects every single-character substitution (31 is prime, no weight is 0 mod 31)', () => {
    const valid = '91350100M000100Y43';
    const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
    for (let pos = 0; pos < 17; pos++) {
      for (const ch of alphabet) {
        if (ch === valid[pos]) continue;
        const changed = valid.slice(0, pos) + ch + valid.slice(pos + 1);
        expect(usccProblem(changed)).not.toBeUndefined();
      }
    }
  });

  it('wraps a remainder of 0 to the check character 0', () => {
    const bodies = Array.from({ length: 400 }, (_, i) => '9123070' + String(i).padStart(10, '0'));
    const wrapped = bodies.filter((b) => usccCheckChar(b) === '0');
    expect(wrapped.length).toBeGreaterThan(0);
    for (const b of wrapped) expect(usccProblem(b + '0')).toBeUndefined();
  });

  it.each([
    ['91350100M000100Y4', 'length'],
    ['91350100M000100Y433', 'length'],
    ['91350100M000100I43', 'character'],
    ['9135010OM000100Y43', 'character'],
    ['913A0100M000100Y43', 'region'],
    ['91350100M000100Y44', 'check'],
  ])('refuses %s (%s)', (code, problem) => {
    expect(usccProblem(code)).toBe(problem);
  });
});
