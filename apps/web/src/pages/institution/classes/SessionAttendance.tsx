import { useCallback, useState } from 'react';
import { App, Breadcrumb, Button, Card, DatePicker, Descriptions, Form, Input, Modal, Space, Spin, Table, Tag, Typography, type TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { Link, useParams } from 'react-router-dom';
import { downloadFrom } from '../../../api/download';
import { closeKiosk, fetchAttendance, HOURS_LABELS, openKiosk, recordManual, SESSION_KIND_LABELS, signInSheetPath, type AttendanceRow } from '../../../api/offline';
import { useRequest } from '../../../api/use-request';
import { LoadError } from '../../shared/LoadError';
import { CaptureThumb } from './CaptureThumb';
import { SessionRecordingCard } from './SessionRecordingCard';
import { useReadOnly } from './read-only';
import { showError } from './show-error';

const OUTCOME_LABELS: Record<string, string> = {
  'sign-in': '签到',
  'sign-out': '签退',
  'no-match': '不在花名册',
  ambiguous: '无法确认身份',
  'no-face': '无人脸',
  'several-faces': '多张人脸',
  'bad-frame': '画面无法识别',
  'too-early': '未到签到时间',
  'sign-in-closed': '签到已截止',
  'just-signed-in': '重复识别',
  'session-over': '课次已结束',
};
const time = (d?: string) => (d ? dayjs(d).format('MM-DD HH:mm:ss') : '—');

interface ManualForm {
  signInAt?: Dayjs;
  signOutAt?: Dayjs;
  reason: string;
}

/** 考勤表 of one session: every roster member with sign-in, sign-out, captures and seconds; the kiosk's attempts; export, kiosk; its recording, whose passing check is the acceptance. */
export function SessionAttendance() {
  const { sessionId = '' } = useParams();
  const load = useCallback((signal: AbortSignal) => fetchAttendance(sessionId, signal), [sessionId]);
  const { data, error, reload } = useRequest(load);
  const [manualFor, setManualFor] = useState<AttendanceRow>();
  const [kioskUrl, setKioskUrl] = useState<string>();
  const [form] = Form.useForm<ManualForm>();
  const { message } = App.useApp();
  const readOnly = useReadOnly();
  if (error) return <LoadError title="考勤加载失败" error={error} onRetry={reload} />;
  if (!data) return <Spin />;
  const { session } = data;
  const accepted = session.status === 'accepted';
  // Nothing to change for an auditor, nor in an accepted session.
  const closed = accepted || readOnly;

  const startKiosk = async () => {
    try {
      const { token } = await openKiosk(session.id);
      // The credential travels in the fragment: never sent to a server, never in a log.
      setKioskUrl(`${window.location.origin}/kiosk#${token}`);
    } catch (e) {
      showError(e, message);
    }
  };

  const saveManual = async (v: ManualForm) => {
    try {
      await recordManual(session.id, { traineeId: manualFor!.traineeId, signInAt: v.signInAt?.toISOString(), signOutAt: v.signOutAt?.toISOString(), reason: v.reason });
      message.success('已登记（标记供核查）');
      setManualFor(undefined);
      form.resetFields();
      reload();
    } catch (e) {
      showError(e, message, form);
    }
  };

  const columns: TableColumnsType<AttendanceRow> = [
    { title: '姓名', dataIndex: 'name' },
    { title: '签到', render: (_, r) => time(r.attendance?.signInAt) },
    { title: '签退', render: (_, r) => time(r.attendance?.signOutAt) },
    {
      title: '抓拍',
      render: (_, r) => (
        <Space>
          {(r.attendance?.captures ?? []).map((c) => (
            <CaptureThumb key={c.sha256} sessionId={session.id} sha256={c.sha256} label={`${r.name} ${c.step === 'sign-in' ? '签到' : '签退'}抓拍`} />
          ))}
        </Space>
      ),
    },
    { title: '计入分钟', render: (_, r) => Math.floor(r.seconds / 60) },
    { title: '学时', render: (_, r) => <Tag color={r.hours === 'credited' ? 'green' : r.hours === 'pending' ? 'blue' : undefined}>{HOURS_LABELS[r.hours]}</Tag> },
    { title: '核查', render: (_, r) => (r.attendance?.flagged ? <Tag color="orange" title={r.attendance.manualReasons.join('；')}>人工登记</Tag> : null) },
    { title: '', render: (_, r) => !closed && <Button size="small" onClick={() => setManualFor(r)}>人工登记</Button> },
  ];

  return (
    <Card title={<Breadcrumb items={[{ title: <Link to="../../.." relative="path">线下班次</Link> }, { title: <Link to="../.." relative="path">班次</Link> }, { title: session.topic }]} />}>
      <Descriptions size="small" column={{ xs: 1, md: 3 }} style={{ marginBottom: 16 }}>
        <Descriptions.Item label="时间">{`${dayjs(session.startsAt).format('YYYY-MM-DD HH:mm')}–${dayjs(session.endsAt).format('HH:mm')}`}</Descriptions.Item>
        <Descriptions.Item label="类型">{SESSION_KIND_LABELS[session.kind]}</Descriptions.Item>
        <Descriptions.Item label="教室">{session.room}</Descriptions.Item>
        <Descriptions.Item label="状态">{accepted ? <Tag color="green">已验收</Tag> : <Tag>待验收</Tag>}</Descriptions.Item>
      </Descriptions>
      <Space wrap style={{ marginBottom: 16 }}>
        {!closed && <Button type="primary" onClick={startKiosk}>开启签到终端</Button>}
        <Button onClick={() => downloadFrom(signInSheetPath(session.id), 'sign-in-sheet.xlsx').catch((e) => showError(e, message))}>导出签到表</Button>
        <Button onClick={reload}>刷新</Button>
      </Space>
      {kioskUrl && (
        <Typography.Paragraph>
          签到终端已开启（仅限本课次，课次结束后失效）：<a href={kioskUrl} target="_blank" rel="noreferrer">打开签到终端</a>
        </Typography.Paragraph>
      )}
      {!closed && (
        <Button
          size="small"
          style={{ marginBottom: 16 }}
          onClick={() =>
            closeKiosk(session.id).then(
              (r) => {
                setKioskUrl(undefined);
                message.info(r.closed > 0 ? `已关闭 ${r.closed} 个签到终端` : '没有正在使用的签到终端');
              },
              (e) => showError(e, message),
            )
          }
        >
          关闭签到终端
        </Button>
      )}
      <SessionRecordingCard sessionId={session.id} canUpload={!readOnly} onAccepted={reload} />
      <Table rowKey="traineeId" dataSource={data.rows} columns={columns} pagination={false} scroll={{ x: true }} data-testid="attendance-table" />
      <Typography.Title level={5} style={{ marginTop: 24 }}>签到终端识别记录</Typography.Title>
      <Table
        rowKey="id"
        size="small"
        dataSource={data.attempts}
        pagination={{ pageSize: 20 }}
        columns={[
          { title: '时间', dataIndex: 'at', render: (at: string) => time(at) },
          { title: '结果', dataIndex: 'outcome', render: (o: string) => <Tag color={o === 'sign-in' || o === 'sign-out' ? 'green' : 'red'}>{OUTCOME_LABELS[o] ?? o}</Tag> },
          { title: '画面', dataIndex: 'sha256', render: (sha: string | undefined) => sha && <CaptureThumb sessionId={session.id} sha256={sha} label="识别画面" /> },
        ]}
      />
      <Modal title={`人工登记考勤：${manualFor?.name ?? ''}`} open={!!manualFor} onCancel={() => setManualFor(undefined)} onOk={() => form.submit()} okText="登记" destroyOnHidden>
        <Form form={form} layout="vertical" onFinish={saveManual}>
          <Form.Item name="signInAt" label="签到时间"><DatePicker showTime /></Form.Item>
          <Form.Item name="signOutAt" label="签退时间"><DatePicker showTime /></Form.Item>
          <Form.Item name="reason" label="原因" rules={[{ required: true, message: '请填写人工登记的原因' }]} extra="人工登记的考勤将标记供监管部门核查">
            <Input.TextArea rows={3} maxLength={2000} />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
