import type { AttendanceFact, StudySessionFact } from '../facts/facts';
import { impossibleTimeSignals } from './impossible-times';

const h = 3600_000;
const day0 = Date.UTC(2026, 11, 7, 0, 0); // 08:00 in China
const owner = (t: string) => ({ traineeId: t, programId: 'p', institutionId: 'i', regionCode: '230702' });
const session = (id: string, t: string, from: number, to: number, settled = Math.round((to - from) * 3600)): StudySessionFact => ({
  sessionId: id, owner: owner(t), startedAt: day0 + from * h, endedAt: day0 + to * h, status: 'ended', settledSeconds: settled, refusals: [], checks: [],
});
const attendance = (id: string, t: string, inAt?: number, outAt?: number): AttendanceFact => ({
  attendanceId: id, classSessionId: 'cs1', owner: owner(t), scheduled: { startsAt: day0 + 1 * h, endsAt: day0 + 3 * h },
  signInAt: inAt === undefined ? undefined : day0 + inAt * h, signOutAt: outAt === undefined ? undefined : day0 + outAt * h, manual: [],
});
const settings = { maxDailySeconds: 10 * 3600 };
const codes = (xs: { code: string; subject: { id: string } }[]) => xs.map((x) => `${x.code}:${x.subject.id}`).sort();

describe('impossibleTimeSignals', () => {
  it('raises nothing for back-to-back sessions and study after class', () => {
    expect(impossibleTimeSignals([session('s1', 'a', 0, 1), session('s2', 'a', 1, 2), session('s3', 'a', 3.5, 4)], [attendance('at1', 'a', 2, 3)], settings)).toEqual([]);
  });

  it('flags both of two overlapping sessions of one trainee, not of two trainees', () => {
    const out = impossibleTimeSignals([session('s1', 'a', 0, 2), session('s2', 'a', 1, 3), session('s3', 'b', 0, 2)], [], settings);
    expect(codes(out)).toEqual(['overlapping-sessions:s1', 'overlapping-sessions:s2']);
    expect(out[0].detail).toContain('60 分钟');
  });

  it('ignores overlaps that settled nothing', () => {
    expect(impossibleTimeSignals([session('s1', 'a', 0, 2), session('s2', 'a', 1, 3, 0)], [], settings)).toEqual([]);
  });

  it('flags online study while signed in at a class, up to the scheduled end without a sign-out', () => {
    const out = impossibleTimeSignals([session('s1', 'a', 1.5, 2), session('s2', 'a', 2.5, 2.9)], [attendance('at1', 'a', 1)], settings);
    expect(codes(out)).toEqual(['online-during-offline:s1', 'online-during-offline:s2']);
    expect(out[0].facts[0]).toMatchObject({ kind: 'offline-attendance', id: 'at1' });
  });

  it('flags a China day with more credited study than the setting, counting offline presence', () => {
    const out = impossibleTimeSignals([session('s1', 'a', 3, 12)], [attendance('at1', 'a', 1, 3)], settings);
    expect(codes(out)).toEqual(['daily-excess:a:2026-12-07']);
    expect(out[0].detail).toContain('11.0 小时');
    expect(out[0].facts.map((f) => f.id)).toEqual(['s1', 'at1']);
  });
});
