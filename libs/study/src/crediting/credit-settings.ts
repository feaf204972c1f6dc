import { studyError } from '../study.errors';

/** The crediting limits, as data: programs and deployments tune them without code changes. */
export interface CreditSettings {
  /** How often the player sends a heartbeat; the server expects roughly this cadence. */
  readonly heartbeatSeconds: number;
  /** Network and timer slack allowed on top of wall-clock time, once per session and per heartbeat gain. */
  readonly jitterSeconds: number;
  /** Playback faster than this credits nothing. */
  readonly maxPlaybackRate: number;
  /** How far past the furthest watched point a position may be before it counts as seeking ahead. */
  readonly seekToleranceSeconds: number;
}

export const DEFAULT_CREDIT_SETTINGS: CreditSettings = Object.freeze({
  heartbeatSeconds: 15,
  jitterSeconds: 2,
  maxPlaybackRate: 1.0,
  seekToleranceSeconds: 2,
});

const LIMITS: Record<keyof CreditSettings, [min: number, max: number]> = {
  heartbeatSeconds: [1, 300],
  jitterSeconds: [0, 30],
  maxPlaybackRate: [0.5, 4],
  seekToleranceSeconds: [0, 60],
};

/** Defaults overlaid with a partial override; an out-of-range value names itself in the error. */
export function creditSettings(overrides: Partial<CreditSettings> = {}): CreditSettings {
  const merged = { ...DEFAULT_CREDIT_SETTINGS, ...overrides };
  for (const key of Object.keys(LIMITS) as (keyof CreditSettings)[]) {
    const [min, max] = LIMITS[key];
    const value = merged[key];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
      throw studyError('CREDIT_SETTINGS_INVALID', { field: key, value, min, max });
    }
  }
  return Object.freeze(merged);
}
