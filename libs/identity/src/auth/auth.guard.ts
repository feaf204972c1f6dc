import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AppError, IS_PUBLIC } from '@app/platform';
import { identityError } from '../identity.errors';
import { AuthService } from './auth.service';
import { ALLOW_PENDING_PASSWORD_KEY, AUTH_USER_REQUEST_KEY, ROLES_KEY } from './decorators';
import type { Role } from './role';

/** `Authorization: Bearer <jwt>`; anything else is no token at all. */
export function bearerToken(header: string | undefined): string | undefined {
  const m = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/.exec(header?.trim() ?? '');
  return m?.[1];
}

/**
 * Global (APP_GUARD): every HTTP route needs a valid access token unless marked @Public(), so a
 * route someone forgot to annotate fails closed. Then @Roles, then the forced password change.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    // Socket gateways authenticate the handshake themselves (SocketAuthenticator).
    if (ctx.getType() !== 'http') return true;
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const req = ctx.switchToHttp().getRequest<Request & Record<string, unknown>>();
    const token = bearerToken(req.headers.authorization);
    if (!token) throw AppError.of('UNAUTHENTICATED');
    const { user, mustChangePassword } = await this.auth.authenticate(token);
    req[AUTH_USER_REQUEST_KEY] = user;

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(user.role)) throw AppError.of('FORBIDDEN');
    if (mustChangePassword && !this.reflector.getAllAndOverride<boolean>(ALLOW_PENDING_PASSWORD_KEY, targets)) {
      throw identityError('AUTH_PASSWORD_CHANGE_REQUIRED');
    }
    return true;
  }
}
