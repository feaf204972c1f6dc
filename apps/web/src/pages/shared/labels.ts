import type { OrganisationKind, TraineeStatus } from '../../api/identity';

export const ORGANISATION_KIND_LABELS: Record<OrganisationKind, string> = {
  enterprise: '企业',
  institution: '培训机构',
  department: '监管部门',
  evaluator: '第三方评估机构',
};

export const DEPARTMENT_LABELS: Record<'hrss' | 'emergency' | 'health', string> = {
  hrss: '人社',
  emergency: '应急',
  health: '卫健',
};

/** The institution's management systems, as named in the Shandong plan §三(五). */
export const INSTITUTION_SYSTEM_LABELS: Record<string, string> = {
  'needs-research': '培训需求调研',
  planning: '培训策划',
  management: '培训管理',
  archives: '档案管理',
  'process-control': '过程控制',
  assessment: '考核评价',
  logistics: '后勤保障',
};

export const TRAINEE_STATUS_LABELS: Record<TraineeStatus, { label: string; color: string }> = {
  active: { label: '在训', color: 'processing' },
  completed: { label: '已结业', color: 'success' },
  withdrawn: { label: '已退出', color: 'default' },
};

export const SEX_LABELS: Record<'male' | 'female', string> = { male: '男', female: '女' };
