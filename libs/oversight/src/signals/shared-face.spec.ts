import { DESCRIPTOR_LENGTH } from '@app/face';
import type { ReferenceFact } from '../facts/facts';
import { sharedFaceSignals } from './shared-face';

/** A unit descriptor pointing along axis `a`, nudged by `eps` along axis `a+1`: same axis = same person. */
const face = (a: number, eps = 0) => {
  const d = new Array(DESCRIPTOR_LENGTH).fill(0);
  d[a] = 1;
  d[a + 1] = eps;
  return d;
};
const ref = (id: string, trainee: string, descriptor: number[], institutionId = 'i1', status = 'active'): ReferenceFact => ({
  referenceId: id,
  owner: { traineeId: trainee, programId: 'p', institutionId, regionCode: '230702' },
  descriptor,
  enrolledAt: 1000,
  status,
});

describe('sharedFaceSignals (1:N over references and captures)', () => {
  it('finds nothing among different people, nor between one trainee\'s own references', () => {
    expect(sharedFaceSignals([ref('r1', 'a', face(0)), ref('r2', 'a', face(0, 0.1)), ref('r3', 'b', face(10)), ref('r4', 'c', face(20))], [], 0.5)).toEqual([]);
  });

  it('groups three accounts with one face (transitively) and names the others on each', () => {
    const out = sharedFaceSignals([ref('r1', 'a', face(0)), ref('r2', 'b', face(0, 0.3)), ref('r3', 'c', face(0, 0.6), 'i2'), ref('r4', 'd', face(30))], [], 0.5);
    expect(out.map((s) => s.subject.id)).toEqual(['a', 'b', 'c']);
    const a = out[0];
    expect(a.code).toBe('shared-face');
    expect(a.subject.kind).toBe('trainee');
    expect(a.detail).toContain('另外 2 名学员（b、c）');
    expect(a.facts).toContainEqual({ kind: 'face-reference', id: 'r2', note: expect.stringContaining('学员 b') });
    expect(out[2].detail).toContain('涉及其他培训机构');
  });

  it('links a capture of one trainee to another trainee\'s reference', () => {
    const out = sharedFaceSignals(
      [ref('r1', 'a', face(0)), ref('r2', 'b', face(40))],
      [{ captureId: 'c9', kind: 'study-capture', owner: { traineeId: 'b', programId: 'p', institutionId: 'i1', regionCode: '230702' }, subjectId: 's', at: 5, descriptor: face(0, 0.05) }],
      0.5,
    );
    expect(out.map((s) => s.subject.id)).toEqual(['a', 'b']);
    expect(out[1].facts[0]).toEqual({ kind: 'study-capture', id: 'c9' });
  });

  it('skips retired and rejected references', () => {
    expect(sharedFaceSignals([ref('r1', 'a', face(0)), ref('r2', 'b', face(0), 'i1', 'retired')], [], 0.5)).toEqual([]);
  });
});
