import { useCallback, useEffect, useRef, useState } from 'react';
import { CameraOutlined } from '@ant-design/icons';
import { Alert, Button, Modal, Space, Typography } from 'antd';
import { Link } from 'react-router-dom';
import type { CaptureAck, FaceCheckView } from '@app/study-protocol';
import { toApiError } from '../../../api/errors';
import { retryDelayMs } from '../../../study/ack';
import { grabFrame } from '../../shared/camera';
import { CameraFrame } from '../../shared/CameraFrame';
import { useCamera, useShutterCountdown } from '../../shared/use-camera';
import { COURSES_PATH } from './paths';
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
  const [sending, setSending] = useState(false);
  const left = useCountdown(open && outstanding ? localDeadline : undefined);
  // The camera runs only while a check is outstanding.
  const { stream, problem } = useCamera(outstanding, { canUpload: false, key: check?.id });

  useEffect(() => {
    if (video.current && stream) video.current.srcObject = stream;
  }, [stream, open]);

  const [autoRetry, setAutoRetry] = useState<{ checkId: string; at: number }>();
  const send = useCallback(async () => {
    const v = video.current;
    if (!check || !v) return;
    setSending(true);
    try {
      // A 640-pixel frame is plenty for the face engine and keeps the upload small on a phone.
      const blob = await grabFrame(v, 640, 0.9);
      if (!blob) throw new Error('摄像头画面尚未就绪，请稍后重试');
      const ack = await onCapture(check.id, await blob.arrayBuffer());
      setResult({ checkId: check.id, ack });
    } catch (e) {
      const error = toApiError(e);
      // Busy or unanswered: send again by itself when the server says, if the window allows.
      const delay = retryDelayMs(error);
      const retry = delay !== undefined && localDeadline !== undefined && Date.now() + delay + 1000 < localDeadline;
      if (retry) setAutoRetry({ checkId: check.id, at: Date.now() + delay });
      setResult({ checkId: check.id, error: retry ? `${error.message}（${Math.ceil(delay / 1000)} 秒后自动重试）` : error.message });
    } finally {
      setSending(false);
    }
  }, [check, onCapture, localDeadline]);

  useEffect(() => {
    if (!autoRetry || !outstanding || autoRetry.checkId !== check?.id) return;
    const timer = setTimeout(() => {
      setAutoRetry(undefined);
      void send();
    }, Math.max(0, autoRetry.at - Date.now()));
    return () => clearTimeout(timer);
    // The retry is due once; a new check object from a heartbeat must not push it back.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [autoRetry, outstanding, check?.id]);

  const { countdown, start: startCountdown, cancel: cancelCountdown } = useShutterCountdown(() => void send());
  useEffect(() => {
    if (!outstanding) cancelCountdown();
  }, [outstanding, cancelCountdown]);

  // Start the automatic countdown once the camera shows a picture, and again for a retry.
  const retryable = result?.checkId === check?.id && (result?.error !== undefined || (result?.ack && RETRYABLE.has(result.ack.outcome) && outstanding));
  const awaitingFirst = result?.checkId !== check?.id;
  useEffect(() => {
    if (stream && outstanding && awaitingFirst && countdown === undefined && !sending) startCountdown(AUTO_CAPTURE_SECONDS);
    // Only the arrival of a stream or a new check starts it; the countdown itself is not a trigger.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [stream, outstanding, awaitingFirst]);

  const passed = result?.ack?.outcome === 'match';
  // A pass needs no reading: get out of the way after a moment.
  // Keyed on the id: every heartbeat ack brings a new check object, which must not restart the timer.
  const checkId = check?.id;
  useEffect(() => {
    if (!passed || !checkId || outstanding) return;
    const timer = setTimeout(() => setDismissed(checkId), 2000);
    return () => clearTimeout(timer);
  }, [passed, checkId, outstanding]);
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
        outstanding && problem ? (
          // Without a camera the check cannot be done here: do not trap the trainee behind the modal.
          <Link to={COURSES_PATH}>
            <Button>返回我的课程</Button>
          </Link>
        ) : outstanding ? (
          <Button
            type="primary"
            icon={<CameraOutlined />}
            loading={sending}
            disabled={!stream || (!!result && !retryable && result.checkId === check?.id)}
            onClick={() => {
              cancelCountdown();
              void send();
            }}
            data-testid="face-capture-button"
          >
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
            <CameraFrame video={video} countdown={countdown} testId="face-check" />
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
