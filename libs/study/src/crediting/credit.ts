import { studyError } from '../study.errors';
import type { CreditSettings } from './credit-settings';
import { difference, Interval, IntervalSet, intersect, normalize, subtract, takeFirst, total, union } from './intervals';
import { Refusal, refusal } from './refusals';

/** What the player reports every few seconds. Everything in it is the client's claim. */
export interface Heartbeat {
  /** Strictly increasing within a session; gaps (lost heartbeats) are allowed. */
  readonly seq: number;
  /** Playback position in seconds. */
  readonly position: number;
  readonly playing: boolean;
  readonly visible: boolean;
  readonly playbackRate: number;
  /** Client clock (ms); recorded for evidence, never trusted for crediting. */
  readonly sentAt: number;
}

/**
 * A gate stops crediting from `since` (server ms): nothing after it is earned by this rule. Checks
 * that are only outstanding are no gate here — the session rules credit what is watched under them
 * into a gated pool of their own (session-rules.ts), released at the pass or forfeited.
 */
export interface FaceCheckGate {
  /** 'required': the session-start check has not passed yet; 'failed': the latest check failed or timed out. */
  readonly status: 'required' | 'failed';
  readonly since: number;
}
export interface PromptGate {
  readonly status: 'missed';
  readonly since: number;
}

export interface AcceptedHeartbeat {
  readonly seq: number;
  /** Server time (ms) the interval is measured from. */
  readonly at: number;
  readonly position: number;
}

export interface SessionCreditState {
  /** Seconds; may be fractional (the lesson's last partial second is creditable). */
  readonly lessonDuration: number;
  /** Lesson seconds this trainee has earned, across all sessions: each is earned once. */
  readonly credited: IntervalSet;
  /** Furthest position reached by plausible playback; seeking past it earns nothing. */
  readonly furthestPosition: number;
  readonly last?: AcceptedHeartbeat;
  readonly faceCheck?: FaceCheckGate;
  readonly prompt?: PromptGate;
  /** Seconds credited in this session so far. */
  readonly sessionCredited: number;
  /** Wall-clock ms of this session during which crediting was possible (evidence; the bank below is what limits credit). */
  readonly creditableWallMs: number;
  /**
   * Creditable wall-clock ms not yet spent on seconds, always under one second once nothing is
   * left to pay for: a second is credited only when wall time has paid for it, so over any stretch
   * of a session credit never runs ahead of the clock, however often heartbeats come.
   * Undefined in sessions stored before it existed (see {@link bankOf}).
   */
  readonly bankMs?: number;
  /**
   * Lesson seconds played plausibly but ahead of the wall time that pays for them (network and timer
   * jitter make an honest player's position run a little ahead of the server's clock): credited,
   * in order, as soon as the clock catches up. At most `jitterSeconds` of them; more is refused.
   */
  readonly deferred?: IntervalSet;
}

/** The bank of a session stored before it had one: what its old ceiling left, without the old jitter allowance. */
function bankOf(state: SessionCreditState): number {
  return state.bankMs ?? Math.min(999, Math.max(0, state.creditableWallMs - state.sessionCredited * 1000));
}

/** Wall-clock ms one lesson second costs: a whole second, except the lesson's final partial second, which costs its length. */
function costOf(second: number, duration: number): number {
  const last = lessonSeconds(duration) - 1;
  return second === last ? Math.max(1, Math.round((duration - last) * 1000)) : 1000;
}

/** The leading seconds of `candidates` that `bankMs` pays for, in lesson order, and what is left of the bank. */
function affordable(candidates: IntervalSet, bankMs: number, duration: number): { taken: IntervalSet; bankMs: number } {
  const taken: Interval[] = [];
  let bank = bankMs;
  for (const [a, b] of candidates) {
    let k = a;
    while (k < b && bank >= costOf(k, duration)) bank -= costOf(k++, duration);
    if (k > a) taken.push([a, k]);
    if (k < b) break;
  }
  return { taken: normalize(taken), bankMs: bank };
}

export interface CreditResult {
  /** Whole seconds newly credited by this heartbeat. */
  readonly credited: number;
  /** Which lesson seconds they were. */
  readonly creditedIntervals: IntervalSet;
  readonly refusals: readonly Refusal[];
  /** False when the heartbeat was ignored entirely (invalid, replayed, out of sequence): the state is unchanged. */
  readonly accepted: boolean;
  readonly next: SessionCreditState;
}

