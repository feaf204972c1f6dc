// Load generators for the database benchmark: open-loop (fixed offered rate, latency measured from
// the scheduled start so a slow server cannot hide queueing) and closed-loop (as fast as N workers go).
import { performance } from 'node:perf_hooks';

export interface LatencyRun {
  latenciesMs: number[];
  errors: number;
  offeredPerSec: number;
  achievedPerSec: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/**
 * Offers `ratePerSec` operations for `durationMs`, spread over `clients` logical clients that each
 * issue their own operations in order. Latency is charged from the scheduled time whenever the
 * client was still busy with its previous operation at that time (queueing the server caused is
 * counted, no coordinated omission); when the client was idle, it is charged from the moment the
 * timer actually fired, so Node's timer lateness on a loaded machine is not blamed on the server.
 * Waiting is done with timers only: spinning would steal the CPU the server needs on 2 cores.
 */
export async function openLoop(
  ratePerSec: number,
  durationMs: number,
  clients: number,
  op: (seq: number) => Promise<unknown>,
): Promise<LatencyRun> {
  const total = Math.round((ratePerSec * durationMs) / 1000);
  const interval = 1000 / ratePerSec;
  const latenciesMs: number[] = [];
  let errors = 0;
  const t0 = performance.now() + 20;
  const client = async (c: number) => {
    for (let seq = c; seq < total; seq += clients) {
      const due = t0 + seq * interval;
      const backlogged = performance.now() > due;
      // Node timers may fire a little early against performance.now(); never start before `due`.
      while (performance.now() < due) await new Promise((r) => setTimeout(r, due - performance.now()));
      const start = backlogged ? due : performance.now();
      try {
        await op(seq);
      } catch {
        errors++;
      }
      latenciesMs.push(performance.now() - start);
    }
  };
  await Promise.all(Array.from({ length: clients }, (_, c) => client(c)));
  const elapsed = performance.now() - t0;
  latenciesMs.sort((a, b) => a - b);
  return { latenciesMs, errors, offeredPerSec: ratePerSec, achievedPerSec: (latenciesMs.length * 1000) / elapsed };
}

/** `workers` loops each running `op` back to back for `durationMs`; returns completed ops/s. */
export async function closedLoop(
  workers: number,
  durationMs: number,
  op: (worker: number, i: number) => Promise<unknown>,
): Promise<{ perSec: number; ops: number; errors: number }> {
  const end = performance.now() + durationMs;
  let ops = 0;
  let errors = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      for (let i = 0; performance.now() < end; i++) {
        try {
          await op(w, i);
          ops++;
        } catch {
          errors++;
        }
      }
    }),
  );
  return { perSec: (ops * 1000) / (performance.now() - start), ops, errors };
}

/** Runs `fn` and returns how long it took in ms alongside its result. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const start = performance.now();
  const result = await fn();
  return { ms: performance.now() - start, result };
}
