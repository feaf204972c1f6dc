import { activeSession, AuditActor, AuditEntry, AuditTenant, AuditTrail, AuditTx } from '@app/audit';
import type { Connection } from 'mongoose';
import type { AuthUser } from '../auth/auth-user';
import type { Organisation } from '../organisations/organisation.entity';
import { maskPhone } from '../pii/mask';
import type { Trainee } from '../trainees/trainee.entity';
import type { User } from '../users/user.entity';

/** The seeders write demo data as the platform itself. */
export const SEED_ACTOR: AuditActor = { kind: 'system', reason: '演示数据 demo seed' };

/**
 * Who acts when a login fails before anyone is authenticated: nobody the platform knows. The
 * record's requestId and ip (from the request context) say where the attempt came from; the
 * target says which account name it was aimed at.
 */
export const UNAUTHENTICATED_ACTOR: AuditActor = { kind: 'system', reason: '未通过认证的登录请求 (unauthenticated login attempt)' };

/** Whose data an organisation (or an account of it) is: the institution itself when it is one, and its region. */
export function organisationTenant(org: Pick<Organisation, 'id' | 'kind' | 'regionCode'> | undefined): AuditTenant {
  if (!org) return {};
  return org.kind === 'institution' ? { institutionId: org.id, regionCode: org.regionCode } : { regionCode: org.regionCode };
}

/** The caller's own account as a tenant (their login, logout, password): as their token names it. */
export function callerTenant(user: AuthUser): AuditTenant {
  if (!user.organisationId) return {};
  return user.role === 'institution' ? { institutionId: user.organisationId, regionCode: user.regionCode } : { regionCode: user.regionCode };
}

export const userTarget = (id: string) => ({ type: 'user', id });
export const traineeTarget = (id: string) => ({ type: 'trainee', id });

/** What an account is, for a record: never its password hash or tokens. */
export function userSummary(u: Pick<User, 'username' | 'displayName' | 'role' | 'organisationId' | 'mustChangePassword' | 'disabled'>): object {
  return { username: u.username, displayName: u.displayName, role: u.role, organisationId: u.organisationId, mustChangeAtLogin: u.mustChangePassword, disabled: u.disabled };
}

/** The fields of a trainee record a change is described by; the ID number is masked by toSummary, the phone here. */
export function traineeSummary(t: Partial<Omit<Trainee, 'id'>>): object {
  return {
    programId: t.programId,
    name: t.name,
    idNumber: t.idNumber,
    phone: t.phone === undefined ? undefined : maskPhone(t.phone),
    enterpriseId: t.enterpriseId,
    enterpriseRegionCode: t.enterpriseRegionCode,
    institutionId: t.institutionId,
    category: t.category,
    post: t.post,
    status: t.status,
    userId: t.userId,
  };
}

/** Thrown inside a commit whose work found nothing to change: the (empty) transaction is dropped. */
class NothingChanged<T> extends Error {
  constructor(readonly result: T) {
    super('nothing changed');
  }
}

/**
 * {@link AuditTrail.commit} for a use case that may turn out to change nothing (an idempotent
 * grant, an unchanged roster row, a seed that exists): when the work records nothing, nothing was
 * written either, and the transaction is aborted instead of committed — no record, no change.
 */
export async function commitIfChanged<T>(trail: AuditTrail, actor: AuditActor, work: (tx: AuditTx) => Promise<T>): Promise<T> {
  try {
    return await trail.commit(actor, async (tx) => {
      let recorded = 0;
      const counted: AuditTx = {
        session: tx.session,
        record: (e: AuditEntry) => {
          tx.record(e);
          recorded++;
        },
      };
      const result = await work(counted);
      if (recorded === 0) throw new NothingChanged(result);
      return result;
    });
  } catch (e) {
    if (e instanceof NothingChanged) return e.result as T;
    throw e;
  }
}

/**
 * Runs `fn` now and, when called inside an audit commit, again once its transaction has ended: an
 * in-memory note of a change (the revocation cache) must not be read before the change it notes
 * is visible, so it is made again after the commit (or the abort, where it is merely redundant).
 */
export function nowAndAfterTransaction(connection: Connection, fn: () => void): void {
  fn();
  activeSession(connection)?.once('ended', () => fn());
}

/** An account acting before it holds a token (its login, its refresh): as auditActorOf would name it. */
export function accountActor(user: Pick<User, 'id' | 'role'>, org: Pick<Organisation, 'id' | 'regionCode'> | undefined): AuditActor {
  return { kind: 'user', id: user.id, role: user.role, organisationId: org?.id, regionCode: org?.regionCode };
}
