import { tusUpload } from '../../api/tus';

/** One lesson video over tus; returns the packaging job id the server queued. */
export async function uploadVideo(file: File, lessonId: string, onProgress: (fraction: number) => void): Promise<string> {
  const headers = await tusUpload({ endpoint: '/api/v1/uploads', file, metadata: { lessonId }, onProgress });
  return headers.get('Media-Job-Id') ?? '';
}
