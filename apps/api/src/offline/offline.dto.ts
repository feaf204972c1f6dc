import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsDate, IsIn, IsInt, IsMongoId, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { maskIdNumber } from '@app/identity';
import {
  Attendance,
  AttendanceRow,
  CLASS_STATUSES,
  ChecklistItem,
  ClassRosterImportReport,
  ClassSession,
  ClassStatus,
  Instructor,
  KIOSK_OUTCOMES,
  KioskAttempt,
  KioskResult,
  OfflineClass,
  RosterEntry,
  SESSION_KINDS,
  SessionKind,
} from '@app/offline';
export { ReasonDto } from '../reason.dto';

const NOT_BLANK = /\S/;
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const DATE_MESSAGE = '日期格式应为 YYYY-MM-DD';
const TITLE_LEVELS = ['senior', 'intermediate', 'junior', 'none'] as const;

export class ClassQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsMongoId({ message: '培训项目标识不正确' }) programId?: string;
  @ApiPropertyOptional({ enum: CLASS_STATUSES }) @IsOptional() @IsIn(CLASS_STATUSES) status?: ClassStatus;
}

export class CreateClassDto {
  @ApiProperty() @IsMongoId({ message: '培训项目标识不正确' }) programId!: string;
  @ApiPropertyOptional({ description: '仅管理员填写' }) @IsOptional() @IsMongoId({ message: '培训机构标识不正确' }) institutionId?: string;
  @ApiProperty({ example: '矿山班组长第一期' }) @IsString() @Matches(NOT_BLANK, { message: '请输入班次名称' }) @MaxLength(100, { message: '班次名称不能超过 100 个字符' }) name!: string;
  @ApiProperty({ example: 'team_leader', description: '本项目的人员类别代码：一个班次只能有一类人员' }) @IsString() @MaxLength(50) category!: string;
  @ApiProperty({ example: '矿山', description: '本项目的行业（企业类型）' }) @IsString() @MaxLength(50) industry!: string;
  @ApiProperty({ example: '伊春市伊美区培训中心' }) @IsString() @Matches(NOT_BLANK, { message: '请输入培训地点' }) @MaxLength(200) location!: string;
  @ApiProperty({ example: '2025-06-02' }) @Matches(DATE, { message: DATE_MESSAGE }) startDate!: string;
  @ApiProperty({ example: '2025-06-04' }) @Matches(DATE, { message: DATE_MESSAGE }) endDate!: string;
}

export class UpdateClassDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Matches(NOT_BLANK, { message: '请输入班次名称' }) @MaxLength(100) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Matches(NOT_BLANK, { message: '请输入培训地点' }) @MaxLength(200) location?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(DATE, { message: DATE_MESSAGE }) startDate?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(DATE, { message: DATE_MESSAGE }) endDate?: string;
  @ApiPropertyOptional({ enum: CLASS_STATUSES, description: '只能依次推进：draft → published → in_progress → finished' }) @IsOptional() @IsIn(CLASS_STATUSES) status?: ClassStatus;
}

export class AddRosterDto {
  @ApiProperty() @IsMongoId({ message: '学员标识不正确' }) traineeId!: string;
  @ApiPropertyOptional({ description: '班次人数超过“原则上/一般”上限时必填的书面理由' }) @IsOptional() @IsString() @MaxLength(2000) justification?: string;
}

export class KioskClosedDto {
  @ApiProperty({ description: '本次关闭的签到终端数' }) closed!: number;
}

export class RosterImportFieldsDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) justification?: string;
}

export class SizeOverrideDto {
  @ApiProperty() cap!: number;
  @ApiProperty() size!: number;
  @ApiProperty() justification!: string;
  @ApiProperty() source!: string;
  @ApiProperty() at!: Date;
}

