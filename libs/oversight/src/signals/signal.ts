/**
 * What an auditor is asked to look at: a study session, one trainee's attendance at one class
 * session, a trainee's day, or the trainee as a whole. The owner columns travel with it so the
 * queue is filtered and scoped by plain indexed fields.
 */
export const SUBJECT_KINDS = ['study-session', 'class-attendance', 'trainee-day', 'trainee'] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

export const SUBJECT_KIND_NAMES: Record<SubjectKind, string> = {
  'study-session': '在线学习会话',
  'class-attendance': '线下课次考勤',
  'trainee-day': '学员某日学习',
  trainee: '学员',
};

export interface Owner {
  readonly traineeId: string;
  readonly programId: string;
  readonly institutionId: string;
  /** The trainee's enterprise region: auditors see items of their jurisdiction by it. */
  readonly regionCode: string;
  readonly userId?: string;
  readonly enterpriseId?: string;
  readonly classId?: string;
}

export interface Subject {
  readonly kind: SubjectKind;
  /** The subject's own id: a session id, an attendance id, `<traineeId>:<YYYY-MM-DD>`, a trainee id. */
  readonly id: string;
  readonly owner: Owner;
  /** When it happened (ms): the queue's date filter and order among equals. */
  readonly at: number;
  /** The study session or class session the subject is about, when it is about one (what a void of it compensates). */
  readonly sessionId?: string;
}

/** A stored fact a signal rests on, named so the auditor can open it. */
export interface FactRef {
  readonly kind: 'study-session' | 'study-capture' | 'study-refusal' | 'face-reference' | 'offline-attendance' | 'offline-session' | 'recording' | 'camera' | 'liveness';
  readonly id: string;
  readonly note?: string;
}

export const SIGNAL_CODES = [
  'face-failed',
  'face-borderline',
  'shared-face',
  'shared-device',
  'overlapping-sessions',
  'online-during-offline',
  'daily-excess',
  'many-refusals',
  'manual-attendance',
  'reference-changed',
  'recording-short',
  'recording-few-faces',
  'recording-reused',
  'virtual-camera',
  'liveness-failed',
  'random-sample',
] as const;
export type SignalCode = (typeof SIGNAL_CODES)[number];

/** zh-CN names shown on the queue and in the formula. */
export const SIGNAL_NAMES: Record<SignalCode, string> = {
  'face-failed': '人脸核验未通过',
  'face-borderline': '人脸比对距离接近阈值',
  'shared-face': '同一人脸对应多个学员账号',
  'shared-device': '同一设备/网络短时间内多名学员学习',
  'overlapping-sessions': '在线学习会话时间重叠',
  'online-during-offline': '线下课次签到期间在线学习',
  'daily-excess': '单日学习时长超过上限',
  'many-refusals': '学习会话多次不予计时',
  'manual-attendance': '人工登记考勤',
  'reference-changed': '更换底库照片后连续通过核验',
  'recording-short': '课次录像短于课程表',
  'recording-few-faces': '录像中人脸数远少于签到人数',
  'recording-reused': '录像重复使用',
  'virtual-camera': '使用虚拟摄像头',
  'liveness-failed': '活体检测未通过',
  'random-sample': '随机抽查',
};

/**
 * One reason to look: which signal, about what, how strongly (0–1, e.g. the share of failed checks),
 * a zh-CN sentence with the figures, and the facts behind it.
 */
export interface Signal {
  readonly code: SignalCode;
  readonly subject: Subject;
  readonly strength: number;
  readonly detail: string;
  readonly facts: readonly FactRef[];
}

export const clamp01 = (x: number) => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0);

/** Class dates and study days are calendar days in China (UTC+8, no daylight saving). */
export function chinaDay(at: number): string {
  return new Date(at + 8 * 3600_000).toISOString().slice(0, 10);
}
