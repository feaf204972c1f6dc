import { ErrorCatalog, errorFactory } from '@app/platform';

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
  TRAINEE_ACCOUNT_MISSING: { status: 409, message: '该学员尚未开通登录账号' },
  CONSENT_TEXT_OUTDATED: { status: 409, message: '同意书已更新，请阅读最新版本后再确认' },
  CONSENT_SELF_ONLY: { status: 403, message: '在线同意只能由学员本人作出或撤回；学员签署纸质同意书的，由所属培训机构录入' },
  CONSENT_SCAN_INVALID: { status: 400, message: '请上传学员签署的纸质同意书扫描件或照片（PDF、JPEG、PNG 或 WebP）' },
  CONSENT_ALREADY_ACTIVE: { status: 409, message: '该学员的人脸信息处理同意仍然有效，无需重复录入' },
  CONSENT_NOT_ACTIVE: { status: 409, message: '该学员当前没有有效的人脸信息处理同意' },
  CONSENT_SCAN_TOO_LARGE: { status: 413, message: '同意书扫描件不能超过 10 MB' },
  CONSENT_SCAN_NOT_FOUND: { status: 404, message: '该同意记录没有纸质同意书扫描件' },
  ROSTER_FILE_MISSING: { status: 400, message: '请上传学员名单文件（.xlsx）' },
  ROSTER_FILE_EMPTY: { status: 400, message: '上传的文件是空的' },
  ROSTER_FILE_INVALID: { status: 400, message: '无法读取该文件：请上传 Excel 2007 及以上版本的 .xlsx 文件（可先下载模板）' },
  ROSTER_FILE_TOO_LARGE: { status: 413, message: '名单文件过大，请拆分后分批导入' },
  ROSTER_HEADER_MISSING: { status: 400, message: '未找到表头：名单第一行应为列名（姓名、身份证号、人员类别等），请使用模板' },
  ROSTER_HEADER_INVALID: { status: 400, message: '表头与模板不符：缺少必填列或含有无法识别的列，请使用模板' },
  ROSTER_NO_ROWS: { status: 400, message: '名单中没有学员数据' },
  ROSTER_TOO_MANY_ROWS: { status: 400, message: '名单行数超过单次导入上限，请拆分后分批导入' },
  FACE_CONSENT_REQUIRED: { status: 409, message: '学员尚未同意人脸信息处理（或已撤回同意），不能采集人脸底库照片' },
  FACE_IMAGE_MISSING: { status: 400, message: '请上传人脸照片（JPEG/PNG/WebP）' },
  FACE_REASON_REQUIRED: { status: 400, message: '该学员已有人脸底库照片，更换或新增须填写原因' },
  FACE_REFERENCE_NOT_FOUND: { status: 404, message: '人脸底库记录不存在' },
  FACE_REVIEW_NOT_PENDING: { status: 409, message: '该人脸底库记录不处于待审核状态' },
} as const satisfies ErrorCatalog;

export type IdentityErrorCode = keyof typeof IdentityErrors;

/** Builds this context's errors in the platform's shape: `identityError(code, details?, { headers?, message? })`. */
export const identityError = errorFactory(IdentityErrors);
