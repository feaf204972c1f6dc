import { ErrorCatalog, errorFactory } from '@app/platform';

/** Stable codes of the exams context with their zh-CN messages. */
export const ExamErrors = {
  CLASS_NOT_FOUND: { status: 404, message: '班次不存在' },
  SITTING_NOT_FOUND: { status: 404, message: '考试场次不存在' },
  EXAM_NOT_ORGANISER: { status: 403, message: '本培训项目的结业考试不由您所在的单位组织：培考分离的项目由考试主管部门出题、监考、阅卷，培训机构不能创建、查看或登记成绩' },
  EXAM_NOT_REQUIRED: { status: 409, message: '本培训项目的规则集不要求结业考试' },
  SITTING_INVALID: { status: 400, message: '考试场次信息不合法' },
  NO_CANDIDATES: { status: 409, message: '本班次没有可以参加此场考试的学员' },
  SITTING_NOT_STARTED: { status: 409, message: '考试尚未开始，不能登记成绩' },
  RESULTS_ALREADY_RECORDED: { status: 409, message: '本场考试的成绩已登记，不能重复登记' },
  RESULTS_INVALID: { status: 400, message: '成绩登记表不合法，请按提示修改' },
} as const satisfies ErrorCatalog;

export type ExamErrorCode = keyof typeof ExamErrors;
export const examError = errorFactory(ExamErrors);
