import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { AppError } from '@app/platform';
import type { AuthUser } from './auth-user';
import type { Role } from './role';

export const ROLES_KEY = 'identity:roles';
export const ALLOW_PENDING_PASSWORD_KEY = 'identity:allowPendingPassword';

/** Only these roles may call the route or controller (403 FORBIDDEN otherwise). Without it: any logged-in role. */
export const Roles = (...roles: [Role, ...Role[]]): MethodDecorator & ClassDecorator => SetMetadata(ROLES_KEY, roles);

/**
 * Reachable by an account that still has to change its initial password (me, change password,
 * logout). Every other route answers 403 AUTH_PASSWORD_CHANGE_REQUIRED for such an account.
 */
export const AllowPendingPasswordChange = (): MethodDecorator & ClassDecorator => SetMetadata(ALLOW_PENDING_PASSWORD_KEY, true);

/** Where the guard leaves the caller on the request. */
export const AUTH_USER_REQUEST_KEY = 'authUser';

/** Where the guard leaves the caller on a socket (`socket.data`). */
export const SOCKET_USER_KEY = 'authUser';

/**
 * The verified caller, in controllers and gateway handlers. Only on non-public routes and
 * events: on a public one there is no caller to give.
 */
export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser => {
  const user =
    ctx.getType() === 'ws'
      ? ctx.switchToWs().getClient<{ data: Record<string, unknown> }>().data[SOCKET_USER_KEY]
      : ctx.switchToHttp().getRequest<Record<string, unknown>>()[AUTH_USER_REQUEST_KEY];
  if (!user) throw AppError.of('UNAUTHENTICATED');
  return user as AuthUser;
});
