import type { ReferenceFact, StudySessionFact } from '../facts/facts';
import type { SignalSettings } from './settings';
import { clamp01, Signal } from './signal';
import { traineeSubject } from './subjects';

/**
 * A reference photo changed shortly before a run of passes: someone else's face enrolled as the
 * trainee's, so that the stand-in passes every check. Facts: the trainee's references (a later one
 * replacing an earlier one) and the passed checks within `referenceChangeHours` after the change.
 * A trainee's first enrolment is no change.
 */
export function referenceChangeSignals(references: readonly ReferenceFact[], sessions: readonly StudySessionFact[], settings: Pick<SignalSettings, 'referenceChangeHours' | 'referenceChangeMinPasses'>): Signal[] {
  const byTrainee = new Map<string, ReferenceFact[]>();
  for (const r of references) byTrainee.set(r.owner.traineeId, [...(byTrainee.get(r.owner.traineeId) ?? []), r]);
  const passes = new Map<string, { captureId: string; at: number }[]>();
  for (const s of sessions) {
    for (const c of s.checks) if (c.outcome === 'pass' && !c.refusedAs) passes.set(s.owner.traineeId, [...(passes.get(s.owner.traineeId) ?? []), { captureId: c.captureId, at: c.at }]);
  }
  const windowMs = settings.referenceChangeHours * 3600_000;
  const out: Signal[] = [];
  for (const [trainee, refs] of byTrainee) {
    refs.sort((a, b) => a.enrolledAt - b.enrolledAt);
    for (let i = 1; i < refs.length; i++) {
      const change = refs[i];
      const run = (passes.get(trainee) ?? []).filter((p) => p.at >= change.enrolledAt && p.at - change.enrolledAt <= windowMs);
      if (run.length < settings.referenceChangeMinPasses) continue;
      out.push({
        code: 'reference-changed',
        subject: traineeSubject(change.owner, change.enrolledAt),
        strength: clamp01(run.length / (settings.referenceChangeMinPasses * 2)),
        detail: `更换底库照片后 ${settings.referenceChangeHours} 小时内连续 ${run.length} 次通过人脸核验`,
        facts: [
          { kind: 'face-reference', id: refs[i - 1].referenceId, note: '原底库照片' },
          { kind: 'face-reference', id: change.referenceId, note: '新底库照片' },
          ...run.map((p) => ({ kind: 'study-capture' as const, id: p.captureId })),
        ],
      });
    }
  }
  return out;
}
