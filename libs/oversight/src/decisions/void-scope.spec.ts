import type { LedgerEntry } from '@app/ledger';
import type { Subject } from '../signals/signal';
import { affectedCredits, scopeFor, voidKey } from './void-scope';

let n = 0;
const entry = (over: Partial<LedgerEntry>): LedgerEntry => ({
  id: `e${++n}`, idempotencyKey: `k${n}`, traineeId: 't1', programId: 'p', institutionId: 'i1', regionCode: '230702', source: 'online', kind: 'credit',
  seconds: 100, sessionId: 's1', evidence: [], by: 'system', occurredAt: new Date(Date.UTC(2026, 11, 7, 2)), createdAt: new Date(), ...over,
});
const owner = { traineeId: 't1', programId: 'p', institutionId: 'i1', regionCode: '230702' };

describe('scopeFor', () => {
  const session: Subject = { kind: 'study-session', id: 's1', owner, at: Date.UTC(2026, 11, 6, 17), sessionId: 's1' };
  it('derives each scope from the subject, the day in China time', () => {
    expect(scopeFor(session, 'session')).toEqual({ kind: 'session', traineeId: 't1', sessionId: 's1' });
    expect(scopeFor(session, 'day')).toEqual({ kind: 'day', traineeId: 't1', day: '2026-12-07' });
    expect(scopeFor(session, 'institution-credit')).toEqual({ kind: 'institution-credit', traineeId: 't1', institutionId: 'i1' });
    expect(scopeFor(session, 'class-session')).toBeUndefined();
    expect(scopeFor({ kind: 'trainee-day', id: 't1:2026-12-01', owner, at: 0 }, 'day')).toEqual({ kind: 'day', traineeId: 't1', day: '2026-12-01' });
    expect(scopeFor({ kind: 'trainee', id: 't1', owner, at: 0 }, 'day')).toBeUndefined();
    expect(scopeFor({ kind: 'class-attendance', id: 'a1', owner, at: 0, sessionId: 'cs1' }, 'class-session')).toEqual({ kind: 'class-session', traineeId: 't1', sessionId: 'cs1' });
  });

  it('keys a void by its scope', () => {
    expect(voidKey({ kind: 'session', traineeId: 't1', sessionId: 's1' })).toBe('session:t1:s1');
    expect(voidKey({ kind: 'day', traineeId: 't1', day: '2026-12-07' })).toBe('day:t1:2026-12-07');
  });
});

describe('affectedCredits', () => {
  const a = entry({});
  const b = entry({ sessionId: 's2' });
  const c = entry({ source: 'offline', sessionId: 'cs1' });
  const d = entry({ institutionId: 'i2', sessionId: 's3', occurredAt: new Date(Date.UTC(2026, 11, 8, 2)) });
  const other = entry({ traineeId: 't2' });
  const compOfB = entry({ kind: 'compensation', seconds: -100, compensates: b.id, sessionId: 's2' });
  const all = [a, b, c, d, other, compOfB];

  it('takes exactly the scope\'s credits not compensated yet, of that trainee only', () => {
    expect(affectedCredits(all, { kind: 'session', traineeId: 't1', sessionId: 's1' }).map((e) => e.id)).toEqual([a.id]);
    expect(affectedCredits(all, { kind: 'session', traineeId: 't1', sessionId: 's2' })).toEqual([]);
    expect(affectedCredits(all, { kind: 'class-session', traineeId: 't1', sessionId: 'cs1' }).map((e) => e.id)).toEqual([c.id]);
    expect(affectedCredits(all, { kind: 'day', traineeId: 't1', day: '2026-12-07' }).map((e) => e.id)).toEqual([a.id, c.id]);
    expect(affectedCredits(all, { kind: 'institution-credit', traineeId: 't1', institutionId: 'i1' }).map((e) => e.id)).toEqual([a.id, c.id]);
  });

  it('does not mistake a class session for an online session with the same id', () => {
    expect(affectedCredits(all, { kind: 'session', traineeId: 't1', sessionId: 'cs1' })).toEqual([]);
  });
});
