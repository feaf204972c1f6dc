import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '@app/platform';
import { identityError } from '../identity.errors';
import type { AccessClaims } from './access-tokens';
import type { AuthUser } from './auth-user';
import { SOCKET_USER_KEY } from './decorators';
import { IdentityOptions, IdentityOptionsToken } from '../identity.options';
import { AuthRevocations } from './auth-revocations';
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
const CHECKED_KEY = 'authChecked';

/** The last account and session check of a socket, and when it started. */
interface LastCheck {
  readonly at: number;
  readonly result: Authenticated;
}

/**
 * Socket authentication. The global guard calls {@link authorizeEvent} for every message of a
 * gateway that is not @Public(); gateways may also call {@link authenticate} in handleConnection
 * to refuse a bad handshake at once (answer with the error, then disconnect).
 */
@Injectable()
export class SocketAuthenticator {
  private readonly reuseMs: number;

  constructor(
    private readonly auth: AuthService,
    private readonly revocations: AuthRevocations,
    @Inject(IdentityOptionsToken) options: Pick<IdentityOptions, 'socket'>,
  ) {
    this.reuseMs = options.socket.recheckSeconds * 1000;
  }

  async authenticate(handshake: HandshakeLike, roles?: readonly Role[]): Promise<AuthUser> {
    const { user, mustChangePassword } = await this.auth.authenticate(this.tokenOf(handshake));
    return this.admit(user, mustChangePassword, roles);
  }

  /**
   * For a gateway's handleConnection: {@link authenticate}, but the check it makes is kept on the
   * socket like an event's, so the first events do not repeat it.
   */
  async authenticateSocket(socket: SocketLike, roles?: readonly Role[]): Promise<AuthUser> {
    const { user, mustChangePassword } = await this.authorizeEvent(socket);
    return this.admit(user, mustChangePassword, roles);
  }

  /**
   * The token's signature and expiry are checked once per connection; the account and login session
   * again whenever the last check is older than `socket.recheckSeconds` or this process has seen
   * them change since (two database reads saved on most events of a busy socket, such as study
   * heartbeats). The caller lands in `socket.data.authUser`.
   */
  async authorizeEvent(socket: SocketLike): Promise<Authenticated> {
    const claims = socket.data[CLAIMS_KEY] as AccessClaims | undefined;
    const last = socket.data[CHECKED_KEY] as LastCheck | undefined;
    const started = Date.now();
    let result: Authenticated;
    if (claims && last && this.stillValid(claims, last, started)) result = last.result;
    else {
      socket.data[CHECKED_KEY] = undefined;
      if (claims) result = await this.auth.recheck(claims);
      else {
        const { claims: verified, ...rest } = await this.auth.authenticate(this.tokenOf(socket.handshake));
        socket.data[CLAIMS_KEY] = verified;
        result = rest;
      }
      // Stamped with the time before the reads: a change landing while they ran invalidates it.
      socket.data[CHECKED_KEY] = { at: started, result } satisfies LastCheck;
    }
    socket.data[SOCKET_USER_KEY] = result.user;
    return result;
  }

  private stillValid(claims: AccessClaims, last: LastCheck, now: number): boolean {
    const age = now - last.at;
    return age >= 0 && age < this.reuseMs && !this.revocations.changedSince(claims.sub, claims.sid, last.at);
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
