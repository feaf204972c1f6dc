import type { ApiError } from './errors';

/** One field's reasons as antd's `form.setFields` takes them. */
export interface FormFieldError {
  name: (string | number)[];
  errors: string[];
}

/** `qualification.systems[2]` → ['qualification', 'systems', 2] (the API's flattened paths). */
export function fieldPath(path: string): (string | number)[] {
  return path
    .split(/\.|\[(\d+)\]/)
    .filter((part) => part !== undefined && part !== '')
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

function isFieldProblem(value: unknown): value is { field: string; reasons?: unknown; reason?: unknown } {
  return !!value && typeof value === 'object' && typeof (value as { field?: unknown }).field === 'string';
}

/**
 * The per-field problems of a 400/409 answer (`details.fields`), merged by field. Only fields the
 * form knows are returned, so a problem the form cannot show stays in the general message.
 */
export function formFieldErrors(error: ApiError, known?: (name: (string | number)[]) => boolean): FormFieldError[] {
  const fields = (error.details as { fields?: unknown } | undefined)?.fields;
  if (!Array.isArray(fields)) return [];
  const byField = new Map<string, FormFieldError>();
  for (const item of fields) {
    // DUPLICATE answers list bare field names: the message says what is wrong with them.
    const problem = typeof item === 'string' ? { field: item, reasons: [error.message] } : item;
    if (!isFieldProblem(problem)) continue;
    const reasons = Array.isArray(problem.reasons)
      ? problem.reasons.filter((r): r is string => typeof r === 'string')
      : typeof problem.reason === 'string'
        ? [problem.reason]
        : [error.message];
    const entry = byField.get(problem.field) ?? { name: fieldPath(problem.field), errors: [] };
    entry.errors.push(...reasons);
    byField.set(problem.field, entry);
  }
  return [...byField.values()].filter((f) => !known || known(f.name));
}

/** Anything with antd's `setFields` (a FormInstance of any values). */
interface FieldSink {
  // antd types names per form; the API's paths are checked by `known` instead.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  setFields(fields: any[]): void;
}

/**
 * Puts the API's per-field reasons under the form's fields. Returns how many fields got one, so
 * the caller shows the general message when none did.
 */
export function showFieldErrors(form: FieldSink, error: ApiError, known?: (name: (string | number)[]) => boolean): number {
  const fields = formFieldErrors(error, known);
  form.setFields(fields);
  return fields.length;
}
