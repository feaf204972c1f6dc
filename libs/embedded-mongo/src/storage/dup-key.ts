import { Document } from 'bson';
import { CommandError, ErrorCodes } from '../errors';

function formatValue(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return `new Date(${v.getTime()})`;
  const t = (v as { _bsontype?: string })._bsontype;
  if (t === 'ObjectId') return `ObjectId('${(v as { toHexString(): string }).toHexString()}')`;
  if (Array.isArray(v)) return `[ ${v.map(formatValue).join(', ')} ]`;
  if (typeof v === 'object' && !t) {
    return `{ ${Object.entries(v as Document)
      .map(([k, x]) => `${k}: ${formatValue(x)}`)
      .join(', ')} }`;
  }
  return String(v);
}

/** mongod's E11000 error: same errmsg text, keyPattern and keyValue, so drivers surface it identically. */
export function duplicateKeyError(namespace: string, indexName: string, keyPattern: Document, keyValue: Document): CommandError {
  const dup = Object.entries(keyValue)
    .map(([k, v]) => `${k}: ${formatValue(v)}`)
    .join(', ');
  return new CommandError(
    ErrorCodes.DuplicateKey,
    `E11000 duplicate key error collection: ${namespace} index: ${indexName} dup key: { ${dup} }`,
    { keyPattern, keyValue },
  );
}
