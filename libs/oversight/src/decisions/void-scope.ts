import type { LedgerEntry } from '@app/ledger';
import { chinaDay, Subject } from '../signals/signal';

/** What a void takes away: a study session, a day, a class session, or all of a trainee's credit at one institution. */
export const VOID_SCOPE_KINDS = ['session', 'day', 'class-session', 'institution-credit'] as const;
export type VoidScopeKind = (typeof VOID_SCOPE_KINDS)[number];

export const VOID_SCOPE_NAMES: Record<VoidScopeKind, string> = {
  session: '本次在线学习会话',
  day: '当日全部学时',
  'class-session': '本课次线下学时',
  'institution-credit': '该学员在本培训机构的全部学时',
};

export type VoidScope =
  | { readonly kind: 'session'; readonly traineeId: string; readonly sessionId: string }
  | { readonly kind: 'class-session'; readonly traineeId: string; readonly sessionId: string }
  | { readonly kind: 'day'; readonly traineeId: string; readonly day: string }
  | { readonly kind: 'institution-credit'; readonly traineeId: string; readonly institutionId: string };

/** The scope an auditor asked for, made from the item's subject; undefined when the subject has no such part. */
export function scopeFor(subject: Subject, kind: VoidScopeKind): VoidScope | undefined {
  const traineeId = subject.owner.traineeId;
  if (!traineeId) return undefined;
  switch (kind) {
    case 'session':
      return subject.kind === 'study-session' && subject.sessionId ? { kind, traineeId, sessionId: subject.sessionId } : undefined;
    case 'class-session':
      return subject.kind === 'class-attendance' && subject.sessionId ? { kind, traineeId, sessionId: subject.sessionId } : undefined;
    case 'day':
      return subject.kind === 'trainee' ? undefined : { kind, traineeId, day: subject.kind === 'trainee-day' ? subject.id.slice(subject.id.indexOf(':') + 1) : chinaDay(subject.at) };
    case 'institution-credit':
      return { kind, traineeId, institutionId: subject.owner.institutionId };
  }
}

/** One void per scope: a repeated void of the same scope is the same void. */
export function voidKey(scope: VoidScope): string {
  switch (scope.kind) {
    case 'session':
    case 'class-session':
      return `${scope.kind}:${scope.traineeId}:${scope.sessionId}`;
    case 'day':
      return `day:${scope.traineeId}:${scope.day}`;
    case 'institution-credit':
      return `institution-credit:${scope.traineeId}:${scope.institutionId}`;
  }
}

function inScope(e: LedgerEntry, scope: VoidScope): boolean {
  if (e.traineeId !== scope.traineeId) return false;
  switch (scope.kind) {
    case 'session':
      return e.source === 'online' && e.sessionId === scope.sessionId;
    case 'class-session':
      return e.source !== 'online' && e.sessionId === scope.sessionId;
    case 'day':
      return chinaDay(e.occurredAt.getTime()) === scope.day;
    case 'institution-credit':
      return e.institutionId === scope.institutionId;
  }
}

/**
 * Exactly the credits a void compensates: the scope's credit entries not compensated already (by
 * an earlier void of an overlapping scope, or a restoration's history). Compensations are never
 * voided themselves, so a second void of an overlapping scope takes only what is left.
 */
export function affectedCredits(entries: readonly LedgerEntry[], scope: VoidScope): LedgerEntry[] {
  const compensated = new Set(entries.filter((e) => e.kind === 'compensation' && e.compensates).map((e) => e.compensates!));
  return entries.filter((e) => e.kind === 'credit' && e.seconds > 0 && !compensated.has(e.id) && inScope(e, scope));
}
