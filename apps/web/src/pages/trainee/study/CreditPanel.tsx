import { QuestionCircleOutlined } from '@ant-design/icons';
import { Card, Col, Progress, Row, Statistic, Tooltip, Typography } from 'antd';
import type { StudyTotalsView } from '@app/study-protocol';
import { formatDuration, percentOf } from '../../shared/duration';

// Four figures two by two: the panel sits in a narrow column beside the video, or under it on a phone.
const FIGURE = { content: { fontSize: 20 } } as const;

/** What the server has credited, as its last answer said. */
export function CreditPanel({ totals, lastCredited }: { totals: StudyTotalsView | undefined; lastCredited?: number }) {
  if (!totals) return null;
  return (
    <Card size="small" title="学时计入情况" data-testid="credit-panel">
      <Typography.Text type="secondary">本课时进度</Typography.Text>
      <Progress percent={percentOf(totals.lessonCreditedSeconds, totals.lessonSeconds)} data-testid="lesson-progress" />
      <Typography.Text data-testid="lesson-credited" data-seconds={totals.lessonCreditedSeconds}>
        已计入 {formatDuration(totals.lessonCreditedSeconds)} / 共 {formatDuration(totals.lessonSeconds)}
      </Typography.Text>
      <Row gutter={[12, 12]} style={{ marginTop: 12 }}>
        <Col span={12}>
          <Statistic styles={FIGURE} title="本次学习计入" value={formatDuration(totals.sessionCreditedSeconds)} data-testid="session-credited" data-seconds={totals.sessionCreditedSeconds} />
        </Col>
        <Col span={12}>
          <Statistic
            styles={FIGURE}
            title={
              <span>
                暂挂{' '}
                <Tooltip title="上次人脸核验通过后计入、但随后核验未通过的时长：下次核验通过则保留，本次学习结束前仍未通过则作废">
                  <QuestionCircleOutlined />
                </Tooltip>
              </span>
            }
            value={formatDuration(totals.heldSeconds)}
            data-testid="held-seconds"
            data-seconds={totals.heldSeconds}
          />
        </Col>
        <Col span={12}>
          <Statistic styles={FIGURE} title="项目累计学时" value={totals.programHours} suffix="学时" precision={1} data-testid="program-hours" />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            每学时 {totals.minutesPerHour} 分钟
          </Typography.Text>
        </Col>
        <Col span={12}>
          <Statistic styles={FIGURE} title="其中线上学习" value={formatDuration(totals.programOnlineSeconds)} />
          {lastCredited !== undefined && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="last-credited">
              最近一次计入 {lastCredited} 秒
            </Typography.Text>
          )}
        </Col>
      </Row>
    </Card>
  );
}
