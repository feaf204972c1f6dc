import { AppError } from '@app/platform';

/** Stable codes of the identity context with their zh-CN messages (same shape as PlatformErrors). */
export const IdentityErrors = {
  AUTH_INVALID_CREDENTIALS: { status: 401, message: '用户名或密码错误' },
  AUTH_LOCKED: { status: 423, message: '登录失败次数过多，账号已临时锁定，请稍后再试' },
  AUTH_ACCOUNT_DISABLED: { status: 403, message: '账号已停用，请联系管理员' },
  AUTH_TOKEN_EXPIRED: { status: 401, message: '登录已过期，请重新登录' },
  AUTH_TOKEN_INVALID: { status: 401, message: '登录凭证无效，请重新登录' },
  AUTH_SESSION_REVOKED: { status: 401, message: '会话已注销，请重新登录' },
  AUTH_REFRESH_REUSED: { status: 401, message: '登录凭证已被使用过，为保护账号安全已注销该会话，请重新登录' },
  AUTH_PASSWORD_CHANGE_REQUIRED: { status: 403, message: '首次登录或密码已重置，请先修改密码' },
  AUTH_CURRENT_PASSWORD_WRONG: { status: 400, message: '当前密码不正确' },
  AUTH_PASSWORD_WEAK: { status: 400, message: '新密码不符合安全要求' },
  USERNAME_TAKEN: { status: 409, message: '用户名已被使用' },
  USER_ORGANISATION_INVALID: { status: 400, message: '所属单位不存在或与角色不符' },
  TRAINEE_DUPLICATE: { status: 409, message: '该学员已在本项目中登记' },
  TRAINEE_NOT_FOUND: { status: 404, message: '学员不存在' },
  TRAINEE_ACCOUNT_EXISTS: { status: 409, message: '该学员已有登录账号' },
  CONSENT_TEXT_OUTDATED: { status: 409, message: '同意书已更新，请阅读最新版本后再确认' },
  CONSENT_SELF_ONLY: { status: 403, message: '人脸信息处理同意只能由学员本人作出或撤回' },
} as const satisfies Record<string, { status: number; message: string }>;

export type IdentityErrorCode = keyof typeof IdentityErrors;

export function identityError(
  code: IdentityErrorCode,
  details?: unknown,
  extra: { headers?: Record<string, string>; message?: string } = {},
): AppError {
  const def = IdentityErrors[code];
  return new AppError(code, def.status, extra.message ?? def.message, details, extra.headers);
}
