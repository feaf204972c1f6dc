import { useCallback, useEffect, useRef, useState } from 'react';
import { CameraOutlined } from '@ant-design/icons';
import { Alert, Button, Modal, Space, Typography } from 'antd';
import type { CaptureAck, FaceCheckView } from '@app/study-protocol';
import { CAMERA_UNAVAILABLE, cameraAvailable, cameraProblem, grabFrame, openCamera, stopCamera } from '../../shared/camera';
import { useCountdown } from './use-countdown';

/** Seconds between the camera showing a picture and the automatic capture: time to look at the lens. */
export const AUTO_CAPTURE_SECONDS = 3;

const REASONS: Record<FaceCheckView['reason'], string> = {
  'session-start': '开始学习前的人脸核验',
  random: '学习过程中的随机人脸核验',
  'lesson-end': '课时结束时的人脸核验',
};

/** Not a match, but a retry may help (retriesLeft from the server says whether one is left). */
const RETRYABLE = new Set<CaptureAck['outcome']>(['bad-frame']);

/**
 * The webcam check the server asked for: a live preview, what to do, the time left in the
 * server's window, and an automatic capture after a short visible countdown (or at once with the
 * button). The frame goes to the server as JPEG bytes; its verdict is shown as the server words it.
 */
export function FaceCheckModal({
  check,
  localDeadline,
  onCapture,
}: {
  /** The session's face check; the modal is open while it is outstanding, and then while its result is shown. */
  check: FaceCheckView | undefined;
  localDeadline: number | undefined;
  onCapture: (checkId: string, image: ArrayBuffer) => Promise<CaptureAck>;
}) {
  const outstanding = check?.status === 'outstanding';
  const [result, setResult] = useState<{ checkId: string; ack?: CaptureAck; error?: string }>();
  const [dismissed, setDismissed] = useState<string>();
  const showingResult = !!result && result.checkId === check?.id && dismissed !== check?.id;
  const open = !!check && (outstanding || showingResult);

  const video = useRef<HTMLVideoElement>(null);
  const [stream, setStream] = useState<MediaStream>();
  const [problem, setProblem] = useState<string>();
  const [countdown, setCountdown] = useState<number>();
  const [sending, setSending] = useState(false);
  const left = useCountdown(open && outstanding ? localDeadline : undefined);

  // The camera runs only while a check is outstanding.
  useEffect(() => {
    if (!outstanding) return;
    let cancelled = false;
    let started: MediaStream | undefined;
    setProblem(undefined);
    if (!cameraAvailable()) {
      setProblem(`${CAMERA_UNAVAILABLE}，无法完成人脸核验`);
      return;
    }
    openCamera().then(
      (s) => {
        if (cancelled) return stopCamera(s);
        started = s;
        setStream(s);
      },
      (e: unknown) => !cancelled && setProblem(cameraProblem(e, { canUpload: false })),
    );
    return () => {
      cancelled = true;
      stopCamera(started);
      setStream(undefined);
      setCountdown(undefined);
    };
  }, [outstanding, check?.id]);

  useEffect(() => {
    if (video.current && stream) video.current.srcObject = stream;
  }, [stream, open]);

  const send = useCallback(async () => {
    const v = video.current;
    if (!check || !v) return;
    setCountdown(undefined);
    setSending(true);
    try {
      // A 640-pixel frame is plenty for the face engine and keeps the upload small on a phone.
      const blob = await grabFrame(v, 640, 0.9);
      if (!blob) throw new Error('摄像头画面尚未就绪，请稍后重试');
      const ack = await onCapture(check.id, await blob.arrayBuffer());
      setResult({ checkId: check.id, ack });
    } catch (e) {
      setResult({ checkId: check.id, error: (e as Error).message });
    } finally {
      setSending(false);
    }
  }, [check, onCapture]);

  // Start the automatic countdown once the camera shows a picture, and again for a retry.
  const retryable = result?.checkId === check?.id && (result?.error !== undefined || (result?.ack && RETRYABLE.has(result.ack.outcome) && outstanding));
  const awaitingFirst = result?.checkId !== check?.id;
  useEffect(() => {
    if (stream && outstanding && awaitingFirst && countdown === undefined && !sending) setCountdown(AUTO_CAPTURE_SECONDS);
    // Only the arrival of a stream or a new check starts it; the countdown itself is not a trigger.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [stream, outstanding, awaitingFirst]);

  useEffect(() => {
    if (countdown === undefined) return;
    if (countdown === 0) {
      void send();
      return;
    }
    const timer = setTimeout(() => setCountdown(countdown - 1), 1000);
    return () => clearTimeout(timer);
  }, [countdown, send]);

  const passed = result?.ack?.outcome === 'match';
  // A pass needs no reading: get out of the way after a moment.
  useEffect(() => {
    if (!passed || !check || outstanding) return;
    const timer = setTimeout(() => setDismissed(check.id), 2000);
    return () => clearTimeout(timer);
  }, [passed, check, outstanding]);
  const outcomeType = result?.error ? 'error' : passed ? 'success' : result?.ack && RETRYABLE.has(result.ack.outcome) ? 'warning' : 'error';

  return (
    <Modal
      open={open}
      title={check ? REASONS[check.reason] : '人脸核验'}
      closable={!outstanding}
      mask={{ closable: false }}
      keyboard={!outstanding}
      onCancel={() => check && setDismissed(check.id)}
      width={560}
      destroyOnHidden
      data-testid="face-check-modal"
      footer={
        outstanding ? (
          <Button type="primary" icon={<CameraOutlined />} loading={sending} disabled={!stream || (!!result && !retryable && result.checkId === check?.id)} onClick={() => void send()} data-testid="face-capture-button">
            {countdown !== undefined ? `${countdown} 秒后自动拍照，点击立即拍照` : retryable ? '重新拍照' : '拍照核验'}
          </Button>
        ) : (
          <Button type="primary" onClick={() => check && setDismissed(check.id)}>
            {passed ? '继续学习' : '知道了'}
          </Button>
        )
      }
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        {check?.reason === 'session-start' && outstanding && (
          <Alert type="info" showIcon title="通过人脸核验后才开始计算学时，核验前视频不能播放。" />
        )}
        {outstanding && (
          <Typography.Paragraph style={{ margin: 0 }} data-testid="face-check-instruction">
            {check?.message || '请正对摄像头，摘下帽子和口罩，保持光线充足，画面中只能有您本人。'}
          </Typography.Paragraph>
        )}
        {outstanding && left !== undefined && (
          <Typography.Text type={left <= 10 ? 'danger' : 'secondary'} data-testid="face-check-deadline">
            剩余 {left} 秒，超时未完成将暂停计时
          </Typography.Text>
        )}
        {problem ? (
          <Alert type="error" showIcon title={problem} data-testid="camera-problem" />
        ) : (
          outstanding && (
            <div style={{ position: 'relative', background: '#000', borderRadius: 8, overflow: 'hidden', aspectRatio: '4 / 3' }}>
              <video ref={video} autoPlay muted playsInline data-testid="face-check-video" style={{ width: '100%', height: '100%', objectFit: 'contain', transform: 'scaleX(-1)' }} />
              {countdown !== undefined && (
                <div
                  data-testid="face-check-countdown"
                  style={{ position: 'absolute', inset: 0, display: 'flex', alignItems: 'center', justifyContent: 'center', fontSize: 96, color: '#fff', textShadow: '0 0 12px rgba(0,0,0,.6)' }}
                >
                  {countdown}
                </div>
              )}
            </div>
          )
        )}
        {result && result.checkId === check?.id && (
          <Alert
            type={outcomeType}
            showIcon
            data-testid="face-check-result"
            data-outcome={result.ack?.outcome ?? 'error'}
            title={result.error ?? result.ack?.message}
            description={
              result.ack && result.ack.check.status === 'outstanding' && result.ack.check.retriesLeft > 0
                ? `还可重试 ${result.ack.check.retriesLeft} 次`
                : undefined
            }
          />
        )}
      </Space>
    </Modal>
  );
}
