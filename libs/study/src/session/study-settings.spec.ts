import { loadConfig } from '@app/platform';
import { DEFAULT_CHECK_SETTINGS } from '../checks/check-settings';
import { DEFAULT_CREDIT_SETTINGS } from '../crediting/credit-settings';
import { studySettingsFrom } from './study-settings';

describe('studySettingsFrom', () => {
  it('the environment’s defaults are the domain’s defaults: the pure specs judge what a deployment runs', () => {
    const s = studySettingsFrom(loadConfig({}).study);
    expect(s.credit).toEqual(DEFAULT_CREDIT_SETTINGS);
    expect(s.checks).toEqual(DEFAULT_CHECK_SETTINGS);
    expect(s.unverifiedCredit).toBe('void');
  });

  it('a value outside the domain’s range stops the start with its name', () => {
    expect(() => studySettingsFrom({ ...loadConfig({}).study, faceIntervalMinSeconds: 1000, faceIntervalMaxSeconds: 500 })).toThrow();
  });
});
