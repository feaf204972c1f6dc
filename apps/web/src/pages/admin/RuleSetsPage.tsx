import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Form, Input, InputNumber, Select, Space, Spin, Switch, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { ORGANISER_LABELS, fetchRuleSetVersions, fetchRuleSets, previewRuleSet, saveRuleSet, type RuleSetBody, type RuleSetPreview, type RuleSetVersion } from '../../api/compliance';
import type { ApiError } from '../../api/errors';
import { useRequest } from '../../api/use-request';
import { LoadError } from '../shared/LoadError';

type Category = RuleSetBody['categories'][number];

/** The editable numbers of a rule set; sources and descriptions are kept from the version being edited. */
interface Draft {
  minutesPerHour: number;
  requiredCoursesMustFinish: boolean;
  exam: Pick<RuleSetBody['exam'], 'required' | 'organiser' | 'retakesAllowed' | 'passMark'>;
  completionDate: string;
  categories: Array<Pick<Category, 'minHours' | 'maxHours' | 'electiveMinHours'> & { offlineMin?: number; practicalMin?: number }>;
  note: string;
}

const toDraft = (b: RuleSetBody): Draft => ({
  minutesPerHour: b.minutesPerHour,
  requiredCoursesMustFinish: b.requiredCoursesMustFinish,
  exam: { required: b.exam.required, organiser: b.exam.organiser, retakesAllowed: b.exam.retakesAllowed, passMark: b.exam.passMark },
  completionDate: b.completionDeadline.date,
  categories: b.categories.map((c) => ({ minHours: c.minHours, maxHours: c.maxHours, electiveMinHours: c.electiveMinHours, offlineMin: c.offlineShare && c.offlineShare.min * 100, practicalMin: c.practicalShare && c.practicalShare.min * 100 })),
  note: '',
});

function toBody(base: RuleSetBody, d: Draft): RuleSetBody {
  const share = (s: Category['offlineShare'], pct?: number) => (s && pct !== undefined && pct !== null ? { ...s, min: pct / 100 } : s);
  return {
    ...base,
    minutesPerHour: d.minutesPerHour,
    requiredCoursesMustFinish: d.requiredCoursesMustFinish,
    exam: { ...base.exam, ...d.exam },
    completionDeadline: { ...base.completionDeadline, date: d.completionDate },
    categories: base.categories.map((c, i) => ({
      ...c,
      minHours: d.categories[i].minHours,
      maxHours: d.categories[i].maxHours,
      electiveMinHours: d.categories[i].electiveMinHours,
      offlineShare: share(c.offlineShare, d.categories[i].offlineMin),
      practicalShare: share(c.practicalShare, d.categories[i].practicalMin),
    })),
  };
}

/** 规则集: an administrator edits a program's rules, previews how many verdicts would change, then saves a new version. */
export default function RuleSetsPage() {
  const { data: ruleSets, error, reload } = useRequest(fetchRuleSets);
  const [programId, setProgramId] = useState<string>();
  if (error) return <LoadError title="加载失败" error={error} onRetry={reload} />;
  if (!ruleSets) return <Spin />;
  const current = ruleSets.find((r) => r.programId === (programId ?? ruleSets[0]?.programId));
  return (
    <>
      <Select
        style={{ width: 320, marginBottom: 16 }}
        value={current?.programId}
        onChange={setProgramId}
        options={ruleSets.map((r) => ({ value: r.programId, label: `${r.programCode}（第 ${r.version} 版）` }))}
      />
      {current && <RuleSetEditor key={`${current.programId}:${current.version}`} current={current} onSaved={reload} />}
    </>
  );
}

