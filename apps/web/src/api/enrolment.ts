import { sendRaw } from './raw';
import type { components } from './schema';

/** The enrolment routes take and give multipart/binary, so they go through sendRaw; shapes from the contract. */
export type FaceReference = components['schemas']['FaceReferenceDto'];
export type FaceReferenceStatus = FaceReference['status'];

export interface EnrolOptions {
  source: 'upload' | 'webcam';
  mode: 'add' | 'replace';
  /** Required by the API once the trainee has a reference. */
  reason?: string;
}

const references = (traineeId: string) => `/api/v1/trainees/${encodeURIComponent(traineeId)}/face-references`;

export async function fetchFaceReferences(traineeId: string, signal?: AbortSignal): Promise<FaceReference[]> {
  const response = await sendRaw(new Request(references(traineeId), { signal }));
  return ((await response.json()) as { items: FaceReference[] }).items;
}

/**
 * Sends a reference photo through the face engine's gates. 201: in use; 202: kept but held for
 * review (looks like another trainee of the program); 422: a gate refused it (code and message).
 */
export async function enrolFace(traineeId: string, image: Blob, fileName: string, opts: EnrolOptions): Promise<FaceReference> {
  const form = new FormData();
  form.append('image', image, fileName);
  form.append('source', opts.source);
  form.append('mode', opts.mode);
  if (opts.reason?.trim()) form.append('reason', opts.reason.trim());
  const response = await sendRaw(new Request(references(traineeId), { method: 'POST', body: form }));
  return (await response.json()) as FaceReference;
}

export async function fetchPendingFaceReviews(signal?: AbortSignal): Promise<FaceReference[]> {
  const response = await sendRaw(new Request('/api/v1/face-references/pending-review', { signal }));
  return ((await response.json()) as { items: FaceReference[] }).items;
}

export async function reviewFaceReference(r: Pick<FaceReference, 'traineeId' | 'id'>, decision: 'approve' | 'reject', reason: string): Promise<FaceReference> {
  const response = await sendRaw(
    new Request(`${references(r.traineeId)}/${encodeURIComponent(r.id)}/review`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ decision, reason }),
    }),
  );
  return (await response.json()) as FaceReference;
}

/** The photo of another trainee's reference (a match reported at enrolment). */
export const referenceImagePath = (traineeId: string, referenceId: string) => `${references(traineeId)}/${encodeURIComponent(referenceId)}/image`;
