import { Injectable } from '@nestjs/common';
import { AuditTenant, AuditTrail } from '@app/audit';
import { AppError } from '@app/platform';
import { auditActorOf, traineeTenant } from '../auth/audit-actor';
import type { AuthUser } from '../auth/auth-user';
import { organisationTenant, traineeTarget, userSummary, userTarget } from '../audit/identity-audit';
import { SessionRepository } from '../auth/session.repository';
import { tenantScopeOf } from '../auth/tenant-scope';
import { TraineeRepository } from '../trainees/trainee.repository';
import { mayWriteTraineesOf } from '../trainees/trainee-scope';
import { identityError } from '../identity.errors';
import type { OrganisationKind } from '../organisations/organisation.entity';
import { OrganisationRepository } from '../organisations/organisation.repository';
import { PasswordHasher } from '../auth/password-hasher';
import { assertStrongPassword, generatePassword } from '../auth/password-policy';
import type { Role } from '../auth/role';
import { normaliseUsername, User } from './user.entity';
import { UserRepository } from './user.repository';

export type StaffRole = Extract<Role, 'institution' | 'auditor' | 'examiner'>;

/** Which organisations each staff role can belong to. */
export const STAFF_ORGANISATION_KINDS: Record<StaffRole, readonly OrganisationKind[]> = {
  institution: ['institution'],
  auditor: ['department', 'evaluator'],
  examiner: ['department'],
};

export interface CreateStaffCommand {
  username: string;
  displayName: string;
  role: StaffRole;
  organisationId: string;
  /** When absent a random one is generated and returned once. */
  initialPassword?: string;
}

export interface CreatedStaff {
  user: User;
  /** Only when generated: the administrator hands it over; it must be changed at first login. */
  initialPassword?: string;
}

@Injectable()
export class UserService {
  constructor(
    private readonly users: UserRepository,
    private readonly organisations: OrganisationRepository,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionRepository,
    private readonly trainees: TraineeRepository,
    private readonly trail: AuditTrail,
  ) {}

  /**
   * A login for a trainee record, created by the institution that enrols the person (or an
   * administrator). The account belongs to the person's enterprise; its scope is the record.
   */
  async createTraineeAccount(caller: AuthUser, traineeId: string, rawUsername: string): Promise<CreatedStaff> {
    const { scope, trainee } = await this.writableTrainee(caller, traineeId);
    if (trainee.userId) throw identityError('TRAINEE_ACCOUNT_EXISTS');
    const username = normaliseUsername(rawUsername);
    if (await this.users.exists(username)) throw identityError('USERNAME_TAKEN', { fields: [{ field: 'username', reasons: ['用户名已被使用'] }] });
    const password = generatePassword();
    const passwordHash = await this.hasher.hash(password);
    // The account and its link to the record commit together: a record linked concurrently rolls the account back.
    const user = await this.trail.commit(auditActorOf(caller), async (tx) => {
      const created = await this.users.create({
        username,
        displayName: trainee.name,
        role: 'trainee',
        organisationId: trainee.enterpriseId,
        passwordHash,
        mustChangePassword: true,
        demo: false,
      });
      if (!(await this.trainees.linkUser(scope, trainee.id, created.id))) throw identityError('TRAINEE_ACCOUNT_EXISTS');
      const tenant = traineeTenant(trainee);
      tx.record({ action: 'user.create', target: userTarget(created.id), tenant, after: { ...userSummary(created), traineeId: trainee.id } });
      tx.record({ action: 'trainee.link-user', target: traineeTarget(trainee.id), tenant, before: { userId: null }, after: { userId: created.id, username } });
      return created;
    });
    return { user, initialPassword: password };
  }

  /**
   * The trainee's login, if one was opened: the institution that enrols the person shows it (and
   * resets its password, which the login page tells trainees to ask it for).
   */
  async traineeAccount(caller: AuthUser, traineeId: string): Promise<User | undefined> {
    const { trainee } = await this.writableTrainee(caller, traineeId);
    return trainee.userId ? this.users.findById(trainee.userId) : undefined;
  }

  /** A new random password for the trainee's login, handed over by its institution; all its sessions end. */
  async resetTraineePassword(caller: AuthUser, traineeId: string, now = new Date()): Promise<{ user: User; initialPassword: string }> {
    const { trainee } = await this.writableTrainee(caller, traineeId);
    if (!trainee.userId) throw identityError('TRAINEE_ACCOUNT_MISSING');
    return this.issuePassword(caller, trainee.userId, now, { tenant: traineeTenant(trainee), traineeId: trainee.id });
  }

