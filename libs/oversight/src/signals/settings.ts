import type { SignalCode } from './signal';

/** Thresholds of the signals and the queue's weights: deployment settings (OVERSIGHT_* in the environment). */
export interface SignalSettings {
  /** A pass whose distance is within this of the engine's threshold is borderline. */
  readonly borderlineMargin: number;
  /** Engine threshold when a capture does not record one. */
  readonly matchThreshold: number;
  /** Sessions from one device or network with at least this many trainees … */
  readonly deviceMinTrainees: number;
  /** … starting within this window. */
  readonly deviceWindowMinutes: number;
  /** More credited study than this in one day is impossible (e.g. 10 h). */
  readonly maxDailySeconds: number;
  /** Sessions with at least this many refused heartbeats. */
  readonly minRefusals: number;
  /** A reference enrolled within this many hours before … */
  readonly referenceChangeHours: number;
  /** … at least this many passed checks. */
  readonly referenceChangeMinPasses: number;
  /** Share of the timetable a recording must cover. */
  readonly recordingMinShare: number;
  /** Share of signed-in trainees the recording must show at once. */
  readonly recordingMinFaceShare: number;
  /** Share of ordinary subjects drawn at random (0–1). */
  readonly sampleRate: number;
  /** Salt of the random draw: a subject is drawn or not for good, refresh after refresh. */
  readonly sampleSeed: string;
  /** Label fragments of virtual cameras (lower case). */
  readonly virtualCameraLabels: readonly string[];
  readonly weights: Readonly<Record<SignalCode, number>>;
}

export const DEFAULT_WEIGHTS: Readonly<Record<SignalCode, number>> = {
  'face-failed': 30,
  'face-borderline': 10,
  'shared-face': 50,
  'shared-device': 40,
  'overlapping-sessions': 40,
  'online-during-offline': 45,
  'daily-excess': 35,
  'many-refusals': 15,
  'manual-attendance': 20,
  'reference-changed': 25,
  'recording-short': 35,
  'recording-few-faces': 35,
  'recording-reused': 50,
  'virtual-camera': 50,
  'liveness-failed': 40,
  'random-sample': 1,
};

export const DEFAULT_SIGNAL_SETTINGS: SignalSettings = {
  borderlineMargin: 0.05,
  matchThreshold: 0.54,
  deviceMinTrainees: 3,
  deviceWindowMinutes: 120,
  maxDailySeconds: 10 * 3600,
  minRefusals: 10,
  referenceChangeHours: 72,
  referenceChangeMinPasses: 3,
  recordingMinShare: 0.95,
  recordingMinFaceShare: 0.5,
  sampleRate: 0.02,
  sampleSeed: 'oversight',
  virtualCameraLabels: ['obs', 'manycam', 'virtual', 'xsplit', 'snap camera', 'droidcam', 'e2esoft', 'splitcam', 'vcam'],
  weights: DEFAULT_WEIGHTS,
};
