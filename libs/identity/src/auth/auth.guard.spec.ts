import { Controller, ExecutionContext, Get } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppError, Public } from '@app/platform';
import type { AuthService, Authenticated } from './auth.service';
import type { AccessClaims } from './access-tokens';
import { AuthGuard, bearerToken } from './auth.guard';
import { AllowPendingPasswordChange, Roles } from './decorators';
import { AuthRevocations } from './auth-revocations';
import { SocketAuthenticator } from './socket-authenticator';

@Controller()
class Sample {
  @Public() @Get() open() {}
  @Get() any() {}
  @Roles('admin') @Get() adminOnly() {}
  @AllowPendingPasswordChange() @Get() me() {}
}

@Roles('auditor')
@Controller()
class AuditorsOnly {
  @Get() list() {}
  @Roles('admin') @Get() override() {}
}

const claims: AccessClaims = { sub: 'u1', role: 'auditor', sid: 's1', tv: 0 };

function guardFor(result: Authenticated | AppError) {
  const auth = {
    authenticate: async (token: string) => {
      if (result instanceof AppError) throw result;
      if (token !== 'a.b.c') throw new AppError('AUTH_TOKEN_INVALID', 401, 'x');
      return { ...result, claims };
    },
    recheck: async () => {
      if (result instanceof AppError) throw result;
      return result;
    },
  } as unknown as AuthService;
  const options = { socket: { recheckSeconds: 60 } };
  return new AuthGuard(new Reflector(), auth, new SocketAuthenticator(auth, new AuthRevocations(options), options));
}

function http(cls: object, handler: string, authorization?: string): { ctx: ExecutionContext; req: Record<string, unknown> } {
  const req: Record<string, unknown> = { headers: authorization ? { authorization } : {} };
  const ctx = {
    getType: () => 'http',
    getHandler: () => (cls as { prototype: Record<string, unknown> }).prototype[handler],
    getClass: () => cls,
    switchToHttp: () => ({ getRequest: () => req }),
  } as unknown as ExecutionContext;
  return { ctx, req };
}

function ws(cls: object, handler: string, token?: string): { ctx: ExecutionContext; data: Record<string, unknown> } {
  const data: Record<string, unknown> = {};
  const client = { handshake: { auth: token ? { token } : {} }, data };
  const ctx = {
    getType: () => 'ws',
    getHandler: () => (cls as { prototype: Record<string, unknown> }).prototype[handler],
    getClass: () => cls,
    switchToWs: () => ({ getClient: () => client }),
  } as unknown as ExecutionContext;
  return { ctx, data };
}

async function outcome(p: Promise<boolean>): Promise<string> {
  return p.then(
    (ok) => (ok ? 'allowed' : 'denied'),
    (e: unknown) => (e instanceof AppError ? e.code : `other: ${String(e)}`),
  );
}

const auditor: Authenticated = { user: { id: 'u1', role: 'auditor', regionCode: '230700', sessionId: 's1' }, mustChangePassword: false };
const pending: Authenticated = { ...auditor, mustChangePassword: true };

describe('AuthGuard', () => {
  it.each([
    ['Bearer a.b.c', 'a.b.c'],
    ['  Bearer a.b.  ', 'a.b.'],
    ['bearer a.b.c', undefined],
    ['Bearer a.b', undefined],
    ['Basic dXNlcjpwYXNz', undefined],
    [undefined, undefined],
  ])('reads the bearer token of %p', (header, token) => {
    expect(bearerToken(header)).toBe(token);
  });

  it('lets anyone through a @Public() route, without looking at credentials', async () => {
    expect(await outcome(guardFor(new AppError('AUTH_TOKEN_INVALID', 401, 'x')).canActivate(http(Sample, 'open').ctx))).toBe('allowed');
  });

  it('fails closed: no token → UNAUTHENTICATED on an unannotated route', async () => {
    expect(await outcome(guardFor(auditor).canActivate(http(Sample, 'any').ctx))).toBe('UNAUTHENTICATED');
  });

  it('puts the caller on the request', async () => {
    const { ctx, req } = http(Sample, 'any', 'Bearer a.b.c');
    expect(await outcome(guardFor(auditor).canActivate(ctx))).toBe('allowed');
    expect(req.authUser).toEqual(auditor.user);
  });

  it('applies @Roles from the handler over the class', async () => {
    expect(await outcome(guardFor(auditor).canActivate(http(Sample, 'adminOnly', 'Bearer a.b.c').ctx))).toBe('FORBIDDEN');
    expect(await outcome(guardFor(auditor).canActivate(http(AuditorsOnly, 'list', 'Bearer a.b.c').ctx))).toBe('allowed');
    expect(await outcome(guardFor(auditor).canActivate(http(AuditorsOnly, 'override', 'Bearer a.b.c').ctx))).toBe('FORBIDDEN');
  });

  it('confines an account with a pending password change to the routes marked for it', async () => {
    expect(await outcome(guardFor(pending).canActivate(http(Sample, 'any', 'Bearer a.b.c').ctx))).toBe('AUTH_PASSWORD_CHANGE_REQUIRED');
    expect(await outcome(guardFor(pending).canActivate(http(Sample, 'me', 'Bearer a.b.c').ctx))).toBe('allowed');
    // Role first: a route the role may never use says so.
    expect(await outcome(guardFor(pending).canActivate(http(Sample, 'adminOnly', 'Bearer a.b.c').ctx))).toBe('FORBIDDEN');
  });

  it('guards socket events the same way, from the handshake token', async () => {
    expect(await outcome(guardFor(auditor).canActivate(ws(Sample, 'any').ctx))).toBe('UNAUTHENTICATED');
    const { ctx, data } = ws(Sample, 'any', 'a.b.c');
    expect(await outcome(guardFor(auditor).canActivate(ctx))).toBe('allowed');
    expect(data.authUser).toEqual(auditor.user);
    expect(await outcome(guardFor(auditor).canActivate(ws(Sample, 'adminOnly', 'a.b.c').ctx))).toBe('FORBIDDEN');
    expect(await outcome(guardFor(pending).canActivate(ws(Sample, 'any', 'a.b.c').ctx))).toBe('AUTH_PASSWORD_CHANGE_REQUIRED');
    expect(await outcome(guardFor(auditor).canActivate(ws(Sample, 'open').ctx))).toBe('allowed');
  });

  it('refuses transports it does not know', async () => {
    const ctx = { getType: () => 'rpc', getHandler: () => Sample.prototype.any, getClass: () => Sample } as unknown as ExecutionContext;
    expect(await outcome(guardFor(auditor).canActivate(ctx))).toBe('UNAUTHENTICATED');
  });
});
