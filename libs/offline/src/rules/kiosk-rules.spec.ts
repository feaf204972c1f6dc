import { identify, kioskStep } from './kiosk-rules';

const min = 60_000;
const start = Date.UTC(2025, 5, 2, 9, 0);
const session = { startsAt: start, endsAt: start + 120 * min };
const w = { signInWindowMs: 30 * min, repeatGuardMs: 2 * min, signOutGraceMs: 30 * min };

describe('kioskStep', () => {
  it('signs in inside the window around the start, both edges included', () => {
    expect(kioskStep(start - 30 * min, session, undefined, w)).toEqual({ kind: 'sign-in' });
    expect(kioskStep(start, session, undefined, w)).toEqual({ kind: 'sign-in' });
    expect(kioskStep(start + 30 * min, session, undefined, w)).toEqual({ kind: 'sign-in' });
  });

  it('refuses a sign-in before the window and after it', () => {
    expect(kioskStep(start - 31 * min, session, undefined, w)).toEqual({ kind: 'refuse', reason: 'too-early' });
    expect(kioskStep(start + 31 * min, session, undefined, w)).toEqual({ kind: 'refuse', reason: 'sign-in-closed' });
    expect(kioskStep(start + 31 * min, session, {}, w)).toEqual({ kind: 'refuse', reason: 'sign-in-closed' });
  });

  it('does not sign out someone still standing at the camera after signing in', () => {
    expect(kioskStep(start + min, session, { signInAt: start }, w)).toEqual({ kind: 'refuse', reason: 'just-signed-in' });
  });

  it('signs out on a later recognition, again later too (the later time stands)', () => {
    expect(kioskStep(start + 2 * min, session, { signInAt: start }, w)).toEqual({ kind: 'sign-out' });
    expect(kioskStep(start + 125 * min, session, { signInAt: start, signOutAt: start + 60 * min }, w)).toEqual({ kind: 'sign-out' });
  });

  it('takes nothing once the grace after the end has passed', () => {
    expect(kioskStep(start + 150 * min, session, { signInAt: start }, w)).toEqual({ kind: 'refuse', reason: 'session-over' });
    expect(kioskStep(start + 150 * min, session, undefined, w)).toEqual({ kind: 'refuse', reason: 'session-over' });
  });
});

describe('identify (1:N against the roster)', () => {
  it('matches the nearest member within the threshold', () => {
    expect(identify([{ traineeId: 'a', distance: 0.6 }, { traineeId: 'b', distance: 0.31 }, { traineeId: 'c', distance: 0.8 }], 0.54, 0.05)).toEqual({ kind: 'match', traineeId: 'b', distance: 0.31 });
  });

  it('matches at the threshold itself', () => {
    expect(identify([{ traineeId: 'a', distance: 0.54 }], 0.54, 0.05)).toMatchObject({ kind: 'match', traineeId: 'a' });
  });

  it('refuses when nobody is within the threshold, saying how close the nearest was', () => {
    expect(identify([{ traineeId: 'a', distance: 0.62 }], 0.54, 0.05)).toEqual({ kind: 'no-match', distance: 0.62 });
  });

  it('refuses an empty roster', () => {
    expect(identify([], 0.54, 0.05)).toEqual({ kind: 'no-match', distance: null });
  });

  it('refuses a near tie of two members within the threshold rather than guess', () => {
    expect(identify([{ traineeId: 'a', distance: 0.4 }, { traineeId: 'b', distance: 0.42 }], 0.54, 0.05)).toEqual({ kind: 'ambiguous', traineeIds: ['a', 'b'], distance: 0.4 });
  });

  it('matches when the runner-up is within the threshold but clearly further', () => {
    expect(identify([{ traineeId: 'a', distance: 0.3 }, { traineeId: 'b', distance: 0.5 }], 0.54, 0.05)).toMatchObject({ kind: 'match', traineeId: 'a' });
  });

  it('ignores a runner-up beyond the threshold however close', () => {
    expect(identify([{ traineeId: 'a', distance: 0.53 }, { traineeId: 'b', distance: 0.55 }], 0.54, 0.05)).toMatchObject({ kind: 'match', traineeId: 'a' });
  });
});
