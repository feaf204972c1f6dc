import { attendedSeconds, ledgerSourceOf, SESSION_KINDS } from './attendance';

const t = (m: number) => Date.UTC(2025, 5, 2, 9, 0) + m * 60_000;
const session = { startsAt: t(0), endsAt: t(120) };

describe('attendedSeconds = overlap of presence with the scheduled time', () => {
  it('counts the whole session for someone there throughout (early arrival and late leave do not add)', () => {
    expect(attendedSeconds(session, { signInAt: t(-15), signOutAt: t(130) })).toBe(7200);
  });

  it('counts from a late arrival and until an early leave', () => {
    expect(attendedSeconds(session, { signInAt: t(10), signOutAt: t(100) })).toBe(90 * 60);
  });

  it('counts nothing without a sign-out, without a sign-in, or outside the session', () => {
    expect(attendedSeconds(session, { signInAt: t(0) })).toBe(0);
    expect(attendedSeconds(session, { signOutAt: t(120) })).toBe(0);
    expect(attendedSeconds(session, {})).toBe(0);
    expect(attendedSeconds(session, { signInAt: t(130), signOutAt: t(140) })).toBe(0);
    expect(attendedSeconds(session, { signInAt: t(-30), signOutAt: t(-5) })).toBe(0);
  });

  it('rounds partial seconds down', () => {
    expect(attendedSeconds(session, { signInAt: t(0) + 400, signOutAt: t(0) + 2_399 })).toBe(1);
  });
});

describe('ledgerSourceOf', () => {
  it('sends practical sessions to practical and the others to offline', () => {
    expect(SESSION_KINDS.map((k) => [k, ledgerSourceOf(k)])).toEqual([
      ['theory', 'offline'],
      ['practical', 'practical'],
      ['discussion', 'offline'],
    ]);
  });
});
