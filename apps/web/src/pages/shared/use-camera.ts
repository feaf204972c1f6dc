import { useCallback, useEffect, useRef, useState } from 'react';
import { CAMERA_UNAVAILABLE, cameraAvailable, cameraProblem, openCamera, stopCamera } from './camera';

/**
 * The front camera while `active`: its stream, or why it could not start (worded for whether an
 * upload is the way out). The camera is released when `active` ends or `key` changes.
 */
export function useCamera(active: boolean, { canUpload, key }: { canUpload: boolean; key?: string }): { stream?: MediaStream; problem?: string } {
  const [stream, setStream] = useState<MediaStream>();
  const [problem, setProblem] = useState<string>();

  useEffect(() => {
    if (!active) return;
    let cancelled = false;
    let started: MediaStream | undefined;
    setProblem(undefined);
    if (!cameraAvailable()) {
      setProblem(canUpload ? `${CAMERA_UNAVAILABLE}，请改为上传照片` : `${CAMERA_UNAVAILABLE}，无法完成人脸核验`);
      return;
    }
    openCamera().then(
      (s) => {
        if (cancelled) return stopCamera(s);
        started = s;
        setStream(s);
      },
      (e: unknown) => !cancelled && setProblem(cameraProblem(e, { canUpload })),
    );
    return () => {
      cancelled = true;
      stopCamera(started);
      setStream(undefined);
    };
  }, [active, canUpload, key]);

  return { stream, problem };
}

/** A visible "3, 2, 1" before taking the picture, so the person can look at the lens. */
export function useShutterCountdown(fire: () => void) {
  const [countdown, setCountdown] = useState<number>();
  // A ref: a new `fire` each render (it closes over changing state) must not restart the second.
  const shutter = useRef(fire);
  shutter.current = fire;
  useEffect(() => {
    if (countdown === undefined) return;
    if (countdown === 0) {
      setCountdown(undefined);
      shutter.current();
      return;
    }
    const timer = setTimeout(() => setCountdown(countdown - 1), 1000);
    return () => clearTimeout(timer);
  }, [countdown]);
  const start = useCallback((seconds: number) => setCountdown(seconds), []);
  const cancel = useCallback(() => setCountdown(undefined), []);
  return { countdown, start, cancel };
}
