import { Card, Descriptions, List, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { SEVERITY_LABELS, VERDICT_COLORS, type Verdict } from '../../api/compliance';
import { formatDuration } from './duration';

/** One verdict: its status, every reason with its source (what is left to do), the hours and the exam. */
export function VerdictCard({ verdict, title }: { verdict: Verdict; title?: string }) {
  const s = verdict.seconds;
  return (
    <Card
      title={title ?? '合规判定'}
      extra={<Tag color={VERDICT_COLORS[verdict.status]}>{verdict.statusName}</Tag>}
      style={{ marginBottom: 16 }}
    >
      <Descriptions size="small" column={{ xs: 1, md: 3 }}>
        <Descriptions.Item label="线上">{formatDuration(s.online)}</Descriptions.Item>
        <Descriptions.Item label="线下">{formatDuration(s.offline)}</Descriptions.Item>
        <Descriptions.Item label="实训">{formatDuration(s.practical)}</Descriptions.Item>
        <Descriptions.Item label="计入">{formatDuration(s.creditable)}</Descriptions.Item>
        <Descriptions.Item label="结业考试">{verdict.exam.attempts === 0 ? '未参加' : `${verdict.exam.attempts} 次，最高 ${verdict.exam.best} 分，${verdict.exam.passed ? '通过' : '未通过'}`}</Descriptions.Item>
        <Descriptions.Item label="依据">规则集第 {verdict.ruleSetVersion} 版 · {dayjs(verdict.judgedAt).format('YYYY-MM-DD HH:mm')} 判定</Descriptions.Item>
      </Descriptions>
      {verdict.reasons.length === 0 ? (
        <Typography.Paragraph type="success" style={{ marginTop: 12 }}>全部要求均已完成。</Typography.Paragraph>
      ) : (
        <List
          size="small"
          style={{ marginTop: 12 }}
          dataSource={verdict.reasons}
          renderItem={(r) => (
            <List.Item>
              <List.Item.Meta
                title={<><Tag color={SEVERITY_LABELS[r.severity].color}>{SEVERITY_LABELS[r.severity].label}</Tag>{r.message}</>}
                description={r.source ? `依据：${r.source}` : undefined}
              />
            </List.Item>
          )}
        />
      )}
      {verdict.alsoTrainingIn.length > 0 && (
        <Typography.Paragraph type="warning">同一人还在其他培训项目中参训：{verdict.alsoTrainingIn.map((a) => a.programCode).join('、')}（避免重复培训）</Typography.Paragraph>
      )}
    </Card>
  );
}
