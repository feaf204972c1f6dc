import { ErrorCatalog, errorFactory } from '@app/platform';

/** Stable codes of the catalog context with their zh-CN messages (same shape as PlatformErrors). */
export const CatalogErrors = {
  PROGRAM_NOT_FOUND: { status: 404, message: '培训项目不存在' },
  COURSE_NOT_FOUND: { status: 404, message: '课程不存在' },
  COURSE_CODE_TAKEN: { status: 409, message: '课程编号在本项目中已存在' },
  LESSON_NOT_FOUND: { status: 404, message: '课时不存在' },
  LESSON_ORDER_MISMATCH: { status: 400, message: '课时排序须包含本课程的全部课时且不重复' },
  COURSE_DEADLINE_INVALID: { status: 400, message: '课程截止日期须在培训项目期限内' },
  AUDIENCE_INVALID: { status: 400, message: '适用对象不合法：行业或人员类别不属于该培训项目，或重复' },
  ELECTIVE_TARGET_INVALID: { status: 400, message: '选修学时目标不合法' },
  NOT_IN_AUDIENCE: { status: 403, message: '该课程不在您的学习范围内' },
} as const satisfies ErrorCatalog;

export type CatalogErrorCode = keyof typeof CatalogErrors;

export const catalogError = errorFactory(CatalogErrors);
