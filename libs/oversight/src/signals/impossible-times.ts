import type { AttendanceFact, StudySessionFact } from '../facts/facts';
import type { SignalSettings } from './settings';
import { chinaDay, clamp01, Signal } from './signal';
import { sessionSubject, traineeDaySubject } from './subjects';

const overlapMs = (a0: number, a1: number, b0: number, b1: number) => Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));
const minutes = (ms: number) => Math.round(ms / 60_000);

/**
 * Times no one person can have studied (虚增培训时长):
 * - two online sessions of one trainee that overlap (the one-device lock ends the older one, so
 *   an overlap means forged or replayed traffic, or two logins) — facts: both sessions;
 * - online study while the trainee was signed in at an offline class session (from sign-in to
 *   sign-out, or to the scheduled end without a sign-out) — facts: the session and the attendance;
 * - more settled online seconds plus scheduled offline presence in one China day than
 *   `maxDailySeconds` — facts: the day's sessions and attendance.
 * Only sessions that settled credit count: an overlap that earned nothing cost nothing.
 */
export function impossibleTimeSignals(sessions: readonly StudySessionFact[], attendance: readonly AttendanceFact[], settings: Pick<SignalSettings, 'maxDailySeconds'>): Signal[] {
  const out: Signal[] = [];
  const credited = sessions.filter((s) => s.settledSeconds > 0);
  const byTrainee = new Map<string, StudySessionFact[]>();
  for (const s of credited) byTrainee.set(s.owner.traineeId, [...(byTrainee.get(s.owner.traineeId) ?? []), s]);

  for (const list of byTrainee.values()) {
    list.sort((a, b) => a.startedAt - b.startedAt);
    for (let i = 0; i < list.length; i++) {
      const overlapping = list.filter((o, j) => j !== i && overlapMs(list[i].startedAt, list[i].endedAt, o.startedAt, o.endedAt) > 0);
      if (overlapping.length === 0) continue;
      const worst = Math.max(...overlapping.map((o) => overlapMs(list[i].startedAt, list[i].endedAt, o.startedAt, o.endedAt)));
      out.push({
        code: 'overlapping-sessions',
        subject: sessionSubject(list[i]),
        strength: clamp01(worst / Math.max(1, list[i].endedAt - list[i].startedAt)),
        detail: `与本人另外 ${overlapping.length} 个在线学习会话时间重叠（最长 ${minutes(worst)} 分钟）`,
        facts: overlapping.map((o) => ({ kind: 'study-session' as const, id: o.sessionId })),
      });
    }
  }

  for (const a of attendance) {
    if (a.signInAt === undefined) continue;
    const until = a.signOutAt ?? a.scheduled.endsAt;
    for (const s of byTrainee.get(a.owner.traineeId) ?? []) {
      const both = overlapMs(a.signInAt, until, s.startedAt, s.endedAt);
      if (both <= 0) continue;
      out.push({
        code: 'online-during-offline',
        subject: sessionSubject(s),
        strength: clamp01(both / Math.max(1, s.endedAt - s.startedAt)),
        detail: `在线学习期间本人正在线下课次签到（重叠 ${minutes(both)} 分钟）`,
        facts: [
          { kind: 'offline-attendance', id: a.attendanceId, note: `课次 ${a.classSessionId}` },
          { kind: 'study-session', id: s.sessionId },
        ],
      });
    }
  }

  const days = new Map<string, { seconds: number; facts: Signal['facts'][number][]; owner: StudySessionFact['owner']; at: number }>();
  const dayOf = (owner: StudySessionFact['owner'], at: number) => {
    const key = `${owner.traineeId}:${chinaDay(at)}`;
    const d = days.get(key) ?? { seconds: 0, facts: [], owner, at };
    days.set(key, d);
    return d;
  };
  for (const s of credited) {
    const d = dayOf(s.owner, s.startedAt);
    d.seconds += s.settledSeconds;
    d.facts.push({ kind: 'study-session', id: s.sessionId, note: `${s.settledSeconds} 秒` });
  }
  for (const a of attendance) {
    if (a.signInAt === undefined || a.signOutAt === undefined) continue;
    const seconds = Math.floor(overlapMs(a.signInAt, a.signOutAt, a.scheduled.startsAt, a.scheduled.endsAt) / 1000);
    if (seconds <= 0) continue;
    const d = dayOf(a.owner, a.scheduled.startsAt);
    d.seconds += seconds;
    d.facts.push({ kind: 'offline-attendance', id: a.attendanceId, note: `${seconds} 秒` });
  }
  for (const [key, d] of days) {
    if (d.seconds <= settings.maxDailySeconds) continue;
    const day = key.slice(key.indexOf(':') + 1);
    out.push({
      code: 'daily-excess',
      subject: traineeDaySubject(d.owner, day, d.at),
      strength: clamp01(d.seconds / settings.maxDailySeconds - 1 + 0.5),
      detail: `${day} 一天计入 ${(d.seconds / 3600).toFixed(1)} 小时，超过上限 ${(settings.maxDailySeconds / 3600).toFixed(1)} 小时`,
      facts: d.facts,
    });
  }
  return out;
}
