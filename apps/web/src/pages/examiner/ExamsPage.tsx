import { useCallback, useState } from 'react';
import { Alert, App, Button, Card, Checkbox, DatePicker, Form, Input, InputNumber, Modal, Select, Space, Spin, Table, Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { fetchExamClasses, fetchSittings, ORGANISER_LABELS, recordResults, scheduleSitting, type ExamClass, type Scheduled, type Sitting } from '../../api/compliance';
import type { ApiError } from '../../api/errors';
import { useRequest } from '../../api/use-request';
import { LoadError } from '../shared/LoadError';

const time = (d?: string) => (d ? dayjs(d).format('YYYY-MM-DD HH:mm') : '—');

/** 考试: the classes whose closed-book exam the caller organises, their sittings, scheduling and the results sheet. */
export default function ExamsPage() {
  const { data, error, reload } = useRequest(fetchExamClasses);
  const [cls, setCls] = useState<ExamClass>();
  if (error) return <LoadError title="加载失败" error={error} onRetry={reload} />;
  if (!data) return <Spin />;
  return (
    <>
      <Card title="班次" style={{ marginBottom: 16 }}>
        <Table<ExamClass>
          rowKey="id"
          size="small"
          dataSource={data}
          scroll={{ x: true }}
          pagination={{ pageSize: 20 }}
          rowSelection={{ type: 'radio', selectedRowKeys: cls ? [cls.id] : [], onChange: (_, rows) => setCls(rows[0]) }}
          onRow={(c) => ({ onClick: () => setCls(c) })}
          columns={[
            { title: '班次', dataIndex: 'name' },
            { title: '人员类别', dataIndex: 'category' },
            { title: '日期', render: (_, c) => `${c.startDate} 至 ${c.endDate}` },
            { title: '人数', dataIndex: 'size' },
            { title: '组考方式', render: (_, c) => ORGANISER_LABELS[c.organiser] },
          ]}
        />
      </Card>
      {cls && <ClassSittings key={cls.id} cls={cls} />}
    </>
  );
}

function ClassSittings({ cls }: { cls: ExamClass }) {
  const load = useCallback((signal: AbortSignal) => fetchSittings(cls.id, signal), [cls.id]);
  const { data, error, reload } = useRequest(load);
  const [scheduling, setScheduling] = useState(false);
  const [recording, setRecording] = useState<Sitting>();
  const [excluded, setExcluded] = useState<Scheduled['excluded']>();
  if (error) return <LoadError title="加载失败" error={error} onRetry={reload} />;
  return (
    <Card title={`${cls.name} · 考试场次`} extra={<Button type="primary" onClick={() => setScheduling(true)}>安排考试</Button>}>
      {excluded && excluded.length > 0 && (
        <Alert type="info" showIcon closable style={{ marginBottom: 16 }} message="以下学员未安排参加本场考试" description={excluded.map((e) => `${e.name}：${e.message}`).join('；')} onClose={() => setExcluded(undefined)} />
      )}
      {!data ? <Spin /> : (
        <Table<Sitting>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={data}
          scroll={{ x: true }}
          columns={[
            { title: '类型', dataIndex: 'kindName' },
            { title: '试卷', render: (_, s) => `${s.paperCode} ${s.paperTitle}` },
            { title: '时间', render: (_, s) => `${time(s.startsAt)}–${dayjs(s.endsAt).format('HH:mm')}` },
            { title: '考生', render: (_, s) => s.candidates.length },
            { title: '合格线', dataIndex: 'passMark' },
            { title: '状态', render: (_, s) => (s.status === 'recorded' ? <Tag color="green">已登记（{s.results.filter((r) => r.passed).length} 人合格）</Tag> : <Tag color="blue">待登记成绩</Tag>) },
            { title: '', render: (_, s) => s.status === 'scheduled' && <Button size="small" onClick={() => setRecording(s)}>登记成绩</Button> },
          ]}
        />
      )}
      {scheduling && <ScheduleModal classId={cls.id} onClose={(r) => { setScheduling(false); if (r) { setExcluded(r.excluded); reload(); } }} />}
      {recording && <ResultsModal sitting={recording} onClose={(done) => { setRecording(undefined); if (done) reload(); }} />}
    </Card>
  );
}

function ScheduleModal({ classId, onClose }: { classId: string; onClose: (r?: Scheduled) => void }) {
  const [form] = Form.useForm<{ kind: 'first' | 'retake'; paperCode: string; paperTitle: string; span: [Dayjs, Dayjs]; location: string }>();
  const [problem, setProblem] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    // The form shows its own field errors; a failed validation is not an error of the page.
    const v = await form.validateFields().catch(() => undefined);
    if (!v) return;
    setBusy(true);
    try {
      onClose(await scheduleSitting(classId, { kind: v.kind, paperCode: v.paperCode, paperTitle: v.paperTitle, startsAt: v.span[0].toISOString(), endsAt: v.span[1].toISOString(), location: v.location }));
    } catch (e) {
      setProblem(e as ApiError);
    } finally {
      setBusy(false);
    }
  };
  const excluded = (problem?.details as { excluded?: Scheduled['excluded'] } | undefined)?.excluded;
  return (
    <Modal open title="安排闭卷考试" okText="安排" cancelText="取消" onOk={submit} confirmLoading={busy} onCancel={() => onClose()}>
      <Form form={form} layout="vertical" initialValues={{ kind: 'first' }}>
        <Form.Item name="kind" label="类型"><Select options={[{ value: 'first', label: '结业考试' }, { value: 'retake', label: '补考' }]} /></Form.Item>
        <Form.Item name="paperCode" label="试卷编号" rules={[{ required: true, whitespace: true, message: '请填写试卷编号' }]}><Input maxLength={50} /></Form.Item>
        <Form.Item name="paperTitle" label="试卷名称" rules={[{ required: true, whitespace: true, message: '请填写试卷名称' }]}><Input maxLength={100} /></Form.Item>
        <Form.Item name="span" label="考试时间" rules={[{ required: true, message: '请选择考试时间' }]}><DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" /></Form.Item>
        <Form.Item name="location" label="考试地点" rules={[{ required: true, whitespace: true, message: '请填写考试地点' }]}><Input maxLength={200} /></Form.Item>
      </Form>
      {problem && <Alert type="error" showIcon message={problem.message} description={excluded?.map((e) => `${e.name}：${e.message}`).join('；')} />}
    </Modal>
  );
}

