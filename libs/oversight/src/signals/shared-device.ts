import type { StudySessionFact } from '../facts/facts';
import type { SignalSettings } from './settings';
import { clamp01, Signal } from './signal';
import { sessionSubject } from './subjects';

/** What identifies a client: the console's device fingerprint when it sent one, else address + browser. */
export function deviceKeyOf(s: Pick<StudySessionFact, 'fingerprint' | 'clientAddress' | 'userAgent'>): string | undefined {
  if (s.fingerprint) return `device:${s.fingerprint}`;
  if (s.clientAddress && s.userAgent) return `client:${s.clientAddress}|${s.userAgent}`;
  return undefined;
}

/**
 * One device or network behind many trainees in a short time (a proxy-study room, 代学工作室).
 * Facts: each session's device fingerprint, or its client address with its user agent, and its
 * start. Sessions of one key are swept in start order; whenever the sessions that started within
 * `deviceWindowMinutes` of each other belong to at least `deviceMinTrainees` trainees, each of
 * them is flagged, naming the others.
 */
export function sharedDeviceSignals(sessions: readonly StudySessionFact[], settings: Pick<SignalSettings, 'deviceMinTrainees' | 'deviceWindowMinutes'>): Signal[] {
  const byKey = new Map<string, StudySessionFact[]>();
  for (const s of sessions) {
    const key = deviceKeyOf(s);
    if (key) byKey.set(key, [...(byKey.get(key) ?? []), s]);
  }
  const windowMs = settings.deviceWindowMinutes * 60_000;
  const flagged = new Map<string, { session: StudySessionFact; key: string; group: Set<string>; peers: Set<string> }>();
  for (const [key, list] of byKey) {
    list.sort((a, b) => a.startedAt - b.startedAt);
    let lo = 0;
    for (let hi = 0; hi < list.length; hi++) {
      while (list[hi].startedAt - list[lo].startedAt > windowMs) lo++;
      const window = list.slice(lo, hi + 1);
      const trainees = new Set(window.map((s) => s.owner.traineeId));
      if (trainees.size < settings.deviceMinTrainees) continue;
      for (const s of window) {
        const f = flagged.get(s.sessionId) ?? { session: s, key, group: trainees, peers: new Set<string>() };
        for (const p of window) if (p.sessionId !== s.sessionId) f.peers.add(p.sessionId);
        if (trainees.size > f.group.size) f.group = trainees;
        flagged.set(s.sessionId, f);
      }
    }
  }
  return [...flagged.values()].map(({ session, key, group, peers }) => ({
    code: 'shared-device' as const,
    subject: sessionSubject(session),
    strength: clamp01(group.size / (settings.deviceMinTrainees * 2)),
    detail: `${key.startsWith('device:') ? '同一设备' : '同一网络地址和浏览器'}在 ${settings.deviceWindowMinutes} 分钟内有 ${group.size} 名学员学习`,
    facts: [{ kind: 'study-session' as const, id: session.sessionId, note: key }, ...[...peers].sort().map((id) => ({ kind: 'study-session' as const, id }))],
  }));
}
