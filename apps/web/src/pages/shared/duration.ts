/** A video length or credited time as 「12分05秒」/「1小时05分」; '—' when unknown. */
export function formatDuration(seconds?: number | null): string {
  if (seconds === undefined || seconds === null || !Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.round(seconds));
  const m = Math.floor(s / 60);
  return m >= 60 ? `${Math.floor(m / 60)}小时${String(m % 60).padStart(2, '0')}分` : `${m}分${String(s % 60).padStart(2, '0')}秒`;
}

/** Whole percent for a progress bar: floored (100 only when really complete), capped, 0 for an empty whole. */
export function percentOf(part: number, whole: number): number {
  return whole > 0 ? Math.min(100, Math.floor((part / whole) * 100)) : 0;
}

/**
 * A lesson's length as the platform credits it: every started second counts (the server's
 * lessonSeconds), so a 10.03 s video is 「0分11秒」 here as in the credit panel, never 「0分10秒」.
 */
export function formatLessonLength(durationSeconds?: number | null): string {
  return formatDuration(durationSeconds === undefined || durationSeconds === null ? durationSeconds : Math.ceil(durationSeconds));
}
