import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, DatePicker, Form, Input, Modal, Select, Space } from 'antd';
import dayjs from 'dayjs';
import { api, toApiError, unwrap } from '../../api/client';
import { showFieldErrors } from '../../api/field-errors';
import type { ProgramSummary } from '../../api/programs';
import type { components } from '../../api/schema';

type Course = components['schemas']['CourseDto'];
type Audience = components['schemas']['CourseAudienceDto'];

/** Server field problems shown under these; any other is a message. */
const FORM_FIELDS = new Set(['code', 'title', 'description', 'deadline']);

interface Values {
  code: string;
  title: string;
  description?: string;
  deadline?: dayjs.Dayjs;
  audiences: Audience[];
}

/** New course or edit of an existing one, with its audiences (行业 × 人员类别 → 必修/选修). */
export function CourseForm({ program, course, onClose, onSaved }: { program: ProgramSummary; course?: Course; onClose: () => void; onSaved: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const industries = [{ value: '*', label: '全部行业' }, ...program.industries.map((i) => ({ value: i, label: i }))];
  const categories = [{ value: '*', label: '全部类别' }, ...program.categories.map((c) => ({ value: c.code, label: c.name }))];

  async function save() {
    const v = await form.validateFields();
    const body = { title: v.title, description: v.description ?? '', audiences: v.audiences ?? [], deadline: v.deadline?.format('YYYY-MM-DD') };
    try {
      if (course) await unwrap(api.PATCH('/api/v1/courses/{id}', { params: { path: { id: course.id } }, body: { ...body, deadline: body.deadline ?? null } }));
      else await unwrap(api.POST('/api/v1/courses', { body: { ...body, programId: program.id, code: v.code } }));
      message.success('已保存');
      onSaved();
    } catch (e) {
      const error = toApiError(e);
      if (showFieldErrors(form, error, (name) => FORM_FIELDS.has(String(name[0]))) === 0) message.error(error.message);
    }
  }

  return (
    <Modal open title={course ? `编辑课程：${course.title}` : '新建课程'} onCancel={onClose} onOk={save} okText="保存" width={720} destroyOnHidden>
      <Form
        form={form}
        layout="vertical"
        initialValues={
          course
            ? { ...course, deadline: course.deadline ? dayjs(course.deadline) : undefined }
            : { audiences: [{ industry: '*', category: '*', requirement: 'required' }] }
        }
      >
        <Form.Item name="code" label="课程编号" rules={[{ required: true, pattern: /^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/, message: '字母、数字、-、_，不超过 40 个字符' }]}>
          <Input disabled={!!course} />
        </Form.Item>
        <Form.Item name="title" label="课程名称" rules={[{ required: true, whitespace: true, message: '请输入课程名称' }, { max: 100, message: '课程名称不能超过 100 个字符' }]}>
          <Input />
        </Form.Item>
        <Form.Item name="description" label="简介">
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        <Form.Item name="deadline" label="完成截止日期（不填则用项目的截止日期）" extra={`须在项目期限 ${program.startDate} 至 ${program.endDate} 内`}>
          <DatePicker
            minDate={dayjs(program.startDate)}
            maxDate={dayjs(program.endDate)}
            disabledDate={(d) => d.isBefore(program.startDate, 'day') || d.isAfter(program.endDate, 'day')}
          />
        </Form.Item>
        <Form.List name="audiences">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Space key={f.key} align="baseline" wrap>
                  <Form.Item name={[f.name, 'industry']} rules={[{ required: true, message: '行业' }]}>
                    <Select options={industries} style={{ width: 160 }} placeholder="行业" />
                  </Form.Item>
                  <Form.Item name={[f.name, 'category']} rules={[{ required: true, message: '人员类别' }]}>
                    <Select options={categories} style={{ width: 240 }} placeholder="人员类别" />
                  </Form.Item>
                  <Form.Item name={[f.name, 'requirement']} rules={[{ required: true }]}>
                    <Select options={[{ value: 'required', label: '必修' }, { value: 'elective', label: '选修' }]} style={{ width: 90 }} />
                  </Form.Item>
                  <MinusCircleOutlined onClick={() => remove(f.name)} aria-label="删除适用对象" />
                </Space>
              ))}
              <Button type="dashed" onClick={() => add({ industry: '*', category: '*', requirement: 'elective' })} icon={<PlusOutlined />}>
                添加适用对象
              </Button>
            </>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}
