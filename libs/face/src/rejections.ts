/** Why an enrolment photo was refused, each with what the person should do about it (zh-CN). */
export const EnrolmentRejections = {
  FACE_NONE: '未检测到人脸，请正对摄像头，确保整张脸在画面中。',
  FACE_MULTIPLE: '画面中有多张人脸，请确保只有您本人在镜头前。',
  FACE_TOO_SMALL: '人脸太小，请靠近摄像头，让脸部占据画面更大区域。',
  FACE_LOW_CONFIDENCE: '人脸不够清晰可辨，请摘下遮挡物（口罩、墨镜、帽子），在光线均匀处正对摄像头。',
  FACE_NOT_FRONTAL: '请正视摄像头，不要侧脸、歪头、抬头或低头。',
  FACE_BLURRED: '照片模糊，请保持静止、擦拭镜头并对准焦点后重拍。',
  FACE_TOO_DARK: '光线太暗，请到明亮处或打开灯光，避免背光。',
  FACE_TOO_BRIGHT: '光线过强或过曝，请避开强光直射，调整到光线柔和处。',
} as const;

export type EnrolmentRejectionCode = keyof typeof EnrolmentRejections;
