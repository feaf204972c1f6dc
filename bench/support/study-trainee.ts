/**
 * One simulated trainee of the study benchmark: a socket.io client speaking the study protocol the
 * way the console's player does — open the lesson, answer the session-start face check with a
 * capture, play continuously at 1× from position 0 once it passes (the player holds until then,
 * since nothing before the pass is credited), a heartbeat every `heartbeatSeconds` on a drift-free
 * schedule, answer later face checks and anti-idle prompts as they come, close at the end.
 * Everything it is told is recorded in the shared {@link LoadStats}.
 */
import { performance } from 'node:perf_hooks';
import { io, Socket } from 'socket.io-client';
import { SOCKET_ERROR_EVENT } from '@app/platform';
import {
  CaptureAck,
  FaceCheckView,
  HeartbeatAck,
  HeartbeatRequest,
  PromptAck,
  PromptView,
  SessionClosedView,
  SessionEndedEvent,
  STUDY_NAMESPACE,
  StudyChecksView,
  StudyEvents,
  StudySessionView,
} from '../../libs/study/src/protocol/study-protocol';
import { Recorder } from './study-stats';

export interface AckError {
  error: { code: string; message: string; status?: number };
}
const isError = (x: unknown): x is AckError => typeof x === 'object' && x !== null && 'error' in x && typeof (x as AckError).error?.code === 'string';

/** The engine's "busy" names a retry time (details, or the number in its message); 1 s if it does not. */
export function retryAfterMs(e: AckError): number {
  const details = (e.error as { details?: { retryAfterSeconds?: unknown } }).details;
  const seconds = typeof details?.retryAfterSeconds === 'number' ? details.retryAfterSeconds : Number(/(\d+)\s*秒/.exec(e.error.message)?.[1] ?? 1);
  return Math.max(0.2, Math.min(30, seconds)) * 1000;
}

/** Counts by key, for refusal codes, errors and outcomes. */
export class Tally extends Map<string, number> {
  bump(key: string, by = 1): void {
    this.set(key, (this.get(key) ?? 0) + by);
  }
  text(): string {
    return this.size ? [...this.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ') : 'none';
  }
}

/** Everything the fleet observed; `at` values are performance.now() of the bench process. */
export class LoadStats {
  /** Heartbeat ack latency, keyed by send time. */
  readonly heartbeatMs = new Recorder();
  /** One sample (1) per accepted heartbeat, keyed by ack time. */
  readonly accepted = new Recorder();
  readonly captureMs = new Recorder();
  readonly promptMs = new Recorder();
  readonly openMs = new Recorder();
  /** Sessions that began crediting (start check passed), keyed by pass time. */
  readonly started = new Recorder();
  readonly notAccepted = new Tally();
  readonly refusalSeconds = new Tally();
  readonly refusalCount = new Tally();
  readonly captureOutcomes = new Tally();
  readonly promptOutcomes = new Tally();
  readonly errors = new Tally();
  readonly ended = new Tally();
  /** Heartbeat acks (JSON), sampled: the echo server answers with one of median size. */
  readonly ackSamples: string[] = [];
  /** Refused seconds by code, keyed by ack time, so the ramp and the steady window can be told apart. */
  readonly refusalsAt = new Map<string, Recorder>();
  inFlight = 0;
}

export interface SimOptions {
  baseUrl: string;
  token: string;
  lessonId: string;
  /** The webcam frame sent for every face check. */
  capture: Uint8Array;
  stats: LoadStats;
  /** The API requires a passed start check before crediting; the echo ceiling has none. */
  expectStartCheck: boolean;
  ackTimeoutMs?: number;
}

/** The choice the prompt asks for: the one its question names (the longest, if one contains another). */
export function answerFor(prompt: Pick<PromptView, 'question' | 'choices'>): string | undefined {
  const named = prompt.choices.filter((c) => new RegExp(`(^|\\D)${c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\D|$)`).test(prompt.question));
  return named.sort((a, b) => b.length - a.length)[0];
}

/**
 * The gateway sends `study:check` as `{ sessionId, check }` (one check, told apart by `kind`); the
 * protocol file leaves the payload open, so a `{ face, prompt }` view is accepted as well.
 */
export function checksOf(payload: unknown): StudyChecksView {
  const p = (payload ?? {}) as { check?: FaceCheckView | PromptView } & StudyChecksView;
  if (p.check?.kind === 'face') return { face: p.check };
  if (p.check?.kind === 'prompt') return { prompt: p.check };
  return { face: p.face, prompt: p.prompt };
}

export class SimTrainee {
  socket?: Socket;
  view?: StudySessionView;
  /** performance.now() when playback started at position 0 (after the start check passed). */
  playStartedAt?: number;
  lessonDuration = Infinity;
  heartbeatMs = 15_000;
  nextSeq = 0;
  /** Σ `credited` over this trainee's acks. */
  ackCredited = 0;
  /** Position sent in the latest accepted heartbeat: the wall time played that the server saw. */
  lastAcceptedPosition = 0;
  acceptedCount = 0;
  closed?: SessionClosedView;
  failure?: string;
  private timer?: NodeJS.Timeout;
  private beats = 0;
  private stopped = false;
  private readonly handled = new Set<string>();
  private startPassed?: () => void;
  private handledStart = false;
  private readonly pending = new Set<() => void>();

