import { useEffect, useRef, useState, type RefObject } from 'react';
import { Alert, Spin } from 'antd';
import Hls from 'hls.js';
import { api, unwrap } from '../../../api/client';
import { currentAccessToken } from '../../../auth/token-store';

/**
 * Attaches one lesson's encrypted HLS rendition to a video element once `enabled`. The playlist and
 * segment URLs are signed by the API; the key request also carries the viewer's login, which the
 * key endpoint checks (against the course's audience and, for trainees, a live study session).
 * `startPosition` is read when playback is attached, not afterwards.
 */
export function useHlsPlayback(video: RefObject<HTMLVideoElement | null>, lessonId: string, options: { enabled?: boolean; startPosition?: number } = {}) {
  const { enabled = true, startPosition } = options;
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(true);
  const start = useRef(startPosition);
  start.current = startPosition;

  useEffect(() => {
    if (!enabled) return;
    let hls: Hls | undefined;
    let cancelled = false;
    setError(undefined);
    setLoading(true);
    unwrap(api.GET('/api/v1/lessons/{id}/playback', { params: { path: { id: lessonId } } }))
      .then((playback) => {
        if (cancelled || !video.current) return;
        if (!Hls.isSupported()) {
          setError('当前浏览器不支持视频播放（需要 Media Source Extensions）');
          return;
        }
        hls = new Hls({
          startPosition: start.current && start.current > 0 ? start.current : -1,
          xhrSetup: (xhr, url) => {
            const token = currentAccessToken();
            if (token && url.includes('/key')) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
          },
        });
        hls.on(Hls.Events.ERROR, (_e, data) => {
          if (data.fatal) setError(data.details === 'keyLoadError' ? '无权播放该视频或播放地址已过期，请重新打开' : `视频播放出错（${data.details}）`);
        });
        hls.on(Hls.Events.MANIFEST_PARSED, () => setLoading(false));
        hls.loadSource(playback.playlistUrl);
        hls.attachMedia(video.current);
      })
      .catch((e: Error) => {
        if (!cancelled) {
          setError(e.message);
          setLoading(false);
        }
      });
    return () => {
      cancelled = true;
      hls?.destroy();
    };
  }, [lessonId, enabled, video]);

  return { error, loading };
}

/** Plays one lesson (the administrators' preview). */
export function HlsPlayer({ lessonId }: { lessonId: string }) {
  const video = useRef<HTMLVideoElement>(null);
  const { error, loading } = useHlsPlayback(video, lessonId);
  return (
    <Spin spinning={loading && !error}>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <video ref={video} controls playsInline style={{ width: '100%', maxHeight: '70vh', background: '#000' }} data-testid="lesson-video" />
    </Spin>
  );
}
