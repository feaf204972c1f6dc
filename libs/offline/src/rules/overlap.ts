/** A half-open span of time [startsAt, endsAt) in epoch milliseconds. */
export interface Span {
  readonly startsAt: number;
  readonly endsAt: number;
}

/** Back-to-back sessions (one ends as the next starts) do not overlap: spans are half-open. */
export function overlaps(a: Span, b: Span): boolean {
  return a.startsAt < b.endsAt && b.startsAt < a.endsAt;
}

/** Seconds two spans share (whole seconds, rounded down). */
export function overlapSeconds(a: Span, b: Span): number {
  const ms = Math.min(a.endsAt, b.endsAt) - Math.max(a.startsAt, b.startsAt);
  return ms > 0 ? Math.floor(ms / 1000) : 0;
}

export interface Booking extends Span {
  readonly id: string;
}

/** The bookings of `others` that overlap `candidate`, except the candidate itself (an edit is not its own conflict). */
export function clashes<T extends Booking>(candidate: Booking, others: readonly T[]): T[] {
  return others.filter((o) => o.id !== candidate.id && overlaps(candidate, o));
}

/** A span that is a real session: it ends after it starts, and on the day it starts (a 课次 is not an overnight block). */
export function spanProblem(s: Span, maxHours = 12): string | undefined {
  if (!Number.isFinite(s.startsAt) || !Number.isFinite(s.endsAt)) return '开始或结束时间不合法';
  if (s.endsAt <= s.startsAt) return '结束时间须晚于开始时间';
  if (s.endsAt - s.startsAt > maxHours * 3600_000) return `单个课次不能超过 ${maxHours} 小时`;
  return undefined;
}

/** A stored session (Date fields) as a booking. */
export function bookingOf(s: { readonly id: string; readonly startsAt: Date; readonly endsAt: Date }): Booking {
  return { id: s.id, startsAt: s.startsAt.getTime(), endsAt: s.endsAt.getTime() };
}
