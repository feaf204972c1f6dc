import { useCallback } from 'react';
import { Skeleton, Typography } from 'antd';
import { fetchTrainee } from '../../api/identity';
import { useRequest } from '../../api/use-request';

/** A trainee's name and masked ID number (auditors never see the full number). */
export function TraineeLabel({ id }: { id: string }) {
  const load = useCallback((signal: AbortSignal) => fetchTrainee(id, signal), [id]);
  const { data, error } = useRequest(load);
  if (error) return <Typography.Text type="secondary">（无法读取该学员）</Typography.Text>;
  if (!data) return <Skeleton.Input active size="small" />;
  return (
    <span>
      {data.name} <Typography.Text code>{data.idNumber}</Typography.Text>
    </span>
  );
}
