// Pure helpers of the console's study player (apps/web is outside jest's roots, so they are tested here).
import type { FaceCheckView, HeartbeatAck, PromptView, StudyTotalsView } from '../../libs/study/src/protocol/study-protocol';
import { ApiError } from '../../apps/web/src/api/errors';
import { ackResult, isAckFailure, isSessionOver, refusesLesson, retryDelayMs } from '../../apps/web/src/study/ack';
import { awaitingStartCheck, checksOf, completesSession, creditingState, outstandingFace, outstandingPrompt, playbackBlocked } from '../../apps/web/src/study/checks';
import { ServerClock, secondsLeft } from '../../apps/web/src/study/clock';
import { describeDevice } from '../../apps/web/src/study/device';
import { buildHeartbeat, HeartbeatSequence, PlaybackInterval } from '../../apps/web/src/study/heartbeat';
import { appendRefusals, REFUSAL_LOG_LIMIT } from '../../apps/web/src/study/refusal-log';
import { advanceFurthest, allowedPlaybackRate, allowedSeek, SEEK_TOLERANCE_SECONDS } from '../../apps/web/src/study/seek-guard';
import { SESSION_KEY_PREFIX, storedSessionId, storeSessionId } from '../../apps/web/src/study/session-store';
import { cameraProblem, frameSize } from '../../apps/web/src/pages/shared/camera';
import { formatDuration, formatLessonLength, percentOf } from '../../apps/web/src/pages/shared/duration';
import { hoursStillNeeded, isPastDeadline } from '../../apps/web/src/pages/trainee/courses/hours-needed';

const face = (over: Partial<FaceCheckView> = {}): FaceCheckView => ({
  id: '1',
  kind: 'face',
  reason: 'session-start',
  status: 'outstanding',
  issuedAt: 1_000,
  deadline: 61_000,
  retriesLeft: 1,
  message: '请正对摄像头',
  ...over,
});
const prompt = (over: Partial<PromptView> = {}): PromptView => ({
  id: '1',
  kind: 'prompt',
  status: 'outstanding',
  issuedAt: 1_000,
  deadline: 31_000,
  question: '请点击数字 42',
  choices: ['17', '42', '63'],
  ...over,
});
const totals: StudyTotalsView = {
  lessonCreditedSeconds: 0,
  lessonSeconds: 10,
  sessionCreditedSeconds: 0,
  heldSeconds: 0,
  programOnlineSeconds: 0,
  programSeconds: 0,
  programHours: 0,
  minutesPerHour: 45,
};
const ack = (over: Partial<HeartbeatAck> = {}): HeartbeatAck => ({
  sessionId: 's1',
  seq: 3,
  accepted: true,
  credited: 2,
  refusals: [],
  furthestPosition: 6,
  totals,
  checks: {},
  lessonComplete: false,
  ...over,
});

describe('acks', () => {
  test('a result passes through; the error shape becomes an ApiError with code, zh-CN message and status', () => {
    expect(ackResult({ sessionId: 's1' })).toEqual({ sessionId: 's1' });
    const failure = { error: { code: 'SESSION_SUPERSEDED', message: '您已在其他设备或页面开始学习，本处的学习已结束', status: 409 } };
    expect(isAckFailure(failure)).toBe(true);
    let caught: unknown;
    try {
      ackResult(failure);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ApiError);
    expect(caught).toMatchObject({ code: 'SESSION_SUPERSEDED', status: 409, message: failure.error.message });
  });

  test('no ack at all, or an error without a message, still gives something to show', () => {
    expect(() => ackResult(undefined)).toThrow('学习服务没有应答，请稍后重试');
    expect(() => ackResult({ error: { code: 'X', message: '' } })).toThrow('学习服务返回错误');
    expect(isAckFailure({ error: 'nope' })).toBe(false);
    expect(isAckFailure(null)).toBe(false);
  });

  test('superseded, ended and unknown sessions are over; a busy session or a timeout is not', () => {
    for (const code of ['SESSION_SUPERSEDED', 'SESSION_ENDED', 'SESSION_NOT_FOUND']) expect(isSessionOver(new ApiError(code, 'x'))).toBe(true);
    for (const code of ['SESSION_BUSY', 'ACK_TIMEOUT', 'CHECK_NOT_OUTSTANDING']) expect(isSessionOver(new ApiError(code, 'x'))).toBe(false);
  });
});

