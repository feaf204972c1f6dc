/**
 * Why an enrolment photo was refused, each with what to do about it (zh-CN). Institution staff take
 * or upload the reference photo of a trainee, so the advice speaks to them about the trainee.
 */
export const EnrolmentRejections = {
  FACE_NONE: '未检测到人脸，请让学员正对镜头，整张脸都在画面中。',
  FACE_MULTIPLE: '照片中有多张人脸，底库照片只能有学员本人，请让其他人离开画面后重拍。',
  FACE_TOO_SMALL: '人脸太小，请靠近拍摄，让学员脸部占据画面更大区域。',
  FACE_LOW_CONFIDENCE: '人脸不够清晰可辨，请学员摘下遮挡物（口罩、墨镜、帽子），在光线均匀处正对镜头。',
  FACE_NOT_FRONTAL: '请让学员正视镜头，不要侧脸、歪头、抬头或低头。',
  FACE_BLURRED: '照片模糊，请保持静止、擦拭镜头并对准焦点后重拍。',
  FACE_TOO_DARK: '光线太暗，请到明亮处或打开灯光，避免背光。',
  FACE_TOO_BRIGHT: '光线过强或过曝，请避开强光直射，调整到光线柔和处。',
} as const;

export type EnrolmentRejectionCode = keyof typeof EnrolmentRejections;
