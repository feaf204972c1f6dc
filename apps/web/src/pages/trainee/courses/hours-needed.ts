/** Hours a trainee has, by kind (学时, one decimal). */
export interface HoursDone {
  total: number;
  offline: number;
  practical: number;
}

export interface HoursRequirement {
  minHours: number;
  offlineShare?: number;
  practicalShare?: number;
}

/** Tenths, rounded up: "还需 0.1 学时" rather than telling someone 0.04 short that they are done. */
const upToTenth = (hours: number) => Math.max(0, Math.ceil(Math.round(hours * 1000) / 100) / 10);

/**
 * What is still missing of the minimum: in all, and of the offline and practical shares of the
 * minimum (the documents set them as shares of the hours: 线下不少于 60%, 实操不少于 25%).
 */
export function hoursStillNeeded(target: HoursRequirement, done: HoursDone): HoursDone {
  return {
    total: upToTenth(target.minHours - done.total),
    offline: upToTenth((target.offlineShare ?? 0) * target.minHours - done.offline),
    practical: upToTenth((target.practicalShare ?? 0) * target.minHours - done.practical),
  };
}

/** ISO dates compare as strings; the deadline day itself still counts. */
export function isPastDeadline(deadline: string, today: string): boolean {
  return deadline < today;
}
