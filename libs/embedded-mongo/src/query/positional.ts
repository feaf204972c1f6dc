import { Document } from 'bson';
import { CommandError, ErrorCodes } from '../errors';
import { compileFilter } from './view';

/**
 * Resolves positional update paths (`a.$.x`, `a.$[].x`, `a.$[id].x`) into concrete array indexes
 * on one document before mingo applies the update. mongod fixes the `$` index from the query
 * once, and allows several positional paths under one array; mingo would re-match per field and
 * reports any two of them as conflicting.
 */
export function hasPositional(path: string): boolean {
  return path.includes('$');
}

function isPlain(v: unknown): v is Document {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}

/** Element predicate from the query conditions that touch `arrayPath`. */
function queryElementTest(query: Document, arrayPath: string): ((el: unknown) => boolean) | null {
  const tests: Array<(el: unknown) => boolean> = [];
  const visit = (q: Document): void => {
    for (const [k, cond] of Object.entries(q)) {
      if (k === '$and' && Array.isArray(cond)) {
        cond.filter(isPlain).forEach(visit);
        continue;
      }
      if (k === arrayPath) {
        const t = compileFilter({ v: cond });
        tests.push((el) => t({ v: [el] }));
      } else if (k.startsWith(arrayPath + '.')) {
        const t = compileFilter({ [k.slice(arrayPath.length + 1)]: cond });
        tests.push((el) => isPlain(el) && t(el));
      }
    }
  };
  visit(query);
  return tests.length ? (el) => tests.every((t) => t(el)) : null;
}

function filterElementTest(arrayFilters: Document[], id: string): (el: unknown) => boolean {
  const tests: Array<(el: unknown) => boolean> = [];
  for (const f of arrayFilters) {
    for (const [k, cond] of Object.entries(f)) {
      if (k === id) {
        const t = compileFilter({ v: cond });
        tests.push((el) => t({ v: el }));
      } else if (k.startsWith(id + '.')) {
        const t = compileFilter({ [k.slice(id.length + 1)]: cond });
        tests.push((el) => isPlain(el) && t(el));
      }
    }
  }
  if (!tests.length) {
    throw new CommandError(ErrorCodes.BadValue, `No array filter found for identifier '${id}' in path`);
  }
  return (el) => tests.every((t) => t(el));
}

/** Concrete paths a positional path stands for in `doc` (none when nothing matches). */
export function resolvePositional(doc: Document, path: string, query: Document, arrayFilters: Document[] = []): string[] {
  const parts = path.split('.');
  const out: string[] = [];
  const walk = (value: unknown, i: number, prefix: string[]): void => {
    if (i === parts.length) {
      out.push(prefix.join('.'));
      return;
    }
    const p = parts[i];
    if (!p.startsWith('$')) {
      const next = value !== null && typeof value === 'object' ? (value as Document)[p] : undefined;
      walk(next, i + 1, [...prefix, p]);
      return;
    }
    if (!Array.isArray(value)) {
      if (p === '$') throw new CommandError(ErrorCodes.BadValue, 'The positional operator did not find the match needed from the query.');
      return;
    }
    let indexes: number[];
    if (p === '$') {
      const test = queryElementTest(query, prefix.join('.'));
      const idx = test ? value.findIndex(test) : -1;
      if (idx < 0) throw new CommandError(ErrorCodes.BadValue, 'The positional operator did not find the match needed from the query.');
      indexes = [idx];
    } else if (p === '$[]') {
      indexes = value.map((_, k) => k);
    } else if (p.startsWith('$[') && p.endsWith(']')) {
      const test = filterElementTest(arrayFilters, p.slice(2, -1));
      indexes = value.map((el, k) => (test(el) ? k : -1)).filter((k) => k >= 0);
    } else {
      walk((value as unknown as Document)[p], i + 1, [...prefix, p]);
      return;
    }
    for (const k of indexes) walk(value[k], i + 1, [...prefix, String(k)]);
  };
  walk(doc, 0, []);
  return out;
}

/** Rewrites every positional field of an operator update into concrete paths for this document. */
export function concretizeUpdate(doc: Document, mods: Document, query: Document, arrayFilters?: Document[]): Document {
  const out: Document = {};
  for (const [op, fields] of Object.entries(mods)) {
    const next: Document = {};
    for (const [path, value] of Object.entries(fields as Document)) {
      if (!hasPositional(path)) next[path] = value;
      else for (const concrete of resolvePositional(doc, path, query, arrayFilters)) next[concrete] = value;
    }
    if (Object.keys(next).length) out[op] = next;
  }
  return out;
}
