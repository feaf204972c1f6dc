/**
 * bench:liveness — passive liveness and the active challenge on the fixtures: refusal rate on made
 * attacks (printed photo, screen replay: libs/face/test-support/attacks.ts), false refusals on live
 * 640×480 captures (120 and 80 px faces), and verify() p50 with passive liveness on, one worker.
 * `npm run bench:liveness -- [--seeds N] [--rounds N]`; last line one JSON object.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FaceEngine } from '../libs/face/src';
import { attackBurst, printedPhotoAttack, screenReplayAttack, turnBurst } from '../libs/face/test-support/attacks';
import { FIXTURE_DIR, webcamFrame } from '../libs/face/test-support/variants';

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};

async function main(): Promise<void> {
  const seeds = arg('seeds', 3);
  const rounds = arg('rounds', 3);
  const engine = await FaceEngine.create({ poolSize: 1, backend: 'wasm', log: (m) => console.log(m) });
  const files = fs.readdirSync(FIXTURE_DIR).filter((f) => f.endsWith('.jpg') && f !== 'two-people.jpg');
  let live = 0;
  let liveRefused = 0;
  let attacks = 0;
  let attacksRefused = 0;
  let challengeAttacks = 0;
  let challengeRefused = 0;
  let liveTurns = 0;
  let liveTurnsPassed = 0;
  const ms: number[] = [];
  for (const f of files) {
    const src = fs.readFileSync(path.join(FIXTURE_DIR, f));
    const a = await engine.analyse(src);
    if (a.faces.length !== 1 || !a.descriptor) continue;
    const refs = [Array.from(a.descriptor)];
    const box = a.faces[0].box;
    for (const w of [120, 80]) {
      const frame = await webcamFrame(src, box, w);
      for (let r = 0; r < rounds; r++) {
        const v = await engine.verify(frame, refs);
        ms.push(v.timings.totalMs);
        if (r === 0) {
          live++;
          if (v.liveness && !v.liveness.live) liveRefused++;
        }
      }
    }
    for (let s = 1; s <= seeds; s++) {
      for (const make of [printedPhotoAttack, screenReplayAttack]) {
        const v = await engine.verify(await make(src, box, s), refs);
        attacks++;
        if (!v.liveness || !v.liveness.live) attacksRefused++;
      }
    }
    for (const kind of ['printed-photo', 'screen-replay', 'frozen'] as const) {
      const seen = await engine.observeBurst(await attackBurst(kind, src, box));
      for (const action of ['turn-left', 'turn-right', 'blink', 'open-mouth'] as const) {
        challengeAttacks++;
        if (!engine.decideBurst(action, seen).passed) challengeRefused++;
      }
    }
    liveTurns++;
    if ((await engine.challenge('turn-left', await turnBurst(src, box, 1))).passed) liveTurnsPassed++;
  }
  await engine.close();
  ms.sort((x, y) => x - y);
  const pct = (n: number, d: number) => (d ? Math.round((10000 * n) / d) / 100 : null);
  const figures = {
    passiveAttackRefusalPct: pct(attacksRefused, attacks),
    attacks,
    passiveLiveFalseRefusalPct: pct(liveRefused, live),
    live,
    challengeAttackRefusalPct: pct(challengeRefused, challengeAttacks),
    challengeAttacks,
    syntheticLiveTurnPassPct: pct(liveTurnsPassed, liveTurns),
    liveTurns,
    verifyP50MsWithLiveness: ms[Math.floor(ms.length / 2)],
    verifyP95Ms: ms[Math.floor(ms.length * 0.95)],
    backend: 'wasm',
  };
  console.log(JSON.stringify(figures));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
