import { AppError } from '@app/platform';
import { seededRandom } from '../random/random';
import { credit, CreditResult, Heartbeat, initialCreditState, SessionCreditState, settleAtEnd } from './credit';
import { creditSettings, DEFAULT_CREDIT_SETTINGS } from './credit-settings';
import { total } from './intervals';
import { REFUSAL_CODES, REFUSAL_MESSAGES, RefusalCode } from './refusals';

const S = DEFAULT_CREDIT_SETTINGS;
const T0 = 1_800_000_000_000;
const sec = (s: number) => T0 + s * 1000;

function hb(seq: number, position: number, extra: Partial<Heartbeat> = {}): Heartbeat {
  return { seq, position, playing: true, visible: true, playbackRate: 1, sentAt: 0, ...extra };
}

/** A state whose last accepted heartbeat was `seq` 0 at `position`, at T0. */
function after(position: number, init: Partial<SessionCreditState> & { lessonDuration?: number } = {}): SessionCreditState {
  const base = initialCreditState({ lessonDuration: init.lessonDuration ?? 600, furthestPosition: position });
  return { ...base, last: { seq: 0, at: T0, position }, ...init };
}

const codes = (r: CreditResult): RefusalCode[] => r.refusals.map((x) => x.code);
const seconds = (r: CreditResult, code: RefusalCode) => r.refusals.find((x) => x.code === code)?.seconds;

describe('credit: honest playback', () => {
  it('the first heartbeat of a session only anchors; the next one earns the seconds played', () => {
    const s0 = initialCreditState({ lessonDuration: 600 });
    const r1 = credit(s0, hb(1, 0), sec(0), S);
    expect(r1).toMatchObject({ credited: 0, refusals: [], accepted: true });
    const r2 = credit(r1.next, hb(2, 15), sec(15), S);
    expect(r2.credited).toBe(15);
    expect(r2.creditedIntervals).toEqual([[0, 15]]);
    expect(r2.refusals).toEqual([]);
    expect(r2.next.credited).toEqual([[0, 15]]);
    expect(r2.next.furthestPosition).toBe(15);
    expect(r2.next.last).toEqual({ seq: 2, at: sec(15), position: 15 });
    expect(r2.next.sessionCredited).toBe(15);
  });

  it('fractional positions lose nothing over a run: whole seconds follow the position', () => {
    let s = credit(initialCreditState({ lessonDuration: 600 }), hb(1, 0), sec(0), S).next;
    let sum = 0;
    for (let i = 1; i <= 10; i++) {
      const r = credit(s, hb(i + 1, i * 15 + 0.37), sec(i * 15 + 0.4), S);
      sum += r.credited;
      s = r.next;
    }
    expect(sum).toBe(150);
  });

  it('watching a fractional-length lesson to the end earns its last partial second', () => {
    let s = credit(initialCreditState({ lessonDuration: 20.4 }), hb(1, 0), sec(0), S).next;
    s = credit(s, hb(2, 15), sec(15), S).next;
    const r = credit(s, hb(3, 20.4), sec(20.5), S);
    expect(r.credited).toBe(6);
    expect(r.next.credited).toEqual([[0, 21]]);
  });

  it('a gap in sequence numbers (a lost heartbeat) is accepted and measured by wall time', () => {
    const r = credit(after(0), hb(3, 30), sec(30), S);
    expect(r.credited).toBe(30);
    expect(r.refusals).toEqual([]);
  });
});

