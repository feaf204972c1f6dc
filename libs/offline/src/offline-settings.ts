import type { OfflineConfig } from '@app/platform';
import type { KioskWindows } from './rules/kiosk-rules';

export interface OfflineSettings extends KioskWindows {
  readonly maxCaptureBytes: number;
  /** A roster member's nearest rival must be at least this much further to be told apart (1:N). */
  readonly identifyMargin: number;
}

export const OfflineSettingsToken = Symbol('OfflineSettings');

export function offlineSettingsFrom(c: OfflineConfig): OfflineSettings {
  return {
    signInWindowMs: c.signInWindowMinutes * 60_000,
    signOutGraceMs: c.signOutGraceMinutes * 60_000,
    repeatGuardMs: c.repeatGuardSeconds * 1000,
    maxCaptureBytes: c.maxCaptureBytes,
    identifyMargin: 0.04,
  };
}
