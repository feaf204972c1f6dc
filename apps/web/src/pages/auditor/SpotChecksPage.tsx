import { Card, Tabs, Typography } from 'antd';
import { DecisionsTab } from './oversight/DecisionsTab';
import { QueueTab } from './oversight/QueueTab';

/**
 * 抽查: the jurisdiction's risk-ranked spot-check queue (fake trainees, inflated hours, fake classes,
 * 001_… §五(三)), and the decisions a second auditor takes on voids — appeals and reversals.
 */
export default function SpotChecksPage() {
  return (
    <Card title="抽查">
      <Typography.Paragraph type="secondary">
        队列按风险评分排序（评分 = Σ 权重 × 强度，公式见各事项），另按比例随机抽取无异常信号的学习与考勤。认领后核查证据，确认无异常或作废学时并写明原因。
      </Typography.Paragraph>
      <Tabs
        items={[
          { key: 'queue', label: '抽查队列', children: <QueueTab /> },
          { key: 'decisions', label: '申诉与作废复核', children: <DecisionsTab /> },
        ]}
      />
    </Card>
  );
}
