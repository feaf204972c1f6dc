/** The four kinds of console user; what each may see is decided here and, authoritatively, by the API. */
export const ROLES = ['trainee', 'institution', 'auditor', 'examiner', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  trainee: '学员',
  institution: '培训机构',
  auditor: '审核人员',
  examiner: '考试主管部门',
  admin: '管理员',
};

/** Who each role is, in the words of the programs' documents. */
export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  trainee: '重点企业“三类人员”：分管负责人、安全管理人员、班组长',
  institution: '承担培训任务的培训机构',
  auditor: '人社、应急、卫健部门及第三方评估机构',
  examiner: '培考分离时出题、监考、阅卷的应急管理部门或其委托单位',
  admin: '平台管理员',
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
