import { Injectable } from '@nestjs/common';
import { AppError } from '@app/platform';
import { identityError } from '../identity.errors';
import type { AuthUser } from './auth-user';
import { AuthService } from './auth.service';
import type { Role } from './role';

/** The part of a socket.io handshake we read; clients connect with `io(url, { auth: { token } })`. */
export interface HandshakeLike {
  auth?: Record<string, unknown>;
}

/**
 * Gateways call this in handleConnection (and disconnect on failure): same checks as the HTTP
 * guard, including the forced password change, and optionally a role list.
 */
@Injectable()
export class SocketAuthenticator {
  constructor(private readonly auth: AuthService) {}

  async authenticate(handshake: HandshakeLike, roles?: readonly Role[]): Promise<AuthUser> {
    const token = handshake.auth?.token;
    if (typeof token !== 'string' || token.length === 0) throw AppError.of('UNAUTHENTICATED');
    const { user, mustChangePassword } = await this.auth.authenticate(token);
    if (mustChangePassword) throw identityError('AUTH_PASSWORD_CHANGE_REQUIRED');
    if (roles && !roles.includes(user.role)) throw AppError.of('FORBIDDEN');
    return user;
  }
}
