// Pure helpers of the console's identity pages (apps/web is outside jest's roots, so they are tested here).
import { ApiError } from '../../apps/web/src/api/errors';
import { fieldPath, formFieldErrors } from '../../apps/web/src/api/field-errors';
import { safeNext } from '../../apps/web/src/navigation/paths';
import { passwordHints } from '../../apps/web/src/pages/auth/password-hints';
import { queryFrom } from '../../apps/web/src/pages/institution/trainee-query';
import { attachmentName } from '../../apps/web/src/api/roster';
import { regionLabel } from '../../apps/web/src/pages/shared/lookups';
import { faceDistanceText } from '../../apps/web/src/pages/shared/face-distance';

describe('field errors for antd forms', () => {
  test('flattened API paths become antd name paths', () => {
    expect(fieldPath('uscc')).toEqual(['uscc']);
    expect(fieldPath('qualification.fullTimeManagers')).toEqual(['qualification', 'fullTimeManagers']);
    expect(fieldPath('qualification.systems[2]')).toEqual(['qualification', 'systems', 2]);
  });

  test('validation reasons are grouped by field in the order given', () => {
    const e = new ApiError('VALIDATION_FAILED', '请求参数不合法', 400, {
      fields: [
        { field: 'uscc', reasons: ['统一社会信用代码校验位不正确'] },
        { field: 'regionCode', reasons: ['行政区划代码应为 6 位数字'] },
        { field: 'uscc', reasons: ['另一条'] },
      ],
    });
    expect(formFieldErrors(e)).toEqual([
      { name: ['uscc'], errors: ['统一社会信用代码校验位不正确', '另一条'] },
      { name: ['regionCode'], errors: ['行政区划代码应为 6 位数字'] },
    ]);
  });

  test('duplicate answers name bare fields and reuse the message; mongoose-style single reasons are kept', () => {
    expect(formFieldErrors(new ApiError('DUPLICATE', '记录已存在', 409, { fields: ['uscc'] }))).toEqual([{ name: ['uscc'], errors: ['记录已存在'] }]);
    expect(formFieldErrors(new ApiError('VALIDATION_FAILED', 'x', 400, { fields: [{ field: 'name', reason: 'required' }] }))).toEqual([
      { name: ['name'], errors: ['required'] },
    ]);
  });

  test('only fields the form shows are returned; odd details give nothing', () => {
    const e = new ApiError('VALIDATION_FAILED', 'x', 400, { fields: [{ field: 'uscc', reasons: ['a'] }, { field: 'kind', reasons: ['b'] }] });
    expect(formFieldErrors(e, (name) => name[0] === 'uscc')).toEqual([{ name: ['uscc'], errors: ['a'] }]);
    expect(formFieldErrors(new ApiError('X', 'x', 400, 'nonsense'))).toEqual([]);
    expect(formFieldErrors(new ApiError('X', 'x', 400, { fields: [5, null, { nope: 1 }] }))).toEqual([]);
    expect(formFieldErrors(new ApiError('X', 'x', 400))).toEqual([]);
  });
});

describe('navigation and form helpers', () => {
  test('after login only console paths are followed, never another origin or the login page', () => {
    expect(safeNext('/institution/trainees?page=2')).toBe('/institution/trainees?page=2');
    expect(safeNext(null)).toBe('/');
    expect(safeNext('https://evil.example/')).toBe('/');
    expect(safeNext('//evil.example/')).toBe('/');
    expect(safeNext('/login?next=/x')).toBe('/');
  });

  test('password hints mirror the API policy', () => {
    expect(passwordHints('Neu-Passwort-2026', 'admin')).toEqual([]);
    expect(passwordHints('short1', 'admin')).toEqual(['密码至少需要 10 个字符']);
    expect(passwordHints('1234567890', 'admin')).toEqual(['密码须包含字母']);
    expect(passwordHints('onlyletters', 'admin')).toEqual(['密码须包含数字']);
    expect(passwordHints('my-Admin-2026', 'admin')).toEqual(['密码不能包含用户名']);
    // Counted in characters, as the API does: ten CJK characters are long enough.
    expect(passwordHints('工伤预防培训平台密码1', 'admin')).toEqual([]);
  });

  test('the trainee list reads its page and filters from the address, dropping unknown values', () => {
    expect(queryFrom(new URLSearchParams(''))).toEqual({ offset: 0, limit: 20, page: 1, pageSize: 20 });
    expect(queryFrom(new URLSearchParams('page=3&pageSize=50&name=%20张%20&status=active&category=team_leader'))).toEqual({
      offset: 100,
      limit: 50,
      page: 3,
      pageSize: 50,
      name: '张',
      status: 'active',
      category: 'team_leader',
    });
    expect(queryFrom(new URLSearchParams('page=-2&pageSize=7&status=bogus&idNumber='))).toEqual({ offset: 0, limit: 20, page: 1, pageSize: 20 });
  });
});

