import { useCallback } from 'react';
import { Collapse, Empty, List, Space, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { fetchFaceReferences, referenceImagePath } from '../../../api/enrolment';
import type { OversightFact, OversightItem } from '../../../api/oversight';
import { useRequest } from '../../../api/use-request';
import { ReferencePhoto } from '../../shared/ReferencePhoto';
import { TraineeLabel } from '../../shared/TraineeLabel';
import { SessionDetail } from '../../trainee/study/StudyRecordsPage';

const FACT_KIND_LABELS: Record<string, string> = {
  'study-session': '在线学习会话',
  'study-capture': '学习抓拍',
  'study-refusal': '不予计时记录',
  'face-reference': '底库照片',
  'offline-attendance': '线下考勤记录',
  'offline-session': '线下课次',
  recording: '课次录像',
  camera: '摄像头',
  liveness: '活体检测',
};

/** A shared-face fact names the other trainee in its note ("学员 <id>，距离 …"); otherwise the fact is the item's own trainee's. */
const traineeOfFact = (fact: OversightFact, item: OversightItem) => /学员 ([0-9a-f]{24})/.exec(fact.note ?? '')?.[1] ?? item.traineeId;

function FactView({ fact, item }: { fact: OversightFact; item: OversightItem }) {
  const label = <Tag>{FACT_KIND_LABELS[fact.kind] ?? fact.kind}</Tag>;
  const note = fact.note && (
    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
      {fact.note}
    </Typography.Text>
  );
  if (fact.kind === 'face-reference') {
    const trainee = traineeOfFact(fact, item);
    return (
      <Space align="start" data-testid="fact-face-reference">
        <ReferencePhoto path={referenceImagePath(trainee, fact.id)} size={96} />
        <Space orientation="vertical" size={2}>
          {label}
          <TraineeLabel id={trainee} />
          {note}
        </Space>
      </Space>
    );
  }
  if (fact.kind === 'study-capture') {
    return (
      <Space align="start">
        <ReferencePhoto path={`/api/v1/study/captures/${encodeURIComponent(fact.id)}/image`} size={96} alt="学习抓拍" />
        <Space orientation="vertical" size={2}>
          {label}
          {note}
        </Space>
      </Space>
    );
  }
  if (fact.kind === 'offline-session' && item.classId) {
    return (
      <Space>
        {label}
        <Link to={`/auditor/offline/${item.classId}/sessions/${fact.id}`}>查看考勤表与签到抓拍</Link>
        {note}
      </Space>
    );
  }
  return (
    <Space wrap>
      {label}
      <Typography.Text code style={{ fontSize: 12 }}>
        {fact.id}
      </Typography.Text>
      {note}
    </Space>
  );
}

/** The trainee's references in use, to compare a capture or another account's photo with. */
function TraineeReferences({ traineeId }: { traineeId: string }) {
  const load = useCallback((signal: AbortSignal) => fetchFaceReferences(traineeId, signal), [traineeId]);
  const { data, error } = useRequest(load);
  if (error) return <Typography.Text type="secondary">底库照片无法读取：{error.message}</Typography.Text>;
  const live = (data ?? []).filter((r) => r.status === 'active' || r.status === 'held_for_review');
  if (data && live.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="该学员没有底库照片" />;
  return (
    <Space wrap data-testid="trainee-references">
      {live.map((r) => (
        <ReferencePhoto key={r.id} path={r.imageUrl} size={96} />
      ))}
    </Space>
  );
}

/** Each signal with the facts behind it; the trainee's references; the session's trail when the item is a study session. */
export function ItemEvidence({ item }: { item: OversightItem }) {
  const study = item.subjectKind === 'study-session' && item.sessionId;
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={16}>
      <List
        header={<Typography.Text strong>信号及依据</Typography.Text>}
        dataSource={item.signals}
        renderItem={(s) => (
          <List.Item data-testid="item-signal" data-code={s.code}>
            <Space orientation="vertical" size={6} style={{ width: '100%' }}>
              <Space wrap>
                <Tag color="volcano">{s.name}</Tag>
                <Typography.Text type="secondary">强度 {s.strength.toFixed(2)}</Typography.Text>
              </Space>
              <Typography.Text>{s.detail}</Typography.Text>
              {s.facts.map((f, i) => (
                <FactView key={`${f.kind}:${f.id}:${i}`} fact={f} item={item} />
              ))}
            </Space>
          </List.Item>
        )}
      />
      <div>
        <Typography.Paragraph strong>学员底库照片</Typography.Paragraph>
        <TraineeReferences traineeId={item.traineeId} />
      </div>
      {study && (
        <Collapse items={[{ key: 'session', label: '学习会话：核验、抓拍与不予计时记录', children: <SessionDetail id={item.sessionId!} /> }]} defaultActiveKey={['session']} />
      )}
    </Space>
  );
}
