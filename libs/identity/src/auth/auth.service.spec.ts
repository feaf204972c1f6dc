import { JwtService } from '@nestjs/jwt';
import type { AuditActor, AuditEntry, AuditTrail, AuditTx } from '@app/audit';
import { AppError } from '@app/platform';
import type { IdentityOptions } from '../identity.options';
import type { Organisation } from '../organisations/organisation.entity';
import type { OrganisationRepository } from '../organisations/organisation.repository';
import type { NewUser, User, UserWithCredentials } from '../users/user.entity';
import type { UserRepository } from '../users/user.repository';
import { AccessTokens } from './access-tokens';
import { AuthService } from './auth.service';
import { LoginAttemptState, NO_FAILURES } from './lockout';
import type { LoginAttemptRepository } from './login-attempt.repository';
import { PasswordHasher } from './password-hasher';
import type { RefreshTokenRecord, SessionRecord } from './refresh-rotation';
import type { RevokeReason, SessionRepository } from './session.repository';

// In-memory stand-ins for the project's repositories (the database behaviour is covered by the e2e suites).
class FakeUsers implements Pick<UserRepository, keyof UserRepository> {
  rows = new Map<string, UserWithCredentials>();
  private seq = 0;
  async findById(id: string) {
    const u = this.rows.get(id);
    if (!u) return undefined;
    const { passwordHash: _, ...user } = u;
    return user as User;
  }
  async findCredentials(username: string) {
    return [...this.rows.values()].find((u) => u.username === username);
  }
  async findCredentialsById(id: string) {
    return this.rows.get(id);
  }
  async exists(username: string) {
    return (await this.findCredentials(username)) !== undefined;
  }
  async create(n: NewUser) {
    const id = `u${++this.seq}`;
    this.rows.set(id, { ...n, id, tokenVersion: 0, disabled: false });
    return (await this.findById(id))!;
  }
  async setPassword(id: string, passwordHash: string, mustChangePassword: boolean) {
    const u = this.rows.get(id);
    if (!u) return undefined;
    this.rows.set(id, { ...u, passwordHash, mustChangePassword, tokenVersion: u.tokenVersion + 1 });
    return this.findById(id);
  }
  async setDisabled(id: string, disabled: boolean) {
    const u = this.rows.get(id);
    if (!u) return undefined;
    this.rows.set(id, { ...u, disabled, tokenVersion: u.tokenVersion + 1 });
    return this.findById(id);
  }
  async list() {
    return [...this.rows.keys()].map((id) => this.rows.get(id)!);
  }
}

class FakeSessions implements Pick<SessionRepository, keyof SessionRepository> {
  sessions = new Map<string, SessionRecord & { reason?: RevokeReason }>();
  tokens = new Map<string, RefreshTokenRecord>();
  private seq = 0;
  async createSession(userId: string, expiresAt: Date) {
    const s = { id: `s${++this.seq}`, userId, expiresAt };
    this.sessions.set(s.id, s);
    return s;
  }
  async findSession(id: string) {
    return this.sessions.get(id);
  }
  async addToken(hash: string, session: SessionRecord, expiresAt: Date) {
    this.tokens.set(hash, { familyId: session.id, userId: session.userId, expiresAt });
  }
  async findToken(hash: string) {
    return this.tokens.get(hash);
  }
  async markRotated(hash: string, at: Date) {
    const t = this.tokens.get(hash);
    if (!t || t.rotatedAt) return false;
    this.tokens.set(hash, { ...t, rotatedAt: at });
    return true;
  }
  async revokeSession(id: string, reason: RevokeReason, at: Date) {
    const s = this.sessions.get(id);
    if (!s || s.revokedAt) return false;
    this.sessions.set(id, { ...s, revokedAt: at, reason });
    return true;
  }
  async revokeAllOfUser(userId: string, reason: RevokeReason, at: Date, except?: string) {
    let n = 0;
    for (const s of this.sessions.values()) if (s.userId === userId && s.id !== except && (await this.revokeSession(s.id, reason, at))) n++;
    return n;
  }
}

