import { useState } from 'react';
import { App, Button, Card, Empty, Form, Input, List, Modal, Radio, Skeleton, Space } from 'antd';
import { decideAppeal, fetchPendingAppeals, fetchVoids, reverseVoid, type Appeal, type VoidRecord } from '../../../api/oversight';
import { useRequest } from '../../../api/use-request';
import { useSession } from '../../../session/session-context';
import { LoadError } from '../../shared/LoadError';
import { TraineeLabel } from '../../shared/TraineeLabel';
import { AppealSummary, VoidSummary } from '../../shared/VoidSummary';
import { showError } from '../../institution/classes/show-error';

interface Decision {
  uphold?: boolean;
  reason: string;
}

/**
 * A decision a second auditor takes on a void: deciding its appeal (upheld restores the hours) or
 * reversing it. The API refuses the auditor who voided; the buttons say so before asking.
 */
function DecisionModal({ target, onClose, onDone }: { target?: { kind: 'appeal'; appeal: Appeal } | { kind: 'reverse'; v: VoidRecord }; onClose: () => void; onDone: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<Decision>();
  const [busy, setBusy] = useState(false);
  const submit = async ({ uphold, reason }: Decision) => {
    if (!target) return;
    setBusy(true);
    try {
      if (target.kind === 'appeal') await decideAppeal(target.appeal.id, uphold === true, reason.trim());
      else await reverseVoid(target.v.id, reason.trim());
      message.success(target.kind === 'appeal' ? (uphold ? '申诉成立，学时已恢复' : '已驳回申诉') : '已撤销作废，学时已恢复');
      onDone();
    } catch (e) {
      showError(e, message, form);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open={!!target} title={target?.kind === 'appeal' ? '处理申诉' : '撤销作废'} onCancel={onClose} footer={null} destroyOnHidden>
      <Form<Decision> form={form} layout="vertical" name="oversight-decision" aria-label="复核决定" onFinish={submit} disabled={busy} initialValues={{ uphold: false }}>
        {target?.kind === 'appeal' && (
          <Form.Item label="结论" name="uphold" rules={[{ required: true }]}>
            <Radio.Group options={[{ value: false, label: '驳回（维持作废）' }, { value: true, label: '申诉成立（恢复学时）' }]} />
          </Form.Item>
        )}
        <Form.Item label="复核意见" name="reason" rules={[{ required: true, whitespace: true, message: '请填写复核意见' }]}>
          <Input.TextArea rows={3} maxLength={2000} showCount />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy}>
          提交
        </Button>
      </Form>
    </Modal>
  );
}

/** Pending appeals of the jurisdiction with the void each contests, and every void (to reverse one). */
export function DecisionsTab() {
  const { user } = useSession();
  const appeals = useRequest(fetchPendingAppeals);
  const voids = useRequest(fetchVoids);
  const [target, setTarget] = useState<{ kind: 'appeal'; appeal: Appeal } | { kind: 'reverse'; v: VoidRecord }>();
  const byId = new Map((voids.data ?? []).map((v) => [v.id, v]));
  const reload = () => (appeals.reload(), voids.reload());
  const mine = (v?: VoidRecord) => v?.by === user?.id;

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={16}>
      <Card title="待处理的申诉" size="small">
        <LoadError title="申诉加载失败" error={appeals.error} onRetry={appeals.reload} />
        {!appeals.data ? (
          !appeals.error && <Skeleton active />
        ) : appeals.data.length === 0 ? (
          <Empty description="没有待处理的申诉" />
        ) : (
          <List
            dataSource={appeals.data}
            rowKey="id"
            renderItem={(a) => (
              <List.Item
                data-testid="pending-appeal"
                actions={[
                  <Button key="decide" type="primary" disabled={mine(byId.get(a.voidId))} title={mine(byId.get(a.voidId)) ? '作出作废决定的审核人员不能复核自己的决定' : undefined} onClick={() => setTarget({ kind: 'appeal', appeal: a })}>
                    处理
                  </Button>,
                ]}
              >
                <Space orientation="vertical" style={{ width: '100%' }}>
                  <TraineeLabel id={a.traineeId} />
                  {byId.get(a.voidId) && <VoidSummary v={byId.get(a.voidId)!} />}
                  <AppealSummary appeal={a} />
                </Space>
              </List.Item>
            )}
          />
        )}
      </Card>
      <Card title="本辖区的学时作废记录" size="small">
        <LoadError title="作废记录加载失败" error={voids.error} onRetry={voids.reload} />
        {!voids.data ? (
          !voids.error && <Skeleton active />
        ) : voids.data.length === 0 ? (
          <Empty description="没有作废记录" />
        ) : (
          <List
            dataSource={voids.data}
            rowKey="id"
            renderItem={(v) => (
              <List.Item
                data-testid="void-record"
                actions={
                  v.status === 'active' && !v.appeal
                    ? [
                        <Button key="reverse" disabled={mine(v)} title={mine(v) ? '须由作出作废决定以外的审核人员撤销' : undefined} onClick={() => setTarget({ kind: 'reverse', v })}>
                          撤销作废
                        </Button>,
                      ]
                    : []
                }
              >
                <Space orientation="vertical" style={{ width: '100%' }}>
                  <TraineeLabel id={v.traineeId} />
                  <VoidSummary v={v} />
                  {v.appeal && <AppealSummary appeal={v.appeal} />}
                </Space>
              </List.Item>
            )}
          />
        )}
      </Card>
      <DecisionModal target={target} onClose={() => setTarget(undefined)} onDone={() => (setTarget(undefined), reload())} />
    </Space>
  );
}