export class ClassDto {
  @ApiProperty() id!: string;
  @ApiProperty() programId!: string;
  @ApiProperty() institutionId!: string;
  @ApiProperty() regionCode!: string;
  @ApiProperty() name!: string;
  @ApiProperty() category!: string;
  @ApiProperty() industry!: string;
  @ApiProperty() location!: string;
  @ApiProperty() startDate!: string;
  @ApiProperty() endDate!: string;
  @ApiProperty({ enum: CLASS_STATUSES }) status!: ClassStatus;
  @ApiProperty() size!: number;
  @ApiPropertyOptional({ type: SizeOverrideDto, description: '超过人数上限的书面理由：提示监管部门核查' }) sizeOverride?: SizeOverrideDto;
  @ApiProperty() flagged!: boolean;
  @ApiProperty() demo!: boolean;

  static from(c: OfflineClass): ClassDto {
    const { sizeOverride, ...rest } = c;
    return { ...rest, sizeOverride: sizeOverride && { cap: sizeOverride.cap, size: sizeOverride.size, justification: sizeOverride.justification, source: sizeOverride.source, at: sizeOverride.at }, flagged: sizeOverride !== undefined };
  }
}

export class ClassListDto {
  @ApiProperty({ type: [ClassDto] }) items!: ClassDto[];
}

export class RosterEntryDto {
  @ApiProperty() id!: string;
  @ApiProperty() traineeId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() category!: string;

  static from(e: RosterEntry): RosterEntryDto {
    return { id: e.id, traineeId: e.traineeId, name: e.name, category: e.category };
  }
}

export class ClassDetailDto extends ClassDto {
  @ApiProperty({ type: [RosterEntryDto] }) roster!: RosterEntryDto[];
}

export class ClassRosterRowErrorDto {
  @ApiProperty() row!: number;
  @ApiProperty({ description: '已脱敏' }) idNumber!: string;
  @ApiProperty() code!: string;
  @ApiProperty() message!: string;
}

export class ClassRosterImportReportDto implements ClassRosterImportReport {
  @ApiProperty() added!: number;
  @ApiProperty() rejected!: number;
  @ApiProperty({ type: [ClassRosterRowErrorDto] }) errors!: ClassRosterRowErrorDto[];
}

export class CreateSessionDto {
  @ApiProperty({ example: '2025-06-02T01:00:00.000Z' }) @Type(() => Date) @IsDate({ message: '开始时间不合法' }) startsAt!: Date;
  @ApiProperty({ example: '2025-06-02T03:00:00.000Z' }) @Type(() => Date) @IsDate({ message: '结束时间不合法' }) endsAt!: Date;
  @ApiProperty({ enum: SESSION_KINDS, description: 'theory 理论授课 / practical 实训 / discussion 互动研讨' }) @IsIn(SESSION_KINDS, { message: '课次类型不合法' }) kind!: SessionKind;
  @ApiProperty() @IsString() @Matches(NOT_BLANK, { message: '请输入授课内容' }) @MaxLength(200) topic!: string;
  @ApiProperty() @IsMongoId({ message: '授课教师标识不正确' }) instructorId!: string;
  @ApiProperty({ example: '201 教室' }) @IsString() @Matches(NOT_BLANK, { message: '请输入教室' }) @MaxLength(100) room!: string;
  @ApiPropertyOptional({ description: '课次已开始（或补录已开始的课次）时必填' }) @IsOptional() @IsString() @MaxLength(2000) reason?: string;
}

export class UpdateSessionDto {
  @ApiPropertyOptional() @IsOptional() @Type(() => Date) @IsDate({ message: '开始时间不合法' }) startsAt?: Date;
  @ApiPropertyOptional() @IsOptional() @Type(() => Date) @IsDate({ message: '结束时间不合法' }) endsAt?: Date;
  @ApiPropertyOptional({ enum: SESSION_KINDS }) @IsOptional() @IsIn(SESSION_KINDS) kind?: SessionKind;
  @ApiPropertyOptional() @IsOptional() @IsString() @Matches(NOT_BLANK) @MaxLength(200) topic?: string;
  @ApiPropertyOptional() @IsOptional() @IsMongoId() instructorId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Matches(NOT_BLANK) @MaxLength(100) room?: string;
  @ApiPropertyOptional({ description: '课次已开始后修改时必填' }) @IsOptional() @IsString() @MaxLength(2000) reason?: string;
}

