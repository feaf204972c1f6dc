import { Document } from 'bson';
import { BinKey } from './numbers';

/**
 * The subset of MongoDB's `$jsonSchema` (draft 4 plus `bsonType`) that collection validators
 * use: type/bsonType, required, properties, additionalProperties, enum, items, minItems/maxItems,
 * minimum/maximum, minLength/maxLength, pattern, anyOf/allOf/oneOf/not.
 */
type Schema = Document;

function bsonTypeOf(v: unknown): string[] {
  if (v === null || v === undefined) return ['null'];
  if (typeof v === 'string') return ['string'];
  if (typeof v === 'boolean') return ['bool', 'boolean'];
  if (typeof v === 'number') return Number.isInteger(v) ? ['number', 'int', 'long', 'double', 'integer'] : ['number', 'double'];
  if (Array.isArray(v)) return ['array'];
  if (v instanceof Date) return ['date'];
  if (v instanceof RegExp) return ['regex'];
  if (v instanceof Uint8Array || v instanceof BinKey) return ['binData'];
  switch ((v as { _bsontype?: string })._bsontype) {
    case 'ObjectId':
      return ['objectId'];
    case 'Binary':
      return ['binData'];
    case 'Decimal128':
      return ['decimal', 'number'];
    case 'Long':
      return ['long', 'number', 'integer'];
    case 'Timestamp':
      return ['timestamp'];
    case undefined:
      return ['object'];
  }
  return [];
}

function typeOk(v: unknown, wanted: unknown): boolean {
  const list = Array.isArray(wanted) ? wanted : [wanted];
  const have = bsonTypeOf(v);
  return list.some((t) => have.includes(String(t)));
}

export function validateJsonSchema(schema: Schema, v: unknown): boolean {
  if (!schema || typeof schema !== 'object') return true;
  if (schema.bsonType !== undefined && !typeOk(v, schema.bsonType)) return false;
  if (schema.type !== undefined && !typeOk(v, schema.type)) return false;
  if (Array.isArray(schema.enum) && !schema.enum.some((e: unknown) => e === v || (e !== null && typeof e === 'object' && JSON.stringify(e) === JSON.stringify(v)))) return false;
  if (Array.isArray(schema.allOf) && !schema.allOf.every((s: Schema) => validateJsonSchema(s, v))) return false;
  if (Array.isArray(schema.anyOf) && !schema.anyOf.some((s: Schema) => validateJsonSchema(s, v))) return false;
  if (Array.isArray(schema.oneOf) && schema.oneOf.filter((s: Schema) => validateJsonSchema(s, v)).length !== 1) return false;
  if (schema.not && validateJsonSchema(schema.not, v)) return false;
  if (typeof v === 'number') {
    if (schema.minimum !== undefined && v < Number(schema.minimum)) return false;
    if (schema.maximum !== undefined && v > Number(schema.maximum)) return false;
  }
  if (typeof v === 'string') {
    if (schema.minLength !== undefined && v.length < Number(schema.minLength)) return false;
    if (schema.maxLength !== undefined && v.length > Number(schema.maxLength)) return false;
    if (schema.pattern !== undefined && !new RegExp(String(schema.pattern), 'u').test(v)) return false;
  }
  if (Array.isArray(v)) {
    if (schema.minItems !== undefined && v.length < Number(schema.minItems)) return false;
    if (schema.maxItems !== undefined && v.length > Number(schema.maxItems)) return false;
    if (schema.items && !Array.isArray(schema.items) && !v.every((x) => validateJsonSchema(schema.items, x))) return false;
  }
  if (v !== null && typeof v === 'object' && !Array.isArray(v) && bsonTypeOf(v).includes('object')) {
    const o = v as Document;
    if (Array.isArray(schema.required) && !schema.required.every((k: string) => k in o)) return false;
    const props = (schema.properties ?? {}) as Document;
    for (const [k, s] of Object.entries(props)) if (k in o && !validateJsonSchema(s as Schema, o[k])) return false;
    if (schema.additionalProperties === false && Object.keys(o).some((k) => !(k in props))) return false;
    if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
      for (const k of Object.keys(o)) if (!(k in props) && !validateJsonSchema(schema.additionalProperties, o[k])) return false;
    }
  }
  return true;
}

/** The `jsonSchemaValidator` mingo asks for to evaluate `$jsonSchema`. */
export const jsonSchemaValidator = (schema: Document) => (doc: Document): boolean => validateJsonSchema(schema, doc);
