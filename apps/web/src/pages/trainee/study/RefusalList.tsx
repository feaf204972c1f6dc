import { List, Typography } from 'antd';
import dayjs from 'dayjs';
import type { RefusalEntry } from '../../../study/refusal-log';

/** The last few reasons a heartbeat earned nothing: unobtrusive, but never silent. */
export function RefusalList({ refusals }: { refusals: RefusalEntry[] }) {
  if (refusals.length === 0) return null;
  return (
    <List
      size="small"
      header={<Typography.Text type="secondary">未计学时的原因（最近 {refusals.length} 条）</Typography.Text>}
      dataSource={refusals}
      data-testid="refusal-list"
      renderItem={(r) => (
        <List.Item data-code={r.code}>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {dayjs(r.at).format('HH:mm:ss')} {r.message}
            {r.seconds > 0 ? `（${r.seconds} 秒）` : ''}
          </Typography.Text>
        </List.Item>
      )}
    />
  );
}
