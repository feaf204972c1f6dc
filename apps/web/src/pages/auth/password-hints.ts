/** The API's rules (password-policy.ts), checked here too so most mistakes need no round trip. */
export function passwordHints(password: string, username: string): string[] {
  const hints: string[] = [];
  if ([...password].length < 10) hints.push('密码至少需要 10 个字符');
  if (!/\p{L}/u.test(password)) hints.push('密码须包含字母');
  if (!/\d/.test(password)) hints.push('密码须包含数字');
  if (username.length >= 3 && password.toLowerCase().includes(username.toLowerCase())) hints.push('密码不能包含用户名');
  return hints;
}
