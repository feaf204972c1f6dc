import { io, type Socket } from 'socket.io-client';
import {
  STUDY_NAMESPACE,
  StudyEvents,
  type CaptureAck,
  type HeartbeatAck,
  type PromptAck,
  type SessionClosedView,
  type SessionEndedEvent,
  type StudyChecksView,
  type StudySessionView,
} from '@app/study-protocol';
import { ApiError, toApiError } from '../api/errors';
import { refreshTokens } from '../auth/authorized-fetch';
import { currentAccessToken } from '../auth/token-store';
import { ackResult, isSessionOver, refusesLesson } from './ack';
import { checksOf, completesSession } from './checks';
import type { ServerClock } from './clock';
import { browserFingerprint, describeDevice } from './device';
import { buildHeartbeat, HeartbeatSequence, type PlayerSnapshot } from './heartbeat';
import { storedSessionId, storeSessionId } from './session-store';

/** A heartbeat answered later than this is lost anyway. */
const ACK_TIMEOUT_MS = 20_000;
/** A face verification queues behind others on a busy server; the check's window (60 s) bounds it anyway. */
const CAPTURE_TIMEOUT_MS = 60_000;
/** The platform gateway's error event (auth failures at connect time), see apps/api realtime. */
const SOCKET_ERROR_EVENT = 'error:app';
/** The platform gateway's liveness event; answers with the server's clock. */
const PING_EVENT = 'platform:ping';

/** refused: the server will not open this lesson for this trainee (see refusesLesson); nothing is retried. */
export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'failed' | 'refused' | 'ended';

export interface StudyListener {
  connection(state: ConnectionState, message?: string): void;
  opened(view: StudySessionView, arrivedAt: number): void;
  heartbeat(ack: HeartbeatAck, arrivedAt: number): void;
  checks(checks: StudyChecksView, arrivedAt: number): void;
  ended(message: string, code: string): void;
  /** A failure worth showing that does not end the session (e.g. a lost heartbeat). */
  problem(error: ApiError): void;
}

/**
 * One lesson's study session over socket.io: opens it on every (re)connect — resuming the
 * session id kept in sessionStorage — and sends heartbeats, captures, prompt answers and the
 * close, each with its ack. socket.io reconnects by itself after a dropped connection; a
 * server-side disconnect (expired login) is answered by refreshing the token once.
 */
export class StudyConnection {
  private readonly socket: Socket;
  private readonly sequence = new HeartbeatSequence();
  private over = false;
  /** The server completed the session (lesson-end pass): no more heartbeats, only the close. */
  private completed = false;
  private refreshedOnce = false;
  /** Between a successful open and the next disconnect: an event's failure then comes with its ack. */
  private sessionOpen = false;

  constructor(
    private readonly lessonId: string,
    private readonly listener: StudyListener,
  ) {
    this.socket = io(STUDY_NAMESPACE, {
      autoConnect: false,
      transports: ['websocket'],
      // A function: every reconnect sends the current (possibly refreshed) token.
      auth: (cb) => cb({ token: currentAccessToken() }),
    });
    this.socket.on('connect', () => void this.open());
    this.socket.on('disconnect', (reason) => {
      this.sessionOpen = false;
      if (this.over) return;
      // The server closing the socket is not retried by socket.io; anything else is.
      if (reason === 'io server disconnect') this.listener.connection('failed', '与学习服务的连接被服务器断开');
      else this.listener.connection('reconnecting', '网络连接中断，正在重新连接…');
    });
    this.socket.on('connect_error', () => !this.over && this.listener.connection('reconnecting', '无法连接学习服务，正在重试…'));
    this.socket.on(SOCKET_ERROR_EVENT, (body: unknown) => void this.authFailed(toApiError(body)));
    this.socket.on(StudyEvents.check, (payload: unknown) => this.listener.checks(checksOf(payload, this.sequence.current), Date.now()));
    this.socket.on(StudyEvents.ended, (e: SessionEndedEvent) => this.end(e.message || '本次学习已结束', e.code));
  }

  /**
   * One `platform:ping` round trip on the default namespace (same connection, no login needed)
   * tells how far this PC's clock is from the server's; without it countdowns fall back to
   * weaker evidence (see ServerClock).
   */
  async measureClock(clock: ServerClock): Promise<void> {
    const root = this.socket.io.socket('/');
    try {
      root.connect();
      const sent = Date.now();
      const pong = (await root.timeout(5000).emitWithAck(PING_EVENT, { clientTime: sent })) as { serverTime?: unknown };
      if (typeof pong?.serverTime === 'number') clock.observeRoundTrip(sent, pong.serverTime, Date.now());
    } catch {
      // No answer: keep the weaker estimate.
    } finally {
      root.disconnect();
    }
  }

  start(): void {
    this.listener.connection('connecting');
    this.socket.connect();
  }

  /** Reconnect after a failure the socket does not retry by itself. */
  retry(): void {
    if (this.over) return;
    this.refreshedOnce = false;
    this.listener.connection('connecting');
    this.socket.connect();
  }

  get sessionId(): string | undefined {
    return this.sequence.current;
  }

