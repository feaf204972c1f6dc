import { useCallback, useMemo, useState } from 'react';
import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Drawer, Grid, Input, Segmented, Space, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { fetchOrganisations, type Organisation, type OrganisationKind } from '../../api/identity';
import { useRequest } from '../../api/use-request';
import { DEPARTMENT_LABELS, ORGANISATION_KIND_LABELS } from '../shared/labels';
import { OrganisationForm } from './OrganisationForm';
import { LoadError } from '../shared/LoadError';
import { regionLabel, usePrograms } from '../shared/lookups';

type KindFilter = OrganisationKind | 'all';

function Qualification({ org }: { org: Organisation }) {
  const shortfalls = org.qualificationReview?.shortfalls ?? [];
  if (org.kind !== 'institution') return null;
  if (shortfalls.length === 0) return <Tag color="success">符合基本条件</Tag>;
  return (
    <Tooltip
      title={
        <div>
          {shortfalls.map((s) => (
            <div key={s.message}>{s.message}</div>
          ))}
          {org.qualificationReview?.justification && <div style={{ marginTop: 6 }}>说明：{org.qualificationReview.justification}</div>}
        </div>
      }
    >
      <Tag color="warning">{shortfalls.length} 项不足（已说明）</Tag>
    </Tooltip>
  );
}

/** 机构与企业: every organisation the platform knows, and registration of new ones. */
export default function OrganisationsPage() {
  const { message } = App.useApp();
  const [kind, setKind] = useState<KindFilter>('all');
  const load = useCallback((signal: AbortSignal) => fetchOrganisations(signal, kind === 'all' ? undefined : kind), [kind]);
  const { data, error, loading, reload } = useRequest(load);
  const [creating, setCreating] = useState(false);
  const programs = usePrograms();
  const narrow = Grid.useBreakpoint().md === false;
  const [search, setSearch] = useState('');
  // The whole list is loaded (the API does not page it): narrowing it down needs no round trip.
  const shown = useMemo(() => {
    const needle = search.trim().toUpperCase();
    return needle ? (data ?? []).filter((o) => o.name.toUpperCase().includes(needle) || (o.uscc ?? '').includes(needle) || o.regionCode.startsWith(needle)) : (data ?? []);
  }, [data, search]);

  const columns: TableColumnsType<Organisation> = [
    {
      title: '名称',
      dataIndex: 'name',
      render: (name: string, o) => (
        <Space orientation="vertical" size={0}>
          <Typography.Text strong>{name}</Typography.Text>
          {narrow && o.uscc && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {o.uscc}
            </Typography.Text>
          )}
        </Space>
      ),
    },
    {
      title: '类型',
      dataIndex: 'kind',
      width: 130,
      render: (k: OrganisationKind, o) => (
        <Space size={4}>
          {ORGANISATION_KIND_LABELS[k]}
          {o.demo && <Tag>演示</Tag>}
        </Space>
      ),
    },
    { title: '统一社会信用代码', dataIndex: 'uscc', hidden: narrow, render: (v?: string) => (v ? <Typography.Text code>{v}</Typography.Text> : '—') },
    { title: '行政区划', dataIndex: 'regionCode', width: 160, responsive: ['lg'], render: (code: string) => regionLabel(programs.list, code) },
    {
      title: '行业 / 部门',
      key: 'sector',
      responsive: ['lg'],
      render: (_, o) => o.industry ?? (o.department ? DEPARTMENT_LABELS[o.department] : '—'),
    },
    { title: '基本条件', key: 'qualification', responsive: ['md'], render: (_, o) => <Qualification org={o} /> },
  ];

  return (
    <Card
      title="机构与企业"
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
          登记单位
        </Button>
      }
    >
      <Space wrap style={{ marginBottom: 16, width: '100%' }}>
        <Segmented<KindFilter>
          value={kind}
          onChange={setKind}
          style={{ maxWidth: '100%', overflowX: 'auto' }}
          options={[{ value: 'all', label: '全部' }, ...Object.entries(ORGANISATION_KIND_LABELS).map(([value, label]) => ({ value: value as OrganisationKind, label }))]}
        />
        <Input.Search allowClear placeholder="名称、信用代码或区划代码" aria-label="搜索单位" value={search} onChange={(e) => setSearch(e.target.value)} style={{ width: narrow ? '100%' : 280 }} />
      </Space>
      <LoadError title="单位列表加载失败" error={error} onRetry={reload} />
      <Table<Organisation>
        data-testid="organisations-table"
        rowKey="id"
        size="middle"
        loading={loading}
        columns={columns}
        dataSource={shown}
        pagination={{ defaultPageSize: 20, hideOnSinglePage: true, showTotal: (total) => `共 ${total} 个` }}
        locale={{ emptyText: error ? '暂无数据（加载失败）' : '暂无单位' }}
      />
      <Drawer title="登记单位" open={creating} onClose={() => setCreating(false)} size={narrow ? '100%' : 560} destroyOnHidden>
        <OrganisationForm
          onCancel={() => setCreating(false)}
          onCreated={(o) => {
            setCreating(false);
            message.success(`已登记：${o.name}`);
            reload();
          }}
        />
      </Drawer>
    </Card>
  );
}
