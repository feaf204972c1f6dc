import { useState } from 'react';
import { App, Button, Card, Empty, Form, Input, List, Modal, Radio, Skeleton, Space, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { fetchPendingFaceReviews, referenceImagePath, reviewFaceReference, type FaceReference } from '../../api/enrolment';
import { toApiError } from '../../api/errors';
import { useRequest } from '../../api/use-request';
import { LoadError } from '../shared/LoadError';
import { faceDistanceText } from '../shared/face-distance';
import { ReferencePhoto } from '../shared/ReferencePhoto';
import { TraineeLabel } from '../shared/TraineeLabel';

interface Decision {
  decision: 'approve' | 'reject';
  reason: string;
}

function Held({ r, onDecide }: { r: FaceReference; onDecide: (r: FaceReference) => void }) {
  return (
    <List.Item data-testid="face-review" actions={[<Button key="decide" type="primary" onClick={() => onDecide(r)}>审核</Button>]}>
      <Space orientation="vertical" size={8} style={{ width: '100%' }}>
        <Space wrap size={16} align="start">
          <Space orientation="vertical" size={4}>
            <ReferencePhoto path={r.imageUrl} size={96} />
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              新采集
            </Typography.Text>
          </Space>
          {r.matches.map((m) => (
            <Space orientation="vertical" size={4} key={m.referenceId}>
              <ReferencePhoto path={referenceImagePath(m.traineeId, m.referenceId)} size={96} />
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {faceDistanceText(m.distance)}
              </Typography.Text>
            </Space>
          ))}
        </Space>
        <div>
          <Tag color="warning">待审核</Tag> <TraineeLabel id={r.traineeId} />
        </div>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {r.enrolledBy.name ?? '—'} 于 {dayjs(r.enrolledAt).format('YYYY-MM-DD HH:mm')} 采集；疑似与以下学员为同一人：
        </Typography.Text>
        {r.matches.map((m) => (
          <div key={m.referenceId} style={{ fontSize: 12 }}>
            · <TraineeLabel id={m.traineeId} />
          </div>
        ))}
      </Space>
    </List.Item>
  );
}

/**
 * 人脸底库审核: photos held at enrolment because they look like another trainee of the program
 * (one person behind several accounts). Approve only when they are different people.
 */
export default function FaceReviewsPage() {
  const { message } = App.useApp();
  const { data, error, loading, reload } = useRequest(fetchPendingFaceReviews);
  const [deciding, setDeciding] = useState<FaceReference>();
  const [submitting, setSubmitting] = useState(false);
  const [form] = Form.useForm<Decision>();

  const decide = async ({ decision, reason }: Decision) => {
    if (!deciding) return;
    setSubmitting(true);
    try {
      await reviewFaceReference(deciding, decision, reason.trim());
      message.success(decision === 'approve' ? '已通过：照片生效' : '已不予采用');
      setDeciding(undefined);
      form.resetFields();
      reload();
    } catch (e) {
      message.error(toApiError(e).message);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Card title="人脸底库审核" extra={data && <Typography.Text type="secondary">待审核 {data.length} 条</Typography.Text>}>
      <Typography.Paragraph type="secondary">
        以下照片在采集时与本项目其他学员的底库照片高度相似，可能是一人多号或代学。请比对照片：确认不是同一人时“通过”，否则“不予采用”。
      </Typography.Paragraph>
      <LoadError title="待审核列表加载失败" error={error} onRetry={reload} />
      {loading && !data ? (
        <Skeleton active />
      ) : (data ?? []).length === 0 ? (
        !error && <Empty description="没有待审核的照片" />
      ) : (
        <List dataSource={data} rowKey="id" renderItem={(r) => <Held r={r} onDecide={setDeciding} />} />
      )}
      <Modal open={!!deciding} title="审核人脸底库照片" onCancel={() => setDeciding(undefined)} footer={null} destroyOnHidden>
        <Form<Decision> form={form} layout="vertical" name="face-review" aria-label="审核人脸底库照片" onFinish={decide} disabled={submitting} initialValues={{ decision: 'reject' }}>
          <Form.Item label="结论" name="decision" rules={[{ required: true }]}>
            <Radio.Group
              options={[
                { value: 'reject', label: '不予采用（疑似同一人）' },
                { value: 'approve', label: '通过（确认不是同一人）' },
              ]}
            />
          </Form.Item>
          <Form.Item label="审核意见" name="reason" rules={[{ required: true, whitespace: true, message: '请填写审核意见' }]}>
            <Input.TextArea rows={3} maxLength={500} showCount />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={submitting}>
            提交
          </Button>
        </Form>
      </Modal>
    </Card>
  );
}
