import { useCallback } from 'react';
import { Card, Descriptions, Empty, Skeleton, Typography } from 'antd';
import { loadTraineeHours, loadTraineeSessions } from '../../api/study';
import { useRequest } from '../../api/use-request';
import { formatDuration } from '../shared/duration';
import { LoadError } from '../shared/LoadError';
import { StudySessionTable } from '../trainee/study/StudyRecordsPage';

/**
 * What the institution needs to answer a trainee's question about their hours: the ledger's totals
 * and the study sessions with their checks and captures (the same evidence the trainee sees).
 */
export function TraineeStudyCard({ traineeId }: { traineeId: string }) {
  const loadHours = useCallback((signal: AbortSignal) => loadTraineeHours(traineeId, signal), [traineeId]);
  const loadSessions = useCallback((signal: AbortSignal) => loadTraineeSessions(traineeId, signal), [traineeId]);
  const hours = useRequest(loadHours);
  const sessions = useRequest(loadSessions);
  const h = hours.data;
  return (
    <Card title="学时与学习记录" data-testid="trainee-study">
      <LoadError title="学习情况加载失败" error={hours.error ?? sessions.error} onRetry={() => (hours.reload(), sessions.reload())} />
      {h ? (
        <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 4 }} data-testid="trainee-hours">
          <Descriptions.Item label="累计学时">
            {h.hours.toFixed(1)} 学时（{formatDuration(h.seconds)}）
          </Descriptions.Item>
          <Descriptions.Item label="线上学习">{formatDuration(h.bySource.online)}</Descriptions.Item>
          <Descriptions.Item label="线下培训">{formatDuration(h.bySource.offline)}</Descriptions.Item>
          <Descriptions.Item label="实操">{formatDuration(h.bySource.practical)}</Descriptions.Item>
        </Descriptions>
      ) : (
        hours.loading && <Skeleton active paragraph={{ rows: 1 }} />
      )}
      <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 8 }}>
        在线学习会话，点击一行查看人脸核验、抓拍与未计学时的原因。
      </Typography.Paragraph>
      {sessions.data ? (
        sessions.data.items.length > 0 ? (
          <StudySessionTable items={sessions.data.items} />
        ) : (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无在线学习记录" />
        )
      ) : (
        sessions.loading && <Skeleton active />
      )}
    </Card>
  );
}
