import type { EvidenceConfig } from '@app/platform';

export type EvidenceSettings = EvidenceConfig;

export const EvidenceSettingsToken = Symbol('EvidenceSettings');

/** The defaults of the environment (libs/platform env.ts), for harnesses that build the classes by hand. */
export const DEFAULT_EVIDENCE_SETTINGS: EvidenceSettings = {
  retentionYears: 5,
  minCoverage: 0.95,
  maxGapSeconds: 120,
  minHeight: 480,
  minFps: 15,
  faceSampleSeconds: 10,
  minSeenRatio: 0.8,
  sweepMbPerSecond: 50,
  sweepIntervalHours: 24,
  maxRecordingBytes: 20 * 1024 ** 3,
};
