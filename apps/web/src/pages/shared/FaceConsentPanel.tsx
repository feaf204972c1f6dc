import { useCallback, useState } from 'react';
import { UploadOutlined } from '@ant-design/icons';
import { Alert, App, Badge, Button, Card, Checkbox, DatePicker, Descriptions, Form, Input, Modal, Popconfirm, Skeleton, Space, Table, Tag, Typography, Upload } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { toApiError } from '../../api/errors';
import {
  consentScanPath,
  fetchConsentText,
  fetchFaceConsent,
  grantFaceConsent,
  recordPaperConsent,
  recordPaperWithdrawal,
  withdrawFaceConsent,
  type ConsentText,
  type FaceConsent,
  type FaceConsentStatus,
} from '../../api/identity';
import { useRequest } from '../../api/use-request';
import { LoadError } from './LoadError';
import { useAuthorisedObject } from './use-authorised-object';

const formatTime = (iso?: string) => (iso ? dayjs(iso).format('YYYY-MM-DD HH:mm:ss') : '—');
const CHANNEL_LABEL = { online: '学员在线同意', paper: '纸质同意书' } as const;

/** The scan behind a paper grant: a photo is shown in place, a PDF is offered to open (the CSP keeps blob: frames out). */
function ScanViewer({ traineeId, consent, onClose }: { traineeId: string; consent: FaceConsent; onClose: () => void }) {
  const { object: scan, error } = useAuthorisedObject(consentScanPath(traineeId, consent.id));
  return (
    <Modal open title={`纸质同意书扫描件（签署日期 ${consent.signedOn ?? '—'}）`} footer={null} width={760} onCancel={onClose} destroyOnHidden>
      {error && <Alert type="error" showIcon title={error} />}
      {!scan && !error && <Skeleton active />}
      {scan &&
        (scan.type.startsWith('image/') ? (
          <img alt="纸质同意书" src={scan.url} style={{ maxWidth: '100%' }} data-testid="consent-scan" />
        ) : (
          <a href={scan.url} download={`纸质同意书-${consent.signedOn ?? consent.id}.pdf`} data-testid="consent-scan">
            下载 PDF 扫描件
          </a>
        ))}
    </Modal>
  );
}

function ConsentHistory({ traineeId, history }: { traineeId: string; history: FaceConsent[] }) {
  const [viewing, setViewing] = useState<FaceConsent>();
  return (
    <>
      <Table<FaceConsent>
        data-testid="consent-history"
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={history}
        locale={{ emptyText: '尚无同意记录' }}
        scroll={{ x: 'max-content' }}
        columns={[
          {
            title: '方式',
            dataIndex: 'channel',
            render: (_: unknown, c) => (
              <Space size={4} wrap>
                {CHANNEL_LABEL[c.channel]}
                {c.hasScan && (
                  <Button type="link" size="small" style={{ paddingInline: 0 }} onClick={() => setViewing(c)}>
                    查看扫描件
                  </Button>
                )}
              </Space>
            ),
          },
          { title: '同意书版本', dataIndex: 'textVersion' },
          { title: '同意时间', dataIndex: 'grantedAt', render: (v: string, c) => (c.signedOn ? `${c.signedOn} 签署（${formatTime(v)} 录入）` : formatTime(v)) },
          {
            title: '撤回时间',
            dataIndex: 'withdrawnAt',
            render: (v: string | undefined, c) =>
              v ? (
                <span>
                  {formatTime(v)}
                  {c.withdrawReason && <Typography.Text type="secondary">（机构登记：{c.withdrawReason}）</Typography.Text>}
                </span>
              ) : (
                <Tag color="success">有效</Tag>
              ),
          },
        ]}
      />
      {viewing && <ScanViewer traineeId={traineeId} consent={viewing} onClose={() => setViewing(undefined)} />}
    </>
  );
}

interface PaperValues {
  signedOn: Dayjs;
  scan: Array<{ originFileObj?: File }>;
}