test('downloads keep the UTF-8 file name the API gives, else the plain one, else the fallback', () => {
  const utf8 = `attachment; filename="roster-template.xlsx"; filename*=UTF-8''${encodeURIComponent('学员名单模板-伊春.xlsx')}`;
  expect(attachmentName(utf8, 'x.xlsx')).toBe('学员名单模板-伊春.xlsx');
  expect(attachmentName('attachment; filename="roster-template.xlsx"', 'x.xlsx')).toBe('roster-template.xlsx');
  expect(attachmentName("attachment; filename*=UTF-8''%E0%A4%A", 'x.xlsx')).toBe('x.xlsx');
  expect(attachmentName(null, 'x.xlsx')).toBe('x.xlsx');
});

describe('authorizedFetch: bearer, one refresh on expiry, shared refreshes', () => {
  type Handler = (request: Request) => Promise<Response> | Response;
  let handler: Handler;
  const seen: string[] = [];
  const realFetch = globalThis.fetch;
  let auth: typeof import('../../apps/web/src/auth/authorized-fetch');
  let tokens: typeof import('../../apps/web/src/auth/token-store');
  let events: typeof import('../../apps/web/src/auth/auth-events');

  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

  const RealRequest = globalThis.Request;

  beforeAll(async () => {
    // openapi-fetch captures fetch and Request when a client is created: install the fakes, then
    // load fresh module instances. The console calls same-origin paths ('/api/...'), which only a
    // browser resolves; here they resolve against http://x.
    globalThis.Request = class extends RealRequest {
      constructor(input: RequestInfo | URL, init?: RequestInit) {
        super(typeof input === 'string' && input.startsWith('/') ? `http://x${input}` : input, init);
      }
    } as typeof Request;
    jest.resetModules();
    globalThis.fetch = ((input: Request) => {
      seen.push(`${input.method} ${new URL(input.url).pathname} ${input.headers.get('authorization') ?? '-'}`);
      return Promise.resolve(handler(input));
    }) as typeof fetch;
    auth = await import('../../apps/web/src/auth/authorized-fetch');
    tokens = await import('../../apps/web/src/auth/token-store');
    events = await import('../../apps/web/src/auth/auth-events');
  });
  afterAll(() => {
    globalThis.fetch = realFetch;
    globalThis.Request = RealRequest;
  });
  beforeEach(() => {
    seen.length = 0;
    tokens.clearTokens();
  });

  /** An API whose only valid access token is `valid`; refresh hands out `next` once per call. */
  function api(opts: { refresh: () => Response | Promise<Response> }): Handler {
    return async (request) => {
      const path = new URL(request.url).pathname;
      if (path === '/api/v1/auth/refresh') return opts.refresh();
      const token = request.headers.get('authorization');
      if (token === 'Bearer fresh') return json(200, { items: [], body: request.method === 'POST' ? await request.text() : undefined });
      return json(401, { code: 'AUTH_TOKEN_EXPIRED', message: '登录已过期，请重新登录' });
    };
  }

  test('an expired token is refreshed once and the request, body included, repeated', async () => {
    tokens.saveTokens({ accessToken: 'stale', refreshToken: 'r1' });
    handler = api({ refresh: () => json(200, { accessToken: 'fresh', refreshToken: 'r2', expiresIn: 900, refreshExpiresAt: '2030-01-01T00:00:00Z', mustChangePassword: false }) });
    const res = await auth.authorizedFetch(new Request('http://x/api/v1/things', { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' } }));
    expect(res.status).toBe(200);
    expect(((await res.json()) as { body: string }).body).toBe('{"a":1}');
    expect(seen).toEqual(['POST /api/v1/things Bearer stale', 'POST /api/v1/auth/refresh -', 'POST /api/v1/things Bearer fresh']);
    expect(tokens.storedRefreshToken()).toBe('r2');
  });

  test('parallel 401s share one refresh (the refresh token is single-use)', async () => {
    tokens.saveTokens({ accessToken: 'stale', refreshToken: 'r1' });
    let refreshes = 0;
    handler = api({
      refresh: async () => {
        refreshes++;
        await new Promise((r) => setTimeout(r, 20));
        return json(200, { accessToken: 'fresh', refreshToken: 'r2', expiresIn: 900, refreshExpiresAt: '2030-01-01T00:00:00Z', mustChangePassword: false });
      },
    });
    const answers = await Promise.all([1, 2, 3].map((i) => auth.authorizedFetch(new Request(`http://x/api/v1/things/${i}`))));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(refreshes).toBe(1);
  });

  test('a refused refresh ends the session: tokens forgotten, the page told, the original answer returned', async () => {
    tokens.saveTokens({ accessToken: 'stale', refreshToken: 'r1' });
    handler = api({ refresh: () => json(401, { code: 'AUTH_REFRESH_REUSED', message: '登录凭证已被使用过' }) });
    const told: string[] = [];
    const off = events.onAuthEvent((e) => told.push(e.type === 'signed-out' ? `${e.type}:${e.reason.code}` : e.type));
    const res = await auth.authorizedFetch(new Request('http://x/api/v1/things'));
    off();
    expect(res.status).toBe(401);
    expect(told).toEqual(['signed-out:AUTH_REFRESH_REUSED']);
    expect(tokens.storedRefreshToken()).toBeUndefined();
    expect(tokens.currentAccessToken()).toBeUndefined();
  });

  test('a network failure during refresh keeps the refresh token for a later try', async () => {
    tokens.saveTokens({ accessToken: 'stale', refreshToken: 'r1' });
    handler = api({ refresh: () => Promise.reject(new TypeError('Failed to fetch')) });
    await expect(auth.refreshTokens()).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
    expect(tokens.storedRefreshToken()).toBe('r1');
  });

  test('a forced password change is reported; other refusals pass through untouched', async () => {
    tokens.saveTokens({ accessToken: 'fresh', refreshToken: 'r1' });
    const told: string[] = [];
    const off = events.onAuthEvent((e) => told.push(e.type));
    handler = () => json(403, { code: 'AUTH_PASSWORD_CHANGE_REQUIRED', message: '请先修改密码' });
    expect((await auth.authorizedFetch(new Request('http://x/api/v1/things'))).status).toBe(403);
    handler = () => json(403, { code: 'FORBIDDEN', message: '无权操作' });
    expect((await auth.authorizedFetch(new Request('http://x/api/v1/things'))).status).toBe(403);
    off();
    expect(told).toEqual(['password-change-required']);
    expect(tokens.storedRefreshToken()).toBe('r1');
  });
});

describe('regionLabel', () => {
  const programs = [
    { jurisdiction: { regionCode: '100000', name: '全国' } },
    { jurisdiction: { regionCode: '370000', name: '山东省' } },
    { jurisdiction: { regionCode: '370300', name: '山东省淄博市' } },
    { jurisdiction: { regionCode: '230700', name: '黑龙江省伊春市' } },
  ];
  it('names a jurisdiction by itself, and a place inside one by the narrowest that covers it', () => {
    expect(regionLabel(programs, '230700')).toBe('黑龙江省伊春市');
    expect(regionLabel(programs, '230702')).toBe('黑龙江省伊春市所辖（230702）');
    expect(regionLabel(programs, '370303')).toBe('山东省淄博市所辖（370303）');
    expect(regionLabel(programs, '370100')).toBe('山东省所辖（370100）');
  });
  it('says it is a code where nothing but 全国 covers it', () => {
    expect(regionLabel(programs, '110000')).toBe('行政区划代码 110000');
    expect(regionLabel(programs, '100000')).toBe('全国');
  });
});

test('a face distance says which way is more alike', () => {
  expect(faceDistanceText(0.4213)).toBe('人脸差异度 0.42（越小越相似）');
  expect(faceDistanceText(0.4213, 3)).toBe('人脸差异度 0.421（越小越相似）');
});
