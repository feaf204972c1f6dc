/**
 * Why (part of) a heartbeat's interval earned nothing. Codes are stable: they are stored as the
 * evidence trail and shown to auditors; the zh-CN message is what the trainee sees.
 */
export const REFUSAL_MESSAGES = {
  INVALID_HEARTBEAT: '心跳数据不合法，已忽略',
  REPLAYED: '重复的心跳，已忽略',
  OUT_OF_SEQUENCE: '心跳顺序错乱，已忽略',
  PAUSED: '播放已暂停，暂停期间不计学时',
  TAB_HIDDEN: '学习页面不在前台，期间不计学时',
  RATE_TOO_HIGH: '播放倍速超过允许上限，期间不计学时',
  SEEK_AHEAD: '进度超过已观看的位置（快进），期间不计学时',
  IMPLAUSIBLE_GAIN: '播放进度增长超过实际经过的时间，期间不计学时',
  SEEK_BACK: '播放进度回退，本次心跳不计学时',
  ALREADY_CREDITED: '该部分已计入学时，不重复计算',
  BEYOND_DURATION: '播放位置超出课时长度，超出部分不计',
  FACE_CHECK_REQUIRED: '开始计时前须先通过人脸核验',
  FACE_CHECK_OUTSTANDING: '人脸核验待完成，完成前暂停计时',
  FACE_CHECK_FAILED: '人脸核验未通过，通过前不计学时',
  PROMPT_OUTSTANDING: '防挂机确认待完成，完成前暂停计时',
  PROMPT_MISSED: '未按时完成防挂机确认，自提示时起不计学时',
  WALL_CLOCK_CAP: '计入的学时不能超过实际经过的时间',
} as const;

export type RefusalCode = keyof typeof REFUSAL_MESSAGES;
export const REFUSAL_CODES = Object.keys(REFUSAL_MESSAGES) as RefusalCode[];

export interface Refusal {
  readonly code: RefusalCode;
  readonly message: string;
  /** Lesson seconds of this heartbeat's interval that this reason kept from credit (reasons may overlap). */
  readonly seconds: number;
  /** The figures the decision was made on, for auditors. */
  readonly detail?: Readonly<Record<string, number>>;
}

export function refusal(code: RefusalCode, seconds: number, detail?: Record<string, number>): Refusal {
  return detail ? { code, message: REFUSAL_MESSAGES[code], seconds, detail } : { code, message: REFUSAL_MESSAGES[code], seconds };
}
