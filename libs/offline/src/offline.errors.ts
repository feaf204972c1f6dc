import { ErrorCatalog, errorFactory } from '@app/platform';

/** Stable codes of the offline-training context with their zh-CN messages (same shape as PlatformErrors). */
export const OfflineErrors = {
  CLASS_NOT_FOUND: { status: 404, message: '班次不存在' },
  CLASS_INVALID: { status: 400, message: '班次信息不合法' },
  CLASS_FINISHED: { status: 409, message: '班次已结束，不能再修改' },
  CLASS_STATUS_INVALID: { status: 409, message: '班次状态只能依次推进：草稿 → 已发布 → 进行中 → 已结束' },
  CLASS_COMPOSITION_MIXED: { status: 400, message: '严禁不同培训对象混合编班（“大合堂”）：须按企业类型和人员类别分类设置班次' },
  CLASS_SIZE_JUSTIFICATION_REQUIRED: { status: 400, message: '班次人数将超过培训项目规定的上限，须填写书面理由（将记录并提示监管部门核查）' },
  CLASS_SIZE_EXCEEDED: { status: 409, message: '班次人数超过培训项目规定的上限，不能再增加学员' },
  TRAINEE_NOT_ELIGIBLE: { status: 400, message: '该学员不属于本班次的培训项目或培训机构' },
  TRAINEE_ALREADY_IN_CLASS: { status: 409, message: '该学员已在本班次花名册中' },
  TRAINEE_SCHEDULE_CLASH: { status: 409, message: '该学员所在的其他班次有时间重叠的课次，同一学员不能同时参加两个班次' },
  REASON_REQUIRED: { status: 400, message: '请填写原因（将记入审计日志）' },
  ROSTER_HAS_ATTENDANCE: { status: 409, message: '该学员在本班次已有考勤记录，不能移出花名册' },
  NOT_ON_ROSTER: { status: 409, message: '该学员不在本班次花名册中' },
  INSTRUCTOR_INVALID: { status: 400, message: '教师信息不合法' },
  INSTRUCTOR_NOT_FOUND: { status: 404, message: '授课教师不存在' },
  INSTRUCTOR_DUPLICATE: { status: 409, message: '该身份证号的人员已在本机构登记' },
  INSTRUCTOR_INACTIVE: { status: 409, message: '该教师已停用，不能安排课次' },
  INSTRUCTOR_CLASH: { status: 409, message: '该教师在此时间已有其他课次，同一教师不能同时讲授两个课次' },
  ROOM_CLASH: { status: 409, message: '该教室在此时间已安排其他课次' },
  SESSION_NOT_FOUND: { status: 404, message: '课次不存在' },
  SESSION_INVALID: { status: 400, message: '课次时间不合法' },
  SESSION_OUTSIDE_CLASS: { status: 400, message: '课次日期须在班次起止日期之内' },
  SESSION_CHANGE_REASON_REQUIRED: { status: 400, message: '课次已开始，修改课程表须填写原因（将记入审计日志）' },
  SESSION_ACCEPTED: { status: 409, message: '课次已验收，课程表与考勤不能再修改' },
  SESSION_NOT_ENDED: { status: 409, message: '课次尚未结束，不能验收' },
  ATTENDANCE_REASON_REQUIRED: { status: 400, message: '人工登记考勤须填写原因（将标记供监管部门核查）' },
  ATTENDANCE_INVALID: { status: 400, message: '签到、签退时间不合法' },
  KIOSK_TOKEN_INVALID: { status: 401, message: '签到终端凭证无效或已过期，请由培训机构工作人员重新开启签到' },
  KIOSK_SESSION_OVER: { status: 409, message: '该课次已结束，不能再开启签到终端' },
  CAPTURE_EMPTY: { status: 400, message: '未收到摄像头画面' },
  CAPTURE_TOO_LARGE: { status: 413, message: '摄像头画面过大' },
  ROSTER_FILE_INVALID: { status: 400, message: '无法读取花名册文件：请上传含“身份证号”列的 .xlsx 文件' },
} as const satisfies ErrorCatalog;

export type OfflineErrorCode = keyof typeof OfflineErrors;

export const offlineError = errorFactory(OfflineErrors);
