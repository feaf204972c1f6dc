import type { AttendanceFact } from '../facts/facts';
import { manualAttendanceSignals } from './manual-attendance';

const att = (id: string, manual: AttendanceFact['manual']): AttendanceFact => ({
  attendanceId: id, classSessionId: 'cs', owner: { traineeId: 't', programId: 'p', institutionId: 'i', regionCode: '230702', classId: 'c' }, scheduled: { startsAt: 5, endsAt: 10 }, manual,
});

describe('manualAttendanceSignals', () => {
  it('flags only attendance entered by hand, with its reasons and who entered it', () => {
    const out = manualAttendanceSignals([att('a1', []), att('a2', [{ reason: '终端故障', by: 'u1', at: 7 }]), att('a3', [{ reason: '忘记签到', by: 'u1', at: 7 }, { reason: '忘记签退', by: 'u2', at: 9 }])]);
    expect(out.map((s) => [s.subject.id, s.strength])).toEqual([['a2', 0.5], ['a3', 1]]);
    expect(out[1].detail).toBe('考勤人工登记 2 次：忘记签到；忘记签退');
    expect(out[1].subject).toMatchObject({ kind: 'class-attendance', at: 5 });
    expect(out[1].facts[0].note).toBe('由 u1 登记；由 u2 登记');
  });
});
