import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, Result, Row, Space, Spin, Tag, Typography } from 'antd';
import { Link, useParams } from 'react-router-dom';
import { api, unwrap } from '../../../api/client';
import type { LessonProgressView } from '@app/study-protocol';
import { loadMyProgress } from '../../../api/study';
import { useRequest } from '../../../api/use-request';
import { awaitingStartCheck, completesSession, CREDITING_LABELS, creditingState, playbackBlocked } from '../../../study/checks';
import { PlaybackInterval, type PlayerState } from '../../../study/heartbeat';
import { advanceFurthest, allowedPlaybackRate, allowedSeek } from '../../../study/seek-guard';
import { useStudySession } from '../../../study/use-study-session';
import { formatDuration } from '../../shared/duration';
import { useHlsPlayback } from '../courses/HlsPlayer';
import { CreditPanel } from './CreditPanel';
import { COURSES_PATH } from './paths';
import { FaceCheckModal } from './FaceCheckModal';
import { PromptModal } from './PromptModal';
import { RefusalList } from './RefusalList';


const loadMine = (signal: AbortSignal) => unwrap(api.GET('/api/v1/me/courses', { signal }));

/** The lesson's title and its course, from 我的课程 (the study session itself knows only ids). */
function useLessonTitle(lessonId: string) {
  const { data } = useRequest(loadMine);
  return useMemo(() => {
    for (const p of data?.programs ?? []) {
      for (const e of [...p.required, ...p.elective]) {
        const lesson = e.course.lessons.find((l) => l.id === lessonId);
        if (lesson) return { lesson: lesson.title, course: e.course.title };
      }
    }
    return undefined;
  }, [data, lessonId]);
}

const CONNECTION_TEXT = {
  connecting: '正在连接学习服务…',
  reconnecting: '连接中断，正在重新连接…',
  failed: '无法连接学习服务',
} as const;

type LessonNames = ReturnType<typeof useLessonTitle>;

function LessonHeader({ names }: { names: LessonNames }) {
  return (
    <>
      <Space wrap>
        <Link to={COURSES_PATH}>
          <Button type="link" icon={<ArrowLeftOutlined />} style={{ paddingInline: 0 }}>
            返回我的课程
          </Button>
        </Link>
      </Space>
      <div>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {names?.lesson ?? '课时学习'}
        </Typography.Title>
        {names?.course && <Typography.Text type="secondary">{names.course}</Typography.Text>}
      </div>
    </>
  );
}

function useLessonProgress(lessonId: string): { loading: boolean; lesson?: LessonProgressView } {
  const { data, error, loading } = useRequest(loadMyProgress);
  return useMemo(() => {
    const lesson = data?.programs.flatMap((p) => p.courses).flatMap((c) => c.lessons).find((l) => l.lessonId === lessonId);
    // Without an answer the player opens as usual: progress only decides whether to ask first.
    return { loading: loading && !data && !error, lesson };
  }, [data, error, loading, lessonId]);
}

/**
 * A lesson credited in full is not reopened by itself (which would start a face check for nothing):
 * the trainee chooses to watch it again, from the start, knowing no further hours are credited.
 */
export default function LessonPlayerPage() {
  const { lessonId = '' } = useParams();
  const names = useLessonTitle(lessonId);
  const progress = useLessonProgress(lessonId);
  const [again, setAgain] = useState<string>();
  if (progress.loading) return <Spin style={{ display: 'block', marginTop: 48 }} />;
  if (progress.lesson?.complete && again !== lessonId) {
    return (
      <div style={{ maxWidth: 1100 }}>
        <Space orientation="vertical" style={{ width: '100%' }} size="middle">
          <LessonHeader names={names} />
          <Result
            status="success"
            title="本课时已学完"
            subTitle={
              <span data-testid="lesson-finished">
                已计入 {formatDuration(progress.lesson.creditedSeconds)}。重新观看从头开始，须再次进行人脸核验，不再重复计入学时。
              </span>
            }
            extra={[
              <Button key="again" type="primary" onClick={() => setAgain(lessonId)}>
                重新观看
              </Button>,
              <Link key="back" to={COURSES_PATH}>
                <Button>返回我的课程</Button>
              </Link>,
            ]}
          />
        </Space>
      </div>
    );
  }
  return <LessonStudy key={lessonId} lessonId={lessonId} names={names} />;
}

/**
 * The lesson player: opens the study session first (the key endpoint plays only inside one), then
 * plays from the furthest watched point, sends heartbeats and shows what the server credited. The
 * player enforces what it can — no seeking ahead, no speed above the maximum, pausing when the tab
 * is hidden, no playback before the start check passes — and the server decides the rest.
 */
