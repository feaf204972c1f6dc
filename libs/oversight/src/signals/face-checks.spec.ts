import type { FaceCheckFact, StudySessionFact } from '../facts/facts';
import { faceCheckSignals } from './face-checks';

const owner = { traineeId: 't1', programId: 'p', institutionId: 'i', regionCode: '230702' };
const check = (id: string, outcome: string, distance: number | null, extra: Partial<FaceCheckFact> = {}): FaceCheckFact => ({ captureId: id, sessionId: 's1', at: 0, outcome, distance, threshold: 0.5, ...extra });
const session = (checks: FaceCheckFact[]): StudySessionFact => ({ sessionId: 's1', owner, startedAt: 0, endedAt: 1, status: 'ended', settledSeconds: 60, refusals: [], checks });
const settings = { borderlineMargin: 0.05, matchThreshold: 0.5 };

describe('faceCheckSignals', () => {
  it('raises nothing for clean passes well inside the threshold', () => {
    expect(faceCheckSignals([session([check('a', 'pass', 0.3), check('b', 'pass', 0.2)])], settings)).toEqual([]);
  });

  it('names each failed capture and the share failed', () => {
    const [s] = faceCheckSignals([session([check('a', 'pass', 0.3), check('b', 'mismatch', 0.7), check('c', 'no-face', null), check('d', 'replayed', null)])], settings);
    expect(s.code).toBe('face-failed');
    expect(s.strength).toBe(0.75);
    expect(s.facts.map((f) => f.id)).toEqual(['b', 'c', 'd']);
    expect(s.subject).toMatchObject({ kind: 'study-session', id: 's1' });
    expect(s.detail).toContain('4 次人脸核验中 3 次未通过');
  });

  it('finds passes within the margin of the threshold (the capture\'s own threshold first)', () => {
    const out = faceCheckSignals([session([check('a', 'pass', 0.46), check('b', 'pass', 0.44), check('c', 'pass', 0.58, { threshold: 0.6 }), check('d', 'pass', 0.47, { threshold: undefined })])], settings);
    expect(out).toHaveLength(1);
    expect(out[0].code).toBe('face-borderline');
    expect(out[0].facts.map((f) => f.id)).toEqual(['a', 'c', 'd']);
  });

  it('ignores bad frames and captures that did not count', () => {
    expect(faceCheckSignals([session([check('a', 'bad-frame', null), check('b', 'mismatch', 0.8, { refusedAs: 'CHECK_NOT_OUTSTANDING' })])], settings)).toEqual([]);
  });
});