  private async open(): Promise<void> {
    try {
      const view = ackResult<StudySessionView>(
        await this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck(StudyEvents.open, {
          lessonId: this.lessonId,
          resumeSessionId: storedSessionId(this.lessonId),
          device: describeDevice(navigator.userAgent),
          fingerprint: browserFingerprint(),
        }),
      );
      this.refreshedOnce = false;
      this.sessionOpen = true;
      this.sequence.opened(view.sessionId, view.nextSeq);
      storeSessionId(this.lessonId, view.sessionId);
      this.listener.connection('open');
      this.listener.opened(view, Date.now());
    } catch (e) {
      const error = toApiError(e);
      if (refusesLesson(error)) {
        this.over = true;
        this.socket.disconnect();
        this.listener.connection('refused', error.message);
      } else this.listener.connection('failed', error.message);
    }
  }

  /** The login expired under a live socket: refresh it and reconnect, which resumes the session. */
  private async renewLogin(): Promise<void> {
    try {
      await refreshTokens();
      this.socket.disconnect().connect();
    } catch (e) {
      this.listener.connection('failed', toApiError(e).message);
    }
  }

  /**
   * The gateway's `error:app`: at the handshake it is why the connection is refused; for an event it
   * repeats what that event's ack said, which its caller handles — unless the login has expired.
   */
  private async authFailed(error: ApiError): Promise<void> {
    if (this.over || (this.sessionOpen && !error.code.startsWith('AUTH_'))) return;
    if (error.code === 'AUTH_TOKEN_EXPIRED' && !this.refreshedOnce) {
      this.refreshedOnce = true;
      try {
        await refreshTokens();
        this.socket.connect();
        return;
      } catch (e) {
        error = toApiError(e);
      }
    }
    this.listener.connection('failed', error.message);
  }

  /** Sends a heartbeat when there is a session to send it in; `player` is read only then. */
  async heartbeat(player: () => PlayerSnapshot): Promise<void> {
    if (this.over || this.completed || !this.socket.connected) return;
    const next = this.sequence.take();
    if (!next) return;
    try {
      const ack = ackResult<HeartbeatAck>(
        await this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck(StudyEvents.heartbeat, buildHeartbeat(next.sessionId, next.seq, player(), Date.now())),
      );
      this.listener.heartbeat(ack, Date.now());
    } catch (e) {
      this.failed(e, '心跳未送达，稍后自动重试');
    }
  }

  async capture(checkId: string, image: ArrayBuffer): Promise<CaptureAck> {
    const ack = await this.call<CaptureAck>(StudyEvents.capture, { sessionId: this.requireSession(), checkId, image }, CAPTURE_TIMEOUT_MS);
    if (completesSession(ack.check)) this.completed = true;
    return ack;
  }

  async answer(promptId: string, answer: string): Promise<PromptAck> {
    return this.call<PromptAck>(StudyEvents.answer, { sessionId: this.requireSession(), promptId, answer });
  }

  /** Leaves the lesson: the session is settled to the hour ledger. */
  async close(): Promise<SessionClosedView | undefined> {
    const sessionId = this.sequence.current;
    if (this.over || !sessionId || !this.socket.connected) return undefined;
    try {
      const closed = ackResult<SessionClosedView>(await this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck(StudyEvents.close, { sessionId }));
      storeSessionId(this.lessonId, undefined);
      return closed;
    } catch (e) {
      this.failed(e, '结束学习失败');
      return undefined;
    }
  }

  /** Stops talking to the server (the page is left); the session id stays for a later resume. */
  dispose(): void {
    this.over = true;
    this.socket.removeAllListeners();
    this.socket.disconnect();
  }

  private requireSession(): string {
    const id = this.sequence.current;
    if (!id || this.over) throw new ApiError('NO_SESSION', '学习会话尚未建立或已结束');
    return id;
  }

  private async call<T>(event: string, payload: unknown, timeoutMs = ACK_TIMEOUT_MS): Promise<T> {
    try {
      return ackResult<T>(await this.socket.timeout(timeoutMs).emitWithAck(event, payload));
    } catch (e) {
      const error = this.failed(e, '学习服务没有应答，请重试');
      throw error;
    }
  }

  /** Turns a failed emit into an ApiError; a session that is over ends this connection. */
  private failed(e: unknown, timeoutMessage: string): ApiError {
    // emitWithAck rejects with a plain Error on timeout.
    const error = e instanceof ApiError ? e : e instanceof Error && /timed out/i.test(e.message) ? new ApiError('ACK_TIMEOUT', timeoutMessage) : toApiError(e);
    if (isSessionOver(error)) this.end(error.message, error.code);
    else if (error.code === 'AUTH_TOKEN_EXPIRED') void this.renewLogin();
    else this.listener.problem(error);
    return error;
  }

  private end(message: string, code: string): void {
    if (this.over) return;
    this.over = true;
    storeSessionId(this.lessonId, undefined);
    this.listener.connection('ended', message);
    this.listener.ended(message, code);
    this.socket.disconnect();
  }
}
