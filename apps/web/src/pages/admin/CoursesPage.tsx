import { useCallback, useEffect, useState } from 'react';
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Select, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { api, unwrap } from '../../api/client';
import { fetchPrograms, type ProgramSummary } from '../../api/programs';
import type { components } from '../../api/schema';
import { useRequest } from '../../api/use-request';
import { CourseForm } from './CourseForm';
import { LessonsPanel } from './LessonsPanel';

type Course = components['schemas']['CourseDto'];

/** 课程: a program's courses, their audiences and deadlines, lessons with video upload and preview. */
export default function CoursesPage() {
  const programs = useRequest(fetchPrograms);
  const [programId, setProgramId] = useState<string>();
  const program = programs.data?.find((p) => p.id === programId);
  useEffect(() => {
    if (!programId && programs.data?.length) setProgramId(programs.data.find((p) => p.code === 'YC-2025-MINING')?.id ?? programs.data[0].id);
  }, [programs.data, programId]);
  const load = useCallback(
    (signal: AbortSignal) => (programId ? unwrap(api.GET('/api/v1/courses', { params: { query: { programId } }, signal })).then((b) => b.items) : Promise.resolve([])),
    [programId],
  );
  const courses = useRequest(load);
  const [editing, setEditing] = useState<Course | 'new'>();

  const categoryName = (p: ProgramSummary | undefined, code: string) => (code === '*' ? '全部类别' : (p?.categories.find((c) => c.code === code)?.name ?? code));
  const columns: TableColumnsType<Course> = [
    { title: '编号', dataIndex: 'code', width: 120 },
    { title: '课程', dataIndex: 'title' },
    {
      title: '适用对象',
      render: (_: unknown, c) => (
        <Space wrap size={4}>
          {c.audiences.map((a) => (
            <Tag key={`${a.industry}/${a.category}`} color={a.requirement === 'required' ? 'red' : 'blue'}>
              {a.industry === '*' ? '全部行业' : a.industry} · {categoryName(program, a.category)} · {a.requirement === 'required' ? '必修' : '选修'}
            </Tag>
          ))}
        </Space>
      ),
    },
    { title: '截止', width: 110, render: (_: unknown, c) => c.deadline ?? <Typography.Text type="secondary">{program?.completionDeadline ?? '—'}</Typography.Text> },
    { title: '课时', width: 70, render: (_: unknown, c) => c.lessons.length },
    { title: '', width: 60, render: (_: unknown, c) => <Button size="small" icon={<EditOutlined />} aria-label="编辑课程" onClick={() => setEditing(c)} /> },
  ];

  return (
    <Card
      title="课程"
      extra={
        <Space wrap>
          <Select
            style={{ minWidth: 280 }}
            loading={programs.loading}
            value={programId}
            onChange={setProgramId}
            options={(programs.data ?? []).map((p) => ({ value: p.id, label: p.name }))}
            aria-label="培训项目"
          />
          <Button type="primary" icon={<PlusOutlined />} disabled={!program} onClick={() => setEditing('new')}>
            新建课程
          </Button>
        </Space>
      }
    >
      {(programs.error ?? courses.error) && <Alert type="error" showIcon title={(programs.error ?? courses.error)!.message} style={{ marginBottom: 12 }} />}
      <Table
        rowKey="id"
        loading={courses.loading}
        columns={columns}
        dataSource={courses.data ?? []}
        expandable={{ expandedRowRender: (c) => <LessonsPanel course={c} onChanged={courses.reload} /> }}
        pagination={false}
        scroll={{ x: 900 }}
      />
      {editing && program && (
        <CourseForm
          program={program}
          course={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(undefined)}
          onSaved={() => {
            setEditing(undefined);
            courses.reload();
          }}
        />
      )}
    </Card>
  );
}
