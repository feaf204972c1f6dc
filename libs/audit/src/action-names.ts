/**
 * zh-CN names of the action codes, for the console and the xlsx export. A code without a name is
 * shown as itself (still searchable); the route-coverage test lists codes recorded without one.
 */
export const AUDIT_ACTION_NAMES: Readonly<Record<string, string>> = {
  'audit.verify.checkpoint': '对照导出的检查点校验审计日志',
  'audit.checkpoint.export': '导出审计检查点',
  'audit.export': '导出审计日志',
  'ledger.credit': '学时入账',
  'ledger.compensate': '学时冲正',
  'study-session.open': '开始在线学习',
  'study-session.face-check': '学习中人脸核验',
  'study-session.face-check.timeout': '人脸核验超时未完成',
  'study-session.prompt.answer': '回答防挂机确认',
  'study-session.prompt.timeout': '防挂机确认超时',
  'study-session.end': '结束在线学习',
  'study-session.settle': '学习会话补记入账',
  'study-capture.submit': '提交人脸抓拍',
  'study-capture.refuse': '人脸抓拍不予计入',
};

export function auditActionName(code: string): string {
  return AUDIT_ACTION_NAMES[code] ?? code;
}
