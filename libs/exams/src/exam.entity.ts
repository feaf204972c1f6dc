import type { ExamOrganiser } from '@app/compliance';
import type { SittingKind } from './rules/exam-rules';

export type SittingStatus = 'scheduled' | 'recorded';

export interface Candidate {
  readonly traineeId: string;
  readonly name: string;
  /** The trainee's region (copied from the roster, as the trainee's other records carry it). */
  readonly regionCode: string;
  /** 1 for the first sitting, 2… for retakes. */
  readonly attempt: number;
}

export interface CandidateResult {
  readonly traineeId: string;
  readonly score?: number;
  readonly absent: boolean;
  readonly passed: boolean;
}

/** One closed-book paper exam (考试场次) of a class: its paper, time, place, candidates and, once recorded, results. */
export interface ExamSitting {
  readonly id: string;
  readonly programId: string;
  readonly classId: string;
  readonly institutionId: string;
  readonly regionCode: string;
  /** As the rule set said when it was scheduled: who may act on it does not change with later versions. */
  readonly organiser: ExamOrganiser;
  readonly ruleSetVersion: number;
  readonly passMark: number;
  readonly kind: SittingKind;
  /** The paper set for this class (试卷编号, 名称). */
  readonly paperCode: string;
  readonly paperTitle: string;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly location: string;
  readonly candidates: readonly Candidate[];
  readonly status: SittingStatus;
  readonly invigilators: readonly string[];
  readonly results: readonly CandidateResult[];
  readonly createdBy: string;
  readonly recordedBy?: string;
  readonly recordedAt?: Date;
}
