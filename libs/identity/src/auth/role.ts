/** 学员 / 培训机构工作人员 / 监管部门（审核）/ 考试主管部门（培考分离的出题、监考、阅卷）/ 系统管理员 */
export const ROLES = ['trainee', 'institution', 'auditor', 'examiner', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_NAMES: Record<Role, string> = {
  trainee: '学员',
  institution: '培训机构',
  auditor: '监管部门',
  examiner: '考试主管部门',
  admin: '系统管理员',
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
