import { useCallback, useState } from 'react';
import { Drawer, Select, Space, Spin, Table, Tag } from 'antd';
import dayjs from 'dayjs';
import { fetchVerdicts, VERDICT_COLORS, type Verdict } from '../../api/compliance';
import { useRequest } from '../../api/use-request';
import { LoadError } from '../shared/LoadError';
import { formatDuration } from '../shared/duration';
import { VerdictCard } from '../shared/VerdictCard';

const STATUS_OPTIONS = [
  { value: 'complete', label: '已达标' },
  { value: 'in_progress', label: '培训中' },
  { value: 'non_compliant', label: '不达标' },
];

/** 合规判定: the verdicts of this institution's trainees (the API scopes them), filterable by result; a row opens its reasons. */
export default function VerdictsPage() {
  const [status, setStatus] = useState<Verdict['status'] | undefined>();
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<Verdict | undefined>();
  const load = useCallback((signal: AbortSignal) => fetchVerdicts({ status, limit: 50, offset: (page - 1) * 50 }, signal), [status, page]);
  const { data, error, reload } = useRequest(load);
  if (error) return <LoadError title="加载失败" error={error} onRetry={reload} />;
  return (
    <>
      <Space style={{ marginBottom: 16 }}>
        <Select allowClear placeholder="判定结果" style={{ width: 160 }} options={STATUS_OPTIONS} value={status} onChange={(v) => { setStatus(v); setPage(1); }} />
      </Space>
      {!data ? <Spin /> : (
        <Table<Verdict>
          rowKey="id"
          size="small"
          dataSource={data.items}
          scroll={{ x: true }}
          onRow={(v) => ({ onClick: () => setOpen(v), style: { cursor: 'pointer' } })}
          pagination={{ current: page, pageSize: 50, total: data.total, onChange: setPage }}
          columns={[
            { title: '学员', render: (_, v) => v.traineeName ?? v.traineeId },
            { title: '人员类别', dataIndex: 'category' },
            { title: '结果', render: (_, v) => <Tag color={VERDICT_COLORS[v.status]}>{v.statusName}</Tag> },
            { title: '计入学时', render: (_, v) => formatDuration(v.seconds.creditable) },
            { title: '原因', render: (_, v) => v.reasons.filter((r) => r.severity !== 'warning').length },
            { title: '规则集版本', dataIndex: 'ruleSetVersion' },
            { title: '判定时间', render: (_, v) => dayjs(v.judgedAt).format('YYYY-MM-DD HH:mm') },
          ]}
        />
      )}
      <Drawer open={!!open} onClose={() => setOpen(undefined)} width={640} title="合规判定详情">
        {open && <VerdictCard verdict={open} />}
      </Drawer>
    </>
  );
}
