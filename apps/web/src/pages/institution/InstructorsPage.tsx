import { useState } from 'react';
import { CheckCircleTwoTone, CloseCircleTwoTone, PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Drawer, Form, Input, InputNumber, List, Select, Switch, Table, Tag } from 'antd';
import { createInstructor, fetchChecklist, fetchInstructors, type CreateInstructor, type Instructor } from '../../api/offline';
import { useRequest } from '../../api/use-request';
import { FormActions } from '../shared/FormActions';
import { LoadError } from '../shared/LoadError';
import { showError } from './classes/show-error';

const TITLE_LEVELS = [
  { value: 'senior', label: '高级及以上' },
  { value: 'intermediate', label: '中级' },
  { value: 'junior', label: '初级' },
  { value: 'none', label: '无' },
];

/** 授课教师信息 and the staffing conditions of 鲁人社函〔2023〕94号 §三(五), computed from them. */
export default function InstructorsPage() {
  const list = useRequest(fetchInstructors);
  const checklist = useRequest(fetchChecklist);
  const [adding, setAdding] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [form] = Form.useForm<CreateInstructor>();
  const { message } = App.useApp();

  const submit = async (v: CreateInstructor) => {
    setSubmitting(true);
    try {
      await createInstructor({ ...v, safetyMajor: !!v.safetyMajor, safetyTeacher: !!v.safetyTeacher });
      message.success('已登记');
      setAdding(false);
      form.resetFields();
      list.reload();
      checklist.reload();
    } catch (e) {
      showError(e, message, form);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <>
      <Card title="师资条件核对" style={{ marginBottom: 16 }} extra={checklist.data && (checklist.data.met ? <Tag color="green">全部满足</Tag> : <Tag color="red">有未满足项</Tag>)}>
        <LoadError title="核对失败" error={checklist.error} onRetry={checklist.reload} />
        <List
          dataSource={checklist.data?.items ?? []}
          renderItem={(i) => (
            <List.Item>
              <List.Item.Meta
                avatar={i.met ? <CheckCircleTwoTone twoToneColor="#52c41a" /> : <CloseCircleTwoTone twoToneColor="#ff4d4f" />}
                title={i.label}
                description={`${i.explanation}（${i.source}）`}
              />
            </List.Item>
          )}
        />
      </Card>
      <Card title="授课教师与专职培训管理人员" extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)}>登记人员</Button>}>
        <LoadError title="加载失败" error={list.error} onRetry={list.reload} />
        <Table<Instructor>
          rowKey="id"
          loading={list.loading}
          dataSource={list.data ?? []}
          pagination={false}
          scroll={{ x: true }}
          columns={[
            { title: '姓名', dataIndex: 'name' },
            { title: '身份证号', dataIndex: 'idNumber' },
            { title: '岗位', dataIndex: 'role', render: (r: string) => (r === 'manager' ? '专职培训管理人员' : '授课教师') },
            { title: '专兼职', dataIndex: 'employment', render: (e: string) => (e === 'full_time' ? '专职' : '兼职') },
            { title: '职称/技能等级', dataIndex: 'title' },
            { title: '专业方向', dataIndex: 'specialty' },
            { title: '从业年限', dataIndex: 'yearsOfPractice' },
            { title: '安全/职业健康教师', dataIndex: 'safetyTeacher', render: (b: boolean) => (b ? '是' : '否') },
            { title: '状态', dataIndex: 'active', render: (a: boolean) => (a ? '在岗' : <Tag>已停用</Tag>) },
          ]}
        />
      </Card>
      <Drawer title="登记人员" open={adding} onClose={() => setAdding(false)} destroyOnHidden>
        <Form form={form} layout="vertical" onFinish={submit} initialValues={{ role: 'teacher', employment: 'full_time', titleLevel: 'intermediate', yearsOfPractice: 0 }}>
          <Form.Item name="name" label="姓名" rules={[{ required: true, message: '请输入姓名' }]}><Input maxLength={50} /></Form.Item>
          <Form.Item name="idNumber" label="身份证号" rules={[{ required: true, message: '请输入身份证号' }]}><Input maxLength={18} /></Form.Item>
          <Form.Item name="role" label="岗位"><Select options={[{ value: 'teacher', label: '授课教师' }, { value: 'manager', label: '专职培训管理人员' }]} /></Form.Item>
          <Form.Item name="employment" label="专兼职"><Select options={[{ value: 'full_time', label: '专职' }, { value: 'part_time', label: '兼职' }]} /></Form.Item>
          <Form.Item name="title" label="职称或技能等级" rules={[{ required: true, message: '请输入职称或技能等级' }]}><Input maxLength={50} /></Form.Item>
          <Form.Item name="titleLevel" label="等级"><Select options={TITLE_LEVELS} /></Form.Item>
          <Form.Item name="specialty" label="专业方向" rules={[{ required: true, message: '请输入专业方向' }]}><Input maxLength={100} /></Form.Item>
          <Form.Item name="yearsOfPractice" label="相关实践年限"><InputNumber min={0} max={70} /></Form.Item>
          <Form.Item name="safetyMajor" label="相关行业安全专业" valuePropName="checked"><Switch /></Form.Item>
          <Form.Item name="safetyTeacher" label="安全生产或职业健康教师" valuePropName="checked"><Switch /></Form.Item>
          <FormActions submitLabel="登记" submitting={submitting} onCancel={() => setAdding(false)} />
        </Form>
      </Drawer>
    </>
  );
}
