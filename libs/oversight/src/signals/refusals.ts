import type { StudySessionFact } from '../facts/facts';
import type { SignalSettings } from './settings';
import { clamp01, Signal } from './signal';
import { sessionSubject } from './subjects';

/**
 * Sessions with many refused heartbeats (挂课: hidden tab, seeking ahead, 2× speed, forged
 * timestamps). Facts: the session's refusal trail (code, seconds, time), summarised by code.
 */
export function refusalSignals(sessions: readonly StudySessionFact[], settings: Pick<SignalSettings, 'minRefusals'>): Signal[] {
  const out: Signal[] = [];
  for (const s of sessions) {
    if (s.refusals.length < settings.minRefusals) continue;
    const byCode = new Map<string, { n: number; seconds: number }>();
    for (const r of s.refusals) {
      const c = byCode.get(r.code) ?? { n: 0, seconds: 0 };
      c.n++;
      c.seconds += r.seconds;
      byCode.set(r.code, c);
    }
    const summary = [...byCode].sort((a, b) => b[1].n - a[1].n).map(([code, c]) => `${code}×${c.n}`);
    out.push({
      code: 'many-refusals',
      subject: sessionSubject(s),
      strength: clamp01(s.refusals.length / (settings.minRefusals * 4)),
      detail: `${s.refusals.length} 次心跳不予计时（${summary.join('，')}）`,
      facts: [...byCode].map(([code, c]) => ({ kind: 'study-refusal' as const, id: `${s.sessionId}:${code}`, note: `${c.n} 次，${Math.round(c.seconds)} 秒` })),
    });
  }
  return out;
}