describe('automatic retries', () => {
  test('a busy engine or session is retried when it says, within 0.2–30 s; an unanswered ack soon', () => {
    expect(retryDelayMs(new ApiError('FACE_ENGINE_BUSY', '人脸核验服务繁忙，请 3 秒后重试。', 503, { retryAfterSeconds: 3 }))).toBe(3000);
    expect(retryDelayMs(new ApiError('FACE_ENGINE_BUSY', '人脸核验服务繁忙，请 7 秒后重试。', 503))).toBe(7000);
    expect(retryDelayMs(new ApiError('SESSION_BUSY', '学习会话正在被更新，请稍后重试', 409))).toBe(1000);
    expect(retryDelayMs(new ApiError('FACE_ENGINE_BUSY', 'x', 503, { retryAfterSeconds: 600 }))).toBe(30_000);
    expect(retryDelayMs(new ApiError('FACE_ENGINE_BUSY', 'x', 503, { retryAfterSeconds: 0 }))).toBe(200);
    expect(retryDelayMs(new ApiError('ACK_TIMEOUT', '学习服务没有应答，请重试'))).toBe(1000);
  });

  test('refusals that would be refused again are not retried', () => {
    for (const code of ['CHECK_NOT_OUTSTANDING', 'CAPTURE_TOO_LARGE', 'SESSION_SUPERSEDED', 'VALIDATION_FAILED']) {
      expect(retryDelayMs(new ApiError(code, 'x', 409))).toBeUndefined();
    }
  });

  test('a lesson the server will not open is a refusal; a busy server, an expired login or a lost ack are not', () => {
    const refused: Array<[string, number]> = [
      ['LESSON_NOT_FOUND', 404],
      ['NOT_ENROLLED', 403],
      ['LESSON_NOT_PLAYABLE', 409],
      ['FACE_REFERENCE_MISSING', 409],
      ['VALIDATION_FAILED', 400],
    ];
    for (const [code, status] of refused) expect([code, refusesLesson(new ApiError(code, 'x', status))]).toEqual([code, true]);
    const retried: Array<[string, number | undefined]> = [
      ['SESSION_BUSY', 409],
      ['FACE_ENGINE_BUSY', 503],
      ['AUTH_TOKEN_EXPIRED', 401],
      ['AUTH_FORBIDDEN', 403],
      ['THROTTLED', 429],
      ['INTERNAL', 500],
      ['ACK_TIMEOUT', undefined],
      ['EMPTY_ACK', undefined],
    ];
    for (const [code, status] of retried) expect([code, refusesLesson(new ApiError(code, 'x', status))]).toEqual([code, false]);
  });
});

describe('heartbeats', () => {
  test('a heartbeat carries the player state; position rounded to ms, NaN and negatives become 0, a bad rate 1', () => {
    expect(buildHeartbeat('s1', 4, { position: 12.34567, playing: true, visible: true, playbackRate: 1 }, 99)).toEqual({
      sessionId: 's1',
      seq: 4,
      position: 12.346,
      playing: true,
      visible: true,
      playbackRate: 1,
      sentAt: 99,
    });
    expect(buildHeartbeat('s1', 1, { position: Number.NaN, playing: false, visible: false, playbackRate: Number.NaN }, 0)).toMatchObject({ position: 0, playbackRate: 1 });
    expect(buildHeartbeat('s1', 1, { position: -3, playing: false, visible: true, playbackRate: 2 }, 0)).toMatchObject({ position: 0, playbackRate: 2 });
  });

  test('sequence numbers start at the server\'s nextSeq and only go up within a session', () => {
    const seq = new HeartbeatSequence();
    expect(seq.take()).toBeUndefined();
    seq.opened('s1', 1);
    expect([seq.take(), seq.take(), seq.take()].map((t) => t?.seq)).toEqual([1, 2, 3]);
    // A resume whose view lags behind what this tab already sent never moves the counter back …
    seq.opened('s1', 2);
    expect(seq.take()).toEqual({ sessionId: 's1', seq: 4 });
    // … and one that is ahead (another tab of the same session sent some) moves it forward.
    seq.opened('s1', 10);
    expect(seq.take()?.seq).toBe(10);
    // A new session starts where the server says.
    seq.opened('s2', 1);
    expect(seq.take()).toEqual({ sessionId: 's2', seq: 1 });
    expect(seq.current).toBe('s2');
    seq.reset();
    expect(seq.take()).toBeUndefined();
  });
});