/** The institution records the form the trainee signed on paper: the scan, the date, the printed version. */
function PaperConsentForm({ text, busy, onSubmit }: { text: ConsentText; busy: boolean; onSubmit: (scan: File, signedOn: string) => void }) {
  const [form] = Form.useForm<PaperValues>();
  return (
    <Form<PaperValues>
      form={form}
      layout="vertical"
      data-testid="paper-consent-form"
      initialValues={{ signedOn: dayjs() }}
      onFinish={(v) => onSubmit(v.scan[0].originFileObj!, v.signedOn.format('YYYY-MM-DD'))}
    >
      <Typography.Paragraph type="secondary">
        学员在纸质《{text.title}》（版本 {text.version}）上签字后，由本机构上传签字页的扫描件或照片并登记签署日期。
      </Typography.Paragraph>
      <Form.Item
        label="签字的同意书扫描件"
        name="scan"
        valuePropName="fileList"
        getValueFromEvent={(e: { fileList: unknown[] }) => e.fileList.slice(-1)}
        rules={[{ required: true, message: '请选择签字的同意书扫描件（PDF、JPEG、PNG 或 WebP）' }]}
      >
        <Upload beforeUpload={() => false} maxCount={1} accept=".pdf,.jpg,.jpeg,.png,.webp">
          <Button icon={<UploadOutlined />}>选择文件</Button>
        </Upload>
      </Form.Item>
      <Form.Item label="签署日期" name="signedOn" rules={[{ required: true, message: '请选择签署日期' }]}>
        <DatePicker disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={busy}>
        录入纸质同意书
      </Button>
    </Form>
  );
}

/** A trainee who withdraws in person or in writing: the institution records it and what was said. */
function PaperWithdrawalButton({ busy, onSubmit }: { busy: boolean; onSubmit: (reason: string) => Promise<boolean> }) {
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ reason: string }>();
  return (
    <>
      <Button danger onClick={() => setOpen(true)}>
        登记学员撤回同意
      </Button>
      <Modal
        open={open}
        title="登记学员撤回人脸信息处理同意"
        okText="确认登记"
        cancelText="取消"
        okButtonProps={{ danger: true, loading: busy }}
        onOk={() => form.submit()}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">登记后立即停止对该学员的人脸采集与核验，记录保留。</Typography.Paragraph>
        <Form form={form} layout="vertical" onFinish={async (v) => (await onSubmit(v.reason)) && setOpen(false)}>
          <Form.Item
            label="撤回方式与说明"
            name="reason"
            rules={[{ required: true, whitespace: true, message: '请填写学员撤回同意的方式与说明' }, { max: 500, message: '不超过 500 个字符' }]}
          >
            <Input.TextArea rows={3} placeholder="例如：学员于 12 月 5 日提交书面撤回申请" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

function ConsentTextBlock({ text }: { text: ConsentText }) {
  return (
    <div
      data-testid="consent-text"
      style={{ background: '#fafafa', border: '1px solid #f0f0f0', borderRadius: 6, padding: '12px 16px', maxHeight: 320, overflowY: 'auto' }}
    >
      <Typography.Title level={5} style={{ marginTop: 0 }}>
        {text.title}
        <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: 'normal', marginInlineStart: 8 }}>
          版本 {text.version}
        </Typography.Text>
      </Typography.Title>
      {text.text.split('\n').map((line, i) => (
        <Typography.Paragraph key={i} style={{ marginBottom: 6 }}>
          {line}
        </Typography.Paragraph>
      ))}
    </div>
  );
}

/**
 * Face data is sensitive personal information (PIPL): separate consent to a named text version,
 * given by the trainee online (`canDecide`) or on the signed paper form their institution records
 * (`canRecordPaper`); auditors see the state and its history.
 */
