import { AppError } from '@app/platform';
import type { AccessClaims } from './access-tokens';
import type { AuthService, Authenticated } from './auth.service';
import { SocketAuthenticator } from './socket-authenticator';

const auditor = { id: 'u1', role: 'auditor' as const, organisationId: 'd1', regionCode: '230700', sessionId: 's1' };

function authenticator(result: Authenticated | AppError) {
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
  return { sa: new SocketAuthenticator(auth as AuthService), calls };
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

  it('verifies the token once per connection and rechecks the session on every event', async () => {
    const { sa, calls } = authenticator({ user: auditor, mustChangePassword: false });
    const socket = { handshake: { auth: { token: 'jwt' } }, data: {} as Record<string, unknown> };
    expect((await sa.authorizeEvent(socket)).user).toEqual(auditor);
    expect((await sa.authorizeEvent(socket)).user).toEqual(auditor);
    expect(calls).toEqual(['jwt', 'recheck s1']);
    expect(socket.data.authUser).toEqual(auditor);
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
