import type { EnrolmentQuality } from '@app/face';

/**
 * active: used for face checks. held_for_review: looked like another trainee of the program, not
 * used until an auditor approves. rejected: refused on review. retired: replaced by a later
 * enrolment (kept as history).
 */
export const FACE_REFERENCE_STATUSES = ['active', 'held_for_review', 'rejected', 'retired'] as const;
export type FaceReferenceStatus = (typeof FACE_REFERENCE_STATUSES)[number];

export const FACE_REFERENCE_STATUS_NAMES: Record<FaceReferenceStatus, string> = {
  active: '有效',
  held_for_review: '待审核（疑似与其他学员为同一人）',
  rejected: '审核未通过',
  retired: '已被替换',
};

/** In use or awaiting review: what a further enrolment replaces or adds to (and must give a reason for). */
export function isLiveReference(r: Pick<FaceReference, 'status'>): boolean {
  return r.status === 'active' || r.status === 'held_for_review';
}

export interface FaceMatch {
  traineeId: string;
  referenceId: string;
  distance: number;
}

export interface FaceReference {
  id: string;
  traineeId: string;
  programId: string;
  status: FaceReferenceStatus;
  descriptor: number[];
  quality: EnrolmentQuality;
  image: { key: string; sha256: string; contentType: string; size: number };
  source: 'upload' | 'webcam';
  reason?: string;
  enrolledBy: string;
  enrolledAt: Date;
  matches: FaceMatch[];
  review?: { decision: 'approve' | 'reject'; reason: string; by: string; at: Date };
  retired?: { reason?: string; by: string; at: Date };
}