/** The state a session starts from, given what the ledger says the trainee already earned. */
export function initialCreditState(init: {
  lessonDuration: number;
  credited?: readonly Interval[];
  furthestPosition?: number;
}): SessionCreditState {
  if (!Number.isFinite(init.lessonDuration) || init.lessonDuration <= 0) {
    throw studyError('LESSON_DURATION_INVALID', { lessonDuration: init.lessonDuration });
  }
  const credited = normalize(init.credited ?? []).map(([s, e]) => [s, Math.min(e, lessonSeconds(init.lessonDuration))] as const);
  const creditedEnd = credited.length ? credited[credited.length - 1][1] : 0;
  return {
    lessonDuration: init.lessonDuration,
    credited: normalize(credited),
    furthestPosition: Math.min(init.lessonDuration, Math.max(init.furthestPosition ?? 0, creditedEnd)),
    sessionCredited: 0,
    creditableWallMs: 0,
    bankMs: 0,
    deferred: [],
  };
}

/** The number of creditable whole seconds: a 90.4 s lesson has 91, so watching to the end earns all of it. */
export function lessonSeconds(duration: number): number {
  return Math.ceil(duration);
}

/** Second k is earned once the position passes k + 1; the end of the lesson completes its last partial second. */
function secondAt(position: number, duration: number): number {
  return position >= duration ? lessonSeconds(duration) : Math.floor(position);
}

function validHeartbeat(hb: Heartbeat): boolean {
  return (
    Number.isSafeInteger(hb.seq) &&
    hb.seq >= 0 &&
    Number.isFinite(hb.position) &&
    hb.position >= 0 &&
    typeof hb.playing === 'boolean' &&
    typeof hb.visible === 'boolean' &&
    Number.isFinite(hb.playbackRate) &&
    hb.playbackRate > 0 &&
    Number.isFinite(hb.sentAt)
  );
}

function ignored(state: SessionCreditState, r: Refusal): CreditResult {
  return { credited: 0, creditedIntervals: [], refusals: [r], accepted: false, next: state };
}

/** The active gates with the refusal each gives. */
function activeGates(state: SessionCreditState): { since: number; code: Refusal['code'] }[] {
  const gates: { since: number; code: Refusal['code'] }[] = [];
  if (state.faceCheck) gates.push({ since: state.faceCheck.since, code: state.faceCheck.status === 'required' ? 'FACE_CHECK_REQUIRED' : 'FACE_CHECK_FAILED' });
  if (state.prompt) gates.push({ since: state.prompt.since, code: 'PROMPT_MISSED' });
  return gates;
}

/**
 * THE crediting rule. Decides, on the server, how many not-yet-earned lesson seconds a heartbeat
 * earns, and records why the rest earned nothing. Pure: same inputs, same result.
 *
 * `now` is the server's clock (ms) when the heartbeat arrived.
 */
