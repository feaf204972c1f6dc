import { useCallback, useEffect, useRef, useState } from 'react';
import { CameraOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Modal, Space, Typography } from 'antd';
import { CAMERA_UNAVAILABLE, cameraAvailable, cameraProblem, grabFrame, openCamera, stopCamera as stop } from '../shared/camera';

const COUNTDOWN_SECONDS = 3;

/**
 * A live photo for enrolment: the camera preview, a visible countdown so the person can look
 * straight at the lens, then the still for confirmation. The camera is released on close.
 */
export function WebcamCapture({ open, onCancel, onCaptured }: { open: boolean; onCancel: () => void; onCaptured: (photo: Blob) => void }) {
  const video = useRef<HTMLVideoElement>(null);
  const [stream, setStream] = useState<MediaStream>();
  const [problem, setProblem] = useState<string>();
  const [countdown, setCountdown] = useState<number>();
  const [photo, setPhoto] = useState<{ blob: Blob; url: string }>();

  useEffect(() => {
    if (!open) return;
    let cancelled = false;
    let started: MediaStream | undefined;
    setProblem(undefined);
    if (!cameraAvailable()) {
      setProblem(`${CAMERA_UNAVAILABLE}，请改为上传照片`);
      return;
    }
    openCamera().then(
      (s) => {
        if (cancelled) return stop(s);
        started = s;
        setStream(s);
      },
      (e: unknown) => !cancelled && setProblem(cameraProblem(e, { canUpload: true })),
    );
    return () => {
      cancelled = true;
      stop(started);
      setStream(undefined);
      setCountdown(undefined);
    };
  }, [open]);

  useEffect(() => {
    if (video.current && stream) video.current.srcObject = stream;
  }, [stream, photo]);

  useEffect(() => () => photo && URL.revokeObjectURL(photo.url), [photo]);

  const capture = useCallback(() => {
    const v = video.current;
    if (!v) return;
    void grabFrame(v, Number.POSITIVE_INFINITY).then((blob) => blob && setPhoto({ blob, url: URL.createObjectURL(blob) }));
  }, []);

  useEffect(() => {
    if (countdown === undefined) return;
    if (countdown === 0) {
      setCountdown(undefined);
      capture();
      return;
    }
    const timer = setTimeout(() => setCountdown(countdown - 1), 1000);
    return () => clearTimeout(timer);
  }, [countdown, capture]);

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
          <Button type="primary" icon={<CameraOutlined />} disabled={!stream || countdown !== undefined} onClick={() => setCountdown(COUNTDOWN_SECONDS)}>
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
          <div style={{ position: 'relative', background: '#000', borderRadius: 8, overflow: 'hidden', aspectRatio: '4 / 3' }}>
            {photo ? (
              <img src={photo.url} alt="拍摄的照片" data-testid="webcam-photo" style={{ width: '100%', height: '100%', objectFit: 'contain' }} />
            ) : (
              <video ref={video} autoPlay muted playsInline data-testid="webcam-video" style={{ width: '100%', height: '100%', objectFit: 'contain', transform: 'scaleX(-1)' }} />
            )}
            {countdown !== undefined && (
              <div
                data-testid="webcam-countdown"
                style={{ position: 'absolute', inset: 0, display: 'flex', alignItems: 'center', justifyContent: 'center', fontSize: 96, color: '#fff', textShadow: '0 0 12px rgba(0,0,0,.6)' }}
              >
                {countdown}
              </div>
            )}
          </div>
        </Space>
      )}
    </Modal>
  );
}
