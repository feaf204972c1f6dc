import * as fs from 'node:fs';
import * as path from 'node:path';
import { AppConfig, AppConfigToken } from '@app/platform';
import { startTestApp, TestApp } from '../support/app';
import { activate, call, demoPasswords, login, Session } from '../support/auth-client';

const ME = '/api/v1/auth/me';

describe('auth over HTTP', () => {
  let t: TestApp;
  let pw: Map<string, string>;
  let base: string;

  beforeAll(async () => {
    t = await startTestApp('auth');
    base = t.baseUrl;
    pw = demoPasswords(t.app);
  });
  afterAll(() => t?.stop());

  it('seeds the demo accounts with random passwords kept in a private file', () => {
    expect([...pw.keys()].sort()).toEqual(['admin', 'trainee', 'yc-examiner', 'yc-hrss', 'yc-institution', 'zb-hrss', 'zb-institution']);
    expect(new Set(pw.values()).size).toBe(7);
    const file = path.join(t.app.get<AppConfig>(AppConfigToken).dataDir, 'demo-logins.txt');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('answers 401 without a token, with a malformed one and with a forged one', async () => {
    expect(await call(base, 'GET', ME)).toMatchObject({ status: 401, body: { code: 'UNAUTHENTICATED' } });
    expect((await call(base, 'GET', ME, { token: 'not-a-jwt' })).body.code).toBe('UNAUTHENTICATED');
    const forged = ['eyJhbGciOiJIUzI1NiJ9', Buffer.from(JSON.stringify({ sub: 'x', role: 'admin' })).toString('base64url'), 'c2ln'].join('.');
    expect(await call(base, 'GET', ME, { token: forged })).toMatchObject({ status: 401, body: { code: 'AUTH_TOKEN_INVALID' } });
    const none = ['eyJhbGciOiJub25lIn0', Buffer.from(JSON.stringify({ sub: 'x', role: 'admin', sid: 's', tv: 0, iss: 'gsyf' })).toString('base64url'), ''].join('.');
    expect(await call(base, 'GET', ME, { token: none })).toMatchObject({ status: 401, body: { code: 'AUTH_TOKEN_INVALID' } });
  });

  it('refuses a wrong password and an unknown user with the same answer', async () => {
    const wrong = await login(base, 'yc-institution', 'definitely-wrong-1');
    const unknown = await login(base, 'nobody-here', 'definitely-wrong-1');
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({ code: 'AUTH_INVALID_CREDENTIALS', message: '用户名或密码错误', details: { attemptsLeft: 4 } });
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
  });

  it('refuses a login body with missing or unknown fields, naming them', async () => {
    const res = await call(base, 'POST', '/api/v1/auth/login', { body: { username: 'admin', role: 'admin' } });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(['password', 'role']);
  });

  describe('forced password change of a seeded account', () => {
    let first: { accessToken: string; refreshToken: string; mustChangePassword: boolean };

    beforeAll(async () => {
      const res = await login(base, 'admin', pw.get('admin')!);
      expect(res.status).toBe(200);
      first = res.body;
    });

    it('logs in but flags the change', () => {
      expect(first.mustChangePassword).toBe(true);
      expect(first.accessToken.split('.')).toHaveLength(3);
      expect(first.refreshToken).toMatch(/^rt_/);
    });

    it('may only see itself until the password is changed', async () => {
      const me = await call(base, 'GET', ME, { token: first.accessToken });
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ username: 'admin', role: 'admin', roleName: '系统管理员', mustChangePassword: true });
      const users = await call(base, 'GET', '/api/v1/users', { token: first.accessToken });
      expect(users).toMatchObject({ status: 403, body: { code: 'AUTH_PASSWORD_CHANGE_REQUIRED' } });
    });

    it('refuses a wrong current password and a weak new one, naming the reasons', async () => {
      const wrong = await call(base, 'POST', '/api/v1/auth/password', {
        token: first.accessToken,
        body: { currentPassword: 'nope-nope-1', newPassword: 'a-good-new-pass-42' },
      });
      expect(wrong).toMatchObject({ status: 400, body: { code: 'AUTH_CURRENT_PASSWORD_WRONG' } });
      const weak = await call(base, 'POST', '/api/v1/auth/password', {
        token: first.accessToken,
        body: { currentPassword: pw.get('admin'), newPassword: 'admin123' },
      });
      expect(weak.status).toBe(400);
      expect(weak.body.code).toBe('AUTH_PASSWORD_WEAK');
      expect(weak.body.details.problems).toEqual(['too-short', 'contains-username']);
      expect(weak.body.details.fields[0].field).toBe('newPassword');
    });

    it('after the change: new tokens work, the old ones do not, the new password logs in', async () => {
      const other = (await login(base, 'admin', pw.get('admin')!)).body;
      const changed = await call(base, 'POST', '/api/v1/auth/password', {
        token: first.accessToken,
        body: { currentPassword: pw.get('admin'), newPassword: 'Changed-Secret-77' },
      });
      expect(changed.status).toBe(200);
      expect(changed.body.mustChangePassword).toBe(false);
      expect((await call(base, 'GET', '/api/v1/users', { token: changed.body.accessToken })).status).toBe(200);
      // The token version moved: every earlier access token is dead, in this session and others.
      expect((await call(base, 'GET', ME, { token: first.accessToken })).status).toBe(401);
      expect((await call(base, 'GET', ME, { token: other.accessToken })).status).toBe(401);
      // Other sessions are revoked, the caller's own session continues with its new refresh token.
      expect((await call(base, 'POST', '/api/v1/auth/refresh', { body: { refreshToken: other.refreshToken } })).body.code).toBe(
        'AUTH_SESSION_REVOKED',
      );
      expect((await call(base, 'POST', '/api/v1/auth/refresh', { body: { refreshToken: changed.body.refreshToken } })).status).toBe(200);
      expect((await login(base, 'admin', pw.get('admin')!)).status).toBe(401);
      expect((await login(base, 'ADMIN ', 'Changed-Secret-77')).status).toBe(200);
    });
  });

  describe('refresh rotation', () => {
    let s: Session;
    beforeAll(async () => {
      s = await activate(base, 'yc-institution', pw.get('yc-institution')!);
      pw.set('yc-institution', s.password);
    });

    it('rotates, detects reuse of a rotated token and revokes the whole family', async () => {
      const r1 = s.refreshToken;
      const second = await call(base, 'POST', '/api/v1/auth/refresh', { body: { refreshToken: r1 } });
      expect(second.status).toBe(200);
      const r2 = second.body.refreshToken;
      expect(r2).not.toBe(r1);
      expect((await call(base, 'GET', ME, { token: second.body.accessToken })).status).toBe(200);

      const replay = await call(base, 'POST', '/api/v1/auth/refresh', { body: { refreshToken: r1 } });
      expect(replay).toMatchObject({ status: 401, body: { code: 'AUTH_REFRESH_REUSED' } });
      // The legitimate holder's newer token and access token die with the family.
      expect((await call(base, 'POST', '/api/v1/auth/refresh', { body: { refreshToken: r2 } })).body.code).toBe('AUTH_SESSION_REVOKED');
      expect((await call(base, 'GET', ME, { token: second.body.accessToken })).body.code).toBe('AUTH_SESSION_REVOKED');
    });

    it('refuses unknown and malformed refresh tokens', async () => {
      const unknown = await call(base, 'POST', '/api/v1/auth/refresh', { body: { refreshToken: 'rt_' + 'A'.repeat(43) } });
      expect(unknown).toMatchObject({ status: 401, body: { code: 'AUTH_TOKEN_INVALID' } });
      const malformed = await call(base, 'POST', '/api/v1/auth/refresh', { body: { refreshToken: 'x' } });
      expect(malformed.body.code).toBe('AUTH_TOKEN_INVALID');
    });

    it('logout revokes the access token and the refresh token of that session only', async () => {
      const a = (await login(base, 'yc-institution', s.password)).body;
      const b = (await login(base, 'yc-institution', s.password)).body;
      expect((await call(base, 'POST', '/api/v1/auth/logout', { token: a.accessToken })).status).toBe(204);
      expect(await call(base, 'GET', ME, { token: a.accessToken })).toMatchObject({ status: 401, body: { code: 'AUTH_SESSION_REVOKED' } });
      expect((await call(base, 'POST', '/api/v1/auth/refresh', { body: { refreshToken: a.refreshToken } })).status).toBe(401);
      expect((await call(base, 'GET', ME, { token: b.accessToken })).status).toBe(200);
    });
  });

  describe('roles and tenancy', () => {
    const tokens: Record<string, string> = {};
    beforeAll(async () => {
      for (const name of ['yc-institution', 'yc-hrss', 'zb-hrss', 'trainee']) {
        tokens[name] = (await activate(base, name, pw.get(name)!)).accessToken;
      }
      tokens.admin = (await login(base, 'admin', 'Changed-Secret-77')).body.accessToken;
    });

    it('403 for a role the route does not allow', async () => {
      expect(await call(base, 'GET', '/api/v1/organisations', { token: tokens.trainee })).toMatchObject({
        status: 403,
        body: { code: 'FORBIDDEN' },
      });
      expect((await call(base, 'POST', '/api/v1/users', { token: tokens['yc-institution'], body: {} })).status).toBe(403);
      expect((await call(base, 'GET', '/api/v1/users', { token: tokens['yc-hrss'] })).status).toBe(403);
    });

    it('scopes the organisation list to the caller', async () => {
      const list = async (who: string, query = '') =>
        (await call(base, 'GET', `/api/v1/organisations${query}`, { token: tokens[who] })).body.items as Array<{
          kind: string;
          regionCode: string;
          name: string;
        }>;
      const all = await list('admin');
      expect(all.some((o) => o.regionCode.startsWith('2307'))).toBe(true);
      expect(all.some((o) => o.regionCode.startsWith('3703'))).toBe(true);

      const yc = await list('yc-hrss');
      expect(yc.length).toBeGreaterThan(21);
      expect(yc.every((o) => o.regionCode.startsWith('2307'))).toBe(true);
      const zb = await list('zb-hrss', '?kind=enterprise');
      expect(zb).toHaveLength(4);
      expect(zb.every((o) => o.regionCode.startsWith('3703') && o.kind === 'enterprise')).toBe(true);

      const inst = await list('yc-institution');
      expect(inst.filter((o) => o.kind === 'institution').map((o) => o.name)).toEqual(['伊春示范安全培训中心（演示）']);
      expect(inst.filter((o) => o.kind === 'enterprise')).toHaveLength(21);
      expect(inst.every((o) => o.kind === 'institution' || o.kind === 'enterprise')).toBe(true);
      expect(inst.every((o) => o.regionCode.startsWith('2307'))).toBe(true);
    });

    it('rejects an unknown kind filter naming the field', async () => {
      const res = await call(base, 'GET', '/api/v1/organisations?kind=bank', { token: tokens.admin });
      expect(res.status).toBe(400);
      expect(res.body.details.fields[0].field).toBe('kind');
    });

    it('lets an administrator create staff accounts that must change their password', async () => {
      const depts = (await call(base, 'GET', '/api/v1/organisations?kind=department', { token: tokens.admin })).body.items;
      const ycEmergency = depts.find((o: { name: string }) => o.name === '伊春市应急管理局');
      const created = await call(base, 'POST', '/api/v1/users', {
        token: tokens.admin,
        body: { username: 'yc-emergency', displayName: '伊春市应急管理局审核员', role: 'auditor', organisationId: ycEmergency.id },
      });
      expect(created.status).toBe(201);
      expect(created.body.user).toMatchObject({ username: 'yc-emergency', role: 'auditor', mustChangePassword: true });
      expect(created.body.initialPassword).toMatch(/^[A-Za-z0-9]{16}$/);

      const fresh = await login(base, 'yc-emergency', created.body.initialPassword);
      expect(fresh.body.mustChangePassword).toBe(true);
      const me = await call(base, 'GET', ME, { token: fresh.body.accessToken });
      expect(me.body.organisation).toMatchObject({ name: '伊春市应急管理局', regionCode: '230700' });

      const again = await call(base, 'POST', '/api/v1/users', {
        token: tokens.admin,
        body: { username: 'yc-emergency', displayName: 'x', role: 'auditor', organisationId: ycEmergency.id },
      });
      expect(again).toMatchObject({ status: 409, body: { code: 'USERNAME_TAKEN' } });

      const mismatch = await call(base, 'POST', '/api/v1/users', {
        token: tokens.admin,
        body: { username: 'wrong-kind', displayName: 'x', role: 'institution', organisationId: ycEmergency.id },
      });
      expect(mismatch).toMatchObject({ status: 400, body: { code: 'USER_ORGANISATION_INVALID' } });

      const unknownField = await call(base, 'POST', '/api/v1/users', {
        token: tokens.admin,
        body: { username: 'sneaky', displayName: 'x', role: 'admin', organisationId: ycEmergency.id, mustChangePassword: false },
      });
      expect(unknownField.status).toBe(400);
      expect(unknownField.body.code).toBe('VALIDATION_FAILED');
      expect(unknownField.body.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(['mustChangePassword', 'role']);
    });

    it('lets an administrator disable, re-enable and reset an account, but not their own', async () => {
      const users = (await call(base, 'GET', '/api/v1/users', { token: tokens.admin })).body.items;
      const target = users.find((u: { username: string }) => u.username === 'yc-emergency');
      const self = users.find((u: { username: string }) => u.username === 'admin');

      const reset = await call(base, 'POST', `/api/v1/users/${target.id}/reset-password`, { token: tokens.admin });
      expect(reset.status).toBe(200);
      expect(reset.body.user.mustChangePassword).toBe(true);
      const session = await login(base, 'yc-emergency', reset.body.initialPassword);
      expect(session.status).toBe(200);

      const disabled = await call(base, 'PATCH', `/api/v1/users/${target.id}`, { token: tokens.admin, body: { disabled: true } });
      expect(disabled.body.disabled).toBe(true);
      expect((await call(base, 'GET', ME, { token: session.body.accessToken })).status).toBe(401);
      expect((await login(base, 'yc-emergency', reset.body.initialPassword)).body.code).toBe('AUTH_ACCOUNT_DISABLED');
      await call(base, 'PATCH', `/api/v1/users/${target.id}`, { token: tokens.admin, body: { disabled: false } });
      expect((await login(base, 'yc-emergency', reset.body.initialPassword)).status).toBe(200);

      expect((await call(base, 'PATCH', `/api/v1/users/${self.id}`, { token: tokens.admin, body: { disabled: true } })).status).toBe(403);
      expect((await call(base, 'POST', `/api/v1/users/${self.id}/reset-password`, { token: tokens.admin })).status).toBe(403);
      expect((await call(base, 'PATCH', '/api/v1/users/65a000000000000000000001', { token: tokens.admin, body: { disabled: true } })).status).toBe(404);
      expect((await call(base, 'PATCH', `/api/v1/users/${target.id}`, { token: tokens.admin, body: { disabled: 'yes' } })).status).toBe(400);
    });
  });
});