export class SessionDto {
  @ApiProperty() id!: string;
  @ApiProperty() classId!: string;
  @ApiProperty() startsAt!: Date;
  @ApiProperty() endsAt!: Date;
  @ApiProperty({ enum: SESSION_KINDS }) kind!: SessionKind;
  @ApiProperty() topic!: string;
  @ApiProperty() instructorId!: string;
  @ApiProperty() room!: string;
  @ApiProperty({ enum: ['scheduled', 'accepted'] }) status!: 'scheduled' | 'accepted';
  @ApiPropertyOptional() acceptedAt?: Date;

  static from(s: ClassSession): SessionDto {
    return { id: s.id, classId: s.classId, startsAt: s.startsAt, endsAt: s.endsAt, kind: s.kind, topic: s.topic, instructorId: s.instructorId, room: s.room, status: s.status, acceptedAt: s.acceptedAt };
  }
}

export class SessionListDto {
  @ApiProperty({ type: [SessionDto] }) items!: SessionDto[];
}

export class InstructorQueryDto {
  @ApiPropertyOptional({ description: '管理员、监管部门查看某一机构时填写' }) @IsOptional() @IsMongoId() institutionId?: string;
}

export class CreateInstructorDto {
  @ApiPropertyOptional({ description: '仅管理员填写' }) @IsOptional() @IsMongoId() institutionId?: string;
  @ApiProperty() @IsString() @Matches(NOT_BLANK, { message: '请输入姓名' }) @MaxLength(50) name!: string;
  @ApiProperty({ description: '居民身份证号（加密保存）' }) @IsString() @MaxLength(30) idNumber!: string;
  @ApiProperty({ enum: ['teacher', 'manager'], description: 'teacher 授课教师 / manager 专职培训管理人员' }) @IsIn(['teacher', 'manager']) role!: 'teacher' | 'manager';
  @ApiProperty({ enum: ['full_time', 'part_time'] }) @IsIn(['full_time', 'part_time'], { message: '请选择专职或兼职' }) employment!: 'full_time' | 'part_time';
  @ApiProperty({ example: '高级工程师', description: '职称或技能等级' }) @IsString() @MaxLength(50) title!: string;
  @ApiProperty({ enum: TITLE_LEVELS, description: 'senior 为高级及以上' }) @IsIn(TITLE_LEVELS) titleLevel!: (typeof TITLE_LEVELS)[number];
  @ApiProperty({ example: '矿山安全' }) @IsString() @MaxLength(100) specialty!: string;
  @ApiProperty({ description: '具有相关行业安全专业' }) @IsBoolean() safetyMajor!: boolean;
  @ApiProperty({ description: '安全生产或职业健康培训老师' }) @IsBoolean() safetyTeacher!: boolean;
  @ApiProperty() @IsInt({ message: '从业年限须为整数' }) @Min(0) @Max(70) yearsOfPractice!: number;
}

export class UpdateInstructorDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Matches(NOT_BLANK) @MaxLength(50) name?: string;
  @ApiPropertyOptional({ enum: ['teacher', 'manager'] }) @IsOptional() @IsIn(['teacher', 'manager']) role?: 'teacher' | 'manager';
  @ApiPropertyOptional({ enum: ['full_time', 'part_time'] }) @IsOptional() @IsIn(['full_time', 'part_time']) employment?: 'full_time' | 'part_time';
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(50) title?: string;
  @ApiPropertyOptional({ enum: TITLE_LEVELS }) @IsOptional() @IsIn(TITLE_LEVELS) titleLevel?: (typeof TITLE_LEVELS)[number];
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) specialty?: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() safetyMajor?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() safetyTeacher?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(70) yearsOfPractice?: number;
  @ApiPropertyOptional({ description: 'false：已离职或停用，不再计入条件、不能排课' }) @IsOptional() @IsBoolean() active?: boolean;
}

