import { useCallback, useState } from 'react';
import { App, Alert, Button, Descriptions, Drawer, Form, Input, Modal, Radio, Skeleton, Space, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { claimItem, confirmItem, fetchItem, ITEM_STATUS_LABELS, releaseItem, VOID_SCOPE_LABELS, voidItem, type OversightItemDetail, type VoidScope } from '../../../api/oversight';
import { loadTraineeHours } from '../../../api/study';
import { useRequest } from '../../../api/use-request';
import { useSession } from '../../../session/session-context';
import { formatDuration } from '../../shared/duration';
import { LoadError } from '../../shared/LoadError';
import { TraineeLabel } from '../../shared/TraineeLabel';
import { showError } from '../../institution/classes/show-error';
import { ItemEvidence } from './ItemEvidence';

function TraineeHours({ traineeId, version }: { traineeId: string; version: number }) {
  // `version` reloads the figures after a decision on this item.
  const load = useCallback((signal: AbortSignal) => loadTraineeHours(traineeId, signal), [traineeId, version]); // eslint-disable-line react-hooks/exhaustive-deps
  const { data } = useRequest(load);
  if (!data) return <Skeleton.Input active size="small" />;
  return (
    <span data-testid="item-trainee-hours" data-seconds={data.seconds}>
      {data.hours.toFixed(1)} 学时（线上 {formatDuration(data.bySource.online)}，线下 {formatDuration(data.bySource.offline)}，实操 {formatDuration(data.bySource.practical)}）
    </span>
  );
}

interface VoidForm {
  scope: VoidScope;
  reason: string;
}

/** One queue item: score and formula, the evidence, and the decisions (claim first, then confirm or void). */
export function ItemDrawer({ id, onClose, onChanged }: { id?: string; onClose: () => void; onChanged: () => void }) {
  const { message } = App.useApp();
  const { user: me } = useSession();
  const load = useCallback((signal: AbortSignal) => (id ? fetchItem(id, signal) : Promise.resolve(undefined)), [id]);
  const { data: item, error, reload } = useRequest(load);
  const [busy, setBusy] = useState(false);
  const [voiding, setVoiding] = useState(false);
  const [version, setVersion] = useState(0);
  const [form] = Form.useForm<VoidForm>();

  const act = async (work: () => Promise<unknown>, done: string) => {
    setBusy(true);
    try {
      await work();
      message.success(done);
      setVersion((v) => v + 1);
      reload();
      onChanged();
      return true;
    } catch (e) {
      showError(e, message, voiding ? form : undefined);
      return false;
    } finally {
      setBusy(false);
    }
  };

  const mine = item?.claimedBy === me?.id;
  const claimedByOther = item?.claimedBy && !mine;
  const actions = (i: OversightItemDetail) =>
    i.status !== 'open' ? null : mine ? (
      <Space wrap>
        <Button danger type="primary" disabled={busy} onClick={() => (form.setFieldsValue({ scope: i.voidScopes[0], reason: '' }), setVoiding(true))}>
          作废学时
        </Button>
        <Button disabled={busy} onClick={() => act(() => confirmItem(i.id), '已确认无异常')}>
          核查无异常
        </Button>
        <Button disabled={busy} onClick={() => act(() => releaseItem(i.id), '已放弃认领')}>
          放弃认领
        </Button>
      </Space>
    ) : (
      <Button type="primary" disabled={busy || !!claimedByOther} onClick={() => act(() => claimItem(i.id), '已认领，其他审核人员暂不能处理此事项')}>
        {claimedByOther ? '已由其他审核人员认领' : '认领'}
      </Button>
    );

  return (
    <Drawer open={!!id} onClose={onClose} size="large" title="抽查事项" destroyOnHidden extra={item && actions(item)}>
      <LoadError title="抽查事项加载失败" error={error} onRetry={reload} />
      {!item ? (
        !error && <Skeleton active />
      ) : (
        <Space orientation="vertical" style={{ width: '100%' }} size={16} data-testid="item-detail">
          <Descriptions size="small" column={{ xs: 1, sm: 2 }} bordered>
            <Descriptions.Item label="学员">
              <TraineeLabel id={item.traineeId} />
            </Descriptions.Item>
            <Descriptions.Item label="对象">{item.subjectName}</Descriptions.Item>
            <Descriptions.Item label="风险评分">
              <Typography.Text strong>{item.score.toFixed(1)}</Typography.Text>（本辖区待核查第 {item.rank} / {item.openTotal} 名）
            </Descriptions.Item>
            <Descriptions.Item label="状态">
              <Tag color={ITEM_STATUS_LABELS[item.status]?.color}>{ITEM_STATUS_LABELS[item.status]?.text ?? item.status}</Tag>
              {item.claimedUntil && `认领至 ${dayjs(item.claimedUntil).format('HH:mm')}`}
            </Descriptions.Item>
            <Descriptions.Item label="时间">{dayjs(item.at).format('YYYY-MM-DD HH:mm')}</Descriptions.Item>
            <Descriptions.Item label="当前学时">
              <TraineeHours traineeId={item.traineeId} version={version} />
            </Descriptions.Item>
            <Descriptions.Item label="评分公式" span={2}>
              <Typography.Text code style={{ fontSize: 12 }}>
                {item.formula}
              </Typography.Text>
            </Descriptions.Item>
          </Descriptions>
          {item.decision && <Alert type={item.decision.kind === 'void' ? 'error' : 'success'} showIcon title={`${item.decision.kind === 'void' ? '已作废学时' : '已确认无异常'}（${dayjs(item.decision.at).format('YYYY-MM-DD HH:mm')}）`} description={item.decision.reason} />}
          <ItemEvidence item={item} />
        </Space>
      )}
      <Modal open={voiding} title="作废学时" onCancel={() => setVoiding(false)} footer={null} destroyOnHidden>
        <Typography.Paragraph type="secondary">作废为所选范围内已入账的学时写入冲正记录，记入审计日志并告知学员和培训机构；学员或培训机构可申诉一次，由其他审核人员复核。</Typography.Paragraph>
        <Form<VoidForm>
          form={form}
          layout="vertical"
          name="void-credit"
          aria-label="作废学时"
          disabled={busy}
          onFinish={async ({ scope, reason }) => {
            if (item && (await act(() => voidItem(item.id, scope, reason.trim()), '已作废，学时已扣减'))) setVoiding(false);
          }}
        >
          <Form.Item label="作废范围" name="scope" rules={[{ required: true, message: '请选择作废范围' }]}>
            <Radio.Group options={(item?.voidScopes ?? []).map((s) => ({ value: s, label: VOID_SCOPE_LABELS[s as VoidScope] ?? s }))} />
          </Form.Item>
          <Form.Item label="作废原因" name="reason" rules={[{ required: true, whitespace: true, message: '请填写作废原因' }]}>
            <Input.TextArea rows={3} maxLength={2000} showCount />
          </Form.Item>
          <Button danger type="primary" htmlType="submit" loading={busy}>
            确认作废
          </Button>
        </Form>
      </Modal>
    </Drawer>
  );
}
