import { useEffect, useRef, useState } from 'react';
import { Result, Typography } from 'antd';
import dayjs from 'dayjs';
import { toApiError } from '../../api/errors';
import { fetchKioskView, submitFrame } from '../../api/kiosk';
import type { KioskResult, KioskView } from '../../api/offline';
import { cameraProblem, grabFrame, openCamera, stopCamera } from '../shared/camera';

const TOKEN_KEY = 'gsyf.kiosk';
/**
 * A frame every 0.8 s: with the server's decision (p95 well under 0.4 s, bench:kiosk) someone who
 * steps in front of the camera sees and hears the result about a second later.
 */
const INTERVAL_MS = 800;
/** How long a result stays on screen (and is not replaced by the next frame's "nobody"). */
const HOLD_MS = 3000;

/** The credential arrives in the URL fragment once; it is kept for this tab only and the address cleaned. */
function kioskToken(): string | undefined {
  const fromHash = window.location.hash.replace(/^#/, '');
  if (fromHash.startsWith('kiosk.')) {
    sessionStorage.setItem(TOKEN_KEY, fromHash);
    window.history.replaceState(null, '', window.location.pathname);
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? undefined;
}

function speak(text: string): void {
  if (!('speechSynthesis' in window)) return;
  const u = new SpeechSynthesisUtterance(text);
  u.lang = 'zh-CN';
  window.speechSynthesis.cancel();
  window.speechSynthesis.speak(u);
}

/** Faces the camera is not sure about are retried silently: only people and real refusals are announced. */
const QUIET = new Set(['no-face', 'bad-frame']);

/**
 * The classroom kiosk: full screen, large type, no typing. Whoever stands in front of the camera is
 * identified against the session's roster and signed in or out; the result is shown and spoken.
 */
export default function KioskPage() {
  const [token] = useState(kioskToken);
  const [view, setView] = useState<KioskView>();
  const [problem, setProblem] = useState<string>();
  const [result, setResult] = useState<{ r: KioskResult; until: number }>();
  const video = useRef<HTMLVideoElement>(null);

  useEffect(() => {
    if (!token) return;
    fetchKioskView(token).then(setView, (e) => setProblem(toApiError(e).message));
  }, [token]);

  useEffect(() => {
    if (!token || !view) return;
    let stream: MediaStream | undefined;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      if (stopped) return;
      try {
        const frame = video.current && (await grabFrame(video.current, 640, 0.85));
        if (frame) {
          const r = await submitFrame(token, frame);
          if (!QUIET.has(r.outcome)) {
            setResult({ r, until: Date.now() + HOLD_MS });
            speak(r.message);
            if (r.accepted) setView(await fetchKioskView(token));
          }
        }
      } catch (e) {
        const error = toApiError(e);
        if (error.status === 401) {
          stopped = true;
          setProblem(error.message);
          return;
        }
      }
      timer = setTimeout(tick, INTERVAL_MS);
    };
    openCamera().then(
      (s) => {
        stream = s;
        if (video.current) {
          video.current.srcObject = s;
          void video.current.play();
        }
        timer = setTimeout(tick, INTERVAL_MS);
      },
      (e: unknown) => setProblem(cameraProblem(e, { canUpload: false })),
    );
    return () => {
      stopped = true;
      clearTimeout(timer);
      stopCamera(stream);
    };
  }, [token, view?.session.id]); // eslint-disable-line react-hooks/exhaustive-deps -- restart only for another session, not for each count update

  if (!token) return <Result status="403" title="签到终端未开启" subTitle="请由培训机构工作人员在课次考勤页面开启签到终端" />;
  if (problem) return <Result status="warning" title={problem} />;
  const shown = result && result.until > Date.now() ? result.r : undefined;
  return (
    <div style={{ minHeight: '100vh', background: '#0b1f33', color: '#fff', display: 'flex', flexDirection: 'column', alignItems: 'center', padding: 24, gap: 16 }}>
      {view && (
        <div style={{ textAlign: 'center' }}>
          <div style={{ fontSize: 32, fontWeight: 600 }}>{view.className}</div>
          <div style={{ fontSize: 22 }}>{`${view.session.topic}  ${dayjs(view.session.startsAt).format('HH:mm')}–${dayjs(view.session.endsAt).format('HH:mm')}  ${view.session.room}`}</div>
          <div style={{ fontSize: 20, opacity: 0.8 }}>{`应到 ${view.rosterSize} 人，已签到 ${view.signedIn} 人`}</div>
        </div>
      )}
      <video ref={video} muted playsInline style={{ width: 'min(90vw, 800px)', maxHeight: '55vh', borderRadius: 12, background: '#000', transform: 'scaleX(-1)' }} />
      <div role="status" aria-live="assertive" style={{ fontSize: 44, fontWeight: 700, minHeight: 64, color: shown ? (shown.accepted ? '#52c41a' : '#ff7875') : '#fff' }}>
        {shown ? shown.message : '请正对摄像头'}
      </div>
      <Typography.Text style={{ color: '#fff', opacity: 0.6, fontSize: 16 }}>人脸签到仅识别本课次花名册中的学员；画面将作为考勤证据保存</Typography.Text>
    </div>
  );
}