function ResultsModal({ sitting, onClose }: { sitting: Sitting; onClose: (done: boolean) => void }) {
  const { message } = App.useApp();
  const [rows, setRows] = useState<Record<string, { score?: number; absent: boolean }>>(() => Object.fromEntries(sitting.candidates.map((c) => [c.traineeId, { absent: false }])));
  const [invigilators, setInvigilators] = useState('');
  const [problem, setProblem] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    try {
      await recordResults(sitting.id, {
        invigilators: invigilators.split(/[，,、\s]+/).filter(Boolean),
        results: sitting.candidates.map((c) => (rows[c.traineeId].absent ? { traineeId: c.traineeId, absent: true } : { traineeId: c.traineeId, score: rows[c.traineeId].score })),
      });
      message.success('成绩已登记，合规判定随即更新');
      onClose(true);
    } catch (e) {
      setProblem(e as ApiError);
    } finally {
      setBusy(false);
    }
  };
  const problems = (problem?.details as { problems?: { traineeId: string; message: string }[]; fields?: { reasons: string[] }[] } | undefined);
  const nameOf = (id: string) => sitting.candidates.find((c) => c.traineeId === id)?.name ?? id;
  return (
    <Modal open width={640} title={`登记成绩 · ${sitting.paperCode}（合格线 ${sitting.passMark} 分）`} okText="登记" cancelText="取消" onOk={submit} confirmLoading={busy} onCancel={() => onClose(false)}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Input placeholder="监考人员（多人用逗号分隔）" aria-label="监考人员" value={invigilators} onChange={(e) => setInvigilators(e.target.value)} />
        <Table
          rowKey="traineeId"
          size="small"
          pagination={false}
          dataSource={sitting.candidates}
          columns={[
            { title: '考生', render: (_, c) => `${c.name}${c.attempt > 1 ? `（第 ${c.attempt} 次）` : ''}` },
            { title: '成绩', render: (_, c) => <InputNumber aria-label={`${c.name} 成绩`} min={0} max={100} step={0.5} disabled={rows[c.traineeId].absent} value={rows[c.traineeId].score} onChange={(v) => setRows({ ...rows, [c.traineeId]: { ...rows[c.traineeId], score: v ?? undefined } })} /> },
            { title: '缺考', render: (_, c) => <Checkbox checked={rows[c.traineeId].absent} onChange={(e) => setRows({ ...rows, [c.traineeId]: { absent: e.target.checked } })} /> },
          ]}
        />
        {problem && (
          <Alert
            type="error"
            showIcon
            message={problem.message}
            description={[...(problems?.fields?.flatMap((f) => f.reasons) ?? []), ...(problems?.problems?.map((p) => `${nameOf(p.traineeId)}：${p.message}`) ?? [])].join('；') || undefined}
          />
        )}
      </Space>
    </Modal>
  );
}
