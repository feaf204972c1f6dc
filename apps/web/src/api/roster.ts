import { downloadFrom } from './download';
import { sendRaw } from './raw';
import type { components } from './schema';

/**
 * Roster import goes through fetch directly: it uploads multipart and downloads a file, which
 * the typed JSON client does not model well. The shapes still come from the API's contract.
 */
export type RosterImportReport = components['schemas']['RosterImportReportDto'];
export type RosterRowError = components['schemas']['RosterRowErrorDto'];

export { attachmentName } from './download';

const IMPORT_PATH = '/api/v1/trainees/import';

export async function importRoster(programId: string, file: File, signal?: AbortSignal): Promise<RosterImportReport> {
  const form = new FormData();
  form.append('programId', programId);
  form.append('file', file, file.name);
  const response = await sendRaw(new Request(IMPORT_PATH, { method: 'POST', body: form, signal }));
  return (await response.json()) as RosterImportReport;
}

export function downloadRosterTemplate(programId: string): Promise<void> {
  return downloadFrom(`${IMPORT_PATH}/template?programId=${encodeURIComponent(programId)}`, '学员名单模板.xlsx');
}

/** The program's registered trainees in the template's columns (full ID numbers: the institution's own register). */
export function downloadRosterExport(programId: string): Promise<void> {
  return downloadFrom(`/api/v1/trainees/export?programId=${encodeURIComponent(programId)}`, '学员名单.xlsx');
}
