import type { OversightConfig } from '@app/platform';
import { DEFAULT_SIGNAL_SETTINGS, DEFAULT_WEIGHTS, SignalSettings } from './signals/settings';
import { SIGNAL_CODES, SignalCode } from './signals/signal';

export interface OversightSettings extends SignalSettings {
  readonly refreshEveryMs: number;
  readonly refreshWindowMs: number;
  /** A claim lapses after this long, so an item an auditor walked away from returns to the queue. */
  readonly claimMs: number;
}

export const OversightSettingsToken = Symbol('OversightSettings');

/** `face-failed=30,shared-face=60` over the defaults; an unknown code stops the start with its name. */
export function parseWeights(text: string): Record<SignalCode, number> {
  const weights = { ...DEFAULT_WEIGHTS };
  for (const pair of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [code, value] = pair.split('=');
    if (!(SIGNAL_CODES as readonly string[]).includes(code)) throw new RangeError(`OVERSIGHT_WEIGHTS: unknown signal code "${code}" (known: ${SIGNAL_CODES.join(', ')})`);
    weights[code as SignalCode] = Number(value);
  }
  return weights;
}

export function oversightSettingsFrom(c: OversightConfig, matchThreshold: number): OversightSettings {
  return {
    ...DEFAULT_SIGNAL_SETTINGS,
    matchThreshold,
    sampleRate: c.sampleRate,
    sampleSeed: c.sampleSeed,
    borderlineMargin: c.borderlineMargin,
    maxDailySeconds: c.maxDailyHours * 3600,
    deviceMinTrainees: c.deviceMinTrainees,
    deviceWindowMinutes: c.deviceWindowMinutes,
    minRefusals: c.minRefusals,
    weights: parseWeights(c.weights),
    refreshEveryMs: c.refreshMinutes * 60_000,
    refreshWindowMs: c.refreshWindowDays * 86_400_000,
    claimMs: c.claimMinutes * 60_000,
  };
}
