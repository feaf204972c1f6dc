/**
 * Before/after summaries go into a log kept for years and shown to auditors, so they never hold
 * a secret or a whole ID number, whatever a use case passes in. Keys that name a secret are
 * dropped; an 18-character resident ID anywhere in a string is masked as the console masks it
 * (first 4 and last 4 characters).
 */
const SECRET_KEY = /pass(word)?|secret|token|hash|cipher|blind|salt|private|otp/i;
const RESIDENT_ID = /(?<![0-9])(\d{4})\d{10}(\d{3}[\dXx])(?![0-9A-Za-z])/g;

export type SummaryValue = string | number | boolean | null | SummaryValue[] | { [key: string]: SummaryValue };
export type Summary = { [key: string]: SummaryValue };

export function maskResidentIds(text: string): string {
  return text.replace(RESIDENT_ID, (_m, head: string, tail: string) => `${head}**********${tail}`);
}

function clean(value: unknown, depth: number): SummaryValue | undefined {
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return undefined;
  if (value === null) return null;
  if (typeof value === 'string') return maskResidentIds(value);
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Buffer.isBuffer(value) || ArrayBuffer.isView(value)) return `[${(value as ArrayBufferView).byteLength} bytes]`;
  const hex = (value as { toHexString?: () => string }).toHexString;
  if (typeof hex === 'function') return hex.call(value);
  if (depth > 6) return '[…]';
  if (Array.isArray(value)) return value.map((v) => clean(v, depth + 1) ?? null);
  const out: Summary = {};
  for (const [k, v] of Object.entries(value as object)) {
    if (SECRET_KEY.test(k)) continue;
    const c = clean(v, depth + 1);
    if (c !== undefined) out[k] = c;
  }
  return out;
}

/** A plain, JSON-safe, secret-free copy of `value` for a record's before/after. */
export function toSummary(value: object | undefined): Summary | undefined {
  if (value === undefined) return undefined;
  return clean(value, 0) as Summary;
}