describe('credit: each no-credit rule alone', () => {
  it('paused: nothing, and the anchor moves so paused time is never claimable later', () => {
    const r = credit(after(100), hb(1, 100, { playing: false }), sec(600), S);
    expect(r.credited).toBe(0);
    expect(codes(r)).toEqual(['PAUSED']);
    const resumed = credit(r.next, hb(2, 115), sec(615), S);
    expect(resumed.credited).toBe(15);
    expect(resumed.next.creditableWallMs).toBe(15_000);
  });

  it('paused while the position still moved: the interval earns nothing', () => {
    const r = credit(after(0), hb(1, 15, { playing: false }), sec(15), S);
    expect(r.credited).toBe(0);
    expect(r.refusals).toEqual([{ code: 'PAUSED', message: REFUSAL_MESSAGES.PAUSED, seconds: 15 }]);
  });

  it('hidden tab: nothing', () => {
    const r = credit(after(0), hb(1, 15, { visible: false }), sec(15), S);
    expect(r.credited).toBe(0);
    expect(codes(r)).toEqual(['TAB_HIDDEN']);
    expect(seconds(r, 'TAB_HIDDEN')).toBe(15);
  });

  it('playback rate: exactly the maximum is fine, above it earns nothing', () => {
    expect(credit(after(0), hb(1, 15, { playbackRate: 1 }), sec(15), S).credited).toBe(15);
    const r = credit(after(0), hb(1, 15, { playbackRate: 1.25 }), sec(15), S);
    expect(r.credited).toBe(0);
    expect(codes(r)).toEqual(['RATE_TOO_HIGH']);
    const slow = credit(after(0), hb(1, 7, { playbackRate: 0.5 }), sec(15), S);
    expect(slow.credited).toBe(7);
  });

  it('a raised maximum rate in the settings lets faster playback through, still paid for by wall time', () => {
    const fast = creditSettings({ maxPlaybackRate: 1.5 });
    const r = credit(after(0), hb(1, 22, { playbackRate: 1.5 }), sec(15), fast);
    expect(codes(r)).toEqual(['WALL_CLOCK_CAP']);
    // 15 s of wall time pays for 15 seconds; two more wait for the clock (jitter), five are refused.
    expect(r.credited).toBe(15);
    expect(r.next.deferred).toEqual([[15, 17]]);
    expect(seconds(r, 'WALL_CLOCK_CAP')).toBe(5);
    // The next interval pays the deferred seconds first; no stored wall time is a reserve to spend.
    const r2 = credit({ ...r.next, creditableWallMs: 3_600_000 }, hb(2, 44, { playbackRate: 1.5 }), sec(30), fast);
    expect(r2.credited).toBe(15);
    // The refused stretch [17, 22) stays unearned: it can be watched again.
    expect(r2.creditedIntervals).toEqual([[15, 17], [22, 35]]);
  });

  it('seek ahead past where playback could have reached: nothing, at the tolerance boundary still credited', () => {
    const atLimit = credit(after(10), hb(1, 27), sec(15), S);
    expect(atLimit.refusals).toEqual([]);
    // Not a seek: the two seconds beyond the wall time wait for the clock instead of being refused.
    expect(atLimit.credited).toBe(15);
    expect(atLimit.next.deferred).toEqual([[25, 27]]);
    const r = credit(after(10), hb(1, 27.01), sec(15), S);
    expect(r.credited).toBe(0);
    expect(codes(r)).toEqual(['SEEK_AHEAD']);
    expect(r.next.furthestPosition).toBe(10);
    // The skipped seconds stay unearned; playing on from there earns only what is really played.
    const on = credit(r.next, hb(2, 42), sec(30), S);
    expect(on.creditedIntervals).toEqual([[27, 42]]);
    expect(on.next.credited).toEqual([[27, 42]]);
  });

  it('jumping forward inside the watched part is no seek-ahead, yet earns nothing it could not have played', () => {
    const s = after(50, { furthestPosition: 600, credited: [[0, 100], [110, 600]] });
    const r = credit(s, hb(1, 550), sec(15), S);
    expect(codes(r)).toEqual(['IMPLAUSIBLE_GAIN']);
    expect(r.credited).toBe(0);
  });

  it('implausible gain for the elapsed time: nothing; jitter tolerance is the boundary', () => {
    const base = { furthestPosition: 600 };
    const atLimit = credit(after(100, base), hb(1, 117), sec(15), S);
    expect(atLimit.refusals).toEqual([]);
    expect(atLimit.credited + total(atLimit.next.deferred ?? [])).toBe(17);
    const r = credit(after(100, base), hb(1, 117.01), sec(15), S);
    expect(r.credited).toBe(0);
    expect(codes(r)).toEqual(['IMPLAUSIBLE_GAIN']);
    expect(r.refusals[0].detail?.gain).toBeCloseTo(17.01, 6);
    expect(r.refusals[0].detail?.elapsedMs).toBe(15_000);
  });

  it('going back onto credited seconds earns nothing for them and is not an error', () => {
    const s = after(100, { credited: [[0, 100]] });
    const back = credit(s, hb(1, 50), sec(15), S);
    expect(back.accepted).toBe(true);
    expect(back.credited).toBe(0);
    expect(codes(back)).toEqual(['SEEK_BACK']);
    const rewatch = credit(back.next, hb(2, 65), sec(30), S);
    expect(rewatch.credited).toBe(0);
    expect(rewatch.refusals).toEqual([{ code: 'ALREADY_CREDITED', message: REFUSAL_MESSAGES.ALREADY_CREDITED, seconds: 15 }]);
  });

  it('rewatching across a hole earns only the seconds not yet earned', () => {
    const s = after(25, { credited: [[0, 30], [60, 100]], furthestPosition: 100 });
    const r = credit(s, hb(1, 40), sec(15), S);
    expect(r.creditedIntervals).toEqual([[30, 40]]);
    expect(seconds(r, 'ALREADY_CREDITED')).toBe(5);
    expect(r.next.credited).toEqual([[0, 40], [60, 100]]);
  });

  it('beyond the lesson duration: clamped; far beyond is recorded', () => {
    const near = credit(after(590), hb(1, 601), sec(15), S);
    expect(near.credited).toBe(10);
    expect(near.refusals).toEqual([]);
    expect(near.next.last?.position).toBe(600);
    const far = credit(after(590, { furthestPosition: 700 }), hb(1, 603), sec(15), S);
    expect(far.credited).toBe(10);
    expect(codes(far)).toEqual(['BEYOND_DURATION']);
  });

  it('a replayed heartbeat (same seq) is ignored and changes nothing', () => {
    const s = after(0);
    const r = credit(s, hb(0, 15), sec(15), S);
    expect(r).toMatchObject({ credited: 0, accepted: false });
    expect(codes(r)).toEqual(['REPLAYED']);
    expect(r.next).toBe(s);
  });

  it('an out-of-sequence heartbeat (lower seq) is ignored and changes nothing', () => {
    const s = { ...after(0), last: { seq: 5, at: T0, position: 0 } };
    const r = credit(s, hb(4, 15), sec(15), S);
    expect(codes(r)).toEqual(['OUT_OF_SEQUENCE']);
    expect(r.next).toBe(s);
  });

  it.each([
    ['NaN position', hb(1, Number.NaN)],
    ['negative position', hb(1, -1)],
    ['zero rate', hb(1, 15, { playbackRate: 0 })],
    ['fractional seq', hb(1.5, 15)],
    ['negative seq', hb(-1, 15)],
    ['non-boolean playing', hb(1, 15, { playing: 'yes' as unknown as boolean })],
    ['infinite sentAt', hb(1, 15, { sentAt: Infinity })],
  ])('an invalid heartbeat (%s) is ignored with INVALID_HEARTBEAT', (_name, h) => {
    const s = after(0);
    const r = credit(s, h, sec(15), S);
    expect(codes(r)).toEqual(['INVALID_HEARTBEAT']);
    expect(r).toMatchObject({ accepted: false, credited: 0 });
    expect(r.next).toBe(s);
  });

  it('a server clock that went backwards counts as no elapsed time', () => {
    const r = credit(after(0, { furthestPosition: 600 }), hb(1, 15), sec(-5), S);
    expect(r.credited).toBe(0);
    expect(codes(r)).toEqual(['IMPLAUSIBLE_GAIN']);
    expect(r.refusals[0].detail?.elapsedMs).toBe(0);
  });

  it('refuses a non-finite server time loudly: that is a programming error, not client input', () => {
    expect(() => credit(after(0), hb(1, 15), Number.NaN, S)).toThrow(RangeError);
  });
});

