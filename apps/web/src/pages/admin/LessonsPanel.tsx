import { useEffect, useRef, useState } from 'react';
import { ArrowDownOutlined, ArrowUpOutlined, PlayCircleOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { App, Button, Input, Modal, Progress, Space, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { io, type Socket } from 'socket.io-client';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/schema';
import { currentAccessToken } from '../../auth/token-store';
import { HlsPlayer } from '../trainee/courses/HlsPlayer';
import { formatLessonLength } from '../shared/duration';
import { uploadVideo } from './tus-upload';

type Course = components['schemas']['CourseDto'];
type Lesson = components['schemas']['LessonDto'];

interface JobUpdate {
  jobId: string;
  lessonId: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  phase: string;
  progress: number;
  error?: { code: string; message: string };
}

const STATUS: Record<Lesson['status'], { color: string; label: string }> = {
  draft: { color: 'default', label: '未上传' },
  processing: { color: 'processing', label: '处理中' },
  published: { color: 'success', label: '已发布' },
  failed: { color: 'error', label: '处理失败' },
};
const PHASES: Record<string, string> = { queued: '排队中', probing: '识别文件', packaging: '封装/转码', storing: '加密存储', done: '完成' };

/** Packaging progress pushed by the API over socket.io (namespace /media, administrators only). */
function useJobUpdates(onUpdate: (u: JobUpdate) => void): void {
  const handler = useRef(onUpdate);
  handler.current = onUpdate;
  useEffect(() => {
    const socket: Socket = io('/media', { auth: (cb) => cb({ token: currentAccessToken() }), transports: ['websocket'] });
    socket.on('media:job', (u: JobUpdate) => handler.current(u));
    return () => {
      socket.close();
    };
  }, []);
}

/** A course's ordered lessons: add, reorder, upload a video (upload then packaging progress), preview. */
export function LessonsPanel({ course, onChanged }: { course: Course; onChanged: () => void }) {
  const { message } = App.useApp();
  const [uploads, setUploads] = useState<Record<string, number>>({});
  const [jobs, setJobs] = useState<Record<string, JobUpdate>>({});
  const [preview, setPreview] = useState<Lesson>();
  const [title, setTitle] = useState('');
  const [titleError, setTitleError] = useState<string>();
  const picker = useRef<HTMLInputElement>(null);
  const target = useRef<string | undefined>(undefined);

  useJobUpdates((u) => {
    if (!course.lessons.some((l) => l.id === u.lessonId)) return;
    setJobs((j) => ({ ...j, [u.lessonId]: u }));
    if (u.status === 'succeeded') message.success('视频已发布');
    if (u.status === 'failed') message.error(u.error?.message ?? '视频处理失败');
    if (u.status === 'succeeded' || u.status === 'failed') onChanged();
  });

  async function addLesson() {
    if (!title.trim()) {
      setTitleError('请输入课时名称');
      return;
    }
    setTitleError(undefined);
    try {
      await unwrap(api.POST('/api/v1/courses/{id}/lessons', { params: { path: { id: course.id } }, body: { title: title.trim() } }));
      setTitle('');
      onChanged();
    } catch (e) {
      message.error((e as Error).message);
    }
  }

  async function move(index: number, delta: number) {
    const ids = course.lessons.map((l) => l.id);
    const [id] = ids.splice(index, 1);
    ids.splice(index + delta, 0, id);
    try {
      await unwrap(api.PUT('/api/v1/courses/{id}/lesson-order', { params: { path: { id: course.id } }, body: { lessonIds: ids } }));
      onChanged();
    } catch (e) {
      message.error((e as Error).message);
    }
  }

  async function upload(file: File, lessonId: string) {
    setUploads((u) => ({ ...u, [lessonId]: 0 }));
    try {
      await uploadVideo(file, lessonId, (f) => setUploads((u) => ({ ...u, [lessonId]: f })));
      setJobs((j) => ({ ...j, [lessonId]: { jobId: '', lessonId, status: 'queued', phase: 'queued', progress: 0 } }));
      onChanged();
    } catch (e) {
      message.error((e as Error).message);
    } finally {
      setUploads((u) => {
        const { [lessonId]: _, ...rest } = u;
        return rest;
      });
    }
  }

  const columns: TableColumnsType<Lesson> = [
    { title: '序号', width: 70, render: (_: unknown, l) => l.position + 1 },
    { title: '课时', dataIndex: 'title' },
    {
      title: '状态',
      width: 260,
      render: (_: unknown, l) => {
        if (uploads[l.id] !== undefined) return <Progress percent={Math.floor(uploads[l.id] * 100)} size="small" format={(p) => `上传 ${p}%`} />;
        const job = jobs[l.id];
        if (job && (job.status === 'queued' || job.status === 'running')) {
          return <Progress percent={job.progress} size="small" status="active" format={(p) => `${PHASES[job.phase] ?? job.phase} ${p}%`} />;
        }
        const s = STATUS[l.status];
        return (
          <Space orientation="vertical" size={0}>
            <Tag color={s.color}>{s.label}</Tag>
            {l.failure && <Typography.Text type="danger" style={{ fontSize: 12 }}>{l.failure.message}</Typography.Text>}
          </Space>
        );
      },
    },
    { title: '时长', width: 110, render: (_: unknown, l) => formatLessonLength(l.durationSeconds) },
    {
      title: '操作',
      width: 230,
      render: (_: unknown, l, i) => (
        <Space wrap>
          <Tooltip title="上移"><Button size="small" icon={<ArrowUpOutlined />} disabled={i === 0} onClick={() => move(i, -1)} /></Tooltip>
          <Tooltip title="下移"><Button size="small" icon={<ArrowDownOutlined />} disabled={i === course.lessons.length - 1} onClick={() => move(i, 1)} /></Tooltip>
          <Button
            size="small"
            icon={<UploadOutlined />}
            disabled={uploads[l.id] !== undefined}
            onClick={() => {
              target.current = l.id;
              picker.current?.click();
            }}
          >
            上传视频
          </Button>
          <Button size="small" icon={<PlayCircleOutlined />} disabled={l.status !== 'published' && !l.durationSeconds} onClick={() => setPreview(l)}>
            预览
          </Button>
        </Space>
      ),
    },
  ];

  return (
    <div>
      <Table rowKey="id" size="small" columns={columns} dataSource={course.lessons} pagination={false} scroll={{ x: 760 }} />
      <Space style={{ marginTop: 8 }}>
        <Space orientation="vertical" size={0}>
          <Input
            placeholder="新课时名称"
            aria-label="新课时名称"
            value={title}
            status={titleError ? 'error' : undefined}
            onChange={(e) => {
              setTitle(e.target.value);
              if (e.target.value.trim()) setTitleError(undefined);
            }}
            onPressEnter={addLesson}
            maxLength={100}
          />
          {titleError && <Typography.Text type="danger" data-testid="lesson-title-error">{titleError}</Typography.Text>}
        </Space>
        <Button icon={<PlusOutlined />} onClick={addLesson}>添加课时</Button>
      </Space>
      <input
        ref={picker}
        type="file"
        accept="video/*"
        hidden
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file && target.current) void upload(file, target.current);
        }}
      />
      <Modal open={!!preview} title={`预览：${preview?.title ?? ''}`} footer={null} width={900} destroyOnHidden onCancel={() => setPreview(undefined)}>
        {preview && <HlsPlayer lessonId={preview.id} />}
      </Modal>
    </div>
  );
}
