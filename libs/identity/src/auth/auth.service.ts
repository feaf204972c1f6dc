import { Inject, Injectable } from '@nestjs/common';
import { AuditActor, AuditEntry, AuditTenant, AuditTrail } from '@app/audit';
import { isDuplicateKey } from '@app/platform';
import { accountActor, callerTenant, organisationTenant, UNAUTHENTICATED_ACTOR, userTarget } from '../audit/identity-audit';
import type { Organisation } from '../organisations/organisation.entity';
import { IdentityOptions, IdentityOptionsToken } from '../identity.options';
import { identityError, IdentityErrors } from '../identity.errors';
import { OrganisationRepository } from '../organisations/organisation.repository';
import { normaliseUsername, User, UserWithCredentials } from '../users/user.entity';
import { UserRepository } from '../users/user.repository';
import { AccessClaims, AccessTokens } from './access-tokens';
import { auditActorOf } from './audit-actor';
import type { AuthUser } from './auth-user';
import { afterFailure, attemptsLeft, lockoutWarning, lockRemainingMs, LoginAttemptState } from './lockout';
import { LoginAttemptRepository } from './login-attempt.repository';
import { assertStrongPassword } from './password-policy';
import { PasswordHasher } from './password-hasher';
import { hashRefreshToken, judgeRefresh, looksLikeRefreshToken, newRefreshToken, RefreshTokenRecord, SessionRecord, successorExpiry } from './refresh-rotation';
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

/** Who a failed sign-in was aimed at: the account when the name is one, else the name as typed. */
interface LoginTarget {
  target: AuditEntry['target'];
  tenant: AuditTenant;
}

/** Another failure of the same name committed first (an upsert race): count this one again. */
class CounterRaceLost extends Error {}
/** Another presentation of the same refresh token rotated it first. */
class RotationLost extends Error {}

/** A rotated refresh token came back: the platform revokes the session, whoever presented it. */
const REFRESH_REUSE_ACTOR: AuditActor = { kind: 'system', reason: '刷新令牌被重复使用，注销该登录会话 (refresh token reuse)' };
/** A refresh for an account that is gone or disabled: the platform ends the session. */
const REFRESH_REFUSED_ACTOR: AuditActor = { kind: 'system', reason: '账号已停用或不存在，注销该登录会话 (refresh for a disabled account)' };