describe('credit: face checks and anti-idle prompts', () => {
  it('a failed face check forfeits the interval from its time, even after a later pass', () => {
    const s = { ...after(0), faceCheck: { status: 'failed' as const, since: sec(5) } };
    const r = credit(s, hb(1, 15), sec(15), S);
    expect(r.credited).toBe(5);
    expect(codes(r)).toEqual(['FACE_CHECK_FAILED']);
    expect(r.next.last).toEqual({ seq: 1, at: sec(15), position: 15 });
    const r2 = credit(r.next, hb(2, 30), sec(30), S);
    expect(r2.credited).toBe(0);
    expect(seconds(r2, 'FACE_CHECK_FAILED')).toBe(15);
    const r3 = credit({ ...r2.next, faceCheck: undefined }, hb(3, 45), sec(45), S);
    expect(r3.credited).toBe(15);
    expect(r3.next.credited).toEqual([[0, 5], [30, 45]]);
  });

  it('a missed anti-idle prompt stops crediting from the prompt time', () => {
    const s = { ...after(0), prompt: { status: 'missed' as const, since: sec(9) } };
    const r = credit(s, hb(1, 15), sec(15), S);
    expect(r.credited).toBe(9);
    expect(codes(r)).toEqual(['PROMPT_MISSED']);
    expect(seconds(r, 'PROMPT_MISSED')).toBe(6);
  });

  it('a gate from before the interval blocks all of it; a gate in the future blocks nothing', () => {
    const early = { ...after(0), faceCheck: { status: 'failed' as const, since: sec(-100) } };
    expect(credit(early, hb(1, 15), sec(15), S).credited).toBe(0);
    const future = { ...after(0), prompt: { status: 'missed' as const, since: sec(20) } };
    const r = credit(future, hb(1, 15), sec(15), S);
    expect(r.credited).toBe(15);
    expect(r.refusals).toEqual([]);
  });

  it('the session start check: nothing is credited before the first pass, and nothing is held for it', () => {
    let s: SessionCreditState = { ...initialCreditState({ lessonDuration: 600 }), faceCheck: { status: 'required', since: sec(0) } };
    s = credit(s, hb(1, 0), sec(0), S).next;
    const r = credit(s, hb(2, 15), sec(15), S);
    expect(r.credited).toBe(0);
    expect(codes(r)).toEqual(['FACE_CHECK_REQUIRED']);
    expect(r.next.last).toEqual({ seq: 2, at: sec(15), position: 15 });
    const passed = credit({ ...r.next, faceCheck: undefined }, hb(3, 30), sec(30), S);
    expect(passed.creditedIntervals).toEqual([[15, 30]]);
  });

  it('with both gates, the earlier one decides', () => {
    const s = {
      ...after(0),
      faceCheck: { status: 'failed' as const, since: sec(10) },
      prompt: { status: 'missed' as const, since: sec(4) },
    };
    const r = credit(s, hb(1, 15), sec(15), S);
    expect(r.credited).toBe(4);
    expect(codes(r).sort()).toEqual(['FACE_CHECK_FAILED', 'PROMPT_MISSED']);
  });
});

