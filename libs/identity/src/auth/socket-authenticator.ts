import { Injectable } from '@nestjs/common';
import { AppError } from '@app/platform';
import { identityError } from '../identity.errors';
import type { AccessClaims } from './access-tokens';
import type { AuthUser } from './auth-user';
import { SOCKET_USER_KEY } from './decorators';
import { AuthService, Authenticated } from './auth.service';
import type { Role } from './role';

/** The part of a socket.io handshake we read; clients connect with `io(url, { auth: { token } })`. */
export interface HandshakeLike {
  auth?: Record<string, unknown>;
}

/** The part of a socket.io Socket we use: its handshake and its per-connection data. */
export interface SocketLike {
  handshake: HandshakeLike;
  data: Record<string, unknown>;
}

const CLAIMS_KEY = 'authClaims';

/**
 * Socket authentication. The global guard calls {@link authorizeEvent} for every message of a
 * gateway that is not @Public(); gateways may also call {@link authenticate} in handleConnection
 * to refuse a bad handshake at once (answer with the error, then disconnect).
 */
@Injectable()
export class SocketAuthenticator {
  constructor(private readonly auth: AuthService) {}

  async authenticate(handshake: HandshakeLike, roles?: readonly Role[]): Promise<AuthUser> {
    const { user, mustChangePassword } = await this.auth.authenticate(this.tokenOf(handshake));
    return this.admit(user, mustChangePassword, roles);
  }

  /**
   * The token's signature and expiry are checked once per connection; the account and session on
   * every event. The caller lands in `socket.data.authUser`.
   */
  async authorizeEvent(socket: SocketLike): Promise<Authenticated> {
    const cached = socket.data[CLAIMS_KEY] as AccessClaims | undefined;
    let result: Authenticated;
    if (cached) result = await this.auth.recheck(cached);
    else {
      const { claims, ...rest } = await this.auth.authenticate(this.tokenOf(socket.handshake));
      socket.data[CLAIMS_KEY] = claims;
      result = rest;
    }
    socket.data[SOCKET_USER_KEY] = result.user;
    return result;
  }

  private tokenOf(handshake: HandshakeLike): string {
    const token = handshake.auth?.token;
    if (typeof token !== 'string' || token.length === 0) throw AppError.of('UNAUTHENTICATED');
    return token;
  }

  private admit(user: AuthUser, mustChangePassword: boolean, roles?: readonly Role[]): AuthUser {
    if (mustChangePassword) throw identityError('AUTH_PASSWORD_CHANGE_REQUIRED');
    if (roles && !roles.includes(user.role)) throw AppError.of('FORBIDDEN');
    return user;
  }
}
