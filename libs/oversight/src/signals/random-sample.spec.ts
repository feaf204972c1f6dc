import type { Subject } from './signal';
import { drawOf, randomSampleSignals } from './random-sample';

const subjects: Subject[] = Array.from({ length: 4000 }, (_, i) => ({ kind: 'study-session', id: `s${i}`, owner: { traineeId: 't', programId: 'p', institutionId: 'i', regionCode: '230702' }, at: i }));

describe('randomSampleSignals', () => {
  it('draws close to the rate', () => {
    const n = randomSampleSignals(subjects, 0.05, 'seed').length;
    expect(n).toBeGreaterThan(150);
    expect(n).toBeLessThan(250);
  });

  it('draws the same subjects every time with one seed, others with another', () => {
    const a = randomSampleSignals(subjects, 0.05, 'seed').map((s) => s.subject.id);
    expect(randomSampleSignals(subjects, 0.05, 'seed').map((s) => s.subject.id)).toEqual(a);
    expect(randomSampleSignals(subjects, 0.05, 'other').map((s) => s.subject.id)).not.toEqual(a);
  });

  it('draws nothing at rate 0 and everything at rate 1', () => {
    expect(randomSampleSignals(subjects, 0, 'seed')).toEqual([]);
    expect(randomSampleSignals(subjects, 1, 'seed')).toHaveLength(subjects.length);
  });

  it('keeps the draw in [0, 1)', () => {
    for (const s of subjects.slice(0, 100)) {
      const d = drawOf('x', s);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThan(1);
    }
  });
});
