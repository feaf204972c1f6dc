/**
 * How long evidence is kept, and when it may go. Pure: the record's dates in, a decision out.
 *
 * 002_… §四(四): recordings of theory and practical sessions are kept at least five years
 * (相关影视资料至少留存5年以上); a program may keep them longer, never shorter. Other evidence
 * (face references, captures) follows the same floor: it proves the same hours.
 */

export const MIN_RETENTION_YEARS = 5;

/** Kinds of evidence the platform keeps, each with its own key space in the store. */
export const EVIDENCE_KINDS = ['face-reference', 'consent-scan', 'study-capture', 'attendance-capture', 'recording'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

export const EVIDENCE_KIND_NAMES: Record<EvidenceKind, string> = {
  'face-reference': '人脸参照照片',
  'consent-scan': '纸质同意书扫描件',
  'study-capture': '在线学习抓拍',
  'attendance-capture': '线下考勤抓拍',
  recording: '培训录像',
};

/**
 * Disposition (PIPL 第十九条: kept no longer than needed) removes recordings and biometric images
 * once their retention ends; the consent scan is the record of a legal basis and stays.
 */
export const DISPOSABLE_KINDS: readonly EvidenceKind[] = ['face-reference', 'study-capture', 'attendance-capture', 'recording'];

/** `years` calendar years after `from` (UTC), 29 Feb → 28 Feb in a common year. */
export function addYears(from: Date, years: number): Date {
  const d = new Date(from.getTime());
  const month = d.getUTCMonth();
  d.setUTCFullYear(d.getUTCFullYear() + years);
  if (d.getUTCMonth() !== month) d.setUTCDate(0);
  return d;
}

/**
 * retainUntil = max(5 years after the session, the program's rule, the platform's setting): a
 * longer rule wins, a shorter one is ignored (it cannot lower the legal floor).
 */
export function retainUntilOf(occurredAt: Date, rules: { settingYears?: number; programYears?: number } = {}): Date {
  const years = Math.max(MIN_RETENTION_YEARS, rules.settingYears ?? 0, rules.programYears ?? 0);
  if (!Number.isInteger(years)) throw new RangeError(`retention years must be whole: ${years}`);
  return addYears(occurredAt, years);
}

export interface Hold {
  readonly reason: string;
  readonly by: string;
  readonly at: Date;
}

export type DeleteRefusal = 'retained' | 'held' | 'kept-kind';

/** Why deleting this evidence now is refused, or undefined when it may go. */
export function deleteRefusal(record: { retainUntil: Date; hold?: Hold; kind: EvidenceKind }, now: Date): DeleteRefusal | undefined {
  if (record.hold) return 'held';
  if (now.getTime() < record.retainUntil.getTime()) return 'retained';
  if (!DISPOSABLE_KINDS.includes(record.kind)) return 'kept-kind';
  return undefined;
}

const DAY_MS = 86_400_000;

/** The window the disposition page lists: what expires within `days` from now. */
export function expiringWindow(now: Date, days = 90): { from: Date; to: Date } {
  return { from: now, to: new Date(now.getTime() + days * DAY_MS) };
}
