import { useCallback, useEffect, useRef, useState } from 'react';
import { CameraOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Modal, Space, Typography } from 'antd';
import { grabFrame } from '../shared/camera';
import { CameraFrame } from '../shared/CameraFrame';
import { useCamera, useShutterCountdown } from '../shared/use-camera';

const COUNTDOWN_SECONDS = 3;

/**
 * A live photo for enrolment: the camera preview, a visible countdown so the person can look
 * straight at the lens, then the still for confirmation. The camera is released on close.
 */
export function WebcamCapture({ open, onCancel, onCaptured }: { open: boolean; onCancel: () => void; onCaptured: (photo: Blob) => void }) {
  const video = useRef<HTMLVideoElement>(null);
  const [photo, setPhoto] = useState<{ blob: Blob; url: string }>();
  const { stream, problem } = useCamera(open, { canUpload: true });

  useEffect(() => {
    if (video.current && stream) video.current.srcObject = stream;
  }, [stream, photo]);

  useEffect(() => () => photo && URL.revokeObjectURL(photo.url), [photo]);

  const capture = useCallback(() => {
    const v = video.current;
    if (!v) return;
    void grabFrame(v, Number.POSITIVE_INFINITY).then((blob) => blob && setPhoto({ blob, url: URL.createObjectURL(blob) }));
  }, []);

  const { countdown, start: startCountdown, cancel: cancelCountdown } = useShutterCountdown(capture);
  useEffect(() => {
    if (!open) cancelCountdown();
  }, [open, cancelCountdown]);

  const close = () => {
    setPhoto(undefined);
    onCancel();
  };

  return (
    <Modal
      open={open}
      title="摄像头拍照"
      onCancel={close}
      destroyOnHidden
      width={680}
      footer={
        photo ? (
          <Space>
            <Button icon={<ReloadOutlined />} onClick={() => setPhoto(undefined)}>
              重拍
            </Button>
            <Button
              type="primary"
              onClick={() => {
                onCaptured(photo.blob);
                setPhoto(undefined);
              }}
            >
              使用此照片
            </Button>
          </Space>
        ) : (
          <Button type="primary" icon={<CameraOutlined />} disabled={!stream || countdown !== undefined} onClick={() => startCountdown(COUNTDOWN_SECONDS)}>
            {countdown === undefined ? '拍照' : `${countdown} 秒后拍照`}
          </Button>
        )
      }
    >
      {problem ? (
        <Alert type="error" showIcon title={problem} data-testid="camera-problem" />
      ) : (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Typography.Text type="secondary">请学员正对摄像头、摘下帽子和口罩，保持光线充足，画面中只有一人。</Typography.Text>
          <CameraFrame
            video={video}
            countdown={countdown}
            testId="webcam"
            still={photo && <img src={photo.url} alt="拍摄的照片" data-testid="webcam-photo" style={{ width: '100%', height: '100%', objectFit: 'contain' }} />}
          />
        </Space>
      )}
    </Modal>
  );
}
