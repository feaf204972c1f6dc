import { DEFAULT_WEIGHTS } from '../signals/settings';
import type { Signal, Subject } from '../signals/signal';
import { scoreAll, scoreSubject } from './scoring';

const subject = (id: string, at = 0): Subject => ({ kind: 'study-session', id, owner: { traineeId: 't', programId: 'p', institutionId: 'i', regionCode: '230702' }, at });
const sig = (code: Signal['code'], strength: number, id = 's1'): Signal => ({ code, strength, subject: subject(id), detail: '', facts: [] });

describe('scoreSubject', () => {
  it('sums weight × strength, the strongest signal per code, and shows the formula', () => {
    const r = scoreSubject(subject('s1'), [sig('face-failed', 0.5), sig('face-failed', 0.75), sig('many-refusals', 0.4)], { ...DEFAULT_WEIGHTS, 'face-failed': 30, 'many-refusals': 15 });
    expect(r.score).toBe(28.5);
    expect(r.formula).toBe('30×人脸核验未通过(0.75) + 15×学习会话多次不予计时(0.4) = 28.5');
  });

  it('takes the weights from the settings', () => {
    expect(scoreSubject(subject('s1'), [sig('random-sample', 1)], { ...DEFAULT_WEIGHTS, 'random-sample': 7 }).score).toBe(7);
  });
});

describe('scoreAll', () => {
  it('groups by subject and ranks by score', () => {
    const out = scoreAll([sig('random-sample', 1, 'a'), sig('shared-face', 1, 'b'), sig('face-borderline', 0.5, 'a')], DEFAULT_WEIGHTS);
    expect(out.map((o) => [o.subject.id, o.score])).toEqual([['b', 50], ['a', 6]]);
  });
});
