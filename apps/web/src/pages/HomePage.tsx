import { Alert, Badge, Button, Card, Col, Descriptions, Grid, Row, Space, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { useMemo } from 'react';
import dayjs from 'dayjs';
import { api, unwrap } from '../api/client';
import { fetchHealth, AUDIT_CHAIN_LABELS, COMPONENT_LABELS, DATABASE_MODE_LABELS, databaseMode, type HealthOutcome } from '../api/health';
import { fetchPrograms, type Deadline, type ProgramSummary } from '../api/programs';
import { useRequest } from '../api/use-request';
import { ROLE_DESCRIPTIONS, ROLE_LABELS } from '../session/roles';
import { useSession } from '../session/session-context';
import { LoadError } from './shared/LoadError';

function formatDate(date: string): string {
  const d = dayjs(date);
  return d.isValid() ? d.format('YYYY年M月D日') : date;
}

function DeadlineList({ deadlines }: { deadlines: Deadline[] }) {
  if (deadlines.length === 0) return <Typography.Text type="secondary">未规定</Typography.Text>;
  // The documents sometimes state two deadlines for one target; both are shown with their source.
  const sorted = [...deadlines].sort((a, b) => a.date.localeCompare(b.date));
  return (
    <Space orientation="vertical" size={2}>
      {sorted.map((d) => (
        <Tooltip key={`${d.date}-${d.description}`} title={`出处：${d.source}`}>
          <span>
            <Typography.Text strong>{formatDate(d.date)}</Typography.Text> <Typography.Text type="secondary">{d.description}</Typography.Text>
          </span>
        </Tooltip>
      ))}
    </Space>
  );
}

/** On a phone the jurisdiction moves under the name so the deadlines fit without sideways scrolling. */
function programColumns(narrow: boolean): TableColumnsType<ProgramSummary> {
  return [
    {
      title: '项目名称',
      dataIndex: 'name',
      render: (_, p) => (
        <Space orientation="vertical" size={0}>
          <Typography.Text strong>{p.name}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {narrow ? `${p.jurisdiction.name} · ${p.code}` : p.code}
          </Typography.Text>
        </Space>
      ),
    },
    { title: '辖区', dataIndex: ['jurisdiction', 'name'], width: 140, hidden: narrow },
    {
      title: '行业',
      dataIndex: 'industries',
      responsive: ['md'],
      render: (industries: string[]) => (
        <Space size={[4, 4]} wrap>
          {industries.map((i) => (
            <Tag key={i}>{i}</Tag>
          ))}
        </Space>
      ),
    },
    { title: '截止时间', dataIndex: 'deadlines', width: narrow ? '50%' : 320, render: (deadlines: Deadline[]) => <DeadlineList deadlines={deadlines} /> },
  ];
}

const loadMyProgramIds = async (signal: AbortSignal): Promise<Set<string>> =>
  new Set((await unwrap(api.GET('/api/v1/me/courses', { signal }))).programs.map((p) => p.programId));
const loadNoProgramIds = async (): Promise<undefined> => undefined;

/** Every program for staff; a trainee sees only the programs they are enrolled in. */
function ProgramsCard({ own }: { own: boolean }) {
  const all = useRequest(fetchPrograms);
  const mine = useRequest(own ? loadMyProgramIds : loadNoProgramIds);
  const data = useMemo(() => (own && all.data ? (mine.data ? all.data.filter((p) => mine.data!.has(p.id)) : undefined) : all.data), [own, all.data, mine.data]);
  const error = all.error ?? mine.error;
  const loading = all.loading || mine.loading;
  const reload = () => {
    all.reload();
    mine.reload();
  };
  const narrow = Grid.useBreakpoint().sm === false;
  return (
    <Card title={own ? '我参加的培训项目' : '培训项目'} extra={<Typography.Text type="secondary">{data ? `共 ${data.length} 个` : null}</Typography.Text>}>
      <LoadError title="培训项目加载失败" error={error} onRetry={reload} />
      <Table<ProgramSummary>
        data-testid="programs-table"
        rowKey="id"
        size="middle"
        loading={loading}
        columns={programColumns(narrow)}
        dataSource={data ?? []}
        pagination={false}
        scroll={narrow ? undefined : { x: 720 }}
        locale={{ emptyText: error ? '暂无数据（加载失败）' : '暂无培训项目' }}
      />
    </Card>
  );
}

function HealthSummary({ outcome }: { outcome: HealthOutcome }) {
  const { report, problem } = outcome;
  const mode = databaseMode(report);
  const ok = report.status === 'ok';
  return (
    <>
      {problem && <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={problem.message} />}
      <Descriptions column={1} size="small" data-testid="health">
        <Descriptions.Item label="服务">
          <Badge status={ok ? 'success' : 'error'} text={ok ? '运行正常' : report.status === 'shutting_down' ? '正在停止' : '部分组件异常'} />
        </Descriptions.Item>
        <Descriptions.Item label="数据库">
          <span data-testid="database-mode">{mode ? DATABASE_MODE_LABELS[mode] : '未知'}</span>
          {report.details.database && (
            <Badge style={{ marginInlineStart: 8 }} status={report.details.database.status === 'up' ? 'success' : 'error'} text={report.details.database.status === 'up' ? '可用' : '不可用'} />
          )}
        </Descriptions.Item>
        {Object.entries(report.details)
          .filter(([key]) => key !== 'database')
          .map(([key, c]) => (
            <Descriptions.Item key={key} label={COMPONENT_LABELS[key] ?? key}>
              <Badge status={c.status === 'up' ? 'success' : 'error'} text={c.status === 'up' ? '正常' : typeof c.message === 'string' ? c.message : '异常'} />
              {key === 'audit' && typeof c.chain === 'string' && (
                <Badge style={{ marginInlineStart: 8 }} status={c.chain === 'broken' ? 'error' : c.chain === 'intact' ? 'success' : 'default'} text={AUDIT_CHAIN_LABELS[c.chain] ?? c.chain} data-testid="audit-chain" />
              )}
            </Descriptions.Item>
          ))}
      </Descriptions>
    </>
  );
}

function HealthCard() {
  const { data, error, loading, reload } = useRequest(fetchHealth);
  return (
    <Card
      title="平台状态"
      loading={loading && !data && !error}
      extra={
        <Button type="link" size="small" onClick={reload} loading={loading}>
          刷新
        </Button>
      }
      style={{ height: '100%' }}
    >
      {error ? <Alert type="error" showIcon title="无法获取平台状态" description={error.message} /> : data && <HealthSummary outcome={data} />}
    </Card>
  );
}

function WelcomeCard() {
  const { user } = useSession();
  return (
    <Card style={{ height: '100%' }}>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {user ? `您好，${user.name}` : '欢迎使用'}
      </Typography.Title>
      {user && (
        <Typography.Paragraph type="secondary">
          当前角色：{ROLE_LABELS[user.role]}（{ROLE_DESCRIPTIONS[user.role]}）。请从左侧菜单进入各项功能。
        </Typography.Paragraph>
      )}
      <Typography.Paragraph style={{ marginBottom: 0 }}>
        本平台支撑工伤预防能力提升培训的线上学习、线下培训、考试与监督检查，实行实名制、全过程留痕管理。
      </Typography.Paragraph>
    </Card>
  );
}

/** The platform's own status is the administrator's business; other roles see their work. */
export function HomePage() {
  const { user } = useSession();
  const admin = user?.role === 'admin';
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={admin ? 14 : 24}>
          <WelcomeCard />
        </Col>
        {admin && (
          <Col xs={24} lg={10}>
            <HealthCard />
          </Col>
        )}
      </Row>
      <ProgramsCard own={user?.role === 'trainee'} />
    </Space>
  );
}
