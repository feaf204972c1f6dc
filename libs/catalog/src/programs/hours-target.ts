import type { Program } from './program.entity';

/** What a trainee of one personnel category must complete in a program (DOMAIN.md "Hours"). */
export interface HoursTarget {
  minHours: number;
  maxHours: number;
  /** Least share of the hours that must be offline (线下), when the program asks one of this category. */
  offlineShare?: number;
  /** Least share that must be practical (实操), likewise. */
  practicalShare?: number;
}

/** The category's hours rule in the program's rule set; undefined when the rule set names none for it. */
export function hoursTargetFor(program: Pick<Program, 'rules'>, category: string): HoursTarget | undefined {
  const { hours, offlineShare, practicalShare } = program.rules;
  const rule = hours.find((h) => h.category === category);
  if (!rule) return undefined;
  const target: HoursTarget = { minHours: rule.minHours, maxHours: rule.maxHours };
  if (offlineShare.categories.includes(category)) target.offlineShare = offlineShare.minShare;
  if (practicalShare.categories.includes(category)) target.practicalShare = practicalShare.minShare;
  return target;
}
