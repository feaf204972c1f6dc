import type { InstitutionQualification, QualificationShortfall } from './institution-qualification';

/** 企业 / 培训机构 / 监管部门（人社、应急、卫健）/ 第三方评估机构 */
export type OrganisationKind = 'enterprise' | 'institution' | 'department' | 'evaluator';

export interface Organisation {
  id: string;
  kind: OrganisationKind;
  name: string;
  /** 统一社会信用代码; required for enterprises and institutions. */
  uscc?: string;
  /** 6-digit administrative division code: location for enterprises, jurisdiction for departments. */
  regionCode: string;
  industry?: string;
  /** 人社 / 应急 / 卫健 for departments. */
  department?: 'hrss' | 'emergency' | 'health';
  demo: boolean;
  /** Institutions: the facts behind the basic conditions. */
  qualification?: InstitutionQualification;
  /** Institutions: what fell short when registered, and the written justification auditors see. */
  qualificationReview?: { shortfalls: QualificationShortfall[]; justification?: string };
}

export type NewOrganisation = Omit<Organisation, 'id'>;
