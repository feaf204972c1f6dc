import { randomInt } from 'node:crypto';
import { identityError } from '../identity.errors';

export type PasswordProblem = 'too-short' | 'too-long' | 'needs-letter' | 'needs-digit' | 'contains-username' | 'unchanged';

export const PASSWORD_PROBLEM_MESSAGES: Record<PasswordProblem, string> = {
  'too-short': '密码至少需要 10 个字符',
  'too-long': '密码不能超过 128 个字符',
  'needs-letter': '密码须包含字母',
  'needs-digit': '密码须包含数字',
  'contains-username': '密码不能包含用户名',
  unchanged: '新密码不能与当前密码相同',
};

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 128;

/** Length over composition (NIST 800-63B), plus the two rules people actually break. */
export function passwordProblems(password: string, username: string, current?: string): PasswordProblem[] {
  const problems: PasswordProblem[] = [];
  const length = [...password].length;
  if (length < PASSWORD_MIN) problems.push('too-short');
  if (length > PASSWORD_MAX) problems.push('too-long');
  if (!/\p{L}/u.test(password)) problems.push('needs-letter');
  if (!/\d/.test(password)) problems.push('needs-digit');
  if (username.length >= 3 && password.toLowerCase().includes(username.toLowerCase())) problems.push('contains-username');
  if (current !== undefined && password === current) problems.push('unchanged');
  return problems;
}

/** Throws AUTH_PASSWORD_WEAK naming `field` and every broken rule, in the validation pipe's shape. */
export function assertStrongPassword(field: string, password: string, username: string, current?: string): void {
  const problems = passwordProblems(password, username, current);
  if (problems.length === 0) return;
  throw identityError('AUTH_PASSWORD_WEAK', {
    fields: [{ field, reasons: problems.map((p) => PASSWORD_PROBLEM_MESSAGES[p]) }],
    problems,
  });
}

/** No 0/O, 1/l/I: initial passwords are read off a banner and typed by hand. */
const ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A random initial password that passes {@link passwordProblems} (≈ 93 bits at 16 characters). */
export function generatePassword(length = 16, pick: (max: number) => number = randomInt): string {
  if (length < PASSWORD_MIN) throw new RangeError('generated passwords must satisfy the policy');
  for (;;) {
    let out = '';
    for (let i = 0; i < length; i++) out += ALPHABET[pick(ALPHABET.length)];
    if (/[a-zA-Z]/.test(out) && /\d/.test(out)) return out;
  }
}
