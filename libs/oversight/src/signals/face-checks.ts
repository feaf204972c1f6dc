import type { StudySessionFact } from '../facts/facts';
import type { SignalSettings } from './settings';
import { clamp01, FactRef, Signal } from './signal';
import { sessionSubject } from './subjects';

const FAILED = new Set(['mismatch', 'no-face', 'several-faces', 'replayed']);

/**
 * Failed and borderline face checks of a session. Facts: the session's captures (outcome,
 * distance, threshold). A failure is a mismatch, no face, several faces or a replayed frame (a bad
 * frame is the camera's fault, a capture that arrived after its check closed did not count);
 * a borderline pass is a pass within `borderlineMargin` of the threshold — the same person on a
 * bad day, or someone who looks alike.
 */
export function faceCheckSignals(sessions: readonly StudySessionFact[], settings: Pick<SignalSettings, 'borderlineMargin' | 'matchThreshold'>): Signal[] {
  const out: Signal[] = [];
  for (const s of sessions) {
    const judged = s.checks.filter((c) => !c.refusedAs && c.outcome !== 'bad-frame');
    if (judged.length === 0) continue;
    const failed = judged.filter((c) => FAILED.has(c.outcome));
    const borderline = judged.filter((c) => {
      if (c.outcome !== 'pass' || c.distance === null) return false;
      const threshold = c.threshold ?? settings.matchThreshold;
      return c.distance >= threshold - settings.borderlineMargin && c.distance <= threshold;
    });
    const ref = (c: (typeof judged)[number]): FactRef => ({ kind: 'study-capture', id: c.captureId, note: c.distance === null ? c.outcome : `${c.outcome} ${c.distance.toFixed(3)}` });
    if (failed.length > 0) {
      out.push({
        code: 'face-failed',
        subject: sessionSubject(s),
        strength: clamp01(failed.length / judged.length),
        detail: `${judged.length} 次人脸核验中 ${failed.length} 次未通过（${[...new Set(failed.map((c) => c.outcome))].join('、')}）`,
        facts: failed.map(ref),
      });
    }
    if (borderline.length > 0) {
      const closest = Math.max(...borderline.map((c) => c.distance!));
      out.push({
        code: 'face-borderline',
        subject: sessionSubject(s),
        strength: clamp01(borderline.length / judged.length),
        detail: `${borderline.length} 次通过的核验比对距离接近阈值（最大 ${closest.toFixed(3)}）`,
        facts: borderline.map(ref),
      });
    }
  }
  return out;
}