describe('what a heartbeat says about the interval it closes', () => {
  const playing = { playing: true, visible: true, playbackRate: 1 };
  const paused = { playing: false, visible: true, playbackRate: 1 };

  test('the heartbeat sent on pause (or at the end) still reports the watched stretch as playing', () => {
    const i = new PlaybackInterval(playing);
    i.sample(playing);
    expect(i.close(paused)).toEqual({ playing: true, visible: true, playbackRate: 1 });
    // The next interval was paused throughout.
    expect(i.close(paused)).toEqual({ playing: false, visible: true, playbackRate: 1 });
  });

  test('the heartbeat sent on play reports the paused stretch before it as paused', () => {
    const i = new PlaybackInterval(paused);
    expect(i.close(playing)).toEqual({ playing: false, visible: true, playbackRate: 1 });
    // … and the interval that started playing is playing even without a sample in between.
    expect(i.close(playing)).toEqual({ playing: true, visible: true, playbackRate: 1 });
  });

  test('playing while hidden at any sample makes the interval hidden; a hidden pause does not', () => {
    const i = new PlaybackInterval(playing);
    i.sample({ playing: true, visible: false, playbackRate: 1 });
    expect(i.close(paused)).toEqual({ playing: true, visible: false, playbackRate: 1 });
    const j = new PlaybackInterval(playing);
    expect(j.close({ playing: false, visible: false, playbackRate: 1 })).toEqual({ playing: true, visible: true, playbackRate: 1 });
    expect(j.close({ playing: false, visible: false, playbackRate: 1 })).toEqual({ playing: false, visible: false, playbackRate: 1 });
  });

  test('the highest rate played at is reported, not the one at the end', () => {
    const i = new PlaybackInterval(playing);
    i.sample({ playing: true, visible: true, playbackRate: 2 });
    expect(i.close(playing)).toEqual({ playing: true, visible: true, playbackRate: 2 });
    expect(i.close(playing)).toEqual({ playing: true, visible: true, playbackRate: 1 });
  });
});

describe('seek guard', () => {
  test('seeks up to the furthest watched point (plus tolerance) are allowed, back anywhere', () => {
    expect(allowedSeek(30, 40)).toBe(30);
    expect(allowedSeek(0, 40)).toBe(0);
    expect(allowedSeek(40 + SEEK_TOLERANCE_SECONDS, 40)).toBe(40 + SEEK_TOLERANCE_SECONDS);
  });

  test('a seek ahead lands on the furthest point itself, so repeated seeks cannot creep forward', () => {
    expect(allowedSeek(90, 40)).toBe(40);
    expect(allowedSeek(40 + SEEK_TOLERANCE_SECONDS + 0.01, 40)).toBe(40);
    let furthest = 40;
    for (let i = 0; i < 5; i++) furthest = advanceFurthest(furthest, allowedSeek(furthest + 5, furthest));
    expect(furthest).toBe(40);
    expect(allowedSeek(Number.NaN, 40)).toBe(0);
    expect(allowedSeek(-1, 40)).toBe(0);
  });

  test('natural playback moves the furthest point; a jump beyond the tolerance or going back does not', () => {
    expect(advanceFurthest(10, 10.25)).toBe(10.25);
    expect(advanceFurthest(10, 9)).toBe(10);
    expect(advanceFurthest(10, 10 + SEEK_TOLERANCE_SECONDS + 0.5)).toBe(10);
    expect(advanceFurthest(10, Number.NaN)).toBe(10);
  });

  test('the playback rate is capped at the maximum; nonsense becomes normal speed', () => {
    expect(allowedPlaybackRate(2, 1)).toBe(1);
    expect(allowedPlaybackRate(0.5, 1)).toBe(0.5);
    expect(allowedPlaybackRate(1.25, 1.5)).toBe(1.25);
    expect(allowedPlaybackRate(0, 1)).toBe(1);
    expect(allowedPlaybackRate(Number.NaN, 0.75)).toBe(0.75);
  });
});