export class InstructorDto {
  @ApiProperty() id!: string;
  @ApiProperty() institutionId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: '已脱敏' }) idNumber!: string;
  @ApiProperty({ enum: ['teacher', 'manager'] }) role!: 'teacher' | 'manager';
  @ApiProperty({ enum: ['full_time', 'part_time'] }) employment!: 'full_time' | 'part_time';
  @ApiProperty() title!: string;
  @ApiProperty({ enum: TITLE_LEVELS }) titleLevel!: (typeof TITLE_LEVELS)[number];
  @ApiProperty() specialty!: string;
  @ApiProperty() safetyMajor!: boolean;
  @ApiProperty() safetyTeacher!: boolean;
  @ApiProperty() yearsOfPractice!: number;
  @ApiProperty() active!: boolean;

  static from(i: Instructor): InstructorDto {
    const { regionCode: _r, ...rest } = i;
    return { ...rest, idNumber: maskIdNumber(i.idNumber) };
  }
}

export class InstructorListDto {
  @ApiProperty({ type: [InstructorDto] }) items!: InstructorDto[];
}

export class ChecklistItemDto implements ChecklistItem {
  @ApiProperty({ enum: ['managers', 'teachers', 'safety-teacher', 'senior-teachers'] }) rule!: ChecklistItem['rule'];
  @ApiProperty() label!: string;
  @ApiProperty() required!: number;
  @ApiProperty() actual!: number;
  @ApiProperty() met!: boolean;
  @ApiProperty() explanation!: string;
  @ApiProperty() source!: string;
}

export class ChecklistDto {
  @ApiProperty({ type: [ChecklistItemDto] }) items!: ChecklistItemDto[];
  @ApiProperty() met!: boolean;
}

export class ManualAttendanceDto {
  @ApiProperty() @IsMongoId({ message: '学员标识不正确' }) traineeId!: string;
  @ApiPropertyOptional() @IsOptional() @Type(() => Date) @IsDate({ message: '签到时间不合法' }) signInAt?: Date;
  @ApiPropertyOptional() @IsOptional() @Type(() => Date) @IsDate({ message: '签退时间不合法' }) signOutAt?: Date;
  @ApiProperty({ description: '人工登记的原因（必填，将标记供监管部门核查）' }) @IsString() @Matches(NOT_BLANK, { message: '请填写人工登记的原因' }) @MaxLength(2000) reason!: string;
}

export class CaptureRefDto {
  @ApiProperty({ enum: ['sign-in', 'sign-out'] }) step!: 'sign-in' | 'sign-out';
  @ApiProperty() sha256!: string;
  @ApiProperty() distance!: number;
  @ApiProperty() at!: Date;
}

export class AttendanceDto {
  @ApiProperty() id!: string;
  @ApiPropertyOptional() signInAt?: Date;
  @ApiPropertyOptional() signOutAt?: Date;
  @ApiProperty({ type: [CaptureRefDto] }) captures!: CaptureRefDto[];
  @ApiProperty({ description: '人工登记过（含原因），供监管部门核查' }) flagged!: boolean;
  @ApiProperty({ type: [String] }) manualReasons!: string[];

  static from(a: Attendance): AttendanceDto {
    return {
      id: a.id,
      signInAt: a.signInAt,
      signOutAt: a.signOutAt,
      captures: a.captures.map((c) => ({ step: c.step, sha256: c.sha256, distance: c.distance, at: c.at })),
      flagged: a.flagged,
      manualReasons: a.manual.map((m) => m.reason),
    };
  }
}

