import { AuthRevocations } from './auth-revocations';

describe('AuthRevocations', () => {
  const r = () => new AuthRevocations({ socket: { recheckSeconds: 60 } });

  it('answers by user and by login session, from the given time on', () => {
    const rev = r();
    rev.userChanged('u1', 1000);
    rev.sessionRevoked('s9', 5000);
    expect(rev.changedSince('u1', 's1', 1000)).toBe(true);
    expect(rev.changedSince('u1', 's1', 1001)).toBe(false);
    expect(rev.changedSince('u2', 's9', 5000)).toBe(true);
    expect(rev.changedSince('u2', 's9', 5001)).toBe(false);
    expect(rev.changedSince('u2', 's2', 0)).toBe(false);
  });

  it('keeps the latest change of a key', () => {
    const rev = r();
    rev.userChanged('u1', 1000);
    rev.userChanged('u1', 9000);
    expect(rev.changedSince('u1', 's1', 8000)).toBe(true);
  });

  it('forgets changes older than the recheck window once it holds many, and keeps the recent ones', () => {
    const rev = r();
    for (let i = 0; i < 10_000; i++) rev.sessionRevoked(`old${i}`, 0);
    rev.sessionRevoked('recent', 100_000);
    rev.sessionRevoked('newest', 130_000);
    expect(rev.changedSince('u', 'old0', 0)).toBe(false);
    expect(rev.changedSince('u', 'old9999', 0)).toBe(false);
    expect(rev.changedSince('u', 'recent', 100_000)).toBe(true);
    expect(rev.changedSince('u', 'newest', 130_000)).toBe(true);
  });
});
