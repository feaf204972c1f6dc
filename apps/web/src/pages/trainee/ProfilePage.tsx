import { useCallback } from 'react';
import { Card, Descriptions, Empty, Skeleton, Space, Tabs } from 'antd';
import { fetchTrainee, fetchTrainees, type Trainee } from '../../api/identity';
import { useRequest } from '../../api/use-request';
import { TraineeFacts } from '../shared/TraineeFacts';
import { FaceConsentPanel } from '../shared/FaceConsentPanel';
import { usePrograms } from '../shared/lookups';
import { useSession } from '../../session/session-context';
import { LoadError } from '../shared/LoadError';

/**
 * A trainee's own records (one per program). The list answers with masks; each record is then
 * read in full, which the API allows the person themself.
 */
async function loadOwnRecords(signal: AbortSignal): Promise<Trainee[]> {
  const page = await fetchTrainees({ limit: 20 }, signal);
  return Promise.all(page.items.map((t) => fetchTrainee(t.id, signal)));
}

function Record({ trainee, enterpriseName }: { trainee: Trainee; enterpriseName?: string }) {
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <TraineeFacts trainee={trainee} enterpriseName={enterpriseName} />
      <FaceConsentPanel traineeId={trainee.id} canDecide />
    </Space>
  );
}

/** 我的资料: account, real-name records and face-data consent. */
export default function ProfilePage() {
  const { user } = useSession();
  const records = useRequest(useCallback(loadOwnRecords, []));
  const programs = usePrograms();
  const list = records.data ?? [];
  // A trainee's account belongs to their enterprise; the organisations list is not theirs to read.
  const enterpriseOf = (t: Trainee) => (user?.organisation?.id === t.enterpriseId ? user.organisation.name : undefined);

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card title="我的账号">
        <Descriptions column={{ xs: 1, md: 3 }} size="small">
          <Descriptions.Item label="姓名">{user?.name}</Descriptions.Item>
          <Descriptions.Item label="用户名">{user?.username}</Descriptions.Item>
          <Descriptions.Item label="所属单位">{user?.organisation?.name ?? '—'}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Card title="实名信息">
        <LoadError title="实名信息加载失败" error={records.error} onRetry={records.reload} />
        {records.loading && !records.data ? (
          <Skeleton active />
        ) : list.length === 0 ? (
          !records.error && <Empty description="尚未登记为任何培训项目的学员，请联系培训机构" />
        ) : list.length === 1 ? (
          <Record trainee={list[0]} enterpriseName={enterpriseOf(list[0])} />
        ) : (
          <Tabs items={list.map((t) => ({ key: t.id, label: programs.byId.get(t.programId)?.name ?? '培训项目', children: <Record trainee={t} enterpriseName={enterpriseOf(t)} /> }))} />
        )}
      </Card>
    </Space>
  );
}