class FakeAttempts implements Pick<LoginAttemptRepository, keyof LoginAttemptRepository> {
  rows = new Map<string, LoginAttemptState>();
  async get(username: string) {
    return this.rows.get(username) ?? NO_FAILURES;
  }
  async replace(username: string, prev: LoginAttemptState, next: LoginAttemptState) {
    if ((this.rows.get(username) ?? NO_FAILURES) !== prev) return false;
    this.rows.set(username, next);
    return true;
  }
  async clear(username: string) {
    this.rows.delete(username);
  }
}

/** The trail without a database: runs the work once and keeps what it recorded (no rollback to test here; the e2e suites do). */
class FakeTrail implements Pick<AuditTrail, 'commit' | 'recordRead'> {
  records: { actor: AuditActor; entry: AuditEntry }[] = [];
  async commit<T>(actor: AuditActor, work: (tx: AuditTx) => Promise<T>): Promise<T> {
    const pending: AuditEntry[] = [];
    const result = await work({ session: undefined as unknown as AuditTx['session'], record: (e) => void pending.push(e) });
    if (pending.length === 0) throw new TypeError('audit: a state change must record at least one audit entry');
    this.records.push(...pending.map((entry) => ({ actor, entry })));
    return result;
  }
  async recordRead(actor: AuditActor, entry: AuditEntry): Promise<void> {
    await this.commit(actor, async (tx) => tx.record(entry));
  }
  actions(): string[] {
    return this.records.map((r) => r.entry.action);
  }
}

const institution: Organisation = { id: 'o1', kind: 'institution', name: '伊春示范安全培训中心', regionCode: '230700', demo: true };
const orgs = { findById: async (id: string) => (id === institution.id ? institution : undefined) };

const options: IdentityOptions = {
  accessToken: { secret: 'x'.repeat(40), ttlSeconds: 900, issuer: 'test' },
  refreshToken: { ttlSeconds: 7 * 86_400, sessionSeconds: 30 * 86_400 },
  socket: { recheckSeconds: 60 },
  lockout: { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 },
  pii: { currentKeyId: 'k1', keys: { k1: Buffer.alloc(32) }, blindIndexKey: Buffer.alloc(32) },
  seed: { mustChangePassword: true, loginsFile: '/dev/null' },
};

