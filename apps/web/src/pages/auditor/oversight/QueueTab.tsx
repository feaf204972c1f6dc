import { useCallback, useState } from 'react';
import { App, Button, DatePicker, Select, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { fetchQueue, ITEM_STATUS_LABELS, refreshStatus, requestRefresh, type OversightItem, type QueueQuery } from '../../../api/oversight';
import { SIGNAL_NAMES } from '@app/oversight-signals';
import { useRequest } from '../../../api/use-request';
import { LoadError } from '../../shared/LoadError';
import { TraineeLabel } from '../../shared/TraineeLabel';
import { showError } from '../../institution/classes/show-error';
import { ItemDrawer } from './ItemDrawer';

const PAGE_SIZE = 20;

/** The jurisdiction's ranked queue: filters, the page, and the item drawer. */
export function QueueTab() {
  const { message } = App.useApp();
  const [signal, setSignal] = useState<QueueQuery['signal']>();
  const [status, setStatus] = useState<QueueQuery['status']>('open');
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<string>();
  const [refreshing, setRefreshing] = useState(false);
  const load = useCallback(
    (abort: AbortSignal) =>
      fetchQueue({ signal, status, page, pageSize: PAGE_SIZE, from: range?.[0]?.startOf('day').toISOString(), to: range?.[1]?.endOf('day').toISOString() }, abort),
    [signal, status, page, range],
  );
  const { data, error, loading, reload } = useRequest(load);

  const refresh = async () => {
    setRefreshing(true);
    try {
      const { jobId } = await requestRefresh();
      for (let i = 0; i < 120; i++) {
        const s = await refreshStatus(jobId);
        if (s.status === 'succeeded') {
          message.success(`信号已重新计算：${s.result?.items ?? 0} 个事项`);
          break;
        }
        if (s.status === 'failed') throw new Error('信号刷新失败，请稍后再试');
        await new Promise((r) => setTimeout(r, 1000));
      }
      reload();
    } catch (e) {
      showError(e, message);
    } finally {
      setRefreshing(false);
    }
  };

  const rankOffset = (page - 1) * PAGE_SIZE;
  const columns: TableColumnsType<OversightItem> = [
    { title: '名次', key: 'rank', width: 64, render: (_, __, i) => rankOffset + i + 1 },
    { title: '风险评分', key: 'score', width: 96, render: (_, r) => <Typography.Text strong>{r.score.toFixed(1)}</Typography.Text> },
    {
      title: '学员 / 对象',
      key: 'who',
      render: (_, r) => (
        <Space orientation="vertical" size={0}>
          <TraineeLabel id={r.traineeId} />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {r.subjectName} · {dayjs(r.at).format('YYYY-MM-DD HH:mm')}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: '信号',
      key: 'signals',
      render: (_, r) => (
        <Space wrap size={4}>
          {r.signals.map((s) => (
            <Tag key={s.code} color={s.code === 'random-sample' ? 'default' : 'volcano'} title={s.detail}>
              {s.name}
            </Tag>
          ))}
        </Space>
      ),
    },
    {
      title: '状态',
      key: 'status',
      width: 140,
      responsive: ['md'],
      render: (_, r) => (
        <Space orientation="vertical" size={0}>
          <Tag color={ITEM_STATUS_LABELS[r.status]?.color}>{ITEM_STATUS_LABELS[r.status]?.text ?? r.status}</Tag>
          {r.claimedBy && <Typography.Text type="secondary" style={{ fontSize: 12 }}>已认领</Typography.Text>}
        </Space>
      ),
    },
    { title: '', key: 'open', width: 80, render: (_, r) => <Button onClick={() => setOpen(r.id)}>核查</Button> },
  ];

  return (
    <>
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          allowClear
          placeholder="按信号筛选"
          style={{ minWidth: 220 }}
          value={signal}
          onChange={(v) => (setSignal(v), setPage(1))}
          options={Object.entries(SIGNAL_NAMES).map(([value, label]) => ({ value, label }))}
          aria-label="信号"
        />
        <Select
          allowClear
          placeholder="状态"
          style={{ width: 140 }}
          value={status}
          onChange={(v) => (setStatus(v), setPage(1))}
          options={Object.entries(ITEM_STATUS_LABELS).map(([value, { text }]) => ({ value, label: text }))}
          aria-label="状态"
        />
        <DatePicker.RangePicker value={range} onChange={(v) => (setRange(v), setPage(1))} />
        <Button onClick={refresh} loading={refreshing}>
          重新计算信号
        </Button>
      </Space>
      <LoadError title="抽查队列加载失败" error={error} onRetry={reload} />
      <Table<OversightItem>
        rowKey="id"
        size="middle"
        loading={loading}
        columns={columns}
        dataSource={data?.items}
        data-testid="oversight-queue"
        onRow={(r) => ({ 'data-testid': 'queue-item', 'data-item-id': r.id }) as React.HTMLAttributes<HTMLElement>}
        locale={{ emptyText: '没有符合条件的抽查事项' }}
        pagination={{ current: page, pageSize: PAGE_SIZE, total: data?.total ?? 0, onChange: setPage, showTotal: (n) => `共 ${n} 项` }}
      />
      <ItemDrawer id={open} onClose={() => setOpen(undefined)} onChanged={reload} />
    </>
  );
}
