import { Document } from 'bson';

/**
 * Operators that read fields by a name that is not a `$path` string, or hand the whole document
 * to user code: a pipeline using them needs every field.
 */
const WHOLE_DOCUMENT_OPERATORS = new Set(['$getField', '$setField', '$unsetField', '$function', '$accumulator', '$top', '$bottom', '$topN', '$bottomN', 'sortBy']);

/** Adds the top-level field names `expr` reads to `out`; false when it may read the whole document. */
function collectPaths(expr: unknown, out: Set<string>): boolean {
  if (typeof expr === 'string') {
    if (expr.startsWith('$$')) {
      const variable = expr.slice(2).split('.')[0];
      return variable !== 'ROOT' && variable !== 'CURRENT';
    }
    if (expr.startsWith('$')) out.add(expr.slice(1).split('.')[0]);
    return true;
  }
  if (Array.isArray(expr)) return expr.every((e) => collectPaths(e, out));
  if (expr === null || typeof expr !== 'object') return true;
  if ((expr as { _bsontype?: string })._bsontype || expr instanceof Date || expr instanceof RegExp) return true;
  for (const [k, v] of Object.entries(expr as Document)) {
    if (WHOLE_DOCUMENT_OPERATORS.has(k)) return false;
    if (!collectPaths(v, out)) return false;
  }
  return true;
}

/**
 * The top-level fields a pipeline starting with `$group` reads from its input documents, or null
 * when it may need all of them. mingo's `$group` holds every input document until the last one
 * has arrived, so feeding it only these fields is what bounds its memory over a large collection
 * (a million full documents took over a gigabyte); its output is the same, since a group's
 * result depends only on the expressions evaluated on each document.
 */
export function groupInputFields(pipeline: Document[]): string[] | null {
  const first = pipeline[0];
  if (!first || Object.keys(first).length !== 1 || typeof first.$group !== 'object' || first.$group === null) return null;
  const fields = new Set<string>();
  return collectPaths(first.$group, fields) ? [...fields] : null;
}

/** A copy of `doc` with only `fields` (those it has). */
export function pickFields(doc: Document, fields: string[]): Document {
  const out: Document = {};
  for (const f of fields) if (f in doc) out[f] = doc[f];
  return out;
}
