import { Document } from 'bson';

/**
 * A small `$text` implementation: no text index is kept, every string in the document is
 * searched. Terms match whole words case-insensitively with a crude plural/suffix stemmer,
 * "quoted phrases" must all appear, -negated terms exclude. The score counts term hits, so
 * `{ $meta: 'textScore' }` orders like mongod's for simple cases. Not linguistic.
 */
export interface TextSpec {
  $search: string;
  $caseSensitive?: boolean;
}

function stem(w: string): string {
  return w.replace(/(ies|es|s|ing|ed)$/u, '') || w;
}

function words(s: string, caseSensitive: boolean): string[] {
  const t = caseSensitive ? s : s.toLowerCase();
  return t.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

function collectStrings(v: unknown, out: string[]): void {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) v.forEach((x) => collectStrings(x, out));
  else if (v && typeof v === 'object' && !(v as { _bsontype?: string })._bsontype && !(v instanceof Date)) {
    for (const x of Object.values(v as Document)) collectStrings(x, out);
  }
}

export function parseSearch(search: string): { terms: string[]; phrases: string[]; negated: string[] } {
  const phrases: string[] = [];
  const rest = search.replace(/"([^"]*)"/g, (_, p: string) => {
    phrases.push(p);
    return ' ';
  });
  const terms: string[] = [];
  const negated: string[] = [];
  for (const t of rest.split(/\s+/).filter(Boolean)) (t.startsWith('-') ? negated : terms).push(t.replace(/^-/, ''));
  return { terms, phrases, negated };
}

/** 0 when the document does not match, else a positive relevance score. */
export function textScore(doc: Document, spec: TextSpec): number {
  const cs = !!spec.$caseSensitive;
  const strings: string[] = [];
  collectStrings(doc, strings);
  const { terms, phrases, negated } = parseSearch(String(spec.$search ?? ''));
  const all = strings.join(' \u0000 ');
  const hay = cs ? all : all.toLowerCase();
  if (phrases.some((p) => !hay.includes(cs ? p : p.toLowerCase()))) return 0;
  const docWords = words(all, cs).map(stem);
  const hits = (t: string): number => {
    const wanted = words(t, cs).map(stem);
    return wanted.length ? docWords.filter((w) => wanted.includes(w)).length : 0;
  };
  if (negated.some((t) => hits(t) > 0)) return 0;
  let score = phrases.length;
  for (const t of terms) score += hits(t);
  return score > 0 ? score / Math.max(1, docWords.length / 10) : 0;
}

/** Query operator bound to `_id` (always present) that evaluates `$text` against the whole document. */
export const $textSearch = (_selector: string, value: unknown) => (obj: unknown): boolean => textScore(obj as Document, value as TextSpec) > 0;

/** Moves a top-level `$text` (mingo rejects unknown top-level operators) into a `$textSearch` predicate. */
export function rewriteText(filter: Document): Document {
  if (!filter || !('$text' in filter)) return filter;
  const { $text, ...rest } = filter;
  return { ...rest, $and: [...((rest.$and as Document[]) ?? []), { _id: { $textSearch: $text } }] };
}
