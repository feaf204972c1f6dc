import { useCallback, useMemo, useState } from 'react';
import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Col, Drawer, Form, Grid, Input, Row, Select, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { fetchTrainees, type Trainee, type TraineeQuery, type TraineeStatus } from '../../api/identity';
import { useRequest } from '../../api/use-request';
import { categoryName, useEnterprises, usePrograms } from '../shared/lookups';
import { SEX_LABELS, TRAINEE_STATUS_LABELS } from '../shared/labels';
import { RegisterTraineeForm } from './RegisterTraineeForm';
import { FILTER_KEYS, PAGE_SIZES, queryFrom, type FilterKey } from './trainee-query';
import { LoadError } from '../shared/LoadError';

export function TraineeList() {
  const [params, setParams] = useSearchParams();
  const { page, pageSize, ...query } = queryFrom(params);
  const queryKey = JSON.stringify(query);
  const load = useCallback((signal: AbortSignal) => fetchTrainees(JSON.parse(queryKey) as TraineeQuery, signal), [queryKey]);
  const { data, error, loading, reload } = useRequest(load);
  const programs = usePrograms();
  const enterprises = useEnterprises();
  const narrow = Grid.useBreakpoint().md === false;
  const [form] = Form.useForm<Partial<Record<FilterKey, string>>>();
  const [registering, setRegistering] = useState(false);
  // On a phone the secondary filters fold away so the list is visible without scrolling.
  const [expanded, setExpanded] = useState(false);
  const folded = narrow && !expanded;
  const secondary = { display: folded ? 'none' : undefined };
  const activeSecondary = FILTER_KEYS.filter((k) => k !== 'name' && query[k]).length;
  const navigate = useNavigate();
  const { message } = App.useApp();

  const setFilters = (values: Partial<Record<FilterKey, string | undefined>>) => {
    const next = new URLSearchParams();
    for (const key of FILTER_KEYS) {
      const value = values[key]?.trim();
      if (value) next.set(key, value);
    }
    if (pageSize !== PAGE_SIZES[0]) next.set('pageSize', String(pageSize));
    setParams(next);
  };

  const selectedProgram = Form.useWatch('programId', form) ?? query.programId;
  const categories = useMemo(() => {
    const source = selectedProgram ? programs.list.filter((p) => p.id === selectedProgram) : programs.list;
    const seen = new Map<string, string>();
    for (const p of source) for (const c of p.categories) if (!seen.has(c.code)) seen.set(c.code, c.name);
    return [...seen].map(([value, label]) => ({ value, label }));
  }, [programs.list, selectedProgram]);

  const columns: TableColumnsType<Trainee> = [
    {
      title: '姓名',
      dataIndex: 'name',
      render: (name: string, t) => (
        <Space orientation="vertical" size={0}>
          <Link to={t.id}>{name}</Link>
          {narrow && (
            <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }}>
              {t.idNumber}
            </Typography.Text>
          )}
        </Space>
      ),
    },
    { title: '身份证号', dataIndex: 'idNumber', hidden: narrow, render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
    { title: '性别', dataIndex: 'sex', width: 64, responsive: ['lg'], render: (sex: 'male' | 'female') => SEX_LABELS[sex] },
    { title: '所属企业', dataIndex: 'enterpriseId', responsive: ['md'], render: (id: string) => enterprises.byId.get(id)?.name ?? '—' },
    {
      title: '人员类别',
      dataIndex: 'category',
      render: (code: string, t) => {
        const name = categoryName(programs, t.programId, code);
        // On a phone the bracketed explanation would wrap the row to four lines.
        return narrow ? <span title={name}>{name.replace(/（[^）]*）$/, '')}</span> : name;
      },
    },
    { title: '岗位', dataIndex: 'post', responsive: ['xl'], render: (post?: string) => post ?? '—' },
    {
      title: '状态',
      dataIndex: 'status',
      width: 84,
      render: (s: TraineeStatus) => <Tag color={TRAINEE_STATUS_LABELS[s].color}>{TRAINEE_STATUS_LABELS[s].label}</Tag>,
    },
  ];

  return (
    <Card
      title="学员管理"
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setRegistering(true)}>
          登记学员
        </Button>
      }
    >
      <Form
        form={form}
        layout="vertical"
        aria-label="筛选学员"
        name="trainee-filter"
        initialValues={Object.fromEntries(FILTER_KEYS.map((k) => [k, query[k]]))}
        onFinish={setFilters}
        style={{ marginBottom: 8 }}
      >
        <Row gutter={12}>
          <Col xs={24} sm={12} lg={6} style={secondary}>
            <Form.Item label="培训项目" name="programId">
              <Select allowClear placeholder="全部项目" options={programs.list.map((p) => ({ value: p.id, label: p.name }))} onChange={() => form.setFieldValue('category', undefined)} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12} lg={6} style={secondary}>
            <Form.Item label="所属企业" name="enterpriseId">
              <Select allowClear showSearch={{ optionFilterProp: 'label' }} placeholder="全部企业" options={enterprises.list.map((e) => ({ value: e.id, label: e.name }))} />
            </Form.Item>
          </Col>
          <Col xs={12} sm={12} lg={6} style={secondary}>
            <Form.Item label="人员类别" name="category">
              <Select allowClear placeholder="全部类别" options={categories} popupMatchSelectWidth={false} />
            </Form.Item>
          </Col>
          <Col xs={12} sm={12} lg={6} style={secondary}>
            <Form.Item label="状态" name="status">
              <Select allowClear placeholder="全部状态" options={Object.entries(TRAINEE_STATUS_LABELS).map(([value, s]) => ({ value, label: s.label }))} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12} lg={6}>
            <Form.Item label="姓名" name="name">
              <Input allowClear placeholder="姓名包含" maxLength={50} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12} lg={6} style={secondary}>
            <Form.Item label="身份证号" name="idNumber" tooltip="输入完整的 18 位号码精确查找">
              <Input allowClear placeholder="完整身份证号" maxLength={18} />
            </Form.Item>
          </Col>
          <Col xs={24} lg={12} style={{ display: 'flex', alignItems: 'flex-end' }}>
            <Form.Item>
              <Space>
                <Button type="primary" htmlType="submit">
                  查询
                </Button>
                <Button
                  onClick={() => {
                    form.resetFields();
                    form.setFieldsValue(Object.fromEntries(FILTER_KEYS.map((k) => [k, undefined])));
                    setFilters({});
                  }}
                >
                  重置
                </Button>
                {narrow && (
                  <Button type="link" onClick={() => setExpanded((e) => !e)}>
                    {expanded ? '收起筛选' : `更多筛选${activeSecondary ? `（${activeSecondary}）` : ''}`}
                  </Button>
                )}
              </Space>
            </Form.Item>
          </Col>
        </Row>
      </Form>
      <LoadError title="学员数据加载失败" error={error?.message ?? programs.error ?? enterprises.error} onRetry={reload} />
      <Table<Trainee>
        data-testid="trainees-table"
        rowKey="id"
        size="middle"
        loading={loading}
        columns={columns}
        dataSource={data?.items ?? []}
        locale={{ emptyText: error ? '暂无数据（加载失败）' : '没有符合条件的学员' }}
        pagination={{
          current: page,
          pageSize,
          total: data?.total ?? 0,
          pageSizeOptions: PAGE_SIZES,
          showSizeChanger: true,
          showTotal: (total) => `共 ${total} 人`,
          simple: narrow,
          onChange: (nextPage, nextSize) => {
            const next = new URLSearchParams(params);
            next.set('page', String(nextSize !== pageSize ? 1 : nextPage));
            next.set('pageSize', String(nextSize));
            setParams(next);
          },
        }}
      />
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 12, marginBottom: 0 }}>
        列表中的身份证号已脱敏；完整号码仅在学员详情中向有权查看的人员显示。
      </Typography.Paragraph>
      <Drawer title="登记学员" open={registering} onClose={() => setRegistering(false)} size={narrow ? '100%' : 480} destroyOnHidden>
        <RegisterTraineeForm
          programs={programs}
          enterprises={enterprises}
          onCancel={() => setRegistering(false)}
          onRegistered={(t) => {
            setRegistering(false);
            message.success(`已登记：${t.name}`);
            navigate(t.id);
          }}
        />
      </Drawer>
    </Card>
  );
}
