import { useState } from 'react';
import { EditOutlined, MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, DatePicker, Form, InputNumber, List, Modal, Select, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { api, unwrap } from '../../api/client';
import { fetchPrograms, type ProgramSummary } from '../../api/programs';
import { useRequest } from '../../api/use-request';

type Target = ProgramSummary['electiveTargets'][number];

function StudySettingsForm({ program, onClose, onSaved }: { program: ProgramSummary; onClose: () => void; onSaved: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ completionDeadline?: dayjs.Dayjs; electiveTargets: Target[] }>();
  async function save() {
    const v = await form.validateFields();
    try {
      await unwrap(
        api.PATCH('/api/v1/programs/{id}/study-settings', {
          params: { path: { id: program.id } },
          body: { completionDeadline: v.completionDeadline ? v.completionDeadline.format('YYYY-MM-DD') : null, electiveTargets: v.electiveTargets ?? [] },
        }),
      );
      message.success('已保存');
      onSaved();
    } catch (e) {
      message.error((e as Error).message);
    }
  }
  return (
    <Modal open title={`线上学习设置：${program.name}`} onCancel={onClose} onOk={save} okText="保存" width={720} destroyOnHidden>
      <Form
        form={form}
        layout="vertical"
        initialValues={{ completionDeadline: program.completionDeadline ? dayjs(program.completionDeadline) : undefined, electiveTargets: program.electiveTargets }}
      >
        <Form.Item name="completionDeadline" label="线上课程完成截止日期">
          <DatePicker />
        </Form.Item>
        <Typography.Text>选修最低学时（按行业 × 人员类别，* 为全部；以最具体的一条为准）</Typography.Text>
        <Form.List name="electiveTargets">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Space key={f.key} align="baseline" wrap>
                  <Form.Item name={[f.name, 'industry']} rules={[{ required: true }]}>
                    <Select style={{ width: 160 }} options={[{ value: '*', label: '全部行业' }, ...program.industries.map((i) => ({ value: i, label: i }))]} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'category']} rules={[{ required: true }]}>
                    <Select style={{ width: 240 }} options={[{ value: '*', label: '全部类别' }, ...program.categories.map((c) => ({ value: c.code, label: c.name }))]} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'minHours']} rules={[{ required: true, message: '学时' }]}>
                    <InputNumber min={0} max={200} addonAfter="学时" />
                  </Form.Item>
                  <MinusCircleOutlined onClick={() => remove(f.name)} aria-label="删除" />
                </Space>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ industry: '*', category: '*', minHours: 0 })}>
                添加选修学时要求
              </Button>
            </>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}

/** 培训项目: programs with their deadlines (each with its source paragraph) and online-study settings. */
export default function ProgramsPage() {
  const { data, error, loading, reload } = useRequest(fetchPrograms);
  const [editing, setEditing] = useState<ProgramSummary>();
  const categoryName = (p: ProgramSummary, code: string) => (code === '*' ? '全部类别' : (p.categories.find((c) => c.code === code)?.name ?? code));
  const columns: TableColumnsType<ProgramSummary> = [
    { title: '项目', render: (_: unknown, p) => <Space orientation="vertical" size={0}><Typography.Text strong>{p.name}</Typography.Text><Typography.Text type="secondary">{p.code} · {p.jurisdiction.name} · {p.startDate} 至 {p.endDate}</Typography.Text></Space> },
    { title: '行业', width: 220, render: (_: unknown, p) => <Space wrap size={4}>{p.industries.map((i) => <Tag key={i}>{i}</Tag>)}</Space> },
    { title: '每学时', width: 80, render: (_: unknown, p) => `${p.minutesPerHour} 分钟` },
    { title: '课程截止', width: 110, render: (_: unknown, p) => p.completionDeadline ?? '—' },
    {
      title: '选修学时',
      width: 200,
      render: (_: unknown, p) =>
        p.electiveTargets.length === 0 ? '—' : p.electiveTargets.map((t) => <div key={`${t.industry}/${t.category}`}>{t.industry === '*' ? '全部行业' : t.industry} · {categoryName(p, t.category)}：{t.minHours}</div>),
    },
    { title: '', width: 60, render: (_: unknown, p) => <Button size="small" icon={<EditOutlined />} aria-label="设置" onClick={() => setEditing(p)} /> },
  ];
  return (
    <Card title="培训项目">
      {error && <Alert type="error" showIcon title={error.message} action={<Button onClick={reload}>重试</Button>} style={{ marginBottom: 12 }} />}
      <Table
        rowKey="id"
        loading={loading}
        columns={columns}
        dataSource={data ?? []}
        pagination={false}
        scroll={{ x: 900 }}
        expandable={{
          expandedRowRender: (p) => (
            <List
              size="small"
              header="时间节点（文件出处）"
              dataSource={p.deadlines}
              renderItem={(d) => <List.Item>{d.date} {d.description} <Typography.Text type="secondary">— {d.source}</Typography.Text></List.Item>}
            />
          ),
        }}
      />
      {editing && <StudySettingsForm program={editing} onClose={() => setEditing(undefined)} onSaved={() => { setEditing(undefined); reload(); }} />}
    </Card>
  );
}
