import { useCallback } from 'react';
import { Alert, App, Breadcrumb, Button, Card, Descriptions, Popconfirm, Spin, Tabs, Tag } from 'antd';
import { Link, useParams } from 'react-router-dom';
import { CLASS_STATUS_LABELS, fetchClass, updateClass, type OfflineClass } from '../../../api/offline';
import { useReadOnly } from './read-only';
import { showError } from './show-error';
import { useRequest } from '../../../api/use-request';
import { LoadError } from '../../shared/LoadError';
import { categoryName, usePrograms } from '../../shared/lookups';
import { RosterPanel } from './RosterPanel';
import { TimetablePanel } from './TimetablePanel';

const NEXT: Partial<Record<OfflineClass['status'], OfflineClass['status']>> = { draft: 'published', published: 'in_progress', in_progress: 'finished' };

export function ClassDetail() {
  const { id = '' } = useParams();
  const load = useCallback((signal: AbortSignal) => fetchClass(id, signal), [id]);
  const { data: cls, error, reload } = useRequest(load);
  const programs = usePrograms();
  const { message } = App.useApp();
  const readOnly = useReadOnly();
  if (error) return <LoadError title="班次加载失败" error={error} onRetry={reload} />;
  if (!cls) return <Spin />;
  return (
    <Card
      title={<Breadcrumb items={[{ title: <Link to=".." relative="path">线下班次</Link> }, { title: cls.name }]} />}
      extra={
        !readOnly && NEXT[cls.status] && (
          <Popconfirm
            title={NEXT[cls.status] === 'finished' ? '结束后班次的花名册与课程表不能再修改' : `将班次状态改为“${CLASS_STATUS_LABELS[NEXT[cls.status]!]}”`}
            onConfirm={() => updateClass(cls.id, { status: NEXT[cls.status] }).then(reload, (e) => showError(e, message))}
            okText="确定"
            cancelText="取消"
          >
            <Button>{`改为${CLASS_STATUS_LABELS[NEXT[cls.status]!]}`}</Button>
          </Popconfirm>
        )
      }
    >
      <Descriptions size="small" column={{ xs: 1, md: 3 }} style={{ marginBottom: 16 }}>
        <Descriptions.Item label="人员类别">{categoryName(programs, cls.programId, cls.category)}</Descriptions.Item>
        <Descriptions.Item label="行业">{cls.industry}</Descriptions.Item>
        <Descriptions.Item label="状态"><Tag>{CLASS_STATUS_LABELS[cls.status]}</Tag></Descriptions.Item>
        <Descriptions.Item label="日期">{`${cls.startDate} 至 ${cls.endDate}`}</Descriptions.Item>
        <Descriptions.Item label="地点">{cls.location}</Descriptions.Item>
        <Descriptions.Item label="人数">{cls.size}</Descriptions.Item>
      </Descriptions>
      {cls.sizeOverride && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title={`班次人数 ${cls.sizeOverride.size} 人，超过上限 ${cls.sizeOverride.cap} 人（${cls.sizeOverride.source}），已记录并提示监管部门核查`}
          description={`理由：${cls.sizeOverride.justification}`}
        />
      )}
      <Tabs
        items={[
          { key: 'roster', label: `学员名册（${cls.roster.length}）`, children: <RosterPanel cls={cls} onChange={reload} /> },
          { key: 'timetable', label: '课程表', children: <TimetablePanel cls={cls} /> },
        ]}
      />
    </Card>
  );
}