describe('server clock', () => {
  test('with no evidence the clocks are taken to agree', () => {
    expect(new ServerClock().toLocal(5_000)).toBe(5_000);
  });

  test('a round trip gives the offset to within half the trip; a shorter trip wins', () => {
    const clock = new ServerClock();
    // Local clock 60 s ahead; 200 ms round trip.
    clock.observeRoundTrip(100_000, 40_100, 100_200);
    expect(clock.offset).toBe(60_000);
    clock.observeRoundTrip(200_000, 140_000, 201_000);
    expect(clock.offset).toBe(60_000);
    clock.observeRoundTrip(300_000, 240_010, 300_020);
    expect(clock.offset).toBe(60_000);
    clock.observeRoundTrip(10, 0, 5); // answered before it was sent: ignored
    expect(clock.offset).toBe(60_000);
  });

  test('check arrival times bound the offset from above; the tightest bound is kept', () => {
    const clock = new ServerClock();
    // Local clock 5 s behind. A check pushed 3 s after issue (a resumed one) …
    clock.observeIssued(100_000, 98_000);
    expect(clock.offset).toBe(-2_000);
    // … then one pushed at once.
    clock.observeIssued(200_000, 195_000);
    expect(clock.offset).toBe(-5_000);
    clock.observeIssued(300_000, 299_000);
    expect(clock.offset).toBe(-5_000);
    expect(clock.toLocal(260_000)).toBe(255_000);
  });

  test('a round trip beats the arrival bound', () => {
    const clock = new ServerClock();
    clock.observeIssued(100_000, 130_000);
    clock.observeRoundTrip(0, 0, 1_000);
    expect(clock.offset).toBe(500);
  });

  test('countdowns show whole seconds left and never go negative', () => {
    expect(secondsLeft(61_000, 1_000)).toBe(60);
    expect(secondsLeft(61_000, 1_001)).toBe(60);
    expect(secondsLeft(61_000, 60_001)).toBe(1);
    expect(secondsLeft(61_000, 61_000)).toBe(0);
    expect(secondsLeft(61_000, 90_000)).toBe(0);
  });
});

describe('checks', () => {
  test('only outstanding checks are outstanding', () => {
    expect(outstandingFace({ face: face() })).toBeDefined();
    expect(outstandingFace({ face: face({ status: 'passed' }) })).toBeUndefined();
    expect(outstandingPrompt({ prompt: prompt() })).toBeDefined();
    expect(outstandingPrompt({ prompt: prompt({ status: 'timed-out' }) })).toBeUndefined();
    expect(outstandingFace(undefined)).toBeUndefined();
  });

  test('playback waits for the session-start check only while it is outstanding', () => {
    expect(awaitingStartCheck({ face: face() })).toBe(true);
    expect(awaitingStartCheck({ face: face({ reason: 'random' }) })).toBe(false);
    expect(awaitingStartCheck({ face: face({ status: 'failed' }) })).toBe(false);
    expect(awaitingStartCheck({})).toBe(false);
  });

  test('a failed face check pauses playback until a later check passes (issue 26: the video played on after 人脸与本人不符)', () => {
    expect(playbackBlocked(false, { face: face() })).toBe(true);
    expect(playbackBlocked(true, { face: face({ status: 'passed' }) })).toBe(false);
    expect(playbackBlocked(false, { face: face({ status: 'failed', lastOutcome: 'mismatch' }) })).toBe(true);
    expect(playbackBlocked(false, { face: face({ reason: 'random', status: 'timed-out' }) })).toBe(true);
    // The re-check after a failure keeps it paused; a routine mid-lesson check does not pause anyone.
    expect(playbackBlocked(true, { face: face({ reason: 'random' }) })).toBe(true);
    expect(playbackBlocked(false, { face: face({ reason: 'random' }) })).toBe(false);
    // No word on the face check (a prompt push): nothing changes.
    expect(playbackBlocked(true, { prompt: prompt() })).toBe(true);
    expect(playbackBlocked(false, {})).toBe(false);
    expect(playbackBlocked(false, undefined)).toBe(false);
  });

  test('the crediting state names the first thing stopping credit', () => {
    expect(creditingState({})).toBe('crediting');
    expect(creditingState({ face: face() })).toBe('start-check');
    expect(creditingState({ face: face({ reason: 'random' }), prompt: prompt() })).toBe('face-check');
    expect(creditingState({ face: face({ status: 'failed', lastOutcome: 'mismatch' }) })).toBe('face-failed');
    expect(creditingState({ face: face({ status: 'timed-out' }), prompt: prompt() })).toBe('face-failed');
    expect(creditingState({ face: face({ status: 'passed' }), prompt: prompt() })).toBe('prompt');
    expect(creditingState({ face: face({ status: 'passed' }), prompt: prompt({ status: 'failed' }) })).toBe('prompt-missed');
    expect(creditingState({ face: face({ status: 'passed' }), prompt: prompt({ status: 'passed' }) })).toBe('crediting');
  });

  test('a check push is read in the gateway\'s shape and the others; pushes for another session are ignored', () => {
    expect(checksOf({ sessionId: 's1', check: face() }, 's1')).toEqual({ face: face() });
    expect(checksOf({ sessionId: 's1', check: prompt() })).toEqual({ prompt: prompt() });
    expect(checksOf({ sessionId: 'old', check: face() }, 's1')).toEqual({});
    expect(checksOf(face())).toEqual({ face: face() });
    expect(checksOf({ face: face(), prompt: prompt() })).toEqual({ face: face(), prompt: prompt() });
    expect(checksOf({ prompt: prompt() })).toEqual({ prompt: prompt() });
    expect(checksOf(null)).toEqual({});
    expect(checksOf('x')).toEqual({});
  });

  test('only a passed lesson-end check completes the session', () => {
    expect(completesSession(face({ reason: 'lesson-end', status: 'passed' }))).toBe(true);
    expect(completesSession(face({ reason: 'lesson-end', status: 'outstanding' }))).toBe(false);
    expect(completesSession(face({ reason: 'random', status: 'passed' }))).toBe(false);
    expect(completesSession(undefined)).toBe(false);
  });
});