  constructor(private readonly o: SimOptions) {}

  private get ackTimeout(): number {
    return this.o.ackTimeoutMs ?? 30_000;
  }

  /** Resolves once the trainee is playing (its start check passed); rejects with the reason otherwise. */
  async start(): Promise<void> {
    const socket = io(this.o.baseUrl + STUDY_NAMESPACE, {
      auth: { token: this.o.token },
      transports: ['websocket'],
      // One connection per trainee, as 5,000 browsers would have.
      forceNew: true,
      // A dropped connection is a finding to report, not something to paper over mid-measurement.
      reconnection: false,
      timeout: this.ackTimeout,
    });
    this.socket = socket;
    socket.on(StudyEvents.check, (payload: unknown) => this.onChecks(checksOf(payload)));
    socket.on(StudyEvents.ended, (e: SessionEndedEvent) => {
      this.o.stats.ended.bump(e.code ?? e.status);
      this.stopHeartbeats();
    });
    // A refused handshake (e.g. an expired token) is said on the platform's error event, then the socket is dropped.
    socket.on(SOCKET_ERROR_EVENT, (e: { code?: string }) => {
      this.o.stats.errors.bump(`socket:${e?.code ?? 'error'}`);
      this.failure ??= `refused: ${e?.code ?? 'error'}`;
    });
    socket.on('disconnect', (reason) => {
      // Acks that can no longer come fail now instead of at their timeout.
      for (const fail of this.pending) fail();
      if (!this.stopped) {
        this.o.stats.errors.bump(`disconnect:${reason}`);
        this.failure ??= `disconnected: ${reason}`;
        this.stopHeartbeats();
      }
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', (e) => reject(new Error(`connect: ${e.message}`)));
    });
    const t0 = performance.now();
    const opened = await this.emit<StudySessionView>(StudyEvents.open, { lessonId: this.o.lessonId, device: 'bench:study (node socket.io-client)' });
    this.o.stats.openMs.add(t0, performance.now() - t0);
    if (isError(opened)) throw new Error(`open: ${opened.error.code} ${opened.error.message}`);
    this.view = opened;
    this.nextSeq = opened.nextSeq ?? 0;
    this.lessonDuration = opened.lessonDuration ?? Infinity;
    if (opened.heartbeatSeconds) this.heartbeatMs = opened.heartbeatSeconds * 1000;
    if (this.o.expectStartCheck) {
      const passed = new Promise<void>((resolve) => (this.startPassed = resolve));
      this.onChecks(opened.checks ?? {});
      const face = opened.checks?.face;
      // The check's own window (plus the engine's slack) bounds the wait; no check at all is a finding too.
      const waitMs = (face ? Math.max(0, face.deadline - Date.now()) : 0) + this.ackTimeout;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([passed, new Promise<void>((r) => (timer = setTimeout(r, waitMs)))]);
      clearTimeout(timer);
      if (!this.failure && !this.handledStart) this.failure = face ? 'start check not passed in its window' : 'no session-start face check was issued';
    }
    if (this.failure) throw new Error(this.failure);
    this.play();
  }

  private play(): void {
    this.playStartedAt = performance.now();
    this.o.stats.started.add(this.playStartedAt, 1);
    this.beat();
  }

  /** Heartbeat k goes out at playStartedAt + k × period, so timer lateness never accumulates. */
  private beat(): void {
    if (this.stopped || this.playStartedAt === undefined) return;
    this.sendHeartbeat();
    this.beats++;
    const due = this.playStartedAt + this.beats * this.heartbeatMs;
    this.timer = setTimeout(() => this.beat(), Math.max(0, due - performance.now()));
  }

  private sendHeartbeat(): void {
    const sentAt = performance.now();
    const position = Math.min((sentAt - this.playStartedAt!) / 1000, this.lessonDuration);
    const hb: HeartbeatRequest = { sessionId: this.view!.sessionId, seq: this.nextSeq++, position, playing: true, visible: true, playbackRate: 1, sentAt: Date.now() };
    const stats = this.o.stats;
    void this.emit<HeartbeatAck>(StudyEvents.heartbeat, hb).then((ack) => {
      const now = performance.now();
      stats.heartbeatMs.add(sentAt, now - sentAt);
      if (isError(ack)) {
        stats.errors.bump(`heartbeat:${ack.error.code}`);
        return;
      }
      if (stats.ackSamples.length < 50 || (stats.ackSamples.length < 2000 && Math.random() < 0.05)) stats.ackSamples.push(JSON.stringify(ack));
      for (const r of ack.refusals ?? []) {
        stats.refusalCount.bump(r.code);
        stats.refusalSeconds.bump(r.code, r.seconds);
        if (!stats.refusalsAt.has(r.code)) stats.refusalsAt.set(r.code, new Recorder());
        stats.refusalsAt.get(r.code)!.add(now, r.seconds);
      }
      if (!ack.accepted) {
        stats.notAccepted.bump((ack.refusals ?? [])[0]?.code ?? 'unknown');
        return;
      }
      stats.accepted.add(now, 1);
      this.acceptedCount++;
      this.ackCredited += ack.credited;
      this.lastAcceptedPosition = Math.max(this.lastAcceptedPosition, hb.position);
      if (ack.checks) this.onChecks(ack.checks);
      if (ack.lessonComplete) this.stopHeartbeats();
    });
  }

