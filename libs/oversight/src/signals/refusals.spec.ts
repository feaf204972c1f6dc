import type { StudySessionFact } from '../facts/facts';
import { refusalSignals } from './refusals';

const session = (codes: string[]): StudySessionFact => ({
  sessionId: 's1', owner: { traineeId: 't', programId: 'p', institutionId: 'i', regionCode: '230702' }, startedAt: 0, endedAt: 1, status: 'ended', settledSeconds: 0,
  refusals: codes.map((code, i) => ({ code, seconds: 2, at: i })), checks: [],
});

describe('refusalSignals', () => {
  it('stays quiet below the setting', () => {
    expect(refusalSignals([session(['TAB_HIDDEN', 'SEEK_AHEAD'])], { minRefusals: 3 })).toEqual([]);
  });

  it('summarises the refusal trail by code, most frequent first', () => {
    const [s] = refusalSignals([session(['TAB_HIDDEN', 'RATE_TOO_HIGH', 'RATE_TOO_HIGH', 'SEEK_AHEAD', 'RATE_TOO_HIGH'])], { minRefusals: 3 });
    expect(s.code).toBe('many-refusals');
    expect(s.detail).toBe('5 次心跳不予计时（RATE_TOO_HIGH×3，TAB_HIDDEN×1，SEEK_AHEAD×1）');
    expect(s.facts).toContainEqual({ kind: 'study-refusal', id: 's1:RATE_TOO_HIGH', note: '3 次，6 秒' });
    expect(s.strength).toBeCloseTo(5 / 12);
  });
});
