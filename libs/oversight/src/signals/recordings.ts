import type { RecordingFact } from '../facts/facts';
import type { SignalSettings } from './settings';
import { clamp01, Signal, Subject } from './signal';

const recordingSubject = (r: RecordingFact): Subject => ({
  kind: 'trainee',
  id: r.owner.traineeId ?? `class-session:${r.classSessionId}`,
  owner: { ...r.owner, traineeId: r.owner.traineeId ?? '' },
  at: r.at,
});

/**
 * Recordings of offline class sessions (虚设培训班次): shorter than the timetable, showing far fewer
 * faces than signed in, or the same recording (SHA-256) for two class sessions. Facts: the
 * recording (duration, faces seen, hash) and the timetable. The facts come from issue 19
 * (recordings and their checks); until it exists no adapter feeds this signal (README: gaps).
 * Raised on the class session's subject as the recordings adapter gives it.
 */
export function recordingSignals(recordings: readonly RecordingFact[], settings: Pick<SignalSettings, 'recordingMinShare' | 'recordingMinFaceShare'>): Signal[] {
  const out: Signal[] = [];
  const byHash = new Map<string, RecordingFact[]>();
  for (const r of recordings) byHash.set(r.sha256, [...(byHash.get(r.sha256) ?? []), r]);
  for (const r of recordings) {
    const subject = recordingSubject(r);
    const fact = { kind: 'recording' as const, id: r.recordingId };
    const share = r.scheduledSeconds > 0 ? r.durationSeconds / r.scheduledSeconds : 1;
    if (share < settings.recordingMinShare) {
      out.push({ code: 'recording-short', subject, strength: clamp01(1 - share), detail: `录像 ${Math.round(r.durationSeconds / 60)} 分钟，课程表 ${Math.round(r.scheduledSeconds / 60)} 分钟`, facts: [fact, { kind: 'offline-session', id: r.classSessionId }] });
    }
    if (r.signedIn > 0 && r.maxFaces < r.signedIn * settings.recordingMinFaceShare) {
      out.push({ code: 'recording-few-faces', subject, strength: clamp01(1 - r.maxFaces / r.signedIn), detail: `录像中最多 ${r.maxFaces} 张人脸，签到 ${r.signedIn} 人`, facts: [fact] });
    }
    const twins = byHash.get(r.sha256)!.filter((o) => o.classSessionId !== r.classSessionId);
    if (twins.length > 0) {
      out.push({ code: 'recording-reused', subject, strength: 1, detail: `同一录像文件也用于另外 ${twins.length} 个课次`, facts: [fact, ...twins.map((o) => ({ kind: 'recording' as const, id: o.recordingId }))] });
    }
  }
  return out;
}