describe('credit: combinations', () => {
  it('records every reason that applies at once', () => {
    const r = credit(after(0), hb(1, 15, { playing: false, visible: false, playbackRate: 2 }), sec(15), S);
    expect(codes(r)).toEqual(['PAUSED', 'TAB_HIDDEN', 'RATE_TOO_HIGH']);
    expect(r.credited).toBe(0);
  });

  it('2× speed both breaks the rate rule and outruns wall time', () => {
    const r = credit(after(0, { furthestPosition: 600 }), hb(1, 30, { playbackRate: 2 }), sec(15), S);
    expect(codes(r)).toEqual(['RATE_TOO_HIGH', 'IMPLAUSIBLE_GAIN']);
    expect(r.next.furthestPosition).toBe(600);
    const atFrontier = credit(after(0), hb(1, 30, { playbackRate: 2 }), sec(15), S);
    expect(codes(atFrontier)).toEqual(['RATE_TOO_HIGH', 'SEEK_AHEAD']);
    expect(atFrontier.next.furthestPosition).toBe(0);
  });

  it('a seek far ahead while paused and hidden records all three, and does not move the furthest point', () => {
    const r = credit(after(0), hb(1, 300, { playing: false, visible: false }), sec(15), S);
    expect(codes(r)).toEqual(['PAUSED', 'TAB_HIDDEN', 'SEEK_AHEAD']);
    expect(r.next.furthestPosition).toBe(0);
  });

  it('a gate together with already-credited seconds', () => {
    const s = { ...after(0, { credited: [[0, 3]] }), prompt: { status: 'missed' as const, since: sec(10) } };
    const r = credit(s, hb(1, 15), sec(15), S);
    expect(r.creditedIntervals).toEqual([[3, 10]]);
    expect(seconds(r, 'ALREADY_CREDITED')).toBe(3);
    expect(seconds(r, 'PROMPT_MISSED')).toBe(5);
  });

  it('small per-heartbeat overshoots are tolerated but capped over the session', () => {
    // Each heartbeat gains 16 s in 14 s: within jitter each time, yet 1.14× over the session.
    let s = after(0, { furthestPosition: 0 });
    let sum = 0;
    let capped = 0;
    for (let i = 1; i <= 20; i++) {
      const r = credit(s, hb(i, i * 16), sec(i * 14), S);
      sum += r.credited;
      capped += seconds(r, 'WALL_CLOCK_CAP') ?? 0;
      s = r.next;
    }
    // Exactly the wall time: the overshoot waits (up to the jitter allowance) or is refused, it never adds up.
    expect(sum).toBe(20 * 14);
    expect(total(s.deferred ?? [])).toBe(S.jitterSeconds);
    expect(capped).toBe(20 * 16 - sum - S.jitterSeconds);
  });
});