describe('refusal log', () => {
  test('newest first, one line per reason, capped', () => {
    let log = appendRefusals([], ack({ seq: 1, refusals: [{ code: 'SEEK_AHEAD', message: '进度超过已观看的位置（快进），期间不计学时', seconds: 2 }] }), 10);
    log = appendRefusals(
      log,
      ack({
        seq: 2,
        refusals: [
          { code: 'TAB_HIDDEN', message: '学习页面不在前台，期间不计学时', seconds: 2 },
          { code: 'RATE_TOO_HIGH', message: '播放倍速超过允许上限，期间不计学时', seconds: 2 },
        ],
      }),
      20,
    );
    expect(log.map((r) => r.code)).toEqual(['RATE_TOO_HIGH', 'TAB_HIDDEN', 'SEEK_AHEAD']);
    expect(new Set(log.map((r) => r.key)).size).toBe(3);
    for (let seq = 3; seq < 10; seq++) log = appendRefusals(log, ack({ seq, refusals: [{ code: 'TAB_HIDDEN', message: 'm', seconds: 1 }] }), seq);
    expect(log).toHaveLength(REFUSAL_LOG_LIMIT);
    expect(log[0].seq).toBe(9);
  });

  test('a clean ack adds nothing, nor do reasons that cost nothing; an ignored heartbeat always gets a line', () => {
    expect(appendRefusals([], ack(), 1)).toEqual([]);
    expect(appendRefusals([], ack({ refusals: [{ code: 'PAUSED', message: 'm', seconds: 0 }] }), 1)).toEqual([]);
    // A pause is the trainee's choice, however long; and a fraction of a second is no loss worth a line.
    expect(appendRefusals([], ack({ refusals: [{ code: 'PAUSED', message: 'm', seconds: 40 }] }), 1)).toEqual([]);
    expect(appendRefusals([], ack({ refusals: [{ code: 'TAB_HIDDEN', message: 'm', seconds: 0.4 }] }), 1)).toEqual([]);
    expect(appendRefusals([], ack({ accepted: false, refusals: [{ code: 'REPLAYED', message: '重复的心跳，已忽略', seconds: 0 }] }), 1)).toEqual([
      expect.objectContaining({ code: 'REPLAYED' }),
    ]);
    expect(appendRefusals([], ack({ accepted: false }), 1)).toEqual([expect.objectContaining({ code: 'NOT_ACCEPTED', message: '本次心跳未被接受' })]);
  });
});