function LessonStudy({ lessonId, names }: { lessonId: string; names: LessonNames }) {
  const { message } = App.useApp();
  const video = useRef<HTMLVideoElement>(null);
  const furthest = useRef(0);
  const gated = useRef(true);
  const gateNote = useRef('');
  const maxRate = useRef(1);
  const [endedAt, setEndedAt] = useState<number>();

  const lessonDuration = useRef(0);
  const playerState = useCallback((): PlayerState => {
    const v = video.current;
    return { playing: !!v && !v.paused && !v.ended, visible: document.visibilityState === 'visible', playbackRate: v?.playbackRate ?? 1 };
  }, []);
  const interval = useRef<PlaybackInterval>(undefined);
  interval.current ??= new PlaybackInterval({ playing: false, visible: true, playbackRate: 1 });
  const snapshot = useCallback(() => {
    const v = video.current;
    // At the end the media's own length can fall a few ms short of the lesson's probed duration,
    // which would leave the last second uncredited forever: the end of the video is the end.
    const position = v?.ended ? Math.max(v.currentTime, lessonDuration.current) : (v?.currentTime ?? 0);
    return { position, ...interval.current!.close(playerState()) };
  }, [playerState]);
  const study = useStudySession(lessonId, snapshot);
  const { view, checks, beat, finish } = study;
  const refused = study.connection === 'refused';
  const stopped = !!study.ended || !!study.closed || refused;
  const startCheck = awaitingStartCheck(checks);
  // Re-derived on every render from the last answer; the same checks give the same value, so a double render is harmless.
  const blockedByCheck = useRef(false);
  blockedByCheck.current = playbackBlocked(blockedByCheck.current, checks);
  const blocked = blockedByCheck.current;

  furthest.current = Math.max(furthest.current, study.furthestPosition);
  gated.current = !view || stopped || blocked;
  gateNote.current = startCheck || !view ? '请先完成人脸核验，通过后才能开始学习' : '人脸核验未通过，请完成下一次核验后继续学习';
  maxRate.current = view?.maxPlaybackRate ?? 1;
  lessonDuration.current = view?.lessonDuration ?? 0;

  // A lesson already credited in full is watched again from the start; otherwise resume where it was left.
  const complete = !!view && view.totals.lessonCreditedSeconds >= view.totals.lessonSeconds;
  const playback = useHlsPlayback(video, lessonId, { enabled: !!view && !stopped, startPosition: complete ? 0 : view?.furthestPosition });

  // A note at most every few seconds: a dragged progress bar fires many seeks.
  const lastNote = useRef(0);
  const note = useCallback(
    (text: string) => {
      if (Date.now() - lastNote.current < 3000) return;
      lastNote.current = Date.now();
      void message.warning(text);
    },
    [message],
  );

  useEffect(() => {
    const v = video.current;
    if (!v) return;
    const onSeeking = () => {
      const target = allowedSeek(v.currentTime, furthest.current);
      if (target !== v.currentTime) {
        v.currentTime = target;
        note('不能拖动到尚未观看的位置');
      }
    };
    const sample = () => interval.current!.sample(playerState());
    const onTimeUpdate = () => {
      if (!v.seeking) furthest.current = advanceFurthest(furthest.current, v.currentTime);
      sample();
    };
    const onRateChange = () => {
      const rate = allowedPlaybackRate(v.playbackRate, maxRate.current);
      if (rate !== v.playbackRate) {
        v.playbackRate = rate;
        note(`播放速度不能超过 ${maxRate.current} 倍`);
      }
      sample();
    };
    const onPlay = () => {
      if (gated.current) {
        v.pause();
        note(gateNote.current);
        return;
      }
      // The interval before was paused: report it so, then count from here.
      beat();
      sample();
    };
    const onEnded = () => {
      setEndedAt(Date.now());
      beat();
    };
    // Hidden: pause at once (the pause sends the heartbeat). Visible again: report the hidden stretch.
    const onVisibility = () => {
      if (document.visibilityState === 'hidden' && !v.paused) v.pause();
      else beat();
    };
    const listeners: [EventTarget, string, () => void][] = [
      [v, 'seeking', onSeeking],
      [v, 'timeupdate', onTimeUpdate],
      [v, 'ratechange', onRateChange],
      [v, 'play', onPlay],
      [v, 'pause', beat],
      [v, 'ended', onEnded],
      [document, 'visibilitychange', onVisibility],
    ];
    for (const [target, event, handler] of listeners) target.addEventListener(event, handler);
    return () => {
      for (const [target, event, handler] of listeners) target.removeEventListener(event, handler);
    };
  }, [beat, note, playerState]);

  // A check passed after the start or after a failure: carry on with playback (or start it).
  // A failed check pauses it: the video does not run on while nobody verified is watching.
  const wasGated = useRef(true);
  useEffect(() => {
    const v = video.current;
    if (blocked) v?.pause();
    else if (wasGated.current && view && !stopped && v && v.paused && !v.ended) void v.play().catch(() => undefined);
    wasGated.current = blocked || !view;
  }, [blocked, view, stopped]);

  useEffect(() => {
    if (stopped) video.current?.pause();
  }, [stopped]);

  // Done with the lesson: either the lesson-end check passed (the server completed the session;
  // closing it fetches what was settled), or the video was played to the end, the server has
  // answered since (a lesson-end check would have come with that answer) and nothing is open or
  // failed — a failed check is left open to a re-check rather than voiding held seconds.
  const state = creditingState(checks);
  const settle =
    !stopped && (completesSession(checks.face) || (!!endedAt && !!study.lastAckAt && study.lastAckAt > endedAt && state === 'crediting'));
  useEffect(() => {
    if (settle) void finish();
  }, [settle, finish]);

  const label = CREDITING_LABELS[state];

  return (
    <div style={{ maxWidth: 1100 }}>
      <Space orientation="vertical" style={{ width: '100%' }} size="middle">
        <LessonHeader names={names} />

        {refused && (
          <Result
            status="warning"
            title="无法开始学习"
            subTitle={<span data-testid="study-refused">{study.connectionMessage}</span>}
            extra={<Link to={COURSES_PATH}><Button type="primary">返回我的课程</Button></Link>}
          />
        )}
        {study.ended && (
          <Result
            status="warning"
            title="本次学习已结束"
            subTitle={<span data-testid="study-ended">{study.ended.message}</span>}
            extra={<Link to={COURSES_PATH}><Button type="primary">返回我的课程</Button></Link>}
          />
        )}
        {study.closed && (
          <Result
            status={study.closed.voidedSeconds > 0 ? 'warning' : 'success'}
            title="本次学习已结束"
            subTitle={
              <span data-testid="study-closed" data-settled={study.closed.settledSeconds} data-voided={study.closed.voidedSeconds}>
                {study.closed.message}（计入学时 {formatDuration(study.closed.settledSeconds)}
                {study.closed.voidedSeconds > 0 ? `，作废 ${formatDuration(study.closed.voidedSeconds)}` : ''}）
              </span>
            }
            extra={<Link to={COURSES_PATH}><Button type="primary">返回我的课程</Button></Link>}
          />
        )}

        {!stopped && study.connection !== 'open' && (
          <Alert
            type={study.connection === 'failed' ? 'error' : 'info'}
            showIcon
            data-testid="study-connection"
            title={study.connectionMessage ?? CONNECTION_TEXT[study.connection as keyof typeof CONNECTION_TEXT] ?? ''}
            action={study.connection === 'failed' ? <Button onClick={study.retry}>重新连接</Button> : undefined}
          />
        )}
        {!stopped && view && (
          <Space wrap>
            <Tag color={label.color} data-testid="crediting-state" data-state={state}>
              {label.text}
            </Tag>
            {study.lessonComplete && <Tag color="success">本课时已全部计入</Tag>}
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              倍速上限 {view.maxPlaybackRate} 倍；切换到其他页面时自动暂停
            </Typography.Text>
          </Space>
        )}
        {study.problem && !stopped && <Alert type="warning" showIcon closable title={study.problem} />}

        <Row gutter={[16, 16]} style={{ display: stopped ? 'none' : undefined }}>
          <Col xs={24} lg={16}>
            <Card size="small" styles={{ body: { padding: 0 } }}>
              <Spin spinning={!view || (playback.loading && !playback.error)}>
                {playback.error && <Alert type="error" showIcon title={playback.error} style={{ margin: 12 }} />}
                <div style={{ position: 'relative' }}>
                  <video
                    ref={video}
                    controls
                    playsInline
                    controlsList="nodownload noplaybackrate"
                    disablePictureInPicture
                    style={{ width: '100%', maxHeight: '70vh', background: '#000', display: 'block' }}
                    data-testid="lesson-video"
                  />
                  {startCheck && (
                    <div style={{ position: 'absolute', inset: 0, display: 'flex', alignItems: 'center', justifyContent: 'center', background: 'rgba(0,0,0,.55)', color: '#fff', padding: 16, textAlign: 'center' }}>
                      请先完成人脸核验，通过后开始播放并计算学时
                    </div>
                  )}
                </div>
              </Spin>
            </Card>
          </Col>
          <Col xs={24} lg={8}>
            <Space orientation="vertical" style={{ width: '100%' }}>
              <CreditPanel totals={study.totals} lastCredited={study.lastCredited} />
              <RefusalList refusals={study.refusals} />
              {view && (
                <Button block onClick={() => void finish()} data-testid="finish-study">
                  结束本次学习
                </Button>
              )}
            </Space>
          </Col>
        </Row>
      </Space>

      {!stopped && (
        <>
          <FaceCheckModal check={checks.face} localDeadline={checks.face ? study.toLocal(checks.face.deadline) : undefined} onCapture={study.capture} />
          <PromptModal prompt={checks.prompt} localDeadline={checks.prompt ? study.toLocal(checks.prompt.deadline) : undefined} onAnswer={study.answer} />
        </>
      )}
    </div>
  );
}
