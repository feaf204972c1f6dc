import { api, unwrap } from './client';
import type { components } from './schema';
import { tusUpload } from './tus';

export type SessionRecording = components['schemas']['SessionRecordingDto'];

export const RECORDING_UPLOADS = '/api/v1/recording-uploads';

export const fetchRecording = (id: string, signal?: AbortSignal) => unwrap(api.GET('/api/v1/offline/sessions/{id}/recording', { params: { path: { id } }, signal }));

/** One file of a session's recording; resumes after a reload when the same file is picked again. */
export async function uploadRecording(sessionId: string, file: File, onProgress: (fraction: number) => void): Promise<{ passed: boolean; accepted: boolean }> {
  const headers = await tusUpload({ endpoint: RECORDING_UPLOADS, file, metadata: { sessionId }, onProgress, group: sessionId });
  return { passed: headers.get('Recording-Passed') === 'true', accepted: headers.get('Session-Accepted') === 'true' };
}
