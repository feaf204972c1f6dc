import { sendRaw } from './raw';
import type { components } from './schema';

/**
 * Roster import goes through fetch directly: it uploads multipart and downloads a file, which
 * the typed JSON client does not model well. The shapes still come from the API's contract.
 */
export type RosterImportReport = components['schemas']['RosterImportReportDto'];
export type RosterRowError = components['schemas']['RosterRowErrorDto'];

const IMPORT_PATH = '/api/v1/trainees/import';

export async function importRoster(programId: string, file: File, signal?: AbortSignal): Promise<RosterImportReport> {
  const form = new FormData();
  form.append('programId', programId);
  form.append('file', file, file.name);
  const response = await sendRaw(new Request(IMPORT_PATH, { method: 'POST', body: form, signal }));
  return (await response.json()) as RosterImportReport;
}

/** "attachment; filename=…; filename*=UTF-8''%E5%AD…" → the UTF-8 name when given. */
export function attachmentName(disposition: string | null, fallback: string): string {
  const utf8 = disposition?.match(/filename\*=UTF-8''([^;]+)/i)?.[1];
  if (utf8) {
    try {
      return decodeURIComponent(utf8);
    } catch {
      // A malformed escape: fall through to the plain name.
    }
  }
  return disposition?.match(/filename="([^"]+)"/i)?.[1] ?? fallback;
}

/** Saves a file the API answers with; the request needs the bearer token, so no plain link. */
async function downloadFrom(path: string, fallbackName: string): Promise<void> {
  const response = await sendRaw(new Request(path));
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = attachmentName(response.headers.get('content-disposition'), fallbackName);
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Give the browser the click's turn to start the download before the URL goes.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function downloadRosterTemplate(programId: string): Promise<void> {
  return downloadFrom(`${IMPORT_PATH}/template?programId=${encodeURIComponent(programId)}`, '学员名单模板.xlsx');
}

/** The program's registered trainees in the template's columns (full ID numbers: the institution's own register). */
export function downloadRosterExport(programId: string): Promise<void> {
  return downloadFrom(`/api/v1/trainees/export?programId=${encodeURIComponent(programId)}`, '学员名单.xlsx');
}
