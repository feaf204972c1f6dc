import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AppError, IS_PUBLIC } from '@app/platform';
import { identityError } from '../identity.errors';
import { AuthService, Authenticated } from './auth.service';
import { ALLOW_PENDING_PASSWORD_KEY, AUTH_USER_REQUEST_KEY, ROLES_KEY } from './decorators';
import type { Role } from './role';
import { SocketAuthenticator, SocketLike } from './socket-authenticator';

/** `Authorization: Bearer <jwt>`; anything else is no token at all. */
export function bearerToken(header: string | undefined): string | undefined {
  const m = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/.exec(header?.trim() ?? '');
  return m?.[1];
}

/** What a handler's decorators ask of the caller. */
interface HandlerRules {
  readonly isPublic: boolean;
  readonly roles?: Role[];
  readonly allowPendingPassword: boolean;
}

/**
 * Global (APP_GUARD), for HTTP routes and socket.io events alike: a valid access token unless
 * @Public() — so a route or event someone forgot to annotate fails closed — then @Roles, then
 * the forced password change.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  /** Decorator metadata is fixed once the app is built: read it once per handler, not on every request or event. */
  private readonly rules = new WeakMap<object, WeakMap<object, HandlerRules>>();

  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly sockets: SocketAuthenticator,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const rules = this.rulesOf(ctx);
    if (rules.isPublic) return true;

    let caller: Authenticated;
    if (ctx.getType() === 'ws') {
      caller = await this.sockets.authorizeEvent(ctx.switchToWs().getClient<SocketLike>());
    } else if (ctx.getType() === 'http') {
      const req = ctx.switchToHttp().getRequest<Request & Record<string, unknown>>();
      const token = bearerToken(req.headers.authorization);
      if (!token) throw AppError.of('UNAUTHENTICATED');
      caller = await this.auth.authenticate(token);
      req[AUTH_USER_REQUEST_KEY] = caller.user;
    } else {
      // No other transport is served; refusing beats guessing how it carries credentials.
      throw AppError.of('UNAUTHENTICATED');
    }

    if (rules.roles && !rules.roles.includes(caller.user.role)) throw AppError.of('FORBIDDEN');
    if (caller.mustChangePassword && !rules.allowPendingPassword) throw identityError('AUTH_PASSWORD_CHANGE_REQUIRED');
    return true;
  }

  private rulesOf(ctx: ExecutionContext): HandlerRules {
    // Keyed by handler, then class: a handler inherited from a base class serves several classes.
    const handler = ctx.getHandler();
    const cls = ctx.getClass();
    let byClass = this.rules.get(handler);
    const cached = byClass?.get(cls);
    if (cached) return cached;
    const targets = [handler, cls];
    const rules: HandlerRules = {
      isPublic: this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets) === true,
      roles: this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets),
      allowPendingPassword: this.reflector.getAllAndOverride<boolean>(ALLOW_PENDING_PASSWORD_KEY, targets) === true,
    };
    if (!byClass) this.rules.set(handler, (byClass = new WeakMap()));
    byClass.set(cls, rules);
    return rules;
  }
}
