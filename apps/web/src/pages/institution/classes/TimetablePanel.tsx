import { useCallback, useState } from 'react';
import { LeftOutlined, PlusOutlined, RightOutlined } from '@ant-design/icons';
import { App, Button, Card, Col, DatePicker, Drawer, Form, Input, Row, Select, Space, Tag, TimePicker, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { Link } from 'react-router-dom';
import { addSession, fetchInstructors, fetchSessions, SESSION_KIND_LABELS, type ClassDetail, type ClassSession } from '../../../api/offline';
import { useRequest } from '../../../api/use-request';
import { FormActions } from '../../shared/FormActions';
import { LoadError } from '../../shared/LoadError';
import { useReadOnly } from './read-only';
import { showError } from './show-error';

interface SessionForm {
  day: Dayjs;
  time: [Dayjs, Dayjs];
  kind: ClassSession['kind'];
  topic: string;
  instructorId: string;
  room: string;
  reason?: string;
}

const WEEKDAYS = ['周一', '周二', '周三', '周四', '周五', '周六', '周日'];
const mondayOf = (d: Dayjs) => d.subtract((d.day() + 6) % 7, 'day').startOf('day');

/** The timetable as a week: one column a day, the class's sessions in it; a new session from the drawer. */
export function TimetablePanel({ cls }: { cls: ClassDetail }) {
  const load = useCallback((signal: AbortSignal) => fetchSessions(cls.id, signal), [cls.id]);
  const { data, error, reload } = useRequest(load);
  const instructors = useRequest(fetchInstructors);
  // This week while the class runs, else the week it starts or ended.
  const [week, setWeek] = useState(() => {
    const today = dayjs().format('YYYY-MM-DD');
    return mondayOf(dayjs(today < cls.startDate ? cls.startDate : today > cls.endDate ? cls.endDate : today));
  });
  const [adding, setAdding] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [form] = Form.useForm<SessionForm>();
  const { message } = App.useApp();
  const readOnly = useReadOnly();
  const teacherName = new Map((instructors.data ?? []).map((i) => [i.id, i.name]));

  const submit = async (v: SessionForm) => {
    const at = (t: Dayjs) => v.day.hour(t.hour()).minute(t.minute()).second(0).millisecond(0).toISOString();
    setSubmitting(true);
    try {
      await addSession(cls.id, { startsAt: at(v.time[0]), endsAt: at(v.time[1]), kind: v.kind, topic: v.topic, instructorId: v.instructorId, room: v.room, reason: v.reason?.trim() || undefined });
      message.success('课次已添加');
      setAdding(false);
      form.resetFields();
      reload();
    } catch (e) {
      showError(e, message, form);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <LoadError title="课程表加载失败" error={error} onRetry={reload} />
      <Space>
        <Button icon={<LeftOutlined />} aria-label="上一周" onClick={() => setWeek(week.subtract(7, 'day'))} />
        <Typography.Text strong>{`${week.format('YYYY-MM-DD')} 至 ${week.add(6, 'day').format('MM-DD')}`}</Typography.Text>
        <Button icon={<RightOutlined />} aria-label="下一周" onClick={() => setWeek(week.add(7, 'day'))} />
        {!readOnly && <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)}>新增课次</Button>}
      </Space>
      <Row gutter={[8, 8]} wrap={false} style={{ overflowX: 'auto' }}>
        {WEEKDAYS.map((label, i) => {
          const day = week.add(i, 'day');
          const sessions = (data ?? []).filter((s) => dayjs(s.startsAt).isSame(day, 'day'));
          return (
            <Col key={label} flex="1 0 150px">
              <Typography.Text type="secondary">{`${label} ${day.format('MM-DD')}`}</Typography.Text>
              {sessions.map((s) => (
                <Card key={s.id} size="small" style={{ marginTop: 8 }}>
                  <Link to={`sessions/${s.id}`} relative="path">{`${dayjs(s.startsAt).format('HH:mm')}–${dayjs(s.endsAt).format('HH:mm')} ${s.topic}`}</Link>
                  <div>
                    <Tag>{SESSION_KIND_LABELS[s.kind]}</Tag>
                    {s.status === 'accepted' && <Tag color="green">已验收</Tag>}
                  </div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>{`${s.room} · ${teacherName.get(s.instructorId) ?? ''}`}</Typography.Text>
                </Card>
              ))}
            </Col>
          );
        })}
      </Row>
      <Drawer title="新增课次" open={adding} onClose={() => setAdding(false)} destroyOnHidden>
        <Form form={form} layout="vertical" onFinish={submit} initialValues={{ kind: 'theory' }} aria-label="新增课次">
          <Form.Item name="day" label="日期" rules={[{ required: true, message: '请选择日期' }]}>
            <DatePicker />
          </Form.Item>
          <Form.Item name="time" label="时间" rules={[{ required: true, message: '请选择开始和结束时间' }]}>
            <TimePicker.RangePicker format="HH:mm" minuteStep={5} />
          </Form.Item>
          <Form.Item name="kind" label="类型">
            <Select options={Object.entries(SESSION_KIND_LABELS).map(([value, label]) => ({ value, label }))} />
          </Form.Item>
          <Form.Item name="topic" label="授课内容" rules={[{ required: true, message: '请输入授课内容' }]}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="instructorId" label="授课教师" rules={[{ required: true, message: '请选择授课教师' }]}>
            <Select options={(instructors.data ?? []).filter((i) => i.active && i.role === 'teacher').map((i) => ({ value: i.id, label: `${i.name}（${i.title}）` }))} />
          </Form.Item>
          <Form.Item name="room" label="教室" rules={[{ required: true, message: '请输入教室' }]}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="reason" label="原因" extra="补录已开始的课次时必填，记入审计日志">
            <Input.TextArea rows={2} maxLength={2000} />
          </Form.Item>
          <FormActions submitLabel="添加" submitting={submitting} onCancel={() => setAdding(false)} />
        </Form>
      </Drawer>
    </Space>
  );
}
