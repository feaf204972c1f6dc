import type { ClassStatus } from './rules/class-composition';
import type { Employment, InstructorRole, TitleLevel } from './rules/instructor-checklist';
import type { SessionKind } from './rules/attendance';

/** 班次: one program, one institution, one personnel category and one enterprise type. */
export interface OfflineClass {
  id: string;
  programId: string;
  institutionId: string;
  /** The institution's region: what an auditor's jurisdiction matches. */
  regionCode: string;
  name: string;
  category: string;
  industry: string;
  location: string;
  /** YYYY-MM-DD */
  startDate: string;
  endDate: string;
  status: ClassStatus;
  /** Roster size, kept with the class so the cap is checked under the class's own write. */
  size: number;
  /** Over a 原则上/一般 cap with a written justification: what auditors are shown. */
  sizeOverride?: { cap: number; size: number; justification: string; source: string; at: Date; by: string };
  demo: boolean;
}

/** One trainee on a class's roster (学员名册), with the tenant keys copied from the trainee. */
export interface RosterEntry {
  id: string;
  classId: string;
  traineeId: string;
  institutionId: string;
  regionCode: string;
  name: string;
  category: string;
}

/** 授课教师 or 专职培训管理人员 of an institution. The ID number is decrypted here, encrypted at rest. */
export interface Instructor {
  id: string;
  institutionId: string;
  regionCode: string;
  name: string;
  idNumber: string;
  role: InstructorRole;
  employment: Employment;
  /** 职称或技能等级 as written, e.g. 高级工程师 / 高级技师. */
  title: string;
  titleLevel: TitleLevel;
  specialty: string;
  safetyMajor: boolean;
  safetyTeacher: boolean;
  yearsOfPractice: number;
  active: boolean;
}

export type SessionStatus = 'scheduled' | 'accepted';

/** 课次 of a class's timetable. */
export interface ClassSession {
  id: string;
  classId: string;
  programId: string;
  institutionId: string;
  regionCode: string;
  startsAt: Date;
  endsAt: Date;
  kind: SessionKind;
  topic: string;
  instructorId: string;
  room: string;
  status: SessionStatus;
  acceptedAt?: Date;
  acceptedBy?: string;
}

export interface AttendanceCapture {
  step: 'sign-in' | 'sign-out';
  key: string;
  sha256: string;
  size: number;
  distance: number;
  at: Date;
}

/** A trainee's sign-in and sign-out for one session, with the captures behind them. */
export interface Attendance {
  id: string;
  sessionId: string;
  classId: string;
  traineeId: string;
  programId: string;
  institutionId: string;
  regionCode: string;
  signInAt?: Date;
  signOutAt?: Date;
  captures: AttendanceCapture[];
  /** Entered by staff rather than recognised at the kiosk: each entry with its reason. */
  manual: { reason: string; by: string; at: Date; signInAt?: Date; signOutAt?: Date }[];
  /** Auditors look at these first: anything entered by hand. */
  flagged: boolean;
}
