import { Card, Descriptions, Empty, Spin, Statistic, Table, Tag } from 'antd';
import dayjs from 'dayjs';
import { fetchMyOffline, HOURS_LABELS, SESSION_KIND_LABELS, type MyOffline } from '../../api/offline';
import { useRequest } from '../../api/use-request';
import { LoadError } from '../shared/LoadError';
import { formatDuration } from '../shared/duration';

type MySession = MyOffline['classes'][number]['sessions'][number];
const time = (d?: string) => (d ? dayjs(d).format('MM-DD HH:mm') : '—');

/** 线下培训: my classes and sessions, my attendance, and my offline hours pending acceptance or credited. */
export default function MyOfflinePage() {
  const { data, error, reload } = useRequest(fetchMyOffline);
  if (error) return <LoadError title="加载失败" error={error} onRetry={reload} />;
  if (!data) return <Spin />;
  return (
    <>
      <Card style={{ marginBottom: 16 }}>
        <Descriptions column={{ xs: 1, md: 2 }}>
          <Descriptions.Item label="待验收的线下学时"><Statistic value={formatDuration(data.pendingSeconds)} /></Descriptions.Item>
          <Descriptions.Item label="已入账的线下学时"><Statistic value={formatDuration(data.creditedSeconds)} /></Descriptions.Item>
        </Descriptions>
      </Card>
      {data.classes.length === 0 && <Empty description="暂无线下培训班次" />}
      {data.classes.map(({ cls, sessions }) => (
        <Card key={cls.id} title={cls.name} extra={`${cls.startDate} 至 ${cls.endDate} · ${cls.location}`} style={{ marginBottom: 16 }}>
          <Table<MySession>
            rowKey={(s) => s.session.id}
            size="small"
            pagination={false}
            dataSource={sessions}
            scroll={{ x: true }}
            columns={[
              { title: '时间', render: (_, s) => `${time(s.session.startsAt)}–${dayjs(s.session.endsAt).format('HH:mm')}` },
              { title: '内容', render: (_, s) => `${s.session.topic}（${SESSION_KIND_LABELS[s.session.kind]}）` },
              { title: '签到', render: (_, s) => time(s.attendance?.signInAt) },
              { title: '签退', render: (_, s) => time(s.attendance?.signOutAt) },
              { title: '计入', render: (_, s) => formatDuration(s.seconds) },
              { title: '学时', render: (_, s) => <Tag color={s.hours === 'credited' ? 'green' : s.hours === 'pending' ? 'blue' : undefined}>{HOURS_LABELS[s.hours]}</Tag> },
            ]}
          />
        </Card>
      ))}
    </>
  );
}
