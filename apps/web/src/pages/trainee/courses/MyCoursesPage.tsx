import { useState } from 'react';
import { PlayCircleOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Empty, List, Modal, Space, Spin, Tag, Typography } from 'antd';
import { api, unwrap } from '../../../api/client';
import type { components } from '../../../api/schema';
import { useRequest } from '../../../api/use-request';
import { HlsPlayer } from './HlsPlayer';

type MyCourse = components['schemas']['MyCourseDto'];
type Lesson = components['schemas']['LessonDto'];

const loadMine = (signal: AbortSignal) => unwrap(api.GET('/api/v1/me/courses', { signal }));

export function formatDuration(seconds?: number): string {
  if (seconds === undefined) return '—';
  const s = Math.round(seconds);
  const m = Math.floor(s / 60);
  return m >= 60 ? `${Math.floor(m / 60)}小时${m % 60}分` : `${m}分${String(s % 60).padStart(2, '0')}秒`;
}

function CourseCard({ entry, onPlay }: { entry: MyCourse; onPlay: (l: Lesson) => void }) {
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
      extra={entry.deadline ? <Typography.Text type="secondary">截止 {entry.deadline}</Typography.Text> : null}
      style={{ marginBottom: 12 }}
    >
      {course.description && <Typography.Paragraph type="secondary">{course.description}</Typography.Paragraph>}
      <List
        size="small"
        dataSource={course.lessons}
        locale={{ emptyText: '课时视频尚未发布' }}
        renderItem={(l) => (
          <List.Item actions={[<Button key="play" type="link" icon={<PlayCircleOutlined />} onClick={() => onPlay(l)}>学习</Button>]}>
            <List.Item.Meta title={`${l.position + 1}. ${l.title}`} description={formatDuration(l.durationSeconds)} />
          </List.Item>
        )}
      />
    </Card>
  );
}

/** 我的课程: exactly the courses of the trainee's audience (industry × category), required first. */
export default function MyCoursesPage() {
  const { data, error, loading, reload } = useRequest(loadMine);
  const [playing, setPlaying] = useState<Lesson>();

  if (error) return <Alert type="error" showIcon title={error.message} action={<Button onClick={reload}>重试</Button>} />;
  if (loading && !data) return <Spin />;
  if (!data || data.programs.length === 0) return <Empty description="您尚未登记到任何培训项目" />;

  return (
    <div>
      {data.programs.map((p) => (
        <div key={p.programId} style={{ marginBottom: 24 }}>
          <Typography.Title level={4}>{p.programName}</Typography.Title>
          <Space wrap style={{ marginBottom: 12 }}>
            <Tag>{p.industry}</Tag>
            <Tag>{p.categoryName}</Tag>
            <Typography.Text type="secondary">
              每学时 {p.minutesPerHour} 分钟；选修不少于 {p.electiveMinHours} 学时
            </Typography.Text>
          </Space>
          <Typography.Title level={5}>必修课程（{p.required.length}）</Typography.Title>
          {p.required.length === 0 ? <Empty description="暂无必修课程" /> : p.required.map((e) => <CourseCard key={e.course.id} entry={e} onPlay={setPlaying} />)}
          <Typography.Title level={5}>选修课程（{p.elective.length}）</Typography.Title>
          {p.elective.length === 0 ? <Empty description="暂无选修课程" /> : p.elective.map((e) => <CourseCard key={e.course.id} entry={e} onPlay={setPlaying} />)}
        </div>
      ))}
      <Modal open={!!playing} title={playing?.title} footer={null} width={900} destroyOnHidden onCancel={() => setPlaying(undefined)}>
        {playing && <HlsPlayer lessonId={playing.id} />}
      </Modal>
    </div>
  );
}
