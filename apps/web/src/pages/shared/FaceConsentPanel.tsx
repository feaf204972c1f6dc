import { useCallback, useState } from 'react';
import { Alert, App, Badge, Button, Card, Checkbox, Descriptions, Popconfirm, Skeleton, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { toApiError } from '../../api/errors';
import {
  fetchConsentText,
  fetchFaceConsent,
  grantFaceConsent,
  withdrawFaceConsent,
  type ConsentText,
  type FaceConsent,
  type FaceConsentStatus,
} from '../../api/identity';
import { useRequest } from '../../api/use-request';
import { LoadError } from './LoadError';

const formatTime = (iso?: string) => (iso ? dayjs(iso).format('YYYY-MM-DD HH:mm:ss') : '—');

function ConsentHistory({ history }: { history: FaceConsent[] }) {
  return (
    <Table<FaceConsent>
      data-testid="consent-history"
      size="small"
      rowKey="id"
      pagination={false}
      dataSource={history}
      locale={{ emptyText: '尚无同意记录' }}
      columns={[
        { title: '同意书版本', dataIndex: 'textVersion' },
        { title: '同意时间', dataIndex: 'grantedAt', render: formatTime },
        {
          title: '撤回时间',
          dataIndex: 'withdrawnAt',
          render: (v?: string) => (v ? formatTime(v) : <Tag color="success">有效</Tag>),
        },
      ]}
    />
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
 * Face data is sensitive personal information (PIPL): the trainee alone grants or withdraws
 * separate consent to a named text version; staff see the state and its history.
 */
export function FaceConsentPanel({ traineeId, canDecide }: { traineeId: string; canDecide: boolean }) {
  const { message } = App.useApp();
  const loadStatus = useCallback((signal: AbortSignal) => fetchFaceConsent(traineeId, signal), [traineeId]);
  const status = useRequest(loadStatus);
  const text = useRequest(fetchConsentText);
  const [override, setOverride] = useState<FaceConsentStatus>();
  const [agreed, setAgreed] = useState(false);
  const [busy, setBusy] = useState(false);
  const current = override ?? status.data;

  const act = async (action: () => Promise<FaceConsentStatus>, done: string) => {
    setBusy(true);
    try {
      setOverride(await action());
      setAgreed(false);
      message.success(done);
    } catch (e) {
      message.error(toApiError(e).message);
      // The state may have changed elsewhere (another tab, an updated text): show the API's view.
      setOverride(undefined);
      status.reload();
      text.reload();
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
            <ConsentHistory history={current.history} />
          </div>
        </Space>
      )}
    </Card>
  );
}
