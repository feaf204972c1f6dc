import type { ReferenceFact, StudySessionFact } from '../facts/facts';
import { referenceChangeSignals } from './reference-change';

const h = 3600_000;
const owner = { traineeId: 't', programId: 'p', institutionId: 'i', regionCode: '230702' };
const ref = (id: string, at: number): ReferenceFact => ({ referenceId: id, owner, descriptor: [], enrolledAt: at * h, status: 'active' });
const session = (passAt: number[]): StudySessionFact => ({
  sessionId: 's', owner, startedAt: 0, endedAt: 1, status: 'ended', settledSeconds: 1, refusals: [],
  checks: passAt.map((at, i) => ({ captureId: `c${i}`, sessionId: 's', at: at * h, outcome: 'pass', distance: 0.3 })),
});
const settings = { referenceChangeHours: 24, referenceChangeMinPasses: 3 };

describe('referenceChangeSignals', () => {
  it('ignores a first enrolment however many passes follow', () => {
    expect(referenceChangeSignals([ref('r1', 0)], [session([1, 2, 3, 4])], settings)).toEqual([]);
  });

  it('flags a new reference followed by a run of passes within the window', () => {
    const [s] = referenceChangeSignals([ref('r1', 0), ref('r2', 100)], [session([50, 101, 102, 110, 130])], settings);
    expect(s.code).toBe('reference-changed');
    expect(s.facts.map((f) => f.id)).toEqual(['r1', 'r2', 'c1', 'c2', 'c3']);
    expect(s.detail).toContain('连续 3 次');
  });

  it('does not flag a change with too few passes after it', () => {
    expect(referenceChangeSignals([ref('r1', 0), ref('r2', 100)], [session([101, 200, 300])], settings)).toEqual([]);
  });
});
