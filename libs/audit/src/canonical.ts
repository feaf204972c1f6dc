/**
 * The one byte-exact encoding a record is hashed in. JSON with object keys sorted, so the hash
 * does not depend on the order BSON, mongoose or a later schema change happen to keep fields in;
 * dates as ISO-8601 and ObjectIds as hex, because the driver hands both back as objects.
 * Anything without an unambiguous text form (NaN, Infinity, functions, bigint, binary) is refused
 * rather than silently encoded as something else.
 */
export function canonicalJson(value: unknown): string {
  return encode(value, '$');
}

function encode(value: unknown, path: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${path} is not a finite number`);
      return JSON.stringify(value);
    case 'object':
      break;
    default:
      throw new TypeError(`canonicalJson: ${path} has type ${typeof value}`);
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new TypeError(`canonicalJson: ${path} is an invalid date`);
    return JSON.stringify(value.toISOString());
  }
  if (Array.isArray(value)) return `[${value.map((v, i) => encode(v, `${path}[${i}]`)).join(',')}]`;
  const hex = (value as { toHexString?: () => string }).toHexString;
  if (typeof hex === 'function') return JSON.stringify(hex.call(value));
  if (Buffer.isBuffer(value) || ArrayBuffer.isView(value)) throw new TypeError(`canonicalJson: ${path} is binary`);
  const keys = Object.keys(value as object)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${encode((value as Record<string, unknown>)[k], `${path}.${k}`)}`).join(',')}}`;
}