describe('credit settings and initial state', () => {
  it('defaults: heartbeat 15 s, rate 1.0', () => {
    expect(creditSettings()).toEqual(DEFAULT_CREDIT_SETTINGS);
    expect(DEFAULT_CREDIT_SETTINGS).toMatchObject({ heartbeatSeconds: 15, maxPlaybackRate: 1 });
    expect(creditSettings({ jitterSeconds: 0 }).jitterSeconds).toBe(0);
  });

  it.each([{ maxPlaybackRate: 0 }, { jitterSeconds: -1 }, { heartbeatSeconds: Number.NaN }, { seekToleranceSeconds: 1000 }])(
    'refuses %o with a stable code',
    (bad) => {
      let caught: unknown;
      try {
        creditSettings(bad);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(AppError);
      expect((caught as AppError).code).toBe('CREDIT_SETTINGS_INVALID');
    },
  );

  it('initial state: furthest point defaults to the end of what was earned; credit past the duration is clipped', () => {
    const s = initialCreditState({ lessonDuration: 100, credited: [[50, 80], [0, 10], [90, 120]] });
    expect(s.credited).toEqual([[0, 10], [50, 80], [90, 100]]);
    expect(s.furthestPosition).toBe(100);
    expect(initialCreditState({ lessonDuration: 100, furthestPosition: 30 }).furthestPosition).toBe(30);
    expect(() => initialCreditState({ lessonDuration: 0 })).toThrow(AppError);
  });

  it('every refusal code has a zh-CN message', () => {
    for (const code of REFUSAL_CODES) expect(REFUSAL_MESSAGES[code]).toMatch(/[\u4e00-\u9fff]/);
  });
});

describe('credit: properties over random heartbeat sequences', () => {
  function randomRun(seed: number) {
    const rnd = seededRandom(seed);
    const duration = 60 + Math.floor(rnd.next() * 600) + (rnd.next() < 0.3 ? rnd.next() : 0);
    let state: SessionCreditState = initialCreditState({ lessonDuration: duration });
    let now = T0;
    let position = 0;
    const beats: { h: Heartbeat; now: number }[] = [];
    const results: CreditResult[] = [];
    for (let seq = 1; seq <= 80; seq++) {
      now += Math.floor(rnd.next() * 30_000);
      const move = rnd.next();
      if (move < 0.6) position += rnd.next() * 20;
      else if (move < 0.7) position = Math.max(0, position - rnd.next() * 100);
      else if (move < 0.8) position += rnd.next() * 300;
      const h: Heartbeat = {
        seq: rnd.next() < 0.1 ? seq - 2 : seq,
        position,
        playing: rnd.next() > 0.1,
        visible: rnd.next() > 0.1,
        playbackRate: rnd.next() < 0.1 ? 2 : 1,
        sentAt: now,
      };
      if (rnd.next() < 0.1) state = { ...state, faceCheck: { status: (['required', 'failed'] as const)[Math.floor(rnd.next() * 2)], since: now - 5000 } };
      else if (rnd.next() < 0.2) state = { ...state, faceCheck: undefined };
      const r = credit(state, h, now, S);
      if (state.last) expect(r.credited).toBeLessThanOrEqual(Math.max(0, now - state.last.at) / 1000 + S.jitterSeconds);
      beats.push({ h, now });
      results.push(r);
      state = r.next;
    }
    return { duration, state, beats, results, start: T0, end: now };
  }

  const seeds = Array.from({ length: 200 }, (_, i) => i + 1);

  it('never credits more than the wall time elapsed nor more than the lesson', () => {
    for (const seed of seeds) {
      const { duration, state, results, start, end } = randomRun(seed);
      const sum = results.reduce((a, r) => a + r.credited, 0);
      expect(sum).toBeLessThanOrEqual((end - start) / 1000);
      expect(sum).toBeLessThanOrEqual(Math.ceil(duration));
      expect(total(state.credited)).toBe(sum);
      expect(state.sessionCredited).toBe(sum);
    }
  });

  it('each lesson second is credited at most once', () => {
    for (const seed of seeds) {
      const seen = new Set<number>();
      for (const r of randomRun(seed).results) {
        for (const [s, e] of r.creditedIntervals) {
          for (let k = s; k < e; k++) {
            expect(seen.has(k)).toBe(false);
            seen.add(k);
          }
        }
      }
    }
  });

  it('replaying a recorded sequence credits nothing', () => {
    for (const seed of seeds.slice(0, 50)) {
      const run = randomRun(seed);
      let s = run.state;
      for (const { h, now } of run.beats) {
        const r = credit(s, h, now + 3_600_000, S);
        expect(r.credited).toBe(0);
        s = r.next;
      }
    }
  });

  it('an honest viewer with network jitter is credited exactly the lesson, and a second session earns nothing more', () => {
    for (const seed of seeds.slice(0, 50)) {
      const rnd = seededRandom(seed);
      const duration = 120 + Math.floor(rnd.next() * 1200) + rnd.next();
      const watch = (state: SessionCreditState, t0: number) => {
        let s = credit(state, hb(1, 0), t0, S).next;
        let sum = 0;
        let seq = 2;
        for (let p = 15; ; p += 15) {
          const position = Math.min(p, duration);
          // The heartbeat arrives up to half a second early or late.
          const r = credit(s, hb(seq++, position), t0 + position * 1000 + Math.floor((rnd.next() - 0.5) * 1000), S);
          sum += r.credited;
          s = r.next;
          if (position >= duration) break;
        }
        // The console goes on reporting (paused at the end): the clock catches up with a last heartbeat that came early.
        const after = credit(s, hb(seq, duration, { playing: false }), t0 + (duration + 15) * 1000, S);
        return { s: after.next, sum: sum + after.credited };
      };
      const first = watch(initialCreditState({ lessonDuration: duration }), T0);
      expect(first.sum).toBe(Math.ceil(duration));
      const again = watch(initialCreditState({ lessonDuration: duration, credited: first.s.credited }), T0 + 86_400_000);
      expect(again.sum).toBe(0);
    }
  });

  it('whatever the heartbeat rate and however fast the position runs, credit never runs ahead of the wall clock', () => {
    // Attack streams: heartbeats every 0.2–30 s, positions advancing at 1–4× wall speed, the client claiming 1×.
    for (const seed of seeds) {
      const rnd = seededRandom(seed);
      const intervalMs = [200, 500, 1000, 5000, 15_000, 30_000][seed % 6];
      const speed = 1 + (seed % 4) * (0.5 + rnd.next() / 2);
      let s = credit(initialCreditState({ lessonDuration: 3600 }), hb(0, 0), T0, S).next;
      const at: number[] = [T0];
      const got: number[] = [0];
      let position = 0;
      for (let i = 1; i <= 300; i++) {
        const dt = intervalMs * (0.9 + rnd.next() * 0.2);
        position += (dt / 1000) * speed;
        const now = at[i - 1] + dt;
        const r = credit(s, hb(i, position), now, S);
        s = r.next;
        at.push(now);
        got.push(got[i - 1] + r.credited);
      }
      for (let i = 0; i < at.length; i++) {
        // From the session's start: never more than the wall time.
        expect(got[i]).toBeLessThanOrEqual((at[i] - T0) / 1000);
        // Over any window between two heartbeats: never more than its wall time, in whole seconds.
        for (let j = i + 1; j < at.length; j += 7) expect(got[j] - got[i]).toBeLessThanOrEqual(Math.ceil((at[j] - at[i]) / 1000));
      }
      // Playing honestly (1×) earns the wall time; faster earns no more.
      if (speed === 1) expect(got[got.length - 1]).toBeGreaterThanOrEqual(Math.min(3600, Math.floor((at[at.length - 1] - T0) / 1000) - S.jitterSeconds - 1));
    }
  });

  it('the reported attack: 2× speed with 1-second heartbeats earns no more than the wall time', () => {
    let s = credit(initialCreditState({ lessonDuration: 600 }), hb(0, 0), T0, S).next;
    let sum = 0;
    for (let i = 1; i <= 32; i++) {
      const r = credit(s, hb(i, i * 2), T0 + i * 1000, S);
      sum += r.credited;
      s = r.next;
    }
    expect(sum).toBeLessThanOrEqual(32);
  });
});

describe('settleAtEnd: what is deferred when the session ends', () => {
  /** Plays 0 → `to` with heartbeats every 15 s that each arrive `earlyMs` before the clock says they may. */
  function earlyRun(to: number, earlyMs: number) {
    let s = credit(initialCreditState({ lessonDuration: 1200 }), hb(1, 0), T0, S).next;
    let sum = 0;
    for (let p = 15, seq = 2; p <= to; p += 15, seq++) {
      const r = credit(s, hb(seq, p), T0 + p * 1000 - earlyMs, S);
      sum += r.credited;
      s = r.next;
    }
    return { s, sum };
  }

  it('an honest player leaving mid-lesson with its last heartbeat a little early gets every second it reported', () => {
    const { s, sum } = earlyRun(1065, 20);
    expect(sum).toBe(1064);
    expect(s.deferred).toEqual([[1064, 1065]]);
    const end = settleAtEnd(s, T0 + 1065_000 + 300);
    expect(end.credited).toEqual([[1064, 1065]]);
    expect(sum + total(end.credited)).toBe(1065);
    expect(end.next).toMatchObject({ deferred: [], sessionCredited: 1065 });
    expect(end.next.credited).toEqual([[0, 1065]]);
    // Ended again later (the stored session, say), nothing more is owed.
    expect(settleAtEnd(end.next, T0 + 2_000_000).credited).toEqual([]);
  });

  it('an end that comes before the clock has paid pays only what it has paid for', () => {
    const { s } = earlyRun(15, 1500);
    expect(s.deferred).toEqual([[13, 15]]);
    expect(settleAtEnd(s, T0 + 13_500 + 200).credited).toEqual([]);
    expect(settleAtEnd(s, T0 + 14_000).credited).toEqual([[13, 14]]);
    expect(settleAtEnd(s, T0 + 60_000).credited).toEqual([[13, 15]]);
  });

  it('nothing deferred, or no heartbeat yet: the state is returned as it was', () => {
    const { s } = earlyRun(30, 0);
    expect(s.deferred).toEqual([]);
    expect(settleAtEnd(s, T0 + 90_000)).toEqual({ credited: [], next: s });
    const fresh = initialCreditState({ lessonDuration: 600 });
    expect(settleAtEnd(fresh, T0).next).toBe(fresh);
  });

  it('no clock after a gate pays: a prompt missed before the end stops the payment at its time', () => {
    const { s } = earlyRun(15, 1500);
    const gated: SessionCreditState = { ...s, prompt: { status: 'missed', since: T0 + 13_600 } };
    expect(settleAtEnd(gated, T0 + 60_000).credited).toEqual([]);
    expect(settleAtEnd({ ...s, prompt: { status: 'missed', since: T0 + 14_100 } }, T0 + 60_000).credited).toEqual([[13, 14]]);
  });

  it('the 2× attack ended at once earns at most the deferral allowance over the wall time', () => {
    let s = credit(initialCreditState({ lessonDuration: 600 }), hb(0, 0), T0, S).next;
    let sum = 0;
    for (let i = 1; i <= 32; i++) {
      const r = credit(s, hb(i, i * 2), T0 + i * 1000, S);
      sum += r.credited;
      s = r.next;
    }
    const end = settleAtEnd(s, T0 + 3_600_000);
    expect(total(end.credited)).toBeLessThanOrEqual(S.jitterSeconds);
    expect(sum + total(end.credited)).toBeLessThanOrEqual(32 + S.jitterSeconds);
  });
});