describe('session id per lesson', () => {
  function memory() {
    const data = new Map<string, string>();
    return { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v), removeItem: (k: string) => void data.delete(k), data };
  }

  test('kept per lesson, removed when the session is over', () => {
    const store = memory();
    storeSessionId('l1', 's1', store);
    storeSessionId('l2', 's2', store);
    expect(storedSessionId('l1', store)).toBe('s1');
    expect(store.data.get(SESSION_KEY_PREFIX + 'l2')).toBe('s2');
    storeSessionId('l1', undefined, store);
    expect(storedSessionId('l1', store)).toBeUndefined();
    expect(storedSessionId('l2', store)).toBe('s2');
  });

  test('storage that throws (disabled by policy) is survived', () => {
    const broken = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
      removeItem: () => {
        throw new Error('denied');
      },
    };
    expect(storedSessionId('l1', broken)).toBeUndefined();
    expect(() => storeSessionId('l1', 's1', broken)).not.toThrow();
    expect(storedSessionId('l1', undefined)).toBeUndefined();
  });
});

describe('display helpers', () => {
  test('device descriptions are short and name browser and system', () => {
    expect(describeDevice('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36')).toBe('Chrome 131 / Windows');
    expect(describeDevice('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0')).toBe('Edge 131 / Windows');
    expect(describeDevice('Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1')).toBe('Safari 17 / iOS（移动端）');
    expect(describeDevice('Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36 MicroMessenger/8.0.47')).toBe('微信 8 / Android（移动端）');
    expect(describeDevice('')).toBe('未知浏览器 / 未知系统');
    expect(describeDevice('x'.repeat(500)).length).toBeLessThanOrEqual(120);
  });

  test('durations', () => {
    expect(formatDuration(undefined)).toBe('—');
    expect(formatDuration(Number.NaN)).toBe('—');
    expect(formatDuration(0)).toBe('0分00秒');
    expect(formatDuration(65.4)).toBe('1分05秒');
    expect(formatDuration(3600 + 5 * 60)).toBe('1小时05分');
    expect(formatDuration(-5)).toBe('0分00秒');
  });

  test('percent is whole, capped at 100, and 0 for an empty lesson', () => {
    expect(percentOf(5, 10)).toBe(50);
    expect(percentOf(9.99, 10)).toBe(99);
    expect(percentOf(12, 10)).toBe(100);
    expect(percentOf(3, 0)).toBe(0);
  });

  test('frames are scaled down to the width limit, never up', () => {
    expect(frameSize(1280, 720, 640)).toEqual({ width: 640, height: 360 });
    expect(frameSize(320, 240, 640)).toEqual({ width: 320, height: 240 });
  });

  test('camera problems are worded for whether uploading a photo is an option', () => {
    const err = (name: string) => Object.assign(new Error('x'), { name });
    expect(cameraProblem(err('NotAllowedError'), { canUpload: false })).toContain('允许本网站访问摄像头');
    expect(cameraProblem(err('NotFoundError'), { canUpload: true })).toContain('改为上传照片');
    expect(cameraProblem(err('NotFoundError'), { canUpload: false })).not.toContain('上传');
    expect(cameraProblem(err('NotReadableError'), { canUpload: false })).toContain('被其他程序占用');
    expect(cameraProblem('weird', { canUpload: false })).toContain('摄像头启动失败');
  });
});

describe('我的课程: what is still needed', () => {
  const target = { minHours: 20, offlineShare: 0.6, practicalShare: 0.25 };
  test('nothing done: the minimum, and the shares of it', () => {
    expect(hoursStillNeeded(target, { total: 0, offline: 0, practical: 0 })).toEqual({ total: 20, offline: 12, practical: 5 });
  });
  test('part done; a shortfall of a fraction is rounded up to a tenth, never down to done', () => {
    expect(hoursStillNeeded(target, { total: 13.5, offline: 8, practical: 5 })).toEqual({ total: 6.5, offline: 4, practical: 0 });
    expect(hoursStillNeeded({ minHours: 12 }, { total: 11.96, offline: 0, practical: 0 })).toEqual({ total: 0.1, offline: 0, practical: 0 });
  });
  test('more than enough is nothing needed, not a negative number', () => {
    expect(hoursStillNeeded(target, { total: 30, offline: 20, practical: 8 })).toEqual({ total: 0, offline: 0, practical: 0 });
  });
  test('a course is expired only after its deadline day', () => {
    expect(isPastDeadline('2025-04-30', '2025-04-30')).toBe(false);
    expect(isPastDeadline('2025-04-30', '2025-05-01')).toBe(true);
  });
  test('a lesson is as long as the seconds it can earn', () => {
    expect(formatLessonLength(10.03)).toBe('0分11秒');
    expect(formatLessonLength(480)).toBe('8分00秒');
    expect(formatLessonLength(undefined)).toBe('—');
  });
});

