import { ledgerError } from './ledger.errors';

/**
 * Seconds → 学时 with the program's minutes per hour (45 by convention). Rounded down: a ledger
 * must never report more hours than were earned, and rounding up would let 0.05 学时 become 0.1.
 */
export function secondsToStudyHours(seconds: number, minutesPerHour: number, decimals = 1): number {
  if (!Number.isSafeInteger(minutesPerHour) || minutesPerHour < 1 || minutesPerHour > 120) {
    throw ledgerError('MINUTES_PER_HOUR_INVALID', { minutesPerHour });
  }
  if (!Number.isSafeInteger(decimals) || decimals < 0 || decimals > 4) throw new RangeError('decimals must be 0–4');
  const scale = 10 ** decimals;
  // Integer arithmetic, so 2700 s at 45 min/h is exactly 1 and not 0.9999….
  const units = Math.floor((Math.trunc(seconds) * scale) / (minutesPerHour * 60));
  return units / scale;
}
