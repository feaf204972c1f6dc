import { generatePassword, passwordProblems } from './password-policy';

describe('password policy', () => {
  it('accepts a long password with a letter and a digit', () => {
    expect(passwordProblems('correct horse 42', 'zhangsan')).toEqual([]);
    expect(passwordProblems('安全培训密码很长很长1', 'zhangsan')).toEqual([]);
  });

  it.each([
    ['short1', ['too-short']],
    ['abcdefghijk', ['needs-digit']],
    ['12345678901', ['needs-letter']],
    ['a1' + 'x'.repeat(127), ['too-long']],
    ['my-ZhangSan-99', ['contains-username']],
  ])('%s → %p', (pwd, problems) => {
    expect(passwordProblems(pwd, 'zhangsan')).toEqual(problems);
  });

  it('counts characters, not UTF-16 units', () => {
    expect(passwordProblems('😀😀😀😀😀😀😀😀a1', 'zhangsan')).toEqual([]);
  });

  it('refuses reusing the current password', () => {
    expect(passwordProblems('Abcdefgh12', 'zs', 'Abcdefgh12')).toEqual(['unchanged']);
  });

  it('ignores very short usernames for the containment rule', () => {
    expect(passwordProblems('xyabcdefg1', 'xy')).toEqual([]);
  });

  it('generates passwords that pass its own policy', () => {
    for (let i = 0; i < 200; i++) {
      const p = generatePassword();
      expect(p).toHaveLength(16);
      expect(passwordProblems(p, 'admin')).toEqual([]);
      expect(p).not.toMatch(/[0O1lI]/);
    }
  });

  it('retries a draw without a digit', () => {
    let calls = 0;
    // First 10 draws: all 'a' (index 0); then alternate to include a digit.
    const pick = (max: number) => (calls++ < 10 ? 0 : calls % 2 === 0 ? max - 1 : 0);
    const p = generatePassword(10, pick);
    expect(calls).toBe(20);
    expect(p).toMatch(/\d/);
    expect(() => generatePassword(8)).toThrow(RangeError);
  });
});