const t0 = new Date('2026-05-01T08:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);

async function codeOf(p: Promise<unknown>): Promise<string> {
  const r = await p.then(
    () => 'resolved',
    (e: unknown) => (e instanceof AppError ? e.code : `not an AppError: ${String(e)}`),
  );
  return r;
}

describe('AuthService', () => {
  const hasher = new PasswordHasher();
  let users: FakeUsers;
  let sessions: FakeSessions;
  let service: AuthService;
  let staff: User;
  let trail: FakeTrail;

  beforeEach(async () => {
    users = new FakeUsers();
    sessions = new FakeSessions();
    trail = new FakeTrail();
    service = new AuthService(
      users as unknown as UserRepository,
      orgs as unknown as OrganisationRepository,
      sessions as unknown as SessionRepository,
      new FakeAttempts() as unknown as LoginAttemptRepository,
      hasher,
      new AccessTokens(options),
      options,
      trail as unknown as AuditTrail,
    );
    staff = await users.create({
      username: 'staff',
      displayName: '工作人员',
      role: 'institution',
      organisationId: 'o1',
      passwordHash: await hasher.hash('Initial-pass-1'),
      mustChangePassword: true,
      demo: false,
    });
  });

  it('logs in and the access token authenticates with organisation and region', async () => {
    const pair = await service.login('Staff', 'Initial-pass-1', {}, t0);
    expect(pair.mustChangePassword).toBe(true);
    expect(pair.expiresIn).toBe(900);
    expect(pair.refreshExpiresAt).toEqual(at(7 * 86_400_000));
    const { user, mustChangePassword } = await service.authenticate(pair.accessToken);
    expect(user).toEqual({ id: staff.id, role: 'institution', organisationId: 'o1', regionCode: '230700', sessionId: 's1' });
    expect(mustChangePassword).toBe(true);
  });

  it('gives the same error for a wrong password and an unknown user', async () => {
    expect(await codeOf(service.login('staff', 'wrong', {}, t0))).toBe('AUTH_INVALID_CREDENTIALS');
    expect(await codeOf(service.login('ghost', 'wrong', {}, t0))).toBe('AUTH_INVALID_CREDENTIALS');
  });

  it('locks after five failures, refuses the right password while locked, and unlocks after 15 minutes', async () => {
    for (let i = 0; i < 4; i++) expect(await codeOf(service.login('staff', 'wrong', {}, at(i * 1000)))).toBe('AUTH_INVALID_CREDENTIALS');
    const fifth = await service.login('staff', 'wrong', {}, at(4000)).catch((e: AppError) => e);
    expect(fifth).toBeInstanceOf(AppError);
    expect((fifth as AppError).code).toBe('AUTH_LOCKED');
    expect((fifth as AppError).headers['Retry-After']).toBe('900');
    expect(await codeOf(service.login('staff', 'Initial-pass-1', {}, at(5000)))).toBe('AUTH_LOCKED');
    expect(await codeOf(service.login('staff', 'Initial-pass-1', {}, at(4000 + 15 * 60_000)))).toBe('resolved');
  });

  it('refuses a disabled account only once the password is right, and its live tokens', async () => {
    const pair = await service.login('staff', 'Initial-pass-1', {}, t0);
    await users.setDisabled(staff.id, true);
    expect(await codeOf(service.authenticate(pair.accessToken))).toBe('AUTH_TOKEN_INVALID');
    expect(await codeOf(service.refresh(pair.refreshToken, at(1)))).toBe('AUTH_SESSION_REVOKED');
    expect(await codeOf(service.login('staff', 'wrong', {}, t0))).toBe('AUTH_INVALID_CREDENTIALS');
    expect(await codeOf(service.login('staff', 'Initial-pass-1', {}, t0))).toBe('AUTH_ACCOUNT_DISABLED');
  });

  it('rotates refresh tokens and revokes the family when a rotated one comes back', async () => {
    const first = await service.login('staff', 'Initial-pass-1', {}, t0);
    const second = await service.refresh(first.refreshToken, at(60_000));
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(await codeOf(service.refresh(first.refreshToken, at(120_000)))).toBe('AUTH_REFRESH_REUSED');
    expect(sessions.sessions.get('s1')).toMatchObject({ reason: 'reuse' });
    expect(await codeOf(service.refresh(second.refreshToken, at(130_000)))).toBe('AUTH_SESSION_REVOKED');
    expect(await codeOf(service.authenticate(second.accessToken))).toBe('AUTH_SESSION_REVOKED');
  });

  it('lets only one of two racing refreshes win', async () => {
    const first = await service.login('staff', 'Initial-pass-1', {}, t0);
    const results = await Promise.all([codeOf(service.refresh(first.refreshToken, at(1))), codeOf(service.refresh(first.refreshToken, at(1)))]);
    expect(results.sort()).toEqual(['AUTH_REFRESH_REUSED', 'resolved']);
  });

  it('expires refresh tokens after their lifetime and the session after its absolute end', async () => {
    const first = await service.login('staff', 'Initial-pass-1', {}, t0);
    expect(await codeOf(service.refresh(first.refreshToken, at(7 * 86_400_000)))).toBe('AUTH_TOKEN_EXPIRED');
    let pair = await service.login('staff', 'Initial-pass-1', {}, t0);
    for (let day = 6; day < 30; day += 6) pair = await service.refresh(pair.refreshToken, at(day * 86_400_000));
    expect(pair.refreshExpiresAt).toEqual(at(30 * 86_400_000));
    expect(await codeOf(service.refresh(pair.refreshToken, at(30 * 86_400_000)))).toBe('AUTH_TOKEN_EXPIRED');
  });

  it('refuses refresh tokens it never issued', async () => {
    expect(await codeOf(service.refresh('rt_' + 'B'.repeat(43)))).toBe('AUTH_TOKEN_INVALID');
    expect(await codeOf(service.refresh({ $ne: null }))).toBe('AUTH_TOKEN_INVALID');
  });

  it('logout kills the session but not the others', async () => {
    const a = await service.login('staff', 'Initial-pass-1', {}, t0);
    const b = await service.login('staff', 'Initial-pass-1', {}, t0);
    await service.logout((await service.authenticate(a.accessToken)).user, at(1));
    expect(await codeOf(service.authenticate(a.accessToken))).toBe('AUTH_SESSION_REVOKED');
    expect(await codeOf(service.refresh(a.refreshToken, at(2)))).toBe('AUTH_SESSION_REVOKED');
    expect(await codeOf(service.authenticate(b.accessToken))).toBe('resolved');
  });

  it('changes the password: checks the current one and the policy, then only the caller stays logged in', async () => {
    const a = await service.login('staff', 'Initial-pass-1', {}, t0);
    const b = await service.login('staff', 'Initial-pass-1', {}, t0);
    const caller = (await service.authenticate(a.accessToken)).user;
    expect(await codeOf(service.changePassword(caller, 'nope', 'Another-pass-2', t0))).toBe('AUTH_CURRENT_PASSWORD_WRONG');
    expect(await codeOf(service.changePassword(caller, 'Initial-pass-1', 'short', t0))).toBe('AUTH_PASSWORD_WEAK');
    const fresh = await service.changePassword(caller, 'Initial-pass-1', 'Another-pass-2', t0);
    expect(fresh.mustChangePassword).toBe(false);
    expect(await codeOf(service.authenticate(a.accessToken))).toBe('AUTH_TOKEN_INVALID');
    expect(await codeOf(service.authenticate(b.accessToken))).toBe('AUTH_TOKEN_INVALID');
    expect(await codeOf(service.refresh(b.refreshToken, at(1)))).toBe('AUTH_SESSION_REVOKED');
    expect((await service.authenticate(fresh.accessToken)).mustChangePassword).toBe(false);
    expect(await codeOf(service.refresh(fresh.refreshToken, at(1)))).toBe('resolved');
  });

  it('counts wrong current passwords towards the lock-out', async () => {
    const a = await service.login('staff', 'Initial-pass-1', {}, t0);
    const caller = (await service.authenticate(a.accessToken)).user;
    for (let i = 0; i < 4; i++) await codeOf(service.changePassword(caller, 'nope', 'Another-pass-2', t0));
    expect(await codeOf(service.changePassword(caller, 'nope', 'Another-pass-2', t0))).toBe('AUTH_LOCKED');
    expect(await codeOf(service.login('staff', 'Initial-pass-1', {}, t0))).toBe('AUTH_LOCKED');
  });

  it('tells an expired access token from a forged one', async () => {
    const pair = await service.login('staff', 'Initial-pass-1', {}, t0);
    const claims = await new AccessTokens(options).verify(pair.accessToken);
    const past = Math.floor(Date.now() / 1000) - 3600;
    const expired = await new JwtService({ secret: options.accessToken.secret }).signAsync(
      { ...claims, iat: past - 900, exp: past },
      { issuer: 'test', algorithm: 'HS256' },
    );
    expect(await codeOf(service.authenticate(expired))).toBe('AUTH_TOKEN_EXPIRED');
    const forged = await new JwtService({ secret: 'y'.repeat(40) }).signAsync(claims, { issuer: 'test', algorithm: 'HS256' });
    expect(await codeOf(service.authenticate(forged))).toBe('AUTH_TOKEN_INVALID');
    const otherIssuer = await new JwtService({ secret: options.accessToken.secret }).signAsync(claims, { issuer: 'elsewhere' });
    expect(await codeOf(service.authenticate(otherIssuer))).toBe('AUTH_TOKEN_INVALID');
  });

  it('records every sign-in, failure, lock, rotation, reuse, logout and password change — the failures as unauthenticated attempts', async () => {
    const pair = await service.login('staff', 'Initial-pass-1', {}, t0);
    expect(trail.records[0]).toEqual({
      actor: { kind: 'user', id: staff.id, role: 'institution', organisationId: 'o1', regionCode: '230700' },
      entry: { action: 'auth.login', target: { type: 'user', id: staff.id }, tenant: { institutionId: 'o1', regionCode: '230700' }, after: { sessionId: 's1', mustChangeAtLogin: true } },
    });
    await codeOf(service.login('staff', 'wrong', {}, at(1)));
    await codeOf(service.login('ghost', 'wrong', {}, at(1)));
    expect(trail.records.slice(1)).toEqual([
      { actor: { kind: 'system', reason: expect.any(String) }, entry: expect.objectContaining({ action: 'auth.login.fail', target: { type: 'user', id: staff.id }, after: { code: 'AUTH_INVALID_CREDENTIALS', failures: 1 } }) },
      { actor: { kind: 'system', reason: expect.any(String) }, entry: expect.objectContaining({ action: 'auth.login.fail', target: { type: 'login-name', id: 'ghost' }, tenant: {} }) },
    ]);
    for (let i = 0; i < 4; i++) await codeOf(service.login('staff', 'wrong', {}, at(2 + i)));
    expect(trail.records.at(-1)!.entry.after).toEqual({ code: 'AUTH_LOCKED', cause: 'AUTH_INVALID_CREDENTIALS', lockedUntil: at(5 + 15 * 60_000) });
    expect(await codeOf(service.login('staff', 'Initial-pass-1', {}, at(10)))).toBe('AUTH_LOCKED');
    expect(trail.records.at(-1)!.entry).toMatchObject({ action: 'auth.login.fail', after: { code: 'AUTH_LOCKED' } });

    trail.records = [];
    const next = await service.refresh(pair.refreshToken, at(20));
    expect(await codeOf(service.refresh(pair.refreshToken, at(21)))).toBe('AUTH_REFRESH_REUSED');
    expect(trail.actions()).toEqual(['auth.refresh', 'auth.refresh.reuse']);
    expect(trail.records[1].actor.kind).toBe('system');
    expect(JSON.stringify(trail.records)).not.toContain(next.refreshToken);
    expect(JSON.stringify(trail.records)).not.toContain(pair.refreshToken);
  });

  it('records a logout and a password change as the caller; a refused change records only the counted failure', async () => {
    const pair = await service.login('staff', 'Initial-pass-1', {}, t0);
    const caller = (await service.authenticate(pair.accessToken)).user;
    trail.records = [];
    await codeOf(service.changePassword(caller, 'nope', 'Another-pass-2', t0));
    expect(await codeOf(service.changePassword(caller, 'Initial-pass-1', 'short', t0))).toBe('AUTH_PASSWORD_WEAK');
    await service.changePassword(caller, 'Initial-pass-1', 'Another-pass-2', t0);
    expect(trail.actions()).toEqual(['auth.password.change.fail', 'auth.password.change']);
    expect(trail.records[1]).toMatchObject({ actor: { kind: 'user', id: staff.id }, entry: { after: { mustChangeAtLogin: false, sessionsRevoked: 0 } } });
    await service.logout(caller, at(1));
    expect(trail.records.at(-1)!.entry).toMatchObject({ action: 'auth.logout', after: { sessionId: caller.sessionId, revoked: true } });
    expect(JSON.stringify(trail.records)).not.toMatch(/Another-pass|Initial-pass|argon2/);
  });
});
