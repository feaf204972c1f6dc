import { Inject, Injectable } from '@nestjs/common';
import { IdentityOptions, IdentityOptionsToken } from '../identity.options';
import { identityError, IdentityErrors } from '../identity.errors';
import { OrganisationRepository } from '../organisations/organisation.repository';
import { normaliseUsername, User } from '../users/user.entity';
import { UserRepository } from '../users/user.repository';
import { AccessClaims, AccessTokens } from './access-tokens';
import type { AuthUser } from './auth-user';
import { afterFailure, attemptsLeft, lockoutWarning, lockRemainingMs, LoginAttemptState } from './lockout';
import { LoginAttemptRepository } from './login-attempt.repository';
import { assertStrongPassword } from './password-policy';
import { PasswordHasher } from './password-hasher';
import { hashRefreshToken, judgeRefresh, looksLikeRefreshToken, newRefreshToken, SessionRecord, successorExpiry } from './refresh-rotation';
import { SessionRepository } from './session.repository';

export interface TokenPair {
  accessToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
  refreshToken: string;
  refreshExpiresAt: Date;
  mustChangePassword: boolean;
}

export interface ClientMeta {
  userAgent?: string;
  ip?: string;
}

/** A verified caller plus what only the account (not the token) knows. */
export interface Authenticated {
  user: AuthUser;
  mustChangePassword: boolean;
}

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UserRepository,
    private readonly organisations: OrganisationRepository,
    private readonly sessions: SessionRepository,
    private readonly attempts: LoginAttemptRepository,
    private readonly hasher: PasswordHasher,
    private readonly tokens: AccessTokens,
    @Inject(IdentityOptionsToken) private readonly options: IdentityOptions,
  ) {}

  async login(rawUsername: string, password: string, meta: ClientMeta, now = new Date()): Promise<TokenPair> {
    const username = normaliseUsername(rawUsername).slice(0, 64);
    const state = await this.attempts.get(username);
    const remaining = lockRemainingMs(state, now);
    if (remaining > 0) throw this.locked(remaining);

    const user = await this.users.findCredentials(username);
    const ok = user ? await this.hasher.verify(user.passwordHash, password) : (await this.hasher.burn(password), false);
    if (!user || !ok) {
      throw this.failed(await this.recordFailure(username, now), now, 'AUTH_INVALID_CREDENTIALS');
    }
    await this.attempts.clear(username);
    if (user.disabled) throw identityError('AUTH_ACCOUNT_DISABLED');

    const session = await this.sessions.createSession(
      user.id,
      new Date(now.getTime() + this.options.refreshToken.sessionSeconds * 1000),
      meta,
    );
    return this.issue(user, session, now);
  }

  async refresh(refreshToken: unknown, now = new Date()): Promise<TokenPair> {
    if (!looksLikeRefreshToken(refreshToken)) throw identityError('AUTH_TOKEN_INVALID');
    const hash = hashRefreshToken(refreshToken);
    const record = await this.sessions.findToken(hash);
    const session = record ? await this.sessions.findSession(record.familyId) : undefined;
    const verdict = judgeRefresh(record, session, now);
    switch (verdict.kind) {
      case 'unknown':
        throw identityError('AUTH_TOKEN_INVALID');
      case 'revoked':
        throw identityError('AUTH_SESSION_REVOKED');
      case 'expired':
        throw identityError('AUTH_TOKEN_EXPIRED');
      case 'reused':
        await this.sessions.revokeSession(record!.familyId, 'reuse', now);
        throw identityError('AUTH_REFRESH_REUSED');
      case 'valid':
        break;
    }
    // Two presentations racing: only one wins the rotation, the other is reuse.
    if (!(await this.sessions.markRotated(hash, now))) {
      await this.sessions.revokeSession(record!.familyId, 'reuse', now);
      throw identityError('AUTH_REFRESH_REUSED');
    }
    const user = await this.users.findById(record!.userId);
    if (!user || user.disabled) {
      await this.sessions.revokeSession(record!.familyId, 'logout', now);
      throw identityError('AUTH_SESSION_REVOKED');
    }
    return this.issue(user, session!, now);
  }

  /**
   * The guard's check, also used by socket gateways: the signature and expiry, then the account
   * and the session, so logout, a password change or a disabled account take effect at once.
   */
  async authenticate(accessToken: string): Promise<Authenticated & { claims: AccessClaims }> {
    const claims = await this.tokens.verify(accessToken);
    return { ...(await this.recheck(claims)), claims };
  }

  /**
   * The account and session half of {@link authenticate}, for claims verified earlier: a socket
   * verifies its handshake token once, then rechecks on every event, so it outlives the access
   * token's 15 minutes but not a logout, a password change or a disabled account.
   */
  async recheck(claims: AccessClaims): Promise<Authenticated> {
    const [user, session] = await Promise.all([this.users.findById(claims.sub), this.sessions.findSession(claims.sid)]);
    if (!user || user.disabled || user.tokenVersion !== claims.tv) throw identityError('AUTH_TOKEN_INVALID');
    if (!session || session.revokedAt || session.userId !== user.id) throw identityError('AUTH_SESSION_REVOKED');
    return {
      user: { id: user.id, role: user.role, organisationId: claims.org, regionCode: claims.region, sessionId: claims.sid },
      mustChangePassword: user.mustChangePassword,
    };
  }

  async logout(user: AuthUser, now = new Date()): Promise<void> {
    await this.sessions.revokeSession(user.sessionId, 'logout', now);
  }

  /**
   * Kills every other session (tokenVersion bump + revocation) and hands the caller a fresh pair
   * in its current session, so the one who changed the password stays logged in.
   */
  async changePassword(caller: AuthUser, current: string, next: string, now = new Date()): Promise<TokenPair> {
    const user = await this.users.findCredentialsById(caller.id);
    if (!user) throw identityError('AUTH_TOKEN_INVALID');
    const state = await this.attempts.get(user.username);
    const remaining = lockRemainingMs(state, now);
    if (remaining > 0) throw this.locked(remaining);
    if (!(await this.hasher.verify(user.passwordHash, current))) {
      // A stolen access token must not become a way to guess the password without limit.
      throw this.failed(await this.recordFailure(user.username, now), now, 'AUTH_CURRENT_PASSWORD_WRONG');
    }
    assertStrongPassword('newPassword', next, user.username, current);
    const updated = await this.users.setPassword(user.id, await this.hasher.hash(next), false);
    if (!updated) throw identityError('AUTH_TOKEN_INVALID');
    await this.sessions.revokeAllOfUser(user.id, 'password-change', now, caller.sessionId);
    const session = await this.sessions.findSession(caller.sessionId);
    if (!session || session.revokedAt) throw identityError('AUTH_SESSION_REVOKED');
    return this.issue(updated, session, now);
  }

  private async issue(user: User, session: SessionRecord, now: Date): Promise<TokenPair> {
    const org = user.organisationId ? await this.organisations.findById(user.organisationId) : undefined;
    const accessToken = await this.tokens.sign({
      sub: user.id,
      role: user.role,
      org: org?.id,
      region: org?.regionCode,
      sid: session.id,
      tv: user.tokenVersion,
    });
    const refresh = newRefreshToken();
    const refreshExpiresAt = successorExpiry(now, this.options.refreshToken.ttlSeconds, session.expiresAt);
    await this.sessions.addToken(refresh.hash, session, refreshExpiresAt);
    return {
      accessToken,
      expiresIn: this.tokens.ttlSeconds,
      refreshToken: refresh.token,
      refreshExpiresAt,
      mustChangePassword: user.mustChangePassword,
    };
  }

  /** The name's attempt state after this failure; undefined when every retry of a lost race lost. */
  private async recordFailure(username: string, now: Date): Promise<LoginAttemptState | undefined> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const prev = await this.attempts.get(username);
      const next = afterFailure(prev, now, this.options.lockout);
      const keepUntil = new Date(now.getTime() + Math.max(this.options.lockout.windowMs, this.options.lockout.lockMs));
      if (await this.attempts.replace(username, prev, next, keepUntil)) return next;
    }
    return undefined;
  }

  /**
   * The refusal for a wrong password: the lock when this failure reached it, else the code with the
   * attempts left (counted per name, known or not, so it tells nothing about which accounts exist).
   */
  private failed(state: LoginAttemptState | undefined, now: Date, code: 'AUTH_INVALID_CREDENTIALS' | 'AUTH_CURRENT_PASSWORD_WRONG') {
    if (!state) return identityError(code);
    const lockedFor = lockRemainingMs(state, now);
    if (lockedFor > 0) return this.locked(lockedFor);
    const left = attemptsLeft(state, now, this.options.lockout);
    const warning = lockoutWarning(left, this.options.lockout);
    const base = IdentityErrors[code].message;
    return identityError(code, { attemptsLeft: left }, warning ? { message: `${base}，${warning}` } : {});
  }

  private locked(remainingMs: number) {
    const retryAfterSeconds = Math.ceil(remainingMs / 1000);
    return identityError(
      'AUTH_LOCKED',
      { retryAfterSeconds },
      {
        headers: { 'Retry-After': String(retryAfterSeconds) },
        message: `登录失败次数过多，账号已临时锁定，请 ${Math.ceil(retryAfterSeconds / 60)} 分钟后再试`,
      },
    );
  }
}
