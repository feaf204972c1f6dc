import * as ExcelJS from 'exceljs';
import { identityError } from '../identity.errors';
import { HeaderMapping, looksLikeHeader, mapHeader } from './roster-columns';
import type { RosterCell, RosterRowInput } from './roster-row';

/** Rows one import accepts: a program's roster is a few thousand people; more is a wrong file. */
export const ROSTER_MAX_ROWS = 20_000;

/**
 * exceljs cell values come in many shapes (shared strings, rich text, hyperlinks, formulas with
 * cached results, dates). Flattened to text, except numbers, which the ID check needs to tell apart.
 */
export function flattenCell(v: unknown): RosterCell {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    const o = v as { richText?: Array<{ text: string }>; text?: unknown; result?: unknown; error?: string };
    if (Array.isArray(o.richText)) return o.richText.map((r) => r.text).join('');
    if ('result' in o) return flattenCell(o.result);
    if (o.text !== undefined) return flattenCell(o.text);
    if (o.error) return undefined;
  }
  return String(v);
}

const isBlank = (cells: ReadonlyArray<RosterCell>) => cells.every((c) => c === undefined || (typeof c === 'string' && c.trim() === ''));

/** A file that is not an xlsx makes exceljs fail in many ways (zip, XML); all mean the same to the user. */
function invalidFile(cause: unknown): never {
  throw identityError('ROSTER_FILE_INVALID', { cause: cause instanceof Error ? cause.message.slice(0, 200) : undefined });
}

/**
 * Reads the first worksheet of an .xlsx: validates the header row (the first non-blank row) and
 * yields every non-blank data row mapped to fields. Throws ROSTER_* errors for files that cannot
 * be a roster; row-level problems are the validator's.
 *
 * The file is loaded whole (it is capped at a few MB) rather than through exceljs's streaming
 * WorkbookReader: that reader decodes each 16 KiB chunk of XML separately and turns a Chinese
 * character split across two chunks into U+FFFD (exceljs#2084, still open in 4.4.0; it hit 1 row
 * in 2,000 of a generated roster here), which would silently corrupt names and enterprise names.
 */
export async function* readRoster(source: Buffer): AsyncGenerator<RosterRowInput, void, undefined> {
  if (source.length === 0) throw identityError('ROSTER_FILE_EMPTY');
  // Cheap early refusal: every xlsx is a zip ("PK\x03\x04").
  if (source.subarray(0, 4).toString('latin1') !== 'PK\x03\x04') invalidFile(undefined);
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(source as unknown as ExcelJS.Buffer, {
      ignoreNodes: ['dataValidations', 'conditionalFormatting', 'mergeCells', 'hyperlinks', 'pageSetup', 'headerFooter', 'drawing', 'picture', 'extLst'],
    });
  } catch (e) {
    invalidFile(e);
  }
  const sheet = wb.worksheets[0];
  if (!sheet) invalidFile(undefined);

  let mapping: HeaderMapping | undefined;
  let dataRows = 0;
  for (let r = 1; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    if (!row.hasValues) continue;
    const values = (row.values as unknown[]).map(flattenCell);
    if (isBlank(values)) continue;
    if (!mapping) {
      const header = values.map((v) => (v === undefined ? undefined : String(v)));
      if (!looksLikeHeader(header)) throw identityError('ROSTER_HEADER_MISSING', { row: r });
      mapping = mapHeader(header);
      if (mapping.missing.length || mapping.unknown.length || mapping.duplicated.length) {
        throw identityError('ROSTER_HEADER_INVALID', { row: r, missing: mapping.missing, unknown: mapping.unknown, duplicated: mapping.duplicated });
      }
      continue;
    }
    if (++dataRows > ROSTER_MAX_ROWS) throw identityError('ROSTER_TOO_MANY_ROWS', { max: ROSTER_MAX_ROWS });
    const cells: RosterRowInput['cells'] = {};
    for (const [col, field] of mapping.fields) cells[field] = values[col];
    yield { row: r, cells };
  }
  if (!mapping) throw identityError('ROSTER_HEADER_MISSING');
  if (dataRows === 0) throw identityError('ROSTER_NO_ROWS');
}
