import { lazy, type ComponentType, type ReactNode } from 'react';
import {
  AlertOutlined,
  AppstoreOutlined,
  AuditOutlined,
  BankOutlined,
  BarChartOutlined,
  BookOutlined,
  CalendarOutlined,
  ExceptionOutlined,
  FileSearchOutlined,
  HistoryOutlined,
  IdcardOutlined,
  PictureOutlined,
  ProjectOutlined,
  SafetyCertificateOutlined,
  SolutionOutlined,
  TeamOutlined,
  UploadOutlined,
  UserOutlined,
  VideoCameraOutlined,
} from '@ant-design/icons';
import type { Role } from '../session/roles';

/**
 * One menu entry and its page. A section without `page` renders the "under construction"
 * result, so the menu shows the whole console from day one without pretending pages exist.
 * Later issues add a page with `page: lazy(() => import('../pages/<role>/<Page>'))`.
 */
export interface Section {
  /** Absolute path, always under `/<role>/`. */
  path: string;
  label: string;
  icon: ReactNode;
  /** What the page will do, shown while it is being built. */
  summary: string;
  page?: ComponentType;
}

export const SECTIONS: Record<Role, readonly Section[]> = {
  trainee: [
    { path: '/trainee/courses', label: '我的课程', icon: <BookOutlined />, summary: '必修与选修课程、完成期限与线上学习', page: lazy(() => import('../pages/trainee/courses/MyCoursesPage')) },
    { path: '/trainee/offline', label: '线下培训', icon: <CalendarOutlined />, summary: '我的班次、考勤，以及待验收与已入账的线下学时', page: lazy(() => import('../pages/trainee/MyOfflinePage')) },
    { path: '/trainee/records', label: '学习记录', icon: <HistoryOutlined />, summary: '已获学时、人脸核验与抓拍记录、考试成绩', page: lazy(() => import('../pages/trainee/study/StudyRecordsPage')) },
    { path: '/trainee/profile', label: '我的资料', icon: <IdcardOutlined />, summary: '实名信息、所属企业与人员类别', page: lazy(() => import('../pages/trainee/ProfilePage')) },
    { path: '/trainee/voids', label: '学时作废与申诉', icon: <ExceptionOutlined />, summary: '被作废的学时、原因与申诉', page: lazy(() => import('../pages/shared/VoidsAndAppealsPage')) },
    { path: '/trainee/verdict', label: '培训达标情况', icon: <SafetyCertificateOutlined />, summary: '我的合规判定：是否达标、每一条原因及依据、还差什么', page: lazy(() => import('../pages/trainee/MyVerdictPage')) },
  ],
  institution: [
    { path: '/institution/trainees', label: '学员管理', icon: <TeamOutlined />, summary: '按企业、人员类别管理参训学员', page: lazy(() => import('../pages/institution/TraineesPage')) },
    { path: '/institution/roster-import', label: '花名册导入', icon: <UploadOutlined />, summary: '从 Excel 导入学员名册并逐行校验身份证号与统一社会信用代码', page: lazy(() => import('../pages/institution/RosterImportPage')) },
    { path: '/institution/classes', label: '线下班次', icon: <CalendarOutlined />, summary: '按企业类型与人员类别设置班次、课程表、授课教师与考勤', page: lazy(() => import('../pages/institution/classes/ClassesPage')) },
    { path: '/institution/instructors', label: '授课教师', icon: <SolutionOutlined />, summary: '授课教师与专职培训管理人员，师资条件核对', page: lazy(() => import('../pages/institution/InstructorsPage')) },
    { path: '/institution/recordings', label: '录像上传', icon: <VideoCameraOutlined />, summary: '上传线下授课全过程录像并与课程表核对时长' },
    { path: '/institution/voids', label: '学时作废与申诉', icon: <ExceptionOutlined />, summary: '本机构学员被作废的学时、原因与申诉', page: lazy(() => import('../pages/shared/VoidsAndAppealsPage')) },
    { path: '/institution/verdicts', label: '合规判定', icon: <SafetyCertificateOutlined />, summary: '本机构学员的合规判定、原因与所用规则集版本', page: lazy(() => import('../pages/institution/VerdictsPage')) },
  ],
  auditor: [
    { path: '/auditor/spot-checks', label: '抽查', icon: <FileSearchOutlined />, summary: '随机抽查学习过程与线下录像、培训回访', page: lazy(() => import('../pages/auditor/SpotChecksPage')) },
    { path: '/auditor/alerts', label: '异常线索', icon: <AlertOutlined />, summary: '挂课、代学、虚列学员、虚增学时等异常线索' },
    { path: '/auditor/offline', label: '线下培训核查', icon: <CalendarOutlined />, summary: '辖区内的班次、花名册、课程表与考勤（含超额班次、人工登记的考勤与抓拍）', page: lazy(() => import('../pages/auditor/OfflineReviewPage')) },
    { path: '/auditor/face-reviews', label: '人脸底库审核', icon: <PictureOutlined />, summary: '采集时疑似与其他学员为同一人的底库照片', page: lazy(() => import('../pages/auditor/FaceReviewsPage')) },
    { path: '/auditor/reports', label: '报表', icon: <BarChartOutlined />, summary: '按行业、企业、人员类别统计培训进度与覆盖率' },
    { path: '/auditor/audit-log', label: '审计日志', icon: <AuditOutlined />, summary: '本辖区的全过程操作记录、查询导出与审计链校验', page: lazy(() => import('../pages/shared/AuditLogPage')) },
  ],
  examiner: [
    { path: '/examiner/exams', label: '考试', icon: <FileSearchOutlined />, summary: '培考分离：班次的闭卷考试场次、补考、监考与成绩登记', page: lazy(() => import('../pages/examiner/ExamsPage')) },
  ],
  admin: [
    { path: '/admin/programs', label: '培训项目', icon: <ProjectOutlined />, summary: '培训项目、学时规则、截止时间及其文件出处', page: lazy(() => import('../pages/admin/ProgramsPage')) },
    { path: '/admin/organizations', label: '机构与企业', icon: <BankOutlined />, summary: '培训机构资质与重点企业名单', page: lazy(() => import('../pages/admin/OrganisationsPage')) },
    { path: '/admin/users', label: '用户', icon: <UserOutlined />, summary: '各角色账号与权限', page: lazy(() => import('../pages/admin/UsersPage')) },
    { path: '/admin/courses', label: '课程', icon: <AppstoreOutlined />, summary: '线上课程、课件与视频', page: lazy(() => import('../pages/admin/CoursesPage')) },
    { path: '/admin/audit-log', label: '审计日志', icon: <AuditOutlined />, summary: '全过程操作记录、查询导出与审计链校验', page: lazy(() => import('../pages/shared/AuditLogPage')) },
    { path: '/admin/rule-sets', label: '合规规则集', icon: <SafetyCertificateOutlined />, summary: '各培训项目的学时、占比、考试与期限规则：编辑、预览影响、保存为新版本', page: lazy(() => import('../pages/admin/RuleSetsPage')) },
  ],
};

export const HOME_PATH = '/';

export interface SectionMatch {
  role: Role;
  section: Section;
}

/** Every section with the role that owns it, for the router. */
export function allSections(): SectionMatch[] {
  return (Object.entries(SECTIONS) as [Role, readonly Section[]][]).flatMap(([role, sections]) =>
    sections.map((section) => ({ role, section })),
  );
}

/** The section a path belongs to (a section's sub-pages included), if any. */
export function findSection(pathname: string): SectionMatch | undefined {
  return allSections().find(({ section }) => pathname === section.path || pathname.startsWith(`${section.path}/`));
}
