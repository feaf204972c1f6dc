import { useCallback, useState } from 'react';
import { Alert, App, Button, Card, Descriptions, List, Progress, Space, Table, Tag, Typography, Upload } from 'antd';
import dayjs from 'dayjs';
import { fetchRecording, uploadRecording, type SessionRecording } from '../../../api/recordings';
import { pendingUploads } from '../../../api/tus';
import { useRequest } from '../../../api/use-request';
import { LoadError } from '../../shared/LoadError';
import { showError } from './show-error';

const minutes = (s: number) => `${Math.round((s / 60) * 10) / 10} 分钟`;
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;

/**
 * 课次录像: the files kept for a session, the check's verdict with its zh-CN reasons, the face report
 * when analysed; for the institution, uploads with a progress bar per file that continue after a
 * reload (pick the same file again). A passing recording is the session's acceptance.
 */
export function SessionRecordingCard({ sessionId, canUpload, onAccepted }: { sessionId: string; canUpload: boolean; onAccepted: () => void }) {
  const load = useCallback((signal: AbortSignal) => fetchRecording(sessionId, signal), [sessionId]);
  const { data, error, reload } = useRequest(load);
  const [progress, setProgress] = useState<Record<string, number>>({});
  const { message } = App.useApp();
  if (error) return <LoadError title="录像加载失败" error={error} onRetry={reload} />;
  const unfinished = pendingUploads(sessionId).filter((p) => progress[p.name] === undefined);

  const upload = async (file: File) => {
    setProgress((p) => ({ ...p, [file.name]: 0 }));
    try {
      const r = await uploadRecording(sessionId, file, (f) => setProgress((p) => ({ ...p, [file.name]: f })));
      if (r.accepted) {
        message.success('录像核验通过，课次已验收，学时已入账');
        onAccepted();
      } else message.warning(r.passed ? '录像核验通过，课次结束后验收' : '录像已保存，核验未通过，请查看原因并补充上传');
    } catch (e) {
      showError(e, message);
    } finally {
      setProgress(({ [file.name]: _, ...rest }) => rest);
      reload();
    }
  };

  const v = data?.verdict;
  return (
    <Card size="small" title="课次录像" style={{ marginBottom: 16 }} data-testid="session-recording">
      {v && (
        <Alert
          style={{ marginBottom: 12 }}
          type={v.passed ? 'success' : 'error'}
          message={v.passed ? `录像核验通过（覆盖课程表 ${Math.round(v.coverage * 100)}%）` : '录像核验未通过，课次未验收'}
          description={
            v.reasons.length > 0 && (
              <ul style={{ margin: 0, paddingLeft: 20 }}>
                {v.reasons.map((r, i) => (
                  <li key={i}>{r.text}</li>
                ))}
              </ul>
            )
          }
          data-testid="recording-verdict"
        />
      )}
      {data && data.files.length === 0 && <Typography.Paragraph type="secondary">尚未上传录像。课次全过程录像须与课程表时长相符、影像清晰流畅，核验通过后课次验收、学时入账。</Typography.Paragraph>}
      {data && data.files.length > 0 && (
        <Table
          rowKey="sha256"
          size="small"
          pagination={false}
          dataSource={data.files}
          columns={[
            { title: '文件', dataIndex: 'name' },
            { title: '时长', render: (_, f) => (f.isVideo ? minutes(f.durationSeconds) : <Tag color="red">不是视频</Tag>) },
            { title: '画面', render: (_, f) => `${f.width}×${f.height} · ${Math.round(f.fps)} 帧/秒` },
            { title: '大小', render: (_, f) => mb(f.size) },
            { title: '上传时间', render: (_, f) => dayjs(f.uploadedAt).format('MM-DD HH:mm') },
            { title: 'SHA-256', render: (_, f) => <Typography.Text code copyable={{ text: f.sha256 }}>{f.sha256.slice(0, 12)}</Typography.Text> },
          ]}
        />
      )}
      {v && (v.gaps.length > 0 || v.overlaps.length > 0) && (
        <Descriptions size="small" column={1} style={{ marginTop: 12 }}>
          {v.gaps.map((g, i) => (
            <Descriptions.Item key={`g${i}`} label="间断">{`“${g.after}”与“${g.before}”之间 ${Math.round(g.seconds)} 秒`}</Descriptions.Item>
          ))}
          {v.overlaps.map((o, i) => (
            <Descriptions.Item key={`o${i}`} label="重叠">{`“${o.first}”与“${o.second}”重叠 ${Math.round(o.seconds)} 秒`}</Descriptions.Item>
          ))}
        </Descriptions>
      )}
      <FaceReport recording={data} />
      {canUpload && data?.session.status !== 'accepted' && (
        <Space direction="vertical" style={{ width: '100%', marginTop: 12 }}>
          {Object.entries(progress).map(([name, f]) => (
            <div key={name}>
              <Typography.Text>{name}</Typography.Text>
              <Progress percent={Math.floor(f * 100)} size="small" format={(p) => `上传 ${p}%`} />
            </div>
          ))}
          {unfinished.length > 0 && (
            <Alert
              type="info"
              message="有未完成的上传，重新选择同一文件即从中断处继续"
              description={<List size="small" dataSource={unfinished} renderItem={(p) => <List.Item>{`${p.name}（${mb(p.size)}，已上传 ${Math.floor(p.sent * 100)}%）`}</List.Item>} />}
            />
          )}
          <Upload accept="video/*" multiple showUploadList={false} beforeUpload={(file) => (void upload(file), false)}>
            <Button type="primary">上传录像文件</Button>
          </Upload>
        </Space>
      )}
    </Card>
  );
}

function FaceReport({ recording }: { recording?: SessionRecording }) {
  const faces = recording?.faces;
  if (!faces && !recording?.reusedFrom.length) return null;
  return (
    <div style={{ marginTop: 12 }} data-testid="face-report">
      {faces && (
        <Typography.Paragraph>
          {`人脸比对：抽取 ${faces.sampledFrames} 帧，检出 ${faces.facesDetected} 张人脸，约 ${faces.distinctFaces} 人；`}
          {faces.trainees.map((t) => (
            <Tag key={t.traineeId} color={t.seen ? 'green' : 'orange'}>{`${t.name}${t.seen ? ' 已出现' : ' 未出现'}`}</Tag>
          ))}
        </Typography.Paragraph>
      )}
      {faces?.flags.map((f, i) => <Alert key={i} type="warning" message={f.text} style={{ marginBottom: 8 }} />)}
      {recording!.reusedFrom.length > 0 && <Alert type="warning" message={`同一录像也上传在其他 ${recording!.reusedFrom.length} 个课次`} />}
    </div>
  );
}
