/** Class dates are calendar days in China (UTC+8, no daylight saving): the date a session starts on there. */
export function chinaDateOf(at: Date | number): string {
  return new Date(new Date(at).getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}
