import { ErrorCatalog, errorFactory } from '@app/platform';

/** Stable codes of the study context with their zh-CN messages (same shape as PlatformErrors). */
export const StudyErrors = {
  CREDIT_SETTINGS_INVALID: { status: 400, message: '学时计算设置不合法' },
  CHECK_SETTINGS_INVALID: { status: 400, message: '抽查设置不合法' },
  LESSON_DURATION_INVALID: { status: 400, message: '课时长度不合法' },
} as const satisfies ErrorCatalog;

export type StudyErrorCode = keyof typeof StudyErrors;

export const studyError = errorFactory(StudyErrors);