export class AttendanceRowDto {
  @ApiProperty() traineeId!: string;
  @ApiProperty() name!: string;
  @ApiPropertyOptional({ type: AttendanceDto }) attendance?: AttendanceDto;
  @ApiProperty({ description: '签到与签退之间与课程表时间重叠的秒数' }) seconds!: number;
  @ApiProperty({ enum: ['pending', 'credited', 'none'], description: '课次验收前为 pending（待验收），验收后 credited（已计入学时台账）' }) hours!: 'pending' | 'credited' | 'none';

  static from(r: AttendanceRow, session: ClassSession): AttendanceRowDto {
    return { traineeId: r.entry.traineeId, name: r.entry.name, attendance: r.attendance && AttendanceDto.from(r.attendance), seconds: r.seconds, hours: r.seconds === 0 ? 'none' : session.status === 'accepted' ? 'credited' : 'pending' };
  }
}

export class KioskAttemptDto {
  @ApiProperty() id!: string;
  @ApiProperty() at!: Date;
  @ApiProperty() outcome!: string;
  @ApiPropertyOptional() traineeId?: string;
  @ApiPropertyOptional({ type: Number, nullable: true }) distance?: number | null;
  @ApiProperty() faces!: number;
  @ApiPropertyOptional() sha256?: string;

  static from(a: KioskAttempt): KioskAttemptDto {
    return { id: a.id, at: a.at, outcome: a.outcome, traineeId: a.traineeId, distance: a.distance, faces: a.faces, sha256: a.capture?.sha256 };
  }
}

export class AttendanceSheetDto {
  @ApiProperty({ type: SessionDto }) session!: SessionDto;
  @ApiProperty({ type: [AttendanceRowDto] }) rows!: AttendanceRowDto[];
  @ApiProperty({ type: [KioskAttemptDto], description: '签到终端的全部识别记录（含未通过的）' }) attempts!: KioskAttemptDto[];
}

export class KioskOpenedDto {
  @ApiProperty({ description: '签到终端凭证：只能用于本课次的人脸考勤，随课次结束失效' }) token!: string;
  @ApiProperty() sessionId!: string;
  @ApiProperty() expiresAt!: Date;
}

export class KioskViewDto {
  @ApiProperty({ type: SessionDto }) session!: SessionDto;
  @ApiProperty() className!: string;
  @ApiProperty() location!: string;
  @ApiProperty() rosterSize!: number;
  @ApiProperty() signedIn!: number;
  @ApiProperty() expiresAt!: Date;
}

export class KioskResultDto implements KioskResult {
  @ApiProperty({ enum: KIOSK_OUTCOMES, description: 'sign-in / sign-out，或拒绝原因：no-match、ambiguous、no-face、several-faces、bad-frame、too-early、sign-in-closed、just-signed-in、session-over' }) outcome!: KioskResult['outcome'];
  @ApiProperty() accepted!: boolean;
  @ApiProperty({ description: '终端显示并朗读的提示' }) message!: string;
  @ApiPropertyOptional() traineeName?: string;
  @ApiProperty() at!: Date;
  @ApiProperty() attemptId!: string;
}

export class MySessionDto {
  @ApiProperty({ type: SessionDto }) session!: SessionDto;
  @ApiPropertyOptional({ type: AttendanceDto }) attendance?: AttendanceDto;
  @ApiProperty() seconds!: number;
  @ApiProperty({ enum: ['pending', 'credited', 'none'] }) hours!: 'pending' | 'credited' | 'none';
  @ApiProperty({ enum: ['offline', 'practical'] }) source!: 'offline' | 'practical';
}

export class MyClassDto {
  @ApiProperty({ type: ClassDto }) cls!: ClassDto;
  @ApiProperty({ type: [MySessionDto] }) sessions!: MySessionDto[];
}

export class MyOfflineDto {
  @ApiProperty({ type: [MyClassDto] }) classes!: MyClassDto[];
  @ApiProperty({ description: '待验收的线下（含实训）秒数' }) pendingSeconds!: number;
  @ApiProperty({ description: '已计入学时台账的线下（含实训）秒数' }) creditedSeconds!: number;
}
