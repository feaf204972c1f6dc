import type { Role } from '../auth/role';

export const TRAINEE_STATUSES = ['active', 'completed', 'withdrawn'] as const;
export type TraineeStatus = (typeof TRAINEE_STATUSES)[number];

/** One person in one program (unique by ID number within the program). Personal fields are decrypted here. */
export interface Trainee {
  id: string;
  programId: string;
  name: string;
  /** Normalised resident ID number (encrypted at rest). */
  idNumber: string;
  /** Mobile number (encrypted at rest). */
  phone?: string;
  /** YYYY-MM-DD, derived from the ID number. */
  birthDate: string;
  sex: 'male' | 'female';
  enterpriseId: string;
  /** Copied from the enterprise so jurisdiction reads are one indexed query. */
  enterpriseRegionCode: string;
  /** The training institution responsible for the person in this program. */
  institutionId: string;
  /** Personnel category code of the program (三类人员, per program). */
  category: string;
  post?: string;
  status: TraineeStatus;
  /** The trainee's login, when one exists. */
  userId?: string;
  demo: boolean;
}

export type NewTrainee = Omit<Trainee, 'id'>;

/**
 * Who sees full ID and phone numbers (PIPL minimum necessary): the institution that enrols the
 * person, the person, administrators. Auditors see masks; every list shows masks to everyone.
 */
export function revealsPersonalData(role: Role): boolean {
  return role === 'institution' || role === 'trainee' || role === 'admin';
}