function RuleSetEditor({ current, onSaved }: { current: RuleSetVersion; onSaved: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<Draft>();
  const [preview, setPreview] = useState<RuleSetPreview>();
  const [problem, setProblem] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const loadVersions = useCallback((signal: AbortSignal) => fetchRuleSetVersions(current.programId, signal), [current.programId]);
  const versions = useRequest(loadVersions);
  useEffect(() => form.setFieldsValue(toDraft(current.body)), [form, current]);

  const run = async (what: 'preview' | 'save') => {
    // The form shows its own field errors; a failed validation is not an error of the page.
    const d = await form.validateFields().catch(() => undefined);
    if (!d) return;
    const body = toBody(current.body, d);
    setBusy(true);
    setProblem(undefined);
    try {
      if (what === 'preview') setPreview(await previewRuleSet(current.programId, body));
      else {
        const saved = await saveRuleSet(current.programId, current.version, d.note, body);
        message.success(`已保存为第 ${saved.version} 版，学员判定将按新版本重新计算`);
        onSaved();
      }
    } catch (e) {
      setProblem(e as ApiError);
    } finally {
      setBusy(false);
    }
  };
  const problems = (problem?.details as { problems?: { field: string; message: string }[] } | undefined)?.problems ?? preview?.problems ?? [];

  return (
    <Form form={form} layout="vertical" onValuesChange={() => setPreview(undefined)}>
      <Card title="学时与课程" style={{ marginBottom: 16 }}>
        <Space wrap>
          <Form.Item name="minutesPerHour" label="每学时分钟数" rules={[{ required: true }]}><InputNumber min={1} max={120} /></Form.Item>
          <Form.Item name="requiredCoursesMustFinish" label="须完成必修课" valuePropName="checked"><Switch /></Form.Item>
          <Form.Item name="completionDate" label={`完成期限（${current.body.completionDeadline.source}）`} rules={[{ required: true, pattern: /^\d{4}-\d{2}-\d{2}$/, message: '日期格式为 YYYY-MM-DD' }]}><Input style={{ width: 140 }} /></Form.Item>
        </Space>
        <Table
          rowKey="code"
          size="small"
          pagination={false}
          dataSource={current.body.categories}
          scroll={{ x: true }}
          columns={[
            { title: '人员类别', render: (_, c) => c.name },
            { title: '最低学时', render: (_, _c, i) => <Form.Item noStyle name={['categories', i, 'minHours']}><InputNumber min={0} max={1000} /></Form.Item> },
            { title: '最高学时', render: (_, _c, i) => <Form.Item noStyle name={['categories', i, 'maxHours']}><InputNumber min={1} max={1000} /></Form.Item> },
            { title: '选修最低学时', render: (_, _c, i) => <Form.Item noStyle name={['categories', i, 'electiveMinHours']}><InputNumber min={0} max={1000} /></Form.Item> },
            { title: '线下占比 %', render: (_, c, i) => (c.offlineShare ? <Form.Item noStyle name={['categories', i, 'offlineMin']}><InputNumber min={0} max={100} /></Form.Item> : '—') },
            { title: '实训占比 %', render: (_, c, i) => (c.practicalShare ? <Form.Item noStyle name={['categories', i, 'practicalMin']}><InputNumber min={0} max={100} /></Form.Item> : '—') },
            { title: '依据', render: (_, c) => <Typography.Text type="secondary">{c.source}</Typography.Text> },
          ]}
        />
      </Card>
      <Card title={`结业考试（${current.body.exam.source}）`} style={{ marginBottom: 16 }}>
        <Space wrap>
          <Form.Item name={['exam', 'required']} label="须参加结业考试" valuePropName="checked"><Switch /></Form.Item>
          <Form.Item name={['exam', 'organiser']} label="组考方式"><Select style={{ width: 240 }} options={Object.entries(ORGANISER_LABELS).map(([value, label]) => ({ value, label }))} /></Form.Item>
          <Form.Item name={['exam', 'retakesAllowed']} label="补考次数"><InputNumber min={0} max={5} /></Form.Item>
          <Form.Item name={['exam', 'passMark']} label="合格分数线"><InputNumber min={1} max={100} /></Form.Item>
        </Space>
      </Card>
      <Form.Item name="note" label="修改说明（记入审计日志）" rules={[{ required: true, whitespace: true, message: '请填写修改说明' }]}><Input.TextArea rows={2} maxLength={2000} /></Form.Item>
      {problem && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={problem.message} description={problems.map((p) => `${p.field}：${p.message}`).join('；') || undefined} />}
      {preview && problems.length === 0 && (
        <Alert
          type={preview.flips > 0 ? 'warning' : 'info'}
          showIcon
          style={{ marginBottom: 16 }}
          message={`按此草稿重新判定 ${preview.judged} 名学员，${preview.flips} 人的结果会改变`}
          description={Object.entries(preview.byTransition).map(([k, n]) => `${k.replace('complete', '已达标').replace('in_progress', '培训中').replace('non_compliant', '不达标')}：${n} 人`).join('；') || undefined}
        />
      )}
      <Space>
        <Button onClick={() => run('preview')} loading={busy}>预览影响</Button>
        <Button type="primary" onClick={() => run('save')} loading={busy} disabled={!preview || preview.problems.length > 0}>保存为新版本</Button>
      </Space>
      <Card title="版本记录" style={{ marginTop: 24 }}>
        {versions.data ? (
          <Descriptions column={1} size="small">
            {versions.data.map((v) => (
              <Descriptions.Item key={v.id} label={<Tag>第 {v.version} 版</Tag>}>{dayjs(v.createdAt).format('YYYY-MM-DD HH:mm')} · {v.note}</Descriptions.Item>
            ))}
          </Descriptions>
        ) : <Spin />}
      </Card>
    </Form>
  );
}