  private async writableTrainee(caller: AuthUser, traineeId: string) {
    const scope = tenantScopeOf(caller);
    const trainee = await this.trainees.findById(scope, traineeId);
    if (!trainee) throw identityError('TRAINEE_NOT_FOUND');
    if (!mayWriteTraineesOf(scope, trainee.institutionId)) throw AppError.of('FORBIDDEN');
    return { scope, trainee };
  }

  /** Whose data a staff account is: its organisation's (none for administrators). */
  private async accountTenant(user: Pick<User, 'organisationId'>) {
    return organisationTenant(user.organisationId ? await this.organisations.findById(user.organisationId) : undefined);
  }

  /**
   * A new random password (hashed before the commit) and every session of the account ended, in
   * one commit with its record. `trainee` when the account is a trainee's: its tenant is the record's.
   */
  private async issuePassword(
    caller: AuthUser,
    userId: string,
    now: Date,
    trainee?: { tenant: AuditTenant; traineeId: string },
  ): Promise<{ user: User; initialPassword: string }> {
    const password = generatePassword();
    const passwordHash = await this.hasher.hash(password);
    const user = await this.trail.commit(auditActorOf(caller), async (tx) => {
      const updated = await this.users.setPassword(userId, passwordHash, true);
      if (!updated) throw AppError.of('NOT_FOUND');
      const sessionsRevoked = await this.sessions.revokeAllOfUser(updated.id, 'password-change', now);
      tx.record({
        action: 'user.password.reset',
        target: userTarget(updated.id),
        tenant: trainee?.tenant ?? (await this.accountTenant(updated)),
        after: { username: updated.username, role: updated.role, mustChangeAtLogin: true, sessionsRevoked, ...(trainee ? { traineeId: trainee.traineeId } : {}) },
      });
      return updated;
    });
    return { user, initialPassword: password };
  }

  /** A new random password the administrator hands over; it must be changed at first login. */
  async resetPassword(admin: AuthUser, userId: string, now = new Date()): Promise<{ user: User; initialPassword: string }> {
    if (userId === admin.id) throw AppError.of('FORBIDDEN', { reason: '请通过修改密码更改自己的密码' });
    return this.issuePassword(admin, userId, now);
  }

  /** Administrators cannot lock themselves out. */
  async setDisabled(admin: AuthUser, userId: string, disabled: boolean, now = new Date()): Promise<User> {
    if (userId === admin.id) throw AppError.of('FORBIDDEN', { reason: '不能停用自己的账号' });
    return this.trail.commit(auditActorOf(admin), async (tx) => {
      const user = await this.users.setDisabled(userId, disabled);
      if (!user) throw AppError.of('NOT_FOUND');
      const sessionsRevoked = disabled ? await this.sessions.revokeAllOfUser(user.id, 'disabled', now) : 0;
      tx.record({
        action: disabled ? 'user.disable' : 'user.enable',
        target: userTarget(user.id),
        tenant: await this.accountTenant(user),
        after: { username: user.username, role: user.role, disabled, sessionsRevoked },
      });
      return user;
    });
  }

  async createStaff(admin: AuthUser, cmd: CreateStaffCommand): Promise<CreatedStaff> {
    const username = normaliseUsername(cmd.username);
    const org = await this.organisations.findById(cmd.organisationId);
    if (!org || !STAFF_ORGANISATION_KINDS[cmd.role].includes(org.kind)) {
      throw identityError('USER_ORGANISATION_INVALID', {
        fields: [{ field: 'organisationId', reasons: [`角色 ${cmd.role} 须属于 ${STAFF_ORGANISATION_KINDS[cmd.role].join('/')} 类单位`] }],
      });
    }
    if (cmd.initialPassword !== undefined) assertStrongPassword('initialPassword', cmd.initialPassword, username);
    if (await this.users.exists(username)) throw identityError('USERNAME_TAKEN', { fields: [{ field: 'username', reasons: ['用户名已被使用'] }] });
    const password = cmd.initialPassword ?? generatePassword();
    const passwordHash = await this.hasher.hash(password);
    const user = await this.trail.commit(auditActorOf(admin), async (tx) => {
      const created = await this.users.create({
        username,
        displayName: cmd.displayName.trim(),
        role: cmd.role,
        organisationId: org.id,
        passwordHash,
        mustChangePassword: true,
        demo: false,
      });
      tx.record({ action: 'user.create', target: userTarget(created.id), tenant: organisationTenant(org), after: userSummary(created) });
      return created;
    });
    return { user, initialPassword: cmd.initialPassword === undefined ? password : undefined };
  }
}
