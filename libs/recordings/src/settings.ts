import type { EvidenceSettings } from '@app/evidence';
import type { CheckSettings } from './rules/recording-checks';

export const checkSettingsOf = (s: EvidenceSettings): CheckSettings => ({ minCoverage: s.minCoverage, maxGapSeconds: s.maxGapSeconds, minHeight: s.minHeight, minFps: s.minFps });