  private onChecks(checks: StudyChecksView): void {
    if (checks.face && checks.face.status === 'outstanding') void this.answerFace(checks.face);
    if (checks.prompt && checks.prompt.status === 'outstanding') void this.answerPrompt(checks.prompt);
  }

  private async answerFace(check: FaceCheckView): Promise<void> {
    const key = `face:${check.id}:${check.retriesLeft}`;
    if (this.handled.has(key)) return;
    this.handled.add(key);
    const stats = this.o.stats;
    // The engine answers "busy" when its queue is full: try again while the window is open.
    for (;;) {
      const t0 = performance.now();
      const ack = await this.emit<CaptureAck>(StudyEvents.capture, { sessionId: this.view!.sessionId, checkId: check.id, image: this.o.capture });
      // Latency of verdicts only: a "busy" reply is quick and would flatter the figure.
      if (!isError(ack)) stats.captureMs.add(t0, performance.now() - t0);
      if (isError(ack)) {
        stats.errors.bump(`capture:${ack.error.code}`);
        // Come back when the server says (as the console does), spread a little so retries do not arrive together.
        const waitMs = retryAfterMs(ack) * (1 + Math.random() * 0.5);
        if (/BUSY/.test(ack.error.code) && Date.now() + waitMs + 1000 < check.deadline) {
          await new Promise((r) => setTimeout(r, waitMs));
          continue;
        }
        return this.startFailed(`capture: ${ack.error.code} ${ack.error.message}`, check);
      }
      stats.captureOutcomes.bump(`${check.reason}:${ack.outcome}`);
      if (ack.check.status === 'passed') {
        if (check.reason === 'session-start') {
          this.handledStart = true;
          this.startPassed?.();
        }
        return;
      }
      if (ack.check.status === 'outstanding' && ack.check.retriesLeft < check.retriesLeft) return this.answerFace(ack.check);
      return this.startFailed(`face check ${ack.check.status}: ${ack.outcome} (distance ${ack.distance})`, check);
    }
  }

  private startFailed(reason: string, check: FaceCheckView): void {
    if (check.reason !== 'session-start') return;
    this.failure ??= reason;
    this.startPassed?.();
  }

  private async answerPrompt(prompt: PromptView): Promise<void> {
    if (this.handled.has(`prompt:${prompt.id}`)) return;
    this.handled.add(`prompt:${prompt.id}`);
    const answer = answerFor(prompt);
    if (answer === undefined) {
      this.o.stats.promptOutcomes.bump('unanswerable');
      return;
    }
    const t0 = performance.now();
    const ack = await this.emit<PromptAck>(StudyEvents.answer, { sessionId: this.view!.sessionId, promptId: prompt.id, answer });
    this.o.stats.promptMs.add(t0, performance.now() - t0);
    if (isError(ack)) this.o.stats.errors.bump(`answer:${ack.error.code}`);
    else this.o.stats.promptOutcomes.bump(ack.passed ? 'passed' : 'failed');
  }

  stopHeartbeats(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** Leaves the lesson: the server settles the session into the ledger. */
  async close(): Promise<void> {
    this.stopHeartbeats();
    if (!this.view || !this.socket?.connected) return;
    const reply = await this.emit<SessionClosedView>(StudyEvents.close, { sessionId: this.view.sessionId });
    if (isError(reply)) this.o.stats.errors.bump(`close:${reply.error.code}`);
    else this.closed = reply;
  }

  disconnect(): void {
    this.stopHeartbeats();
    this.socket?.disconnect();
  }

  private emit<T>(event: string, payload: unknown): Promise<T | AckError> {
    const stats = this.o.stats;
    stats.inFlight++;
    return new Promise<T | AckError>((resolve) => {
      let done = false;
      const finish = (reply: T | AckError) => {
        if (done) return;
        done = true;
        stats.inFlight--;
        this.pending.delete(onDisconnect);
        resolve(reply);
      };
      const onDisconnect = () => finish({ error: { code: 'DISCONNECTED', message: `disconnected before the ack for ${event}${this.failure ? ` (${this.failure})` : ''}` } });
      if (!this.socket!.connected) return onDisconnect();
      this.pending.add(onDisconnect);
      this.socket!.timeout(this.ackTimeout).emit(event, payload, (err: Error | null, reply: T | AckError) =>
        finish(err ? { error: { code: 'ACK_TIMEOUT', message: `no ack for ${event} in ${this.ackTimeout} ms` } } : reply),
      );
    });
  }
}
