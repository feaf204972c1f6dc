import { lazy, Suspense, useCallback } from 'react';
import { CheckCircleFilled, PlayCircleOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Empty, List, Progress, Space, Spin, Statistic, Tag, Typography } from 'antd';
import { Route, Routes, useNavigate } from 'react-router-dom';
import dayjs from 'dayjs';
import type { CourseProgressView, LessonProgressView, MyProgressView, ProgramProgressView } from '@app/study-protocol';
import { api, unwrap } from '../../../api/client';
import type { components } from '../../../api/schema';
import { loadMyProgress } from '../../../api/study';
import { useRequest } from '../../../api/use-request';
import { formatDuration, formatLessonLength } from '../../shared/duration';
import { hoursStillNeeded, isPastDeadline } from './hours-needed';
import { lessonPath } from '../study/paths';

// The player brings hls.js (most of its weight): loaded only when a lesson is opened.
const LessonPlayerPage = lazy(() => import('../study/LessonPlayerPage'));

type MyCourse = components['schemas']['MyCourseDto'];
type MyCourses = components['schemas']['MyCoursesDto'];

/** Both answers at once; progress is optional — the courses are still worth showing without it. */
async function loadPage(signal: AbortSignal): Promise<{ mine: MyCourses; progress?: MyProgressView; progressError?: string }> {
  const [mine, progress] = await Promise.all([
    unwrap(api.GET('/api/v1/me/courses', { signal })),
    loadMyProgress(signal).then(
      (p) => ({ p }),
      (e: Error) => ({ e: e.message }),
    ),
  ]);
  return 'p' in progress ? { mine, progress: progress.p } : { mine, progressError: progress.e };
}

function CourseProgress({ progress }: { progress?: CourseProgressView }) {
  if (!progress) return null;
  return (
    <div style={{ marginBottom: 8 }} data-testid="course-progress">
      <Progress percent={progress.percent} size="small" status={progress.percent >= 100 ? 'success' : 'active'} />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        已计入 {formatDuration(progress.creditedSeconds)} / 共 {formatDuration(progress.totalSeconds)}
      </Typography.Text>
    </div>
  );
}

function lessonStatus(p: LessonProgressView | undefined): string {
  if (!p) return '';
  if (p.complete) return '已学完';
  return p.creditedSeconds > 0 ? `已学 ${formatDuration(p.creditedSeconds)}` : '未开始';
}

function CourseCard({ entry, progress, onPlay }: { entry: MyCourse; progress?: CourseProgressView; onPlay: (lessonId: string) => void }) {
  const { course } = entry;
  return (
    <Card
      size="small"
      title={
        <Space wrap>
          <Tag color={entry.requirement === 'required' ? 'red' : 'blue'}>{entry.requirement === 'required' ? '必修' : '选修'}</Tag>
          <span>{course.title}</span>
        </Space>
      }
      extra={
        entry.deadline ? (
          <Space size={4}>
            <Typography.Text type="secondary">截止 {entry.deadline}</Typography.Text>
            {isPastDeadline(entry.deadline, dayjs().format('YYYY-MM-DD')) && (
              <Tag color="default" data-testid="course-expired">
                已过期
              </Tag>
            )}
          </Space>
        ) : null
      }
      style={{ marginBottom: 12 }}
      data-testid="course-card"
    >
      {course.description && <Typography.Paragraph type="secondary">{course.description}</Typography.Paragraph>}
      <CourseProgress progress={progress} />
      <List
        size="small"
        dataSource={course.lessons}
        locale={{ emptyText: '课时视频尚未发布' }}
        renderItem={(l) => {
          const lp = progress?.lessons.find((x) => x.lessonId === l.id);
          return (
            <List.Item
              actions={[
                <Button key="play" type="link" icon={<PlayCircleOutlined />} disabled={l.status !== 'published'} onClick={() => onPlay(l.id)} data-testid="study-lesson">
                  学习
                </Button>,
              ]}
            >
              <List.Item.Meta
                title={
                  <Space size={4}>
                    {lp?.complete && <CheckCircleFilled style={{ color: '#52c41a' }} />}
                    <span>{`${l.position + 1}. ${l.title}`}</span>
                  </Space>
                }
                description={
                  <Space size={8} wrap>
                    <span>{formatLessonLength(l.durationSeconds)}</span>
                    {lp && <span data-testid="lesson-status">{lessonStatus(lp)}</span>}
                  </Space>
                }
              />
            </List.Item>
          );
        }}
      />
    </Card>
  );
}

type HoursTarget = NonNullable<components['schemas']['MyProgramCoursesDto']['hoursTarget']>;

const percent = (share: number) => `${Math.round(share * 100)}%`;