/**
 * Sign-in, token rotation, logout and password changes, each committed with its audit record;
 * failed sign-ins are recorded too (with the lock-out counter they move), since an auditor needs
 * the attempts more than the successes.
 */
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
    private readonly trail: AuditTrail,
  ) {}

  async login(rawUsername: string, password: string, meta: ClientMeta, now = new Date()): Promise<TokenPair> {
    const username = normaliseUsername(rawUsername).slice(0, 64);
    const state = await this.attempts.get(username);
    const remaining = lockRemainingMs(state, now);
    if (remaining > 0) {
      // Nothing changes while locked, but the attempt is what an auditor looks for.
      const at = await this.loginTarget(username, await this.users.findCredentials(username));
      await this.trail.recordRead(UNAUTHENTICATED_ACTOR, { action: 'auth.login.fail', ...at, after: { code: 'AUTH_LOCKED', lockedUntil: state.lockedUntil } });
      throw this.locked(remaining);
    }

    const user = await this.users.findCredentials(username);
    const ok = user ? await this.hasher.verify(user.passwordHash, password) : (await this.hasher.burn(password), false);
    if (!user || !ok) {
      const at = await this.loginTarget(username, user);
      throw this.failed(await this.recordFailure(username, at, UNAUTHENTICATED_ACTOR, 'auth.login.fail', 'AUTH_INVALID_CREDENTIALS', now), now, 'AUTH_INVALID_CREDENTIALS');
    }
    const org = await this.organisationOf(user);
    const actor = accountActor(user, org);
    const target = userTarget(user.id);
    const tenant = organisationTenant(org);
    if (user.disabled) {
      await this.trail.commit(actor, async (tx) => {
        await this.attempts.clear(username);
        tx.record({ action: 'auth.login.fail', target, tenant, after: { code: 'AUTH_ACCOUNT_DISABLED' } });
      });
      throw identityError('AUTH_ACCOUNT_DISABLED');
    }
    return this.trail.commit(actor, async (tx) => {
      await this.attempts.clear(username);
      const session = await this.sessions.createSession(user.id, new Date(now.getTime() + this.options.refreshToken.sessionSeconds * 1000), meta);
      const pair = await this.issue(user, session, now, org);
      tx.record({ action: 'auth.login', target, tenant, after: { sessionId: session.id, mustChangeAtLogin: user.mustChangePassword } });
      return pair;
    });
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
        throw await this.revokeReused(record!, now);
      case 'valid':
        break;
    }
    const user = await this.users.findById(record!.userId);
    const org = user ? await this.organisationOf(user) : undefined;
    if (!user || user.disabled) {
      await this.trail.commit(REFRESH_REFUSED_ACTOR, async (tx) => {
        await this.sessions.revokeSession(record!.familyId, 'logout', now);
        tx.record({ action: 'auth.session.revoke', target: userTarget(record!.userId), tenant: organisationTenant(org), after: { sessionId: record!.familyId, cause: user ? 'account-disabled' : 'account-missing' } });
      });
      throw identityError('AUTH_SESSION_REVOKED');
    }
    try {
      return await this.trail.commit(accountActor(user, org), async (tx) => {
        // Two presentations racing: only one wins the rotation, the other is reuse.
        if (!(await this.sessions.markRotated(hash, now))) throw new RotationLost();
        const pair = await this.issue(user, session!, now, org);
        tx.record({ action: 'auth.refresh', target: userTarget(user.id), tenant: organisationTenant(org), after: { sessionId: session!.id } });
        return pair;
      });
    } catch (e) {
      if (e instanceof RotationLost) throw await this.revokeReused(record!, now);
      throw e;
    }
  }

  /** A rotated token presented again: the whole family is revoked, recorded, and the caller told so. */
  private async revokeReused(record: RefreshTokenRecord, now: Date) {
    const user = await this.users.findById(record.userId);
    const org = user ? await this.organisationOf(user) : undefined;
    await this.trail.commit(REFRESH_REUSE_ACTOR, async (tx) => {
      const revoked = await this.sessions.revokeSession(record.familyId, 'reuse', now);
      tx.record({ action: 'auth.refresh.reuse', target: userTarget(record.userId), tenant: organisationTenant(org), after: { sessionId: record.familyId, revoked } });
    });
    return identityError('AUTH_REFRESH_REUSED');
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
    await this.trail.commit(auditActorOf(user), async (tx) => {
      const revoked = await this.sessions.revokeSession(user.sessionId, 'logout', now);
      tx.record({ action: 'auth.logout', target: userTarget(user.id), tenant: callerTenant(user), after: { sessionId: user.sessionId, revoked } });
    });
  }

  /**
   * Kills every other session (tokenVersion bump + revocation) and hands the caller a fresh pair
   * in its current session, so the one who changed the password stays logged in. The new hash is
   * computed before the commit; the password, the revocations and the new token are one commit.
   */
  async changePassword(caller: AuthUser, current: string, next: string, now = new Date()): Promise<TokenPair> {
    const user = await this.users.findCredentialsById(caller.id);
    if (!user) throw identityError('AUTH_TOKEN_INVALID');
    const actor = auditActorOf(caller);
    const at: LoginTarget = { target: userTarget(user.id), tenant: callerTenant(caller) };
    const state = await this.attempts.get(user.username);
    const remaining = lockRemainingMs(state, now);
    if (remaining > 0) {
      await this.trail.recordRead(actor, { action: 'auth.password.change.fail', ...at, after: { code: 'AUTH_LOCKED', lockedUntil: state.lockedUntil } });
      throw this.locked(remaining);
    }
    if (!(await this.hasher.verify(user.passwordHash, current))) {
      // A stolen access token must not become a way to guess the password without limit.
      throw this.failed(await this.recordFailure(user.username, at, actor, 'auth.password.change.fail', 'AUTH_CURRENT_PASSWORD_WRONG', now), now, 'AUTH_CURRENT_PASSWORD_WRONG');
    }
    assertStrongPassword('newPassword', next, user.username, current);
    const passwordHash = await this.hasher.hash(next);
    return this.trail.commit(actor, async (tx) => {
      const updated = await this.users.setPassword(user.id, passwordHash, false);
      if (!updated) throw identityError('AUTH_TOKEN_INVALID');
      const sessionsRevoked = await this.sessions.revokeAllOfUser(user.id, 'password-change', now, caller.sessionId);
      const session = await this.sessions.findSession(caller.sessionId);
      if (!session || session.revokedAt) throw identityError('AUTH_SESSION_REVOKED');
      const pair = await this.issue(updated, session, now);
      tx.record({ action: 'auth.password.change', ...at, after: { mustChangeAtLogin: false, sessionsRevoked } });
      return pair;
    });
  }

  private async organisationOf(user: Pick<User, 'organisationId'>): Promise<Organisation | undefined> {
    return user.organisationId ? this.organisations.findById(user.organisationId) : undefined;
  }

  /** The account a typed name belongs to (its organisation's tenant), or the name itself for nobody's (platform-wide). */
  private async loginTarget(username: string, user: UserWithCredentials | undefined): Promise<LoginTarget> {
    if (!user) return { target: { type: 'login-name', id: username || '(empty)' }, tenant: {} };
    return { target: userTarget(user.id), tenant: organisationTenant(await this.organisationOf(user)) };
  }

  private async issue(user: User, session: SessionRecord, now: Date, known?: Organisation): Promise<TokenPair> {
    const org = known ?? (await this.organisationOf(user));
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

  /**
   * Counts the failure and records it in one commit: the attempt state after it, or undefined when
   * every retry of a lost race lost (the failure is then recorded without being counted).
   */
  private async recordFailure(
    username: string,
    at: LoginTarget,
    actor: AuditActor,
    action: string,
    code: 'AUTH_INVALID_CREDENTIALS' | 'AUTH_CURRENT_PASSWORD_WRONG',
    now: Date,
  ): Promise<LoginAttemptState | undefined> {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        return await this.trail.commit(actor, async (tx) => {
          const prev = await this.attempts.get(username);
          const next = afterFailure(prev, now, this.options.lockout);
          const keepUntil = new Date(now.getTime() + Math.max(this.options.lockout.windowMs, this.options.lockout.lockMs));
          if (!(await this.attempts.replace(username, prev, next, keepUntil))) throw new CounterRaceLost();
          tx.record({ action, ...at, after: next.lockedUntil ? { code: 'AUTH_LOCKED', cause: code, lockedUntil: next.lockedUntil } : { code, failures: next.failures } });
          return next;
        });
      } catch (e) {
        // A concurrent first failure of the same name inserted the counter first (duplicate key at write or commit).
        if (e instanceof CounterRaceLost || isDuplicateKey(e)) continue;
        throw e;
      }
    }
    await this.trail.recordRead(actor, { action, ...at, after: { code, counted: false } });
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
