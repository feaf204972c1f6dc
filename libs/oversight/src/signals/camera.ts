import type { CameraFact, LivenessFact } from '../facts/facts';
import { clamp01, Signal } from './signal';

/**
 * A camera whose label names a virtual camera (OBS, ManyCam and the like: a replayed feed). Facts:
 * the device label the console reported for the session. Fed by issue 24's camera reports; no
 * adapter until then (README: gaps).
 */
export function virtualCameraSignals(cameras: readonly CameraFact[], labels: readonly string[]): Signal[] {
  return cameras
    .filter((c) => labels.some((l) => c.label.toLowerCase().includes(l)))
    .map((c) => ({
      code: 'virtual-camera' as const,
      subject: { kind: 'study-session' as const, id: c.sessionId, owner: c.owner, at: c.at, sessionId: c.sessionId },
      strength: 1,
      detail: `摄像头名称“${c.label}”为虚拟摄像头`,
      facts: [{ kind: 'camera' as const, id: c.sessionId, note: c.label }],
    }));
}

/** Captures the liveness check (issue 24) judged not live. Facts: the verdicts. No adapter yet (README: gaps). */
export function livenessSignals(verdicts: readonly LivenessFact[]): Signal[] {
  const bySession = new Map<string, LivenessFact[]>();
  for (const v of verdicts) bySession.set(v.sessionId, [...(bySession.get(v.sessionId) ?? []), v]);
  const out: Signal[] = [];
  for (const [sessionId, list] of bySession) {
    const failed = list.filter((v) => !v.live);
    if (failed.length === 0) continue;
    out.push({
      code: 'liveness-failed',
      subject: { kind: 'study-session', id: sessionId, owner: list[0].owner, at: Math.min(...list.map((v) => v.at)), sessionId },
      strength: clamp01(failed.length / list.length),
      detail: `${list.length} 次活体检测中 ${failed.length} 次未通过`,
      facts: failed.map((v) => ({ kind: 'liveness' as const, id: v.captureId, note: v.score.toFixed(2) })),
    });
  }
  return out;
}
