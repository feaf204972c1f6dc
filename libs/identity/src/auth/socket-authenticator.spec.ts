import { AppError } from '@app/platform';
import type { AccessClaims } from './access-tokens';
import type { AuthService, Authenticated } from './auth.service';
import { AuthRevocations } from './auth-revocations';
import { SocketAuthenticator } from './socket-authenticator';

const auditor = { id: 'u1', role: 'auditor' as const, organisationId: 'd1', regionCode: '230700', sessionId: 's1' };

function authenticator(result: Authenticated | AppError, recheckSeconds = 60) {
  const calls: string[] = [];
  const claims: AccessClaims = { sub: 'u1', role: 'auditor', sid: 's1', tv: 0 };
  const auth: Pick<AuthService, 'authenticate' | 'recheck'> = {
    authenticate: async (token: string) => {
      calls.push(token);
      if (result instanceof AppError) throw result;
      return { ...result, claims };
    },
    recheck: async (c: AccessClaims) => {
      calls.push(`recheck ${c.sid}`);
      if (result instanceof AppError) throw result;
      return result;
    },
  };
  const options = { socket: { recheckSeconds } };
  const revocations = new AuthRevocations(options);
  return { sa: new SocketAuthenticator(auth as AuthService, revocations, options), calls, revocations };
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => 'resolved',
    (e: unknown) => (e instanceof AppError ? e.code : 'other'),
  );
}

