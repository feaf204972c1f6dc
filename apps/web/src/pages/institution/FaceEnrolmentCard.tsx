import { useCallback, useState } from 'react';
import { CameraOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Empty, Form, Input, List, Radio, Skeleton, Space, Tag, Typography, Upload } from 'antd';
import dayjs from 'dayjs';
import { enrolFace, fetchFaceReferences, type FaceReference, type FaceReferenceStatus } from '../../api/enrolment';
import { toApiError, type ApiError } from '../../api/errors';
import { formFieldErrors, showFieldErrors } from '../../api/field-errors';
import { fetchFaceConsent } from '../../api/identity';
import { useRequest } from '../../api/use-request';
import { LoadError } from '../shared/LoadError';
import { ReferencePhoto } from '../shared/ReferencePhoto';
import { WebcamCapture } from './WebcamCapture';

const STATUS_COLORS: Record<FaceReferenceStatus, string> = { active: 'success', held_for_review: 'warning', rejected: 'error', retired: 'default' };

function ReferenceItem({ r }: { r: FaceReference }) {
  return (
    <List.Item data-testid="face-reference">
      <List.Item.Meta
        avatar={<ReferencePhoto path={r.imageUrl} />}
        title={
          <Space size={6} wrap>
            <Tag color={STATUS_COLORS[r.status]}>{r.statusName}</Tag>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {r.source === 'webcam' ? '摄像头拍摄' : '上传'} · 质量 {Math.round(r.quality.score * 100)}
            </Typography.Text>
          </Space>
        }
        description={
          <Space orientation="vertical" size={0} style={{ fontSize: 12 }}>
            <span>
              {r.enrolledBy.name ?? '—'} 于 {dayjs(r.enrolledAt).format('YYYY-MM-DD HH:mm')} 采集{r.reason ? `：${r.reason}` : ''}
            </span>
            {r.matches.length > 0 && (
              <span>
                疑似与本项目 {r.matches.length} 名其他学员为同一人{r.status === 'held_for_review' ? '，待监管部门审核' : ''}
              </span>
            )}
            {r.status === 'rejected' && <span>此照片不能用于核验，请重新采集本人照片</span>}
            {r.review && (
              <span>
                审核：{r.review.decision === 'approve' ? '通过' : '不予采用'}（{r.review.by.name ?? '—'}，{r.review.reason}）
              </span>
            )}
            {r.retired && <span>已于 {dayjs(r.retired.at).format('YYYY-MM-DD HH:mm')} 被替换</span>}
          </Space>
        }
      />
    </List.Item>
  );
}

/**
 * The trainee's reference photos and a new enrolment by upload or webcam. Only the institution
 * enrols (a trainee never replaces their own reference); every earlier photo stays in the list.
 */
export function FaceEnrolmentCard({ traineeId }: { traineeId: string }) {
  const { message } = App.useApp();
  const loadReferences = useCallback((signal: AbortSignal) => fetchFaceReferences(traineeId, signal), [traineeId]);
  const loadConsent = useCallback((signal: AbortSignal) => fetchFaceConsent(traineeId, signal), [traineeId]);
  const refs = useRequest(loadReferences);
  const consent = useRequest(loadConsent);
  const [form] = Form.useForm<{ reason?: string; mode?: 'add' | 'replace' }>();
  const [camera, setCamera] = useState(false);
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<ApiError>();
  const hasReference = (refs.data ?? []).some((r) => r.status === 'active' || r.status === 'held_for_review');
  const allowed = consent.data?.active === true;

  const submit = async (image: Blob, fileName: string, source: 'upload' | 'webcam') => {
    let values: { reason?: string; mode?: 'add' | 'replace' };
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setRefusal(undefined);
    try {
      // The mode and reason fields are shown only once there is a photo to replace or add to.
      const created = await enrolFace(traineeId, image, fileName, { source, mode: values.mode ?? 'add', reason: values.reason });
      if (created.status === 'held_for_review') message.warning('照片已保存，但疑似与本项目其他学员为同一人，须经监管部门审核后才能用于核验');
      else message.success('底库照片已生效');
      form.resetFields();
      refs.reload();
    } catch (e) {
      const apiError = toApiError(e);
      // A problem with the reason belongs under its field; everything else is the photo's refusal.
      if (showFieldErrors(form, apiError, (name) => hasReference && name[0] === 'reason') === 0) setRefusal(apiError);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title="人脸底库" data-testid="face-enrolment">
      <LoadError
        title="人脸底库加载失败"
        error={refs.error ?? consent.error}
        onRetry={() => {
          refs.reload();
          consent.reload();
        }}
      />
      {consent.data && !allowed && <Alert type="warning" showIcon style={{ marginBottom: 16 }} title="学员尚未同意人脸信息处理（或已撤回），不能采集底库照片。" />}
      {refusal && <Alert type="error" showIcon style={{ marginBottom: 16 }} title="照片未被采用" description={[refusal.message, ...formFieldErrors(refusal).flatMap((f) => f.errors)].join('：')} data-testid="enrolment-refusal" />}
      <Form form={form} layout="vertical" name="face-enrolment" aria-label="采集底库照片" initialValues={{ mode: 'add' }} disabled={!allowed || busy}>
        {hasReference && (
          <>
            <Form.Item label="采集原因" name="reason" rules={[{ required: true, whitespace: true, message: '已有底库照片，请填写重新采集的原因' }]}>
              <Input maxLength={500} placeholder="如：原照片模糊，重新采集" />
            </Form.Item>
            <Form.Item name="mode">
              <Radio.Group
                options={[
                  { value: 'add', label: '新增一张' },
                  { value: 'replace', label: '替换原照片' },
                ]}
              />
            </Form.Item>
          </>
        )}
        <Space wrap>
          <Upload
            accept="image/jpeg,image/png,image/webp"
            showUploadList={false}
            beforeUpload={(file) => {
              void submit(file, file.name, 'upload');
              return false;
            }}
            disabled={!allowed || busy}
          >
            <Button icon={<UploadOutlined />} loading={busy}>
              上传照片
            </Button>
          </Upload>
          <Button icon={<CameraOutlined />} onClick={() => setCamera(true)} disabled={!allowed || busy}>
            摄像头拍照
          </Button>
        </Space>
      </Form>
      <WebcamCapture
        open={camera}
        onCancel={() => setCamera(false)}
        onCaptured={(photo) => {
          setCamera(false);
          void submit(photo, 'webcam.jpg', 'webcam');
        }}
      />
      <div style={{ marginTop: 16 }}>
        {refs.loading && !refs.data ? (
          <Skeleton active />
        ) : (refs.data ?? []).length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="尚无底库照片" />
        ) : (
          <List dataSource={refs.data} rowKey="id" renderItem={(r) => <ReferenceItem r={r} />} />
        )}
      </div>
    </Card>
  );
}
