// Relative, not @app/study-protocol: jest specs under tests/ import this module, and the root tsconfig that checks them has no such alias.
import type { HeartbeatRequest } from '../../../../libs/study/src/protocol/study-protocol';

/** What the player looks like at the moment a heartbeat is sent. */
export interface PlayerSnapshot {
  position: number;
  playing: boolean;
  visible: boolean;
  playbackRate: number;
}

/** One heartbeat: position to the millisecond, never negative or NaN (a video not yet loaded reports NaN). */
export function buildHeartbeat(sessionId: string, seq: number, player: PlayerSnapshot, now: number): HeartbeatRequest {
  const position = Number.isFinite(player.position) && player.position > 0 ? Math.round(player.position * 1000) / 1000 : 0;
  const playbackRate = Number.isFinite(player.playbackRate) && player.playbackRate > 0 ? player.playbackRate : 1;
  return { sessionId, seq, position, playing: player.playing, visible: player.visible, playbackRate, sentAt: now };
}

/**
 * Hands out heartbeat sequence numbers. The server names the next one when a session is opened
 * or resumed; within one session the numbers only ever go up (a lower one would be refused as a
 * replay), so a resume never moves the counter back — a new session starts where the server says.
 */
export class HeartbeatSequence {
  private sessionId?: string;
  private next = 0;

  /** After `study:open` answered: the session it opened (or resumed) and its `nextSeq`. */
  opened(sessionId: string, nextSeq: number): void {
    this.next = sessionId === this.sessionId ? Math.max(this.next, nextSeq) : nextSeq;
    this.sessionId = sessionId;
  }

  /** The next number for the current session; undefined while no session is open. */
  take(): { sessionId: string; seq: number } | undefined {
    if (this.sessionId === undefined) return undefined;
    return { sessionId: this.sessionId, seq: this.next++ };
  }

  get current(): string | undefined {
    return this.sessionId;
  }

  reset(): void {
    this.sessionId = undefined;
    this.next = 0;
  }
}

/** The player as it is at one instant. */
export interface PlayerState {
  playing: boolean;
  visible: boolean;
  playbackRate: number;
}

/**
 * What a heartbeat says about the interval since the previous one — the server credits that
 * interval by the flags of the heartbeat that closes it. So the heartbeat sent on pause (or at the
 * end of the video) still says "playing": the stretch up to the pause was watched. `playing` is
 * whether playback ran at some point in the interval; `visible` whether the tab was visible
 * whenever it ran; the rate is the highest one it ran at. Samples come from the video's own
 * events (play, timeupdate, ratechange), so the instant of hiding the tab — when the player
 * pauses at once — is not counted as playing hidden.
 */
export class PlaybackInterval {
  private played = false;
  private playedHidden = false;
  private maxRate = 0;

  constructor(now: PlayerState) {
    this.restart(now);
  }

  sample(now: PlayerState): void {
    if (!now.playing) return;
    this.played = true;
    if (!now.visible) this.playedHidden = true;
    this.maxRate = Math.max(this.maxRate, now.playbackRate);
  }

  /**
   * Closes the interval for a heartbeat and starts the next one from `now`. The closing instant
   * itself is not sampled: no time passed in it, and on `play` it would call a paused stretch played.
   */
  close(now: PlayerState): PlayerState {
    const report = this.played
      ? { playing: true, visible: !this.playedHidden, playbackRate: this.maxRate }
      : { playing: false, visible: now.visible, playbackRate: now.playbackRate };
    this.restart(now);
    return report;
  }

  private restart(now: PlayerState): void {
    this.played = false;
    this.playedHidden = false;
    this.maxRate = 0;
    this.sample(now);
  }
}
