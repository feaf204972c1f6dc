import { startTestApp, TestApp } from '../support/app';
import { demoPasswords, login } from '../support/auth-client';

// Its own app: these tests spend the per-address login allowance on purpose.
describe('login lock-out and throttling', () => {
  let t: TestApp;
  let pw: Map<string, string>;

  beforeAll(async () => {
    t = await startTestApp('auth-lockout');
    pw = demoPasswords(t.app);
  });
  afterAll(() => t?.stop());

  it('locks a name after 5 failures, even against the right password, in zh-CN with Retry-After', async () => {
    const early = [];
    for (let i = 1; i <= 4; i++) early.push(await login(t.baseUrl, 'yc-hrss', `wrong-password-${i}`));
    expect(early.map((r) => r.status)).toEqual([401, 401, 401, 401]);
    // The last two failures before the lock say so; the first typos do not threaten.
    expect(early.map((r) => [r.body.details.attemptsLeft, r.body.message])).toEqual([
      [4, '用户名或密码错误'],
      [3, '用户名或密码错误'],
      [2, '用户名或密码错误，再失败 2 次，账号将临时锁定 15 分钟'],
      [1, '用户名或密码错误，再失败 1 次，账号将临时锁定 15 分钟'],
    ]);
    const fifth = await login(t.baseUrl, 'yc-hrss', 'wrong-password-5');
    expect(fifth.status).toBe(423);
    expect(fifth.body.code).toBe('AUTH_LOCKED');
    expect(fifth.body.message).toBe('登录失败次数过多，账号已临时锁定，请 15 分钟后再试');
    expect(fifth.body.details.retryAfterSeconds).toBe(900);
    expect(fifth.headers.get('retry-after')).toBe('900');
    const right = await login(t.baseUrl, 'yc-hrss', pw.get('yc-hrss')!);
    expect(right.status).toBe(423);
    // Other accounts are unaffected.
    expect((await login(t.baseUrl, 'zb-hrss', pw.get('zb-hrss')!)).status).toBe(200);
  });

  it('locks an invented name the same way, so a lock reveals nothing', async () => {
    const answers = [];
    for (let i = 1; i <= 6; i++) answers.push(await login(t.baseUrl, 'ghost-user', `wrong-password-${i}`));
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 401, 423, 423]);
    // The same countdown as a real account's: attempts left tell nothing about which names exist.
    expect(answers.slice(0, 4).map((a) => a.body.details.attemptsLeft)).toEqual([4, 3, 2, 1]);
  });

  it('a success before the limit resets the count', async () => {
    for (let i = 0; i < 4; i++) await login(t.baseUrl, 'trainee', 'wrong-password-x');
    expect((await login(t.baseUrl, 'trainee', pw.get('trainee')!)).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await login(t.baseUrl, 'trainee', 'wrong-password-y')).status).toBe(401);
  });

  it('throttles logins from one address below the global limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 35 && !statuses.includes(429); i++) statuses.push((await login(t.baseUrl, `spray-${i}`, 'x-password-1')).status);
    expect(statuses).toContain(429);
    // 30 per minute per address, and this suite has already used some of them.
    expect(statuses.indexOf(429)).toBeLessThan(30);
  });
});
