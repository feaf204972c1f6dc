/** Why the camera could not start, in words the person in front of it can act on. */
export function cameraProblem(error: unknown, { canUpload }: { canUpload: boolean }): string {
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return '无法使用摄像头：请在浏览器地址栏中允许本网站访问摄像头后重试';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return canUpload ? '未检测到可用的摄像头，请连接摄像头后重试，或改为上传照片' : '未检测到可用的摄像头，请连接摄像头后重试';
    case 'NotReadableError':
    case 'AbortError':
      return '摄像头被其他程序占用，请关闭其他使用摄像头的程序后重试';
    default:
      return canUpload ? '摄像头启动失败，请改为上传照片' : '摄像头启动失败，请检查摄像头后刷新页面重试';
  }
}

/** getUserMedia is only there in a secure context (HTTPS or the local machine). */
export const CAMERA_UNAVAILABLE = '当前页面无法使用摄像头（需要 HTTPS 或本机地址）';

export function openCamera(): Promise<MediaStream> {
  return navigator.mediaDevices.getUserMedia({ video: { width: { ideal: 1280 }, height: { ideal: 720 }, facingMode: 'user' }, audio: false });
}

export function cameraAvailable(): boolean {
  return typeof navigator !== 'undefined' && !!navigator.mediaDevices?.getUserMedia;
}

export function stopCamera(stream: MediaStream | undefined): void {
  stream?.getTracks().forEach((t) => t.stop());
}

/** The scale that fits a frame into `maxWidth` without enlarging it. */
export function frameSize(width: number, height: number, maxWidth: number): { width: number; height: number } {
  const scale = width > maxWidth ? maxWidth / width : 1;
  return { width: Math.round(width * scale), height: Math.round(height * scale) };
}

/** The video's current frame as a JPEG (null before the first frame). */
export function grabFrame(video: HTMLVideoElement, maxWidth = 1280, quality = 0.92): Promise<Blob | null> {
  if (!video.videoWidth) return Promise.resolve(null);
  const size = frameSize(video.videoWidth, video.videoHeight, maxWidth);
  const canvas = document.createElement('canvas');
  canvas.width = size.width;
  canvas.height = size.height;
  canvas.getContext('2d')!.drawImage(video, 0, 0, size.width, size.height);
  return new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', quality));
}
