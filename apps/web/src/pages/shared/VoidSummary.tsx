import { App, Button, Descriptions, Space, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { downloadFrom } from '../../api/download';
import { APPEAL_STATUS_LABELS, appealEvidencePath, VOID_STATUS_LABELS, type Appeal, type VoidRecord } from '../../api/oversight';
import { toApiError } from '../../api/errors';
import { formatDuration } from './duration';

const time = (iso: string) => dayjs(iso).format('YYYY-MM-DD HH:mm');

/** An appeal's statement, its files (fetched with the token) and its outcome. */
export function AppealSummary({ appeal }: { appeal: Appeal }) {
  const { message } = App.useApp();
  const status = APPEAL_STATUS_LABELS[appeal.status];
  return (
    <Space orientation="vertical" size={4} data-testid="appeal-summary" data-status={appeal.status}>
      <Space wrap>
        <Tag color={status?.color}>{status?.text ?? appeal.status}</Tag>
        <Typography.Text type="secondary">{time(appeal.at)} 由{appeal.byRole === 'trainee' ? '学员本人' : '培训机构'}提出</Typography.Text>
      </Space>
      <Typography.Text>申诉理由：{appeal.statement}</Typography.Text>
      {appeal.evidence.length > 0 && (
        <Space wrap>
          证明材料：
          {appeal.evidence.map((f) => (
            <Button key={f.sha256} size="small" type="link" onClick={() => downloadFrom(appealEvidencePath(appeal.id, f.sha256), f.name).catch((e) => message.error(toApiError(e).message))}>
              {f.name}
            </Button>
          ))}
        </Space>
      )}
      {appeal.decision && (
        <Typography.Text type="secondary">
          复核意见（{time(appeal.decision.at)}）：{appeal.decision.reason}
        </Typography.Text>
      )}
    </Space>
  );
}

/** Why credit was voided, how much, and what became of it (reversed, restored on appeal). */
export function VoidSummary({ v }: { v: VoidRecord }) {
  const status = VOID_STATUS_LABELS[v.status];
  return (
    <Descriptions size="small" column={{ xs: 1, sm: 2 }} data-testid="void-summary" data-status={v.status}>
      <Descriptions.Item label="作废范围">{v.scopeName}</Descriptions.Item>
      <Descriptions.Item label="作废学时">{formatDuration(v.seconds)}</Descriptions.Item>
      <Descriptions.Item label="作废时间">{time(v.at)}</Descriptions.Item>
      <Descriptions.Item label="状态">
        <Tag color={status?.color}>{status?.text ?? v.status}</Tag>
      </Descriptions.Item>
      <Descriptions.Item label="作废原因" span={2}>
        {v.reason}
      </Descriptions.Item>
      {v.undone && (
        <Descriptions.Item label={v.undone.kind === 'restored' ? '恢复学时' : '撤销作废'} span={2}>
          {time(v.undone.at)}：{v.undone.reason}
        </Descriptions.Item>
      )}
    </Descriptions>
  );
}
