import { useState } from 'react';
import { App, Button, Card, Empty, Form, Input, List, Modal, Skeleton, Space, Typography, Upload, type UploadFile } from 'antd';
import { fetchVoids, fileAppeal, type VoidRecord } from '../../api/oversight';
import { useRequest } from '../../api/use-request';
import { useSession } from '../../session/session-context';
import { showError } from '../institution/classes/show-error';
import { LoadError } from './LoadError';
import { TraineeLabel } from './TraineeLabel';
import { AppealSummary, VoidSummary } from './VoidSummary';

interface AppealForm {
  statement: string;
}

/**
 * 学时作废与申诉, for the institution (its trainees' voids) and the trainee (their own): why credit
 * was voided, and one appeal per void with a statement and new evidence; another auditor decides.
 */
export default function VoidsAndAppealsPage() {
  const { message } = App.useApp();
  const { user } = useSession();
  const { data, error, reload } = useRequest(fetchVoids);
  const [appealing, setAppealing] = useState<VoidRecord>();
  const [files, setFiles] = useState<UploadFile[]>([]);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<AppealForm>();

  const submit = async ({ statement }: AppealForm) => {
    if (!appealing) return;
    setBusy(true);
    try {
      await fileAppeal(appealing.id, statement.trim(), files.map((f) => f.originFileObj).filter((f): f is NonNullable<typeof f> => !!f));
      message.success('申诉已提交，将由其他审核人员复核');
      setAppealing(undefined);
      setFiles([]);
      form.resetFields();
      reload();
    } catch (e) {
      showError(e, message, form);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title="学时作废与申诉">
      <Typography.Paragraph type="secondary">监管部门抽查后作废的学时及原因。对每项作废可申诉一次：写明理由并附证明材料（最多 5 个文件，每个不超过 10 MB），由作出作废决定以外的审核人员复核；申诉成立的，学时恢复。</Typography.Paragraph>
      <LoadError title="作废记录加载失败" error={error} onRetry={reload} />
      {!data ? (
        !error && <Skeleton active />
      ) : data.length === 0 ? (
        <Empty description="没有被作废的学时" />
      ) : (
        <List
          dataSource={data}
          rowKey="id"
          renderItem={(v) => (
            <List.Item
              data-testid="my-void"
              actions={
                v.status === 'active' && !v.appeal
                  ? [
                      <Button key="appeal" type="primary" onClick={() => setAppealing(v)}>
                        申诉
                      </Button>,
                    ]
                  : []
              }
            >
              <Space orientation="vertical" style={{ width: '100%' }}>
                {user?.role !== 'trainee' && <TraineeLabel id={v.traineeId} />}
                <VoidSummary v={v} />
                {v.appeal && <AppealSummary appeal={v.appeal} />}
              </Space>
            </List.Item>
          )}
        />
      )}
      <Modal open={!!appealing} title="对作废提出申诉" onCancel={() => setAppealing(undefined)} footer={null} destroyOnHidden>
        <Form<AppealForm> form={form} layout="vertical" name="appeal" aria-label="申诉" onFinish={submit} disabled={busy}>
          <Form.Item label="申诉理由" name="statement" rules={[{ required: true, whitespace: true, message: '请填写申诉理由' }]}>
            <Input.TextArea rows={4} maxLength={4000} showCount />
          </Form.Item>
          <Form.Item label="证明材料">
            <Upload multiple maxCount={5} fileList={files} beforeUpload={() => false} onChange={({ fileList }) => setFiles(fileList)}>
              <Button>选择文件</Button>
            </Upload>
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy}>
            提交申诉
          </Button>
        </Form>
      </Modal>
    </Card>
  );
}