export function credit(state: SessionCreditState, hb: Heartbeat, now: number, settings: CreditSettings): CreditResult {
  if (!Number.isFinite(now)) throw new RangeError('now must be a finite server time');
  if (!validHeartbeat(hb)) return ignored(state, refusal('INVALID_HEARTBEAT', 0));
  const last = state.last;
  if (last && hb.seq === last.seq) return ignored(state, refusal('REPLAYED', 0, { seq: hb.seq }));
  if (last && hb.seq < last.seq) return ignored(state, refusal('OUT_OF_SEQUENCE', 0, { seq: hb.seq, lastSeq: last.seq }));

  const duration = state.lessonDuration;
  const refusals: Refusal[] = [];
  const position = Math.min(hb.position, duration);
  if (hb.position > duration + settings.seekToleranceSeconds) {
    refusals.push(refusal('BEYOND_DURATION', 0, { position: hb.position, duration }));
  }

  const from = last ?? { seq: -1, at: now, position };
  const elapsedMs = Math.max(0, now - from.at);
  const span: Interval = [secondAt(from.position, duration), Math.max(secondAt(from.position, duration), secondAt(position, duration))];
  const spanSeconds = span[1] - span[0];

  // Reasons that void the whole interval. All that apply are recorded: each is evidence.
  if (!hb.playing) refusals.push(refusal('PAUSED', spanSeconds));
  if (!hb.visible) refusals.push(refusal('TAB_HIDDEN', spanSeconds));
  if (hb.playbackRate > settings.maxPlaybackRate) {
    refusals.push(refusal('RATE_TOO_HIGH', spanSeconds, { playbackRate: hb.playbackRate, max: settings.maxPlaybackRate }));
  }
  // Playing on from the frontier moves it; landing beyond where playback could have reached is a seek.
  const playable = (elapsedMs / 1000) * settings.maxPlaybackRate;
  const frontier = Math.max(state.furthestPosition, from.position) + playable + settings.seekToleranceSeconds;
  const seekAhead = position > frontier;
  if (seekAhead) refusals.push(refusal('SEEK_AHEAD', spanSeconds, { position, furthest: state.furthestPosition }));
  const gain = position - from.position;
  // Inside the watched part a jump is no seek-ahead, but it still cannot earn more than the time allows.
  const implausible = !seekAhead && gain > playable + settings.jitterSeconds;
  if (implausible) refusals.push(refusal('IMPLAUSIBLE_GAIN', spanSeconds, { gain, elapsedMs }));
  if (gain < 0) refusals.push(refusal('SEEK_BACK', 0, { from: from.position, to: position }));
  const voided = refusals.some((r) => r.code !== 'BEYOND_DURATION' && r.code !== 'SEEK_BACK');

  // A gate cuts the interval at its time; the position then is bounded by how fast playback may go.
  let creditUntil = now;
  let creditEnd = span[1];
  for (const gate of activeGates(state).filter((g) => g.since < now)) {
    const cutAt = Math.max(gate.since, from.at);
    const positionAtCut = Math.min(position, from.position + ((cutAt - from.at) / 1000) * Math.min(hb.playbackRate, settings.maxPlaybackRate));
    const cutEnd = Math.max(span[0], Math.min(creditEnd, secondAt(positionAtCut, duration)));
    refusals.push(refusal(gate.code, voided ? 0 : span[1] - cutEnd, { since: gate.since }));
    creditUntil = Math.min(creditUntil, cutAt);
    creditEnd = Math.min(creditEnd, cutEnd);
  }

  let taken: IntervalSet = [];
  let creditableWallMs = state.creditableWallMs;
  let bankMs = bankOf(state);
  let deferred = state.deferred ?? [];
  // The clock runs for every accepted interval up to a gate, voided or not: a pause can still pay
  // for deferred seconds already watched (the player that paused at the lesson's end, its last
  // heartbeat a little early), never for seconds of the voided interval itself.
  const accrued = Math.max(0, creditUntil - from.at);
  if (!voided) creditableWallMs += accrued;
  let fresh: IntervalSet = [];
  if (!voided) {
    const range: Interval = [span[0], creditEnd];
    const already = total(intersect(range, state.credited));
    if (already > 0) refusals.push(refusal('ALREADY_CREDITED', already));
    fresh = subtract(range, state.credited);
  }
  if (!voided || deferred.length > 0) {
    // One ceiling for the whole session: the wall clock, paid second by second. No allowance per
    // heartbeat, so one-second heartbeats earn no more than fifteen-second ones.
    const candidates = union(deferred, fresh);
    const paid = affordable(candidates, bankMs + accrued, duration);
    taken = paid.taken;
    const kept = takeFirst(difference(candidates, taken), Math.floor(settings.jitterSeconds));
    deferred = kept.taken;
    // Nothing left to pay for: the clock that ran meanwhile (re-watching, pausing) buys nothing later.
    bankMs = deferred.length === 0 ? Math.min(paid.bankMs, 999) : paid.bankMs;
    const capped = total(kept.rest);
    if (capped > 0) refusals.push(refusal('WALL_CLOCK_CAP', capped, { deferred: total(deferred) }));
  }
  const earned = total(taken);

  return {
    credited: earned,
    creditedIntervals: taken,
    refusals,
    accepted: true,
    next: {
      ...state,
      credited: earned > 0 ? union(state.credited, taken) : state.credited,
      furthestPosition: seekAhead || implausible ? state.furthestPosition : Math.max(state.furthestPosition, position),
      last: { seq: hb.seq, at: now, position },
      sessionCredited: state.sessionCredited + earned,
      creditableWallMs,
      bankMs,
      deferred,
    },
  };
}

export interface EndSettlement {
  /** Deferred seconds the clock paid for between the last heartbeat and the end. */
  readonly credited: IntervalSet;
  readonly next: SessionCreditState;
}

/**
 * The end of a session pays for what is still deferred, as a paused heartbeat at that moment would:
 * those seconds were reported watched, plausibly, and only waited for the server's clock (an honest
 * player whose heartbeats arrive a little early is otherwise a second short whenever it leaves
 * before the lesson's end). Never more than the deferral's `jitterSeconds`, and never with clock
 * time after a gate.
 */
export function settleAtEnd(state: SessionCreditState, now: number): EndSettlement {
  const deferred = state.deferred ?? [];
  const last = state.last;
  if (deferred.length === 0 || !last) return { credited: [], next: state };
  const until = Math.min(now, ...activeGates(state).map((g) => g.since));
  const paid = affordable(deferred, bankOf(state) + Math.max(0, until - last.at), state.lessonDuration);
  const earned = total(paid.taken);
  if (earned === 0) return { credited: [], next: state };
  return {
    credited: paid.taken,
    next: {
      ...state,
      credited: union(state.credited, paid.taken),
      sessionCredited: state.sessionCredited + earned,
      bankMs: Math.min(paid.bankMs, 999),
      // What the clock could not pay by the end is not owed any more: the session is over.
      deferred: [],
    },
  };
}

