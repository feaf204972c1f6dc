import { useCallback } from 'react';
import { Alert, Button, Descriptions, Empty, List, Space, Spin, Table, Tag, Typography, type TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import type { CheckRecordView, StudySessionSummaryView } from '@app/study-protocol';
import { loadMySessions, loadSessionRecord } from '../../../api/study';
import { useRequest } from '../../../api/use-request';
import { formatDuration } from '../../shared/duration';
import { faceDistanceText } from '../../shared/face-distance';
import { ReferencePhoto } from '../../shared/ReferencePhoto';
import { checkLabel, CHECK_STATUS, OUTCOMES, SESSION_STATUS } from './labels';

const time = (iso?: string) => (iso ? dayjs(iso).format('YYYY-MM-DD HH:mm:ss') : '—');
const loadSessions = (signal: AbortSignal) => loadMySessions(signal, 50);

function Attempts({ check }: { check: CheckRecordView }) {
  if (check.attempts.length === 0) return <Typography.Text type="secondary">未提交</Typography.Text>;
  return (
    <Space orientation="vertical" size={0}>
      {check.attempts.map((a, i) => (
        <Space key={i} size={8} align="center">
          {a.captureId && <ReferencePhoto path={`/api/v1/study/captures/${encodeURIComponent(a.captureId)}/image`} size={48} alt="核验抓拍" />}
          <Typography.Text data-testid="check-attempt" data-outcome={a.outcome} style={{ fontSize: 12 }}>
            {dayjs(a.at).format('HH:mm:ss')} {OUTCOMES[a.outcome] ?? a.outcome}
            {a.distance !== null ? ` · ${faceDistanceText(a.distance, 3)}` : ''}
          </Typography.Text>
        </Space>
      ))}
    </Space>
  );
}

/** One session's evidence trail: every check with its captures, and every refusal with its reason. */
export function SessionDetail({ id }: { id: string }) {
  const load = useCallback((signal: AbortSignal) => loadSessionRecord(id, signal), [id]);
  const { data, error, loading, reload } = useRequest(load);
  if (error) return <Alert type="error" showIcon title={error.message} action={<Button onClick={reload}>重试</Button>} />;
  if (loading || !data) return <Spin />;
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="session-detail">
      {(data.session.endReason || data.session.device) && (
        <Descriptions size="small" column={{ xs: 1, sm: 2 }}>
          {data.session.endReason && <Descriptions.Item label="结束原因">{data.session.endReason}</Descriptions.Item>}
          {data.session.device && <Descriptions.Item label="设备">{data.session.device}</Descriptions.Item>}
        </Descriptions>
      )}
      <Typography.Text strong>核验记录（{data.checks.length}）</Typography.Text>
      <List
        size="small"
        dataSource={data.checks}
        locale={{ emptyText: '无' }}
        renderItem={(c) => (
          <List.Item data-testid="check-record" data-status={c.status} data-kind={c.kind}>
            <Space orientation="vertical" size={2}>
              <Space wrap size={8}>
                <span>{checkLabel(c)}</span>
                <Tag color={CHECK_STATUS[c.status].color}>{CHECK_STATUS[c.status].text}</Tag>
              </Space>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                发出 {time(c.issuedAt)}
              </Typography.Text>
              <Attempts check={c} />
            </Space>
          </List.Item>
        )}
      />
      <Typography.Text strong>未计学时的记录（{data.refusals.length}）</Typography.Text>
      <List
        size="small"
        dataSource={data.refusals}
        locale={{ emptyText: '无' }}
        renderItem={(r) => (
          <List.Item data-testid="refusal-record" data-code={r.code}>
            <Typography.Text style={{ fontSize: 12 }}>
              {time(r.at)} {r.message}
              {r.seconds > 0 ? `（${r.seconds} 秒）` : ''}
            </Typography.Text>
          </List.Item>
        )}
      />
    </Space>
  );
}

const statusTag = (s: StudySessionSummaryView) => <Tag color={SESSION_STATUS[s.status]?.color}>{SESSION_STATUS[s.status]?.text ?? s.status}</Tag>;

// On a phone one column says it all; wider screens get a column per figure.
const columns: TableColumnsType<StudySessionSummaryView> = [
  {
    title: '课时',
    key: 'lesson',
    render: (_, s) => (
      <Space orientation="vertical" size={0}>
        <span>{s.lessonTitle}</span>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {s.courseTitle}
        </Typography.Text>
      </Space>
    ),
    responsive: ['sm'],
  },
  {
    title: '学习',
    key: 'phone',
    responsive: ['xs'],
    render: (_, s) => (
      <Space orientation="vertical" size={2}>
        <Space wrap size={4}>
          <span>{s.lessonTitle}</span>
          {statusTag(s)}
        </Space>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {time(s.startedAt)} · 有效学习 {formatDuration(s.creditedSeconds)} · 计入学时 {formatDuration(s.settledSeconds)}
          {s.voidedSeconds > 0 ? ` · 作废 ${formatDuration(s.voidedSeconds)}` : ''}
        </Typography.Text>
      </Space>
    ),
  },
  { title: '状态', key: 'status', width: 130, responsive: ['sm'], render: (_, s) => statusTag(s) },
  { title: '开始', key: 'start', width: 170, responsive: ['md'], render: (_, s) => time(s.startedAt) },
  { title: '结束', key: 'end', width: 170, responsive: ['lg'], render: (_, s) => time(s.endedAt) },
  { title: '有效学习', key: 'credited', width: 100, responsive: ['sm'], render: (_, s) => formatDuration(s.creditedSeconds) },
  { title: '计入学时', key: 'settled', width: 100, responsive: ['sm'], render: (_, s) => formatDuration(s.settledSeconds) },
  { title: '暂挂', key: 'held', width: 90, responsive: ['md'], render: (_, s) => formatDuration(s.heldSeconds) },
  { title: '作废', key: 'voided', width: 90, responsive: ['md'], render: (_, s) => formatDuration(s.voidedSeconds) },
];

/** 学习记录: the trainee's study sessions, newest first; a row opens its checks and refusals. */
export default function StudyRecordsPage() {
  const { data, error, loading, reload } = useRequest(loadSessions);
  if (error) return <Alert type="error" showIcon title={error.message} action={<Button onClick={reload}>重试</Button>} />;
  if (loading && !data) return <Spin />;
  if (!data || data.items.length === 0) return <Empty description="暂无学习记录" />;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space>
        <Typography.Text type="secondary">最近 {data.items.length} 次学习，点击一行查看人脸核验与未计学时的原因。</Typography.Text>
        <Button size="small" onClick={reload}>
          刷新
        </Button>
      </Space>
      <StudySessionTable items={data.items} />
    </Space>
  );
}

/** Sessions, newest first; a row opens its evidence trail. The trainee's own page and the institution's share it. */
export function StudySessionTable({ items }: { items: StudySessionSummaryView[] }) {
  return (
    <Table
      rowKey="id"
      size="small"
      columns={columns}
      dataSource={items}
      pagination={{ pageSize: 20, hideOnSinglePage: true }}
      expandable={{ expandedRowRender: (s) => <SessionDetail id={s.id} />, expandRowByClick: true }}
      data-testid="study-sessions"
    />
  );
}
