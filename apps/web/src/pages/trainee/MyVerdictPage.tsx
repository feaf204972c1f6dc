import { Empty, Spin } from 'antd';
import { fetchMyVerdicts } from '../../api/compliance';
import { useRequest } from '../../api/use-request';
import { LoadError } from '../shared/LoadError';
import { VerdictCard } from '../shared/VerdictCard';

/** 我的合规判定: per program, whether my training is complete, and what is left to do with its source. */
export default function MyVerdictPage() {
  const { data, error, reload } = useRequest(fetchMyVerdicts);
  if (error) return <LoadError title="加载失败" error={error} onRetry={reload} />;
  if (!data) return <Spin />;
  if (data.length === 0) return <Empty description="暂无培训项目" />;
  return <>{data.map((v) => <VerdictCard key={v.id} verdict={v} />)}</>;
}
