/**
 * Resident identity number (公民身份号码), GB 11643-1999: 6-digit address code (GB/T 2260),
 * 8-digit birth date, 3-digit sequence (odd for men, even for women) and an ISO 7064 MOD 11-2
 * check character (0–9 or X).
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/**
 * Province-level codes of GB/T 2260 (incl. 71 Taiwan; 81/82/83 are the residence permits of
 * Hong Kong, Macao and Taiwan residents, which use the same number format). The full county
 * table changes every year, so only the province is checked.
 */
const PROVINCES = new Set([
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37', '41', '42', '43', '44', '45',
  '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65', '71', '81', '82', '83',
]);

/** Earliest birth date accepted: the standard's own worked example is born in 1880. */
const EARLIEST = '18500101';

export type ResidentIdProblem = 'length' | 'character' | 'region' | 'birth-date' | 'check';

export const RESIDENT_ID_PROBLEM_MESSAGES: Record<ResidentIdProblem, string> = {
  length: '身份证号应为18位（第一代15位身份证已停止使用）',
  character: '身份证号前17位应为数字，最后一位为数字或 X',
  region: '身份证号前6位不是有效的行政区划代码',
  'birth-date': '身份证号中的出生日期不存在或晚于今天',
  check: '身份证号校验位不正确',
};

export interface ResidentId {
  /** Normalised: NFKC (full-width digits from spreadsheets become ASCII), trimmed, upper-case X. */
  number: string;
  regionCode: string;
  /** YYYY-MM-DD */
  birthDate: string;
  sex: 'male' | 'female';
}

export type ResidentIdResult = { ok: true; value: ResidentId } | { ok: false; problem: ResidentIdProblem };

export function residentIdCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('17 digits expected');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK[sum % 11];
}

function realDate(yyyymmdd: string): boolean {
  const y = Number(yyyymmdd.slice(0, 4));
  const m = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** Today's date in China (UTC+8, no DST) as YYYYMMDD: a birth "tomorrow" in Beijing is in the future. */
function chinaToday(now: Date): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10).replace(/-/g, '');
}

export function parseResidentId(raw: string, now: Date = new Date()): ResidentIdResult {
  const number = raw.normalize('NFKC').trim().toUpperCase();
  if (number.length !== 18) return { ok: false, problem: 'length' };
  if (!/^\d{17}[\dX]$/.test(number)) return { ok: false, problem: 'character' };
  if (!PROVINCES.has(number.slice(0, 2))) return { ok: false, problem: 'region' };
  const birth = number.slice(6, 14);
  if (!realDate(birth) || birth < EARLIEST || birth > chinaToday(now)) return { ok: false, problem: 'birth-date' };
  if (residentIdCheckChar(number.slice(0, 17)) !== number[17]) return { ok: false, problem: 'check' };
  return {
    ok: true,
    value: {
      number,
      regionCode: number.slice(0, 6),
      birthDate: `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}`,
      sex: Number(number[16]) % 2 === 1 ? 'male' : 'female',
    },
  };
}
