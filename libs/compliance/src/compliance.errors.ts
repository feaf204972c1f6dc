import { ErrorCatalog, errorFactory } from '@app/platform';

/** Stable codes of the compliance context with their zh-CN messages. */
export const ComplianceErrors = {
  PROGRAM_NOT_FOUND: { status: 404, message: '培训项目不存在' },
  RULE_SET_NOT_FOUND: { status: 404, message: '该培训项目尚无规则集' },
  RULE_SET_VERSION_NOT_FOUND: { status: 404, message: '规则集没有该版本' },
  RULE_SET_INVALID: { status: 400, message: '规则集不合法，请按提示修改后再保存' },
  RULE_SET_STALE: { status: 409, message: '规则集已被他人修改（版本号已变化），请刷新后在最新版本上修改' },
  RULE_SET_UNCHANGED: { status: 409, message: '规则集与当前版本相同，无需保存新版本' },
  NOTE_REQUIRED: { status: 400, message: '请填写修改说明（将记入审计日志）' },
  VERDICT_NOT_FOUND: { status: 404, message: '没有该学员的合规判定' },
  TRAINEE_NOT_FOUND: { status: 404, message: '学员不存在' },
} as const satisfies ErrorCatalog;

export type ComplianceErrorCode = keyof typeof ComplianceErrors;
export const complianceError = errorFactory(ComplianceErrors);
