import type { HeartbeatAck, HeartbeatRequest, StudySessionView } from '@app/study';
import { ok, sleep, StudyClient } from './study';

export interface PlayOptions {
  rate?: number;
  visible?: boolean;
  playing?: boolean;
  /** Wall time between heartbeats (ms). */
  everyMs?: number;
}

/**
 * A scripted player: advances its position with real time as a video element would and sends a
 * heartbeat per tick, keeping every ack so a test can sum what was credited and why not.
 */
export class ScriptedPlayer {
  seq: number;
  position: number;
  readonly acks: HeartbeatAck[] = [];

  constructor(
    public client: StudyClient,
    public view: StudySessionView,
  ) {
    this.seq = view.nextSeq;
    this.position = view.furthestPosition;
  }

  get sessionId(): string {
    return this.view.sessionId;
  }

  /** Sends one heartbeat as it stands (position unchanged unless told), without advancing seq when `seq` is given. */
  async beat(over: Partial<HeartbeatRequest> = {}): Promise<HeartbeatAck> {
    const hb: HeartbeatRequest = {
      sessionId: this.sessionId,
      seq: over.seq ?? this.seq++,
      position: this.position,
      playing: true,
      visible: true,
      playbackRate: 1,
      sentAt: Date.now(),
      ...over,
    };
    const ack = ok(await this.client.heartbeat(hb));
    this.acks.push(ack);
    return ack;
  }

  /** Plays for `seconds` of wall time; returns the acks of that stretch. */
  async play(seconds: number, o: PlayOptions = {}): Promise<HeartbeatAck[]> {
    const rate = o.rate ?? 1;
    const every = o.everyMs ?? 1000;
    const out: HeartbeatAck[] = [];
    const end = Date.now() + seconds * 1000;
    let last = Date.now();
    while (Date.now() < end) {
      await sleep(every);
      const now = Date.now();
      if (o.playing !== false) this.position = Math.min(this.view.lessonDuration, this.position + ((now - last) / 1000) * rate);
      last = now;
      out.push(await this.beat({ playing: o.playing ?? true, visible: o.visible ?? true, playbackRate: rate }));
    }
    return out;
  }
}

export const creditedBy = (acks: readonly HeartbeatAck[]) => acks.reduce((n, a) => n + a.credited, 0);
export const refusalCodes = (acks: readonly HeartbeatAck[]) => [...new Set(acks.flatMap((a) => a.refusals.map((r) => r.code)))].sort();
