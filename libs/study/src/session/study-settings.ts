import type { StudyConfig } from '@app/platform';
import { CheckSettings, checkSettings } from '../checks/check-settings';
import { CreditSettings, creditSettings } from '../crediting/credit-settings';
import { cryptoRandom } from '../random/crypto-random';
import type { Random } from '../random/random';
import type { SessionEnv } from './session-rules';

export interface StudySettings extends SessionEnv {
  readonly credit: CreditSettings;
  readonly checks: CheckSettings;
  readonly random: Random;
  readonly idleTimeoutMs: number;
  readonly maxCaptureBytes: number;
}

export const StudySettingsToken = Symbol('StudySettings');

/** The deployment's study settings, validated by the domain's own ranges. */
export function studySettingsFrom(c: StudyConfig, random: Random = cryptoRandom()): StudySettings {
  return {
    credit: creditSettings({
      heartbeatSeconds: c.heartbeatSeconds,
      jitterSeconds: c.jitterSeconds,
      maxPlaybackRate: c.maxPlaybackRate,
      seekToleranceSeconds: c.seekToleranceSeconds,
    }),
    checks: checkSettings({
      faceIntervalMinSeconds: c.faceIntervalMinSeconds,
      faceIntervalMaxSeconds: c.faceIntervalMaxSeconds,
      faceWindowSeconds: c.faceWindowSeconds,
      faceMaxFailures: c.faceMaxFailures,
      promptIntervalMinSeconds: c.promptIntervalMinSeconds,
      promptIntervalMaxSeconds: c.promptIntervalMaxSeconds,
      promptWindowSeconds: c.promptWindowSeconds,
    }),
    random,
    idleTimeoutMs: c.idleTimeoutSeconds * 1000,
    maxCaptureBytes: c.maxCaptureBytes,
    unverifiedCredit: c.unverifiedCredit,
  };
}