/** The category's requirement and what is still missing of it: a trainee should not have to work it out. */
function HoursTargetLine({ target, program }: { target: HoursTarget; program?: ProgramProgressView }) {
  const shares = [target.offlineShare && `线下不少于 ${percent(target.offlineShare)}`, target.practicalShare && `实操不少于 ${percent(target.practicalShare)}`].filter(Boolean);
  const needed = program ? hoursStillNeeded(target, { total: program.hours, offline: toHours(program, program.bySource.offline), practical: toHours(program, program.bySource.practical) }) : undefined;
  return (
    <Alert
      type={needed && needed.total === 0 && needed.offline === 0 && needed.practical === 0 ? 'success' : 'info'}
      showIcon
      style={{ marginBottom: 12 }}
      data-testid="hours-target"
      title={`培训学时要求：${target.minHours}–${target.maxHours} 学时${shares.length ? `，其中${shares.join('、')}` : ''}`}
      description={
        needed &&
        (needed.total === 0 && needed.offline === 0 && needed.practical === 0
          ? '已达到最低学时要求'
          : [`还需 ${needed.total} 学时`, needed.offline > 0 && `线下还需 ${needed.offline} 学时`, needed.practical > 0 && `实操还需 ${needed.practical} 学时`].filter(Boolean).join('；'))
      }
    />
  );
}

function toHours(program: ProgramProgressView, seconds: number): number {
  return Math.round((seconds / 60 / program.minutesPerHour) * 10) / 10;
}

function ProgramHours({ program }: { program?: ProgramProgressView }) {
  if (!program) return null;
  const hours = (seconds: number) => toHours(program, seconds);
  return (
    <Space wrap size="large" style={{ marginBottom: 12 }} data-testid="program-hours">
      <div>
        <Statistic title="累计学时" value={program.hours} precision={1} suffix="学时" />
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          共 {formatDuration(program.seconds)}
        </Typography.Text>
      </div>
      <Statistic title="线上学习" value={hours(program.bySource.online)} precision={1} suffix="学时" />
      <Statistic title="线下培训" value={hours(program.bySource.offline)} precision={1} suffix="学时" />
      <Statistic title="实操" value={hours(program.bySource.practical)} precision={1} suffix="学时" />
    </Space>
  );
}

function CourseList() {
  const { data, error, loading, reload } = useRequest(loadPage);
  const navigate = useNavigate();
  const play = useCallback((lessonId: string) => navigate(lessonPath(lessonId)), [navigate]);

  if (error) return <Alert type="error" showIcon title={error.message} action={<Button onClick={reload}>重试</Button>} />;
  if (loading && !data) return <Spin />;
  if (!data || data.mine.programs.length === 0) return <Empty description="您尚未登记到任何培训项目" />;

  return (
    <div>
      {data.progressError && <Alert type="warning" showIcon title={`学习进度暂时无法获取：${data.progressError}`} style={{ marginBottom: 12 }} />}
      {data.mine.programs.map((p) => {
        const progress = data.progress?.programs.find((x) => x.programId === p.programId);
        const courseProgress = (courseId: string) => progress?.courses.find((c) => c.courseId === courseId);
        const card = (e: MyCourse) => <CourseCard key={e.course.id} entry={e} progress={courseProgress(e.course.id)} onPlay={play} />;
        return (
          <div key={p.programId} style={{ marginBottom: 24 }}>
            <Typography.Title level={4}>{p.programName}</Typography.Title>
            <Space wrap style={{ marginBottom: 12 }}>
              <Tag>{p.industry}</Tag>
              <Tag>{p.categoryName}</Tag>
              <Typography.Text type="secondary">
                每学时 {p.minutesPerHour} 分钟；选修不少于 {p.electiveMinHours} 学时
              </Typography.Text>
            </Space>
            {p.hoursTarget && <HoursTargetLine target={p.hoursTarget} program={progress} />}
            <ProgramHours program={progress} />
            <Typography.Title level={5}>必修课程（{p.required.length}）</Typography.Title>
            {p.required.length === 0 ? <Empty description="暂无必修课程" /> : p.required.map(card)}
            <Typography.Title level={5}>选修课程（{p.elective.length}）</Typography.Title>
            {p.elective.length === 0 ? <Empty description="暂无选修课程" /> : p.elective.map(card)}
          </div>
        );
      })}
    </div>
  );
}

/** 我的课程: the trainee's courses with study progress; a lesson opens in the player. */
export default function MyCoursesPage() {
  return (
    <Routes>
      <Route index element={<CourseList />} />
      <Route
        path="lessons/:lessonId"
        element={
          <Suspense fallback={<Spin size="large" style={{ display: 'block', margin: '96px auto' }} />}>
            <LessonPlayerPage />
          </Suspense>
        }
      />
    </Routes>
  );
}
