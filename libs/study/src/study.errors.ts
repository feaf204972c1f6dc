import { ErrorCatalog, errorFactory } from '@app/platform';

/** Stable codes of the study context with their zh-CN messages (same shape as PlatformErrors). */
export const StudyErrors = {
  CREDIT_SETTINGS_INVALID: { status: 400, message: '学时计算设置不合法' },
  CHECK_SETTINGS_INVALID: { status: 400, message: '抽查设置不合法' },
  LESSON_DURATION_INVALID: { status: 400, message: '课时长度不合法' },
  SESSION_NOT_FOUND: { status: 404, message: '学习会话不存在，请重新进入课时' },
  SESSION_SUPERSEDED: { status: 409, message: '您已在其他设备或页面开始学习，本处的学习已结束' },
  SESSION_ENDED: { status: 409, message: '本次学习已结束，请重新进入课时' },
  SESSION_TERMINATED: {
    status: 409,
    message: '人脸核验连续多次未通过，本次学习已终止，未经核验的时长不计入学时，记录将供监管部门核查。如确为本人学习，请正对摄像头、保持光线充足后重新进入；如底库照片有误，请联系培训机构',
  },
  SESSION_BUSY: { status: 409, message: '学习会话正在被更新，请稍后重试' },
  LESSON_NOT_PLAYABLE: { status: 409, message: '该课时视频尚未发布，暂不能学习' },
  NOT_ENROLLED: { status: 403, message: '您不在该课程的适用对象范围内' },
  FACE_REFERENCE_MISSING: { status: 409, message: '没有可用的人脸底库照片（尚未采集、正在审核或未同意人脸信息处理），暂不能在线学习，请联系培训机构' },
  CHECK_NOT_OUTSTANDING: { status: 409, message: '该核验已结束或不存在，无需再次提交' },
  CAPTURE_EMPTY: { status: 400, message: '未收到抓拍图片' },
  CAPTURE_TOO_LARGE: { status: 413, message: '抓拍图片过大' },
  STUDY_SESSION_REQUIRED: { status: 403, message: '请在学习页面开始学习后再播放该课时' },
  CAPTURE_NOT_FOUND: { status: 404, message: '抓拍记录不存在' },
} as const satisfies ErrorCatalog;

export type StudyErrorCode = keyof typeof StudyErrors;

export const studyError = errorFactory(StudyErrors);