describe('SocketAuthenticator', () => {
  it('returns the caller for a valid handshake token', async () => {
    const { sa, calls } = authenticator({ user: auditor, mustChangePassword: false });
    expect(await sa.authenticate({ auth: { token: 'jwt' } })).toEqual(auditor);
    expect(calls).toEqual(['jwt']);
  });

  it.each([{}, { auth: {} }, { auth: { token: '' } }, { auth: { token: 42 } }])('answers UNAUTHENTICATED without a token (%o)', async (hs) => {
    const { sa, calls } = authenticator({ user: auditor, mustChangePassword: false });
    expect(await codeOf(sa.authenticate(hs))).toBe('UNAUTHENTICATED');
    expect(calls).toEqual([]);
  });

  it('passes token failures through', async () => {
    const { sa } = authenticator(new AppError('AUTH_TOKEN_EXPIRED', 401, 'x'));
    expect(await codeOf(sa.authenticate({ auth: { token: 'jwt' } }))).toBe('AUTH_TOKEN_EXPIRED');
  });

  it('refuses an account that must still change its password', async () => {
    const { sa } = authenticator({ user: auditor, mustChangePassword: true });
    expect(await codeOf(sa.authenticate({ auth: { token: 'jwt' } }))).toBe('AUTH_PASSWORD_CHANGE_REQUIRED');
  });

  describe('on events', () => {
    const T0 = Date.parse('2026-11-24T08:00:00Z');
    beforeEach(() => jest.useFakeTimers({ now: T0, doNotFake: ['nextTick', 'setImmediate'] }));
    afterEach(() => jest.useRealTimers());
    const socket = () => ({ handshake: { auth: { token: 'jwt' } }, data: {} as Record<string, unknown> });

    it('verifies the token once per connection and reuses the account check within the recheck window', async () => {
      const { sa, calls } = authenticator({ user: auditor, mustChangePassword: false });
      const s = socket();
      expect((await sa.authorizeEvent(s)).user).toEqual(auditor);
      jest.setSystemTime(T0 + 59_999);
      expect((await sa.authorizeEvent(s)).user).toEqual(auditor);
      expect(calls).toEqual(['jwt']);
      expect(s.data.authUser).toEqual(auditor);
      jest.setSystemTime(T0 + 60_000);
      await sa.authorizeEvent(s);
      expect(calls).toEqual(['jwt', 'recheck s1']);
      jest.setSystemTime(T0 + 90_000);
      await sa.authorizeEvent(s);
      expect(calls).toEqual(['jwt', 'recheck s1']);
    });

    it('keeps the connection-time check for the first events, and refuses a role or a pending password change there', async () => {
      const { sa, calls } = authenticator({ user: auditor, mustChangePassword: false });
      const s = socket();
      expect(await sa.authenticateSocket(s, ['auditor'])).toEqual(auditor);
      await sa.authorizeEvent(s);
      expect(calls).toEqual(['jwt']);
      expect(await codeOf(sa.authenticateSocket(socket(), ['trainee']))).toBe('FORBIDDEN');
      const pending = authenticator({ user: auditor, mustChangePassword: true });
      expect(await codeOf(pending.sa.authenticateSocket(socket()))).toBe('AUTH_PASSWORD_CHANGE_REQUIRED');
    });

    it('rechecks on every event when the window is 0', async () => {
      const { sa, calls } = authenticator({ user: auditor, mustChangePassword: false }, 0);
      const s = socket();
      await sa.authorizeEvent(s);
      await sa.authorizeEvent(s);
      await sa.authorizeEvent(s);
      expect(calls).toEqual(['jwt', 'recheck s1', 'recheck s1']);
    });

    it.each([
      ['the login session revoked', (r: AuthRevocations) => r.sessionRevoked('s1')],
      ['the account changed', (r: AuthRevocations) => r.userChanged('u1')],
    ])('rechecks at once after %s in this process', async (_what, revoke) => {
      const { sa, calls, revocations } = authenticator({ user: auditor, mustChangePassword: false });
      const s = socket();
      await sa.authorizeEvent(s);
      jest.setSystemTime(T0 + 1000);
      revoke(revocations);
      await sa.authorizeEvent(s);
      expect(calls).toEqual(['jwt', 'recheck s1']);
    });

    it('is not disturbed by another user or login session changing', async () => {
      const { sa, calls, revocations } = authenticator({ user: auditor, mustChangePassword: false });
      const s = socket();
      await sa.authorizeEvent(s);
      jest.setSystemTime(T0 + 1000);
      revocations.userChanged('u2');
      revocations.sessionRevoked('s2');
      await sa.authorizeEvent(s);
      expect(calls).toEqual(['jwt']);
    });

    it('counts a change made while the check was reading as after it', async () => {
      const { sa, calls, revocations } = authenticator({ user: auditor, mustChangePassword: false });
      const s = socket();
      // The revocation lands in the same millisecond the check started: the check may have read the old state.
      revocations.sessionRevoked('s1');
      await sa.authorizeEvent(s);
      await sa.authorizeEvent(s);
      expect(calls).toEqual(['jwt', 'recheck s1']);
    });

    it('does not keep a failed check', async () => {
      const failing = authenticator(new AppError('AUTH_SESSION_REVOKED', 401, 'x'));
      const s = socket();
      expect(await codeOf(failing.sa.authorizeEvent(s))).toBe('AUTH_SESSION_REVOKED');
      expect(await codeOf(failing.sa.authorizeEvent(s))).toBe('AUTH_SESSION_REVOKED');
      expect(failing.calls).toEqual(['jwt', 'jwt']);
    });

    it('rechecks when the clock went backwards', async () => {
      const { sa, calls } = authenticator({ user: auditor, mustChangePassword: false });
      const s = socket();
      await sa.authorizeEvent(s);
      jest.setSystemTime(T0 - 5000);
      await sa.authorizeEvent(s);
      expect(calls).toEqual(['jwt', 'recheck s1']);
    });
  });

  it('refuses an event from a socket without a token', async () => {
    const { sa } = authenticator({ user: auditor, mustChangePassword: false });
    expect(await codeOf(sa.authorizeEvent({ handshake: {}, data: {} }))).toBe('UNAUTHENTICATED');
  });

  it('checks the role list when given', async () => {
    const { sa } = authenticator({ user: auditor, mustChangePassword: false });
    expect(await codeOf(sa.authenticate({ auth: { token: 'jwt' } }, ['trainee']))).toBe('FORBIDDEN');
    expect(await codeOf(sa.authenticate({ auth: { token: 'jwt' } }, ['trainee', 'auditor']))).toBe('resolved');
  });
});
