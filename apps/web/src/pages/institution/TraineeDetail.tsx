import { useCallback, useState } from 'react';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { Button, Card, Col, Result, Row, Skeleton, Space } from 'antd';
import { Link, useParams } from 'react-router-dom';
import { fetchTrainee } from '../../api/identity';
import { useRequest } from '../../api/use-request';
import { FaceConsentPanel } from '../shared/FaceConsentPanel';
import { useEnterprises } from '../shared/lookups';
import { TraineeFacts } from '../shared/TraineeFacts';
import { FaceEnrolmentCard } from './FaceEnrolmentCard';
import { TraineeAccountCard } from './TraineeAccountCard';
import { TraineeStudyCard } from './TraineeStudyCard';
import { LoadError } from '../shared/LoadError';

export function TraineeDetail() {
  const { id = '' } = useParams();
  const load = useCallback((signal: AbortSignal) => fetchTrainee(id, signal), [id]);
  const { data, error, loading, reload } = useRequest(load);
  const enterprises = useEnterprises();
  // Enrolment depends on consent: recording a paper form here makes the enrolment card load afresh.
  const [consentChanges, setConsentChanges] = useState(0);

  const back = (
    <Link to="..">
      <Button type="link" icon={<ArrowLeftOutlined />} style={{ paddingInline: 0 }}>
        返回学员列表
      </Button>
    </Link>
  );
  if (error?.status === 404) return <Result status="404" title="学员不存在" subTitle={error.message} extra={back} />;

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      {back}
      <Card title={data ? `学员：${data.name}` : '学员详情'}>
        <LoadError title="学员信息加载失败" error={error} onRetry={reload} />
        {loading && !data ? <Skeleton active /> : data && <TraineeFacts trainee={data} enterpriseName={enterprises.byId.get(data.enterpriseId)?.name} />}
      </Card>
      {data && (
        <Row gutter={[16, 16]}>
          <Col xs={24} lg={14}>
            <FaceEnrolmentCard key={consentChanges} traineeId={data.id} />
          </Col>
          <Col xs={24} lg={10}>
            <Space orientation="vertical" size={16} style={{ width: '100%' }}>
              <FaceConsentPanel traineeId={data.id} canDecide={false} canRecordPaper onChange={() => setConsentChanges((n) => n + 1)} />
              <TraineeAccountCard trainee={data} />
            </Space>
          </Col>
          <Col xs={24}>
            <TraineeStudyCard traineeId={data.id} />
          </Col>
        </Row>
      )}
    </Space>
  );
}