export function FaceConsentPanel({
  traineeId,
  canDecide,
  canRecordPaper = false,
  onChange,
}: {
  traineeId: string;
  canDecide: boolean;
  canRecordPaper?: boolean;
  /** After a grant or withdrawal: what depends on consent (enrolment) reloads. */
  onChange?: () => void;
}) {
  const { message } = App.useApp();
  const loadStatus = useCallback((signal: AbortSignal) => fetchFaceConsent(traineeId, signal), [traineeId]);
  const status = useRequest(loadStatus);
  const text = useRequest(fetchConsentText);
  const [override, setOverride] = useState<FaceConsentStatus>();
  const [agreed, setAgreed] = useState(false);
  const [busy, setBusy] = useState(false);
  const current = override ?? status.data;

  const act = async (action: () => Promise<FaceConsentStatus>, done: string): Promise<boolean> => {
    setBusy(true);
    try {
      setOverride(await action());
      setAgreed(false);
      message.success(done);
      onChange?.();
      return true;
    } catch (e) {
      message.error(toApiError(e).message);
      // The state may have changed elsewhere (another tab, an updated text): show the API's view.
      setOverride(undefined);
      status.reload();
      text.reload();
      return false;
    } finally {
      setBusy(false);
    }
  };

  const error = status.error ?? text.error;
  return (
    <Card title="人脸信息处理同意" data-testid="face-consent">
      <LoadError
        title="同意状态加载失败"
        error={error}
        onRetry={() => {
          status.reload();
          text.reload();
        }}
      />
      {!current ? (
        !error && <Skeleton active />
      ) : (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Descriptions column={1} size="small">
            <Descriptions.Item label="当前状态">
              <span data-testid="consent-state">
                {current.active ? <Badge status="success" text="已同意" /> : <Badge status="default" text={current.history.length ? '已撤回' : '未同意'} />}
              </span>
            </Descriptions.Item>
            {current.current && <Descriptions.Item label="同意时间">{formatTime(current.current.grantedAt)}（版本 {current.current.textVersion}）</Descriptions.Item>}
          </Descriptions>
          {!current.active && (
            <Alert
              type="info"
              showIcon
              title={canDecide ? '未同意时不会采集您的人脸信息，也不会对您进行人脸核验。' : '学员未同意或已撤回：不得采集其人脸信息或进行人脸核验。'}
            />
          )}
          {canRecordPaper && text.data && !current.active && (
            <PaperConsentForm
              text={text.data}
              busy={busy}
              onSubmit={(scan, signedOn) => act(() => recordPaperConsent(traineeId, { scan, signedOn, textVersion: text.data!.version }), '已录入纸质同意书')}
            />
          )}
          {canRecordPaper && current.active && (
            <PaperWithdrawalButton busy={busy} onSubmit={(reason) => act(() => recordPaperWithdrawal(traineeId, reason), '已登记撤回')} />
          )}
          {canDecide && text.data && !current.active && (
            <>
              <ConsentTextBlock text={text.data} />
              <Checkbox checked={agreed} onChange={(e) => setAgreed(e.target.checked)} data-testid="consent-agree">
                我已阅读并同意《{text.data.title}》（版本 {text.data.version}）
              </Checkbox>
              <Button type="primary" disabled={!agreed} loading={busy} onClick={() => act(() => grantFaceConsent(traineeId, text.data!.version), '已记录您的同意')}>
                同意
              </Button>
            </>
          )}
          {canDecide && current.active && (
            <Popconfirm
              title="撤回人脸信息处理同意？"
              description="撤回后平台将停止对您进行人脸核验，需要人脸核验的线上学时可能无法认定。"
              okText="确认撤回"
              cancelText="取消"
              okButtonProps={{ danger: true }}
              onConfirm={() => act(() => withdrawFaceConsent(traineeId), '已撤回同意')}
            >
              <Button danger loading={busy}>
                撤回同意
              </Button>
            </Popconfirm>
          )}
          <div>
            <Typography.Text strong>同意记录</Typography.Text>
            <ConsentHistory traineeId={traineeId} history={current.history} />
          </div>
        </Space>
      )}
    </Card>
  );
}
