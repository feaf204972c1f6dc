import { useState } from 'react';
import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, DatePicker, Drawer, Form, Input, Select, Table, Tag, type TableColumnsType } from 'antd';
import type { Dayjs } from 'dayjs';
import { Link, useNavigate } from 'react-router-dom';
import { CLASS_STATUS_LABELS, createClass, fetchClasses, type OfflineClass } from '../../../api/offline';
import { useRequest } from '../../../api/use-request';
import { FormActions } from '../../shared/FormActions';
import { LoadError } from '../../shared/LoadError';
import { categoryName, usePrograms } from '../../shared/lookups';
import { useReadOnly } from './read-only';
import { showError } from './show-error';

interface ClassForm {
  programId: string;
  name: string;
  category: string;
  industry: string;
  location: string;
  dates: [Dayjs, Dayjs];
}

export function ClassList() {
  const { data, error, loading, reload } = useRequest(fetchClasses);
  const programs = usePrograms();
  const [creating, setCreating] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [form] = Form.useForm<ClassForm>();
  const programId = Form.useWatch('programId', form);
  const program = programs.byId.get(programId ?? '');
  const { message } = App.useApp();
  const navigate = useNavigate();
  const readOnly = useReadOnly();

  const columns: TableColumnsType<OfflineClass> = [
    { title: '班次', dataIndex: 'name', render: (name: string, c) => <Link to={c.id}>{name}</Link> },
    { title: '人员类别', render: (_, c) => categoryName(programs, c.programId, c.category) },
    { title: '行业', dataIndex: 'industry' },
    { title: '日期', render: (_, c) => `${c.startDate} 至 ${c.endDate}` },
    { title: '人数', dataIndex: 'size', render: (size: number, c) => (c.flagged ? <Tag color="orange">{size}（超额，已说明理由）</Tag> : size) },
    { title: '状态', dataIndex: 'status', render: (s: OfflineClass['status']) => <Tag>{CLASS_STATUS_LABELS[s]}</Tag> },
  ];

  const submit = async (v: ClassForm) => {
    setSubmitting(true);
    try {
      const created = await createClass({ programId: v.programId, name: v.name, category: v.category, industry: v.industry, location: v.location, startDate: v.dates[0].format('YYYY-MM-DD'), endDate: v.dates[1].format('YYYY-MM-DD') });
      message.success('班次已创建');
      setCreating(false);
      navigate(created.id);
    } catch (e) {
      showError(e, message, form);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Card title="线下班次" extra={!readOnly && <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>新建班次</Button>}>
      <LoadError title="班次加载失败" error={error} onRetry={reload} />
      <Table rowKey="id" loading={loading} dataSource={data ?? []} columns={columns} pagination={false} scroll={{ x: true }} />
      <Drawer title="新建班次" open={creating} onClose={() => setCreating(false)} size="large" destroyOnHidden>
        <Form form={form} layout="vertical" onFinish={submit} aria-label="新建班次">
          <Form.Item name="programId" label="培训项目" rules={[{ required: true, message: '请选择培训项目' }]}>
            <Select options={programs.list.map((p) => ({ value: p.id, label: p.name }))} />
          </Form.Item>
          <Form.Item name="name" label="班次名称" rules={[{ required: true, message: '请输入班次名称' }]}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="category" label="人员类别" extra="一个班次只能有一类人员（严禁“大合堂”）" rules={[{ required: true, message: '请选择人员类别' }]}>
            <Select options={program?.categories.map((c) => ({ value: c.code, label: c.name })) ?? []} />
          </Form.Item>
          <Form.Item name="industry" label="行业（企业类型）" rules={[{ required: true, message: '请选择行业' }]}>
            <Select options={program?.industries.map((i) => ({ value: i, label: i })) ?? []} />
          </Form.Item>
          <Form.Item name="location" label="培训地点" rules={[{ required: true, message: '请输入培训地点' }]}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="dates" label="开班与结业日期" rules={[{ required: true, message: '请选择日期' }]}>
            <DatePicker.RangePicker />
          </Form.Item>
          <FormActions submitLabel="创建" submitting={submitting} onCancel={() => setCreating(false)} />
        </Form>
      </Drawer>
    </Card>
  );
}
