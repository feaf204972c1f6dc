import { AppError } from '@app/platform';
import { secondsToStudyHours } from './study-hours';

describe('secondsToStudyHours', () => {
  it('converts with the program minutes per hour', () => {
    expect(secondsToStudyHours(2700, 45)).toBe(1);
    expect(secondsToStudyHours(3600, 60)).toBe(1);
    expect(secondsToStudyHours(12 * 2700, 45)).toBe(12);
    expect(secondsToStudyHours(0, 45)).toBe(0);
  });

  it('rounds down, never reporting more than was earned', () => {
    expect(secondsToStudyHours(2699, 45)).toBe(0.9);
    expect(secondsToStudyHours(269, 45)).toBe(0);
    expect(secondsToStudyHours(270, 45)).toBe(0.1);
    expect(secondsToStudyHours(2699, 45, 2)).toBe(0.99);
    expect(secondsToStudyHours(2699, 45, 0)).toBe(0);
  });

  it('negative totals (more compensated than credited cannot happen, but) round toward the lower value', () => {
    expect(secondsToStudyHours(-270, 45)).toBe(-0.1);
  });

  it('refuses an impossible minutes-per-hour setting with a stable code', () => {
    for (const bad of [0, -45, 45.5, Number.NaN, 121]) {
      let caught: unknown;
      try {
        secondsToStudyHours(2700, bad);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(AppError);
      expect((caught as AppError).code).toBe('MINUTES_PER_HOUR_INVALID');
    }
  });
});
