import { useCallback, useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, App, Button, Card, DatePicker, Descriptions, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import {
  downloadAuditExport,
  downloadLatestCheckpoint,
  fetchAuditRecords,
  fetchAuditStatus,
  verifyAuditLog,
  type AuditRecord,
  type AuditSearch,
  type AuditStatus,
} from '../../api/audit';
import { toApiError } from '../../api/errors';
import { AUDIT_CHAIN_LABELS } from '../../api/health';
import { useRequest } from '../../api/use-request';
import { useSession } from '../../session/session-context';
import { ROLE_LABELS, type Role } from '../../session/roles';
import { LoadError } from './LoadError';

const PAGE_SIZE = 50;

/** Names of the target types the platform records, for the filter and the table. */
const TARGET_TYPES: Record<string, string> = {
  trainee: '学员',
  user: '账号',
  organisation: '单位',
  'face-consent': '人脸信息处理同意',
  'face-reference': '人脸底库照片',
  program: '培训项目',
  course: '课程',
  lesson: '课时',
  'media-job': '视频处理任务',
  'study-session': '学习会话',
  'study-capture': '学习抓拍',
  'ledger-entry': '学时台账',
  'audit-log': '审计日志',
  'audit-checkpoint': '审计检查点',
};

/** Console pages that show a target of the type, by the reader's role. */
const TARGET_PAGES: Partial<Record<Role, Record<string, string>>> = {
  admin: { user: '/admin/users', organisation: '/admin/organizations', program: '/admin/programs', course: '/admin/courses', lesson: '/admin/courses' },
  auditor: { 'face-reference': '/auditor/face-reviews' },
};

const CHAIN_COLORS: Record<AuditStatus['chain'], string> = { intact: 'success', broken: 'error', unverified: 'default' };

interface Filters {
  action?: string;
  actorId?: string;
  targetType?: string;
  targetId?: string;
  institutionId?: string;
  regionCode?: string;
  range?: [Dayjs | null, Dayjs | null] | null;
}

function toSearch(f: Filters): AuditSearch {
  const trimmed = (v?: string) => v?.trim() || undefined;
  return {
    action: trimmed(f.action),
    actorId: trimmed(f.actorId),
    targetType: f.targetType || undefined,
    targetId: trimmed(f.targetId),
    institutionId: trimmed(f.institutionId),
    regionCode: trimmed(f.regionCode),
    from: f.range?.[0]?.startOf('day').toISOString(),
    to: f.range?.[1]?.add(1, 'day').startOf('day').toISOString(),
  };
}

function ChainCard() {
  const { message } = App.useApp();
  const { data, error, reload } = useRequest(fetchAuditStatus);
  const [busy, setBusy] = useState(false);
  const run = async (what: () => Promise<unknown>, done?: string) => {
    setBusy(true);
    try {
      await what();
      if (done) message.success(done);
      reload();
    } catch (e) {
      message.error(toApiError(e).message);
    } finally {
      setBusy(false);
    }
  };
  const report = data?.report;
  return (
    <Card
      title="审计链状态"
      size="small"
      extra={
        <Space>
          <Button loading={busy} onClick={() => run(verifyAuditLog, '校验完成')}>
            立即校验
          </Button>
          <Button disabled={busy} onClick={() => run(downloadLatestCheckpoint)}>
            导出检查点
          </Button>
        </Space>
      }
    >
      <LoadError title="审计链状态加载失败" error={error} onRetry={reload} />
      {data && (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Space wrap>
            <Tag color={CHAIN_COLORS[data.chain]} data-testid="audit-chain">
              {AUDIT_CHAIN_LABELS[data.chain]}
            </Tag>
            {data.checkedAt && <Typography.Text type="secondary">校验于 {dayjs(data.checkedAt).format('YYYY-MM-DD HH:mm:ss')}</Typography.Text>}
            {report && (
              <Typography.Text type="secondary">
                {report.records} 条记录 · {report.partitions} 条链{report.targets !== undefined ? ` · 学时台账 ${report.targets} 条` : ''}
                {report.checkpoint ? ` · 截至检查点 #${report.checkpoint.number}` : ' · 尚无检查点'}
              </Typography.Text>
            )}
          </Space>
          {report && report.problems.length > 0 && (
            <Alert type="error" showIcon title="发现篡改" description={<ul style={{ margin: 0, paddingLeft: 20 }}>{report.problems.map((p, i) => <li key={i}>{p.message}</li>)}</ul>} />
          )}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            检查点每 5 分钟签发一次。请定期导出并保存在平台之外：凭导出的检查点，即使整条日志被改写并重新计算哈希也能发现。
          </Typography.Text>
        </Space>
      )}
    </Card>
  );
}

function Actor({ r }: { r: AuditRecord }) {
  if (r.actor.kind === 'system') return <Typography.Text type="secondary">系统：{r.actor.reason}</Typography.Text>;
  return (
    <span>
      <Tag>{ROLE_LABELS[r.actor.role as Role] ?? r.actor.role}</Tag>
      <Typography.Text code copyable={{ text: r.actor.id }}>{r.actor.id?.slice(-8)}</Typography.Text>
    </span>
  );
}

function Details({ r }: { r: AuditRecord }) {
  const json = (v: unknown) => (v === undefined ? '—' : <pre style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{JSON.stringify(v, null, 2)}</pre>);
  return (
    <Descriptions size="small" column={1} bordered>
      <Descriptions.Item label="修改前">{json(r.before)}</Descriptions.Item>
      <Descriptions.Item label="修改后">{json(r.after)}</Descriptions.Item>
      <Descriptions.Item label="请求号">{r.requestId ?? '—'}</Descriptions.Item>
      <Descriptions.Item label="客户端地址">{r.ip ?? '—'}</Descriptions.Item>
      <Descriptions.Item label="所属机构">{r.tenant.institutionId ?? '—'}</Descriptions.Item>
      <Descriptions.Item label="链与序号">
        {r.partition} #{r.seq}
      </Descriptions.Item>
      <Descriptions.Item label="记录哈希">
        <Typography.Text code style={{ fontSize: 12 }}>
          {r.hash}
        </Typography.Text>
      </Descriptions.Item>
      {r.digest && (
        <Descriptions.Item label="对象摘要">
          <Typography.Text code style={{ fontSize: 12 }}>
            {r.digest}
          </Typography.Text>
        </Descriptions.Item>
      )}
    </Descriptions>
  );
}

/**
 * 审计日志: who changed what, when, from where — searchable and exportable, and the chain's
 * integrity beside it. Auditors see their jurisdiction's records only (the API enforces it).
 */
export default function AuditLogPage() {
  const { message } = App.useApp();
  const { user } = useSession();
  const [form] = Form.useForm<Filters>();
  const [search, setSearch] = useState<AuditSearch>({});
  const [offset, setOffset] = useState(0);
  const [exporting, setExporting] = useState(false);
  const load = useCallback((signal: AbortSignal) => fetchAuditRecords({ ...search, offset, limit: PAGE_SIZE }, signal), [search, offset]);
  const { data, error, loading, reload } = useRequest(load);
  const pages = (user && TARGET_PAGES[user.role]) ?? {};

  const apply = (f: Filters) => {
    setSearch(toSearch(f));
    setOffset(0);
  };
  const showTarget = (type: string, id: string) => {
    form.setFieldsValue({ targetType: type, targetId: id });
    apply(form.getFieldsValue());
  };
  const exportXlsx = async () => {
    setExporting(true);
    try {
      await downloadAuditExport(search);
    } catch (e) {
      message.error(toApiError(e).message);
    } finally {
      setExporting(false);
    }
  };

  const columns: ColumnsType<AuditRecord> = useMemo(
    () => [
      { title: '时间', dataIndex: 'at', width: 170, render: (at: string) => dayjs(at).format('YYYY-MM-DD HH:mm:ss') },
      {
        title: '操作',
        dataIndex: 'actionName',
        render: (name: string, r) => (
          <Space orientation="vertical" size={0}>
            <span>{name}</span>
            {name !== r.action && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{r.action}</Typography.Text>}
          </Space>
        ),
      },
      { title: '操作人', key: 'actor', render: (_: unknown, r) => <Actor r={r} /> },
      {
        title: '对象',
        key: 'target',
        render: (_: unknown, r) => (
          <Space size={4} wrap>
            <Tag>{TARGET_TYPES[r.target.type] ?? r.target.type}</Tag>
            <Typography.Link onClick={() => showTarget(r.target.type, r.target.id)} title="查看该对象的全部记录">
              {r.target.id.length > 12 ? `…${r.target.id.slice(-8)}` : r.target.id}
            </Typography.Link>
            {pages[r.target.type] && <Link to={pages[r.target.type]}>打开</Link>}
          </Space>
        ),
      },
      { title: '区划', key: 'region', width: 90, render: (_: unknown, r) => r.tenant.regionCode ?? '—' },
      { title: '原因', dataIndex: 'reason', ellipsis: true, render: (reason?: string) => reason ?? '' },
    ],
    // showTarget only reads the form; the columns change with the reader's pages.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [pages],
  );

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <ChainCard />
      <Card title="审计日志" extra={data && <Typography.Text type="secondary">共 {data.total} 条</Typography.Text>}>
        <Form<Filters> form={form} layout="inline" name="audit-search" aria-label="筛选审计记录" onFinish={apply} style={{ rowGap: 8, marginBottom: 16 }}>
          <Form.Item name="action" label="操作代码">
            <Input placeholder="如 trainee.* 或 ledger.credit" allowClear style={{ width: 200 }} />
          </Form.Item>
          <Form.Item name="actorId" label="操作人">
            <Input placeholder="用户标识" allowClear style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="targetType" label="对象类型">
            <Select allowClear style={{ width: 150 }} options={Object.entries(TARGET_TYPES).map(([value, label]) => ({ value, label }))} />
          </Form.Item>
          <Form.Item name="targetId" label="对象标识">
            <Input allowClear style={{ width: 200 }} />
          </Form.Item>
          <Form.Item name="institutionId" label="所属机构">
            <Input placeholder="机构标识" allowClear style={{ width: 200 }} />
          </Form.Item>
          <Form.Item name="regionCode" label="区划" rules={[{ pattern: /^\d{1,6}$/, message: '1–6 位数字' }]}>
            <Input placeholder="如 2307" allowClear style={{ width: 100 }} />
          </Form.Item>
          <Form.Item name="range" label="日期">
            <DatePicker.RangePicker />
          </Form.Item>
          <Form.Item>
            <Space>
              <Button type="primary" htmlType="submit">
                查询
              </Button>
              <Button
                onClick={() => {
                  form.resetFields();
                  apply({});
                }}
              >
                重置
              </Button>
              <Button loading={exporting} onClick={exportXlsx}>
                导出 Excel
              </Button>
            </Space>
          </Form.Item>
        </Form>
        <LoadError title="审计记录加载失败" error={error} onRetry={reload} />
        <Table<AuditRecord>
          rowKey="id"
          size="small"
          loading={loading}
          columns={columns}
          dataSource={data?.items}
          expandable={{ expandedRowRender: (r) => <Details r={r} /> }}
          pagination={{
            current: offset / PAGE_SIZE + 1,
            pageSize: PAGE_SIZE,
            total: data?.total,
            showSizeChanger: false,
            onChange: (page) => setOffset((page - 1) * PAGE_SIZE),
          }}
        />
      </Card>
    </Space>
  );
}
