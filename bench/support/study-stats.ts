// Figures for the study benchmark: latency windows, and a process's CPU time and memory read from
// /proc the way `ps` does, so the cost of a process is measured from outside it (its own
// process.cpuUsage() would need the process to cooperate, and the echo server and the API differ).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { percentile } from './load';

/** Timestamped samples, so the ramp and the steady window can be summarised from one recording. */
export class Recorder {
  private readonly at: number[] = [];
  private readonly values: number[] = [];

  add(at: number, value: number): void {
    this.at.push(at);
    this.values.push(value);
  }

  get count(): number {
    return this.values.length;
  }

  /** Samples taken in [from, to). */
  window(from = -Infinity, to = Infinity): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.at.length; i++) if (this.at[i] >= from && this.at[i] < to) out.push(this.values[i]);
    return out;
  }
}

export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

export function summarise(values: readonly number[]): LatencySummary {
  const sorted = [...values].sort((a, b) => a - b);
  return { count: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.length ? sorted[sorted.length - 1] : NaN };
}

export const fmtMs = (ms: number): string => (Number.isFinite(ms) ? (ms < 10 ? ms.toFixed(2) : ms.toFixed(1)) : '–');

/** What /proc/<pid>/stat says about a process: its parent and its CPU time so far, in clock ticks. */
export interface ProcStat {
  ppid: number;
  /** utime + stime: user and system time of every thread (worker threads included). */
  cpuTicks: number;
}

/**
 * Parses one /proc/<pid>/stat line (proc(5)). The command name is in parentheses and may itself
 * contain spaces and parentheses, so fields are counted from the last ')'.
 */
export function parseProcStat(line: string): ProcStat {
  const close = line.lastIndexOf(')');
  if (close < 0) throw new Error(`not a /proc stat line: ${line.slice(0, 80)}`);
  // After ')': field 3 (state) is index 0, so field n is index n - 3.
  const f = line.slice(close + 2).trim().split(/\s+/);
  const num = (field: number) => {
    const v = Number(f[field - 3]);
    if (!Number.isFinite(v)) throw new Error(`/proc stat field ${field} is not a number: ${line.slice(0, 80)}`);
    return v;
  };
  return { ppid: num(4), cpuTicks: num(14) + num(15) };
}

/** VmRSS from /proc/<pid>/status, in bytes. */
export function parseRssBytes(status: string): number {
  const m = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (!m) throw new Error('no VmRSS line');
  return Number(m[1]) * 1024;
}

let ticksPerSecond: number | undefined;
/** USER_HZ: what utime/stime are counted in (almost always 100, but asked, not assumed). */
export function clockTicksPerSecond(): number {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return ticksPerSecond;
}

export function procStat(pid: number): ProcStat {
  return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
}

export function rssBytes(pid: number): number {
  return parseRssBytes(readFileSync(`/proc/${pid}/status`, 'utf8'));
}

/** Direct children of a process (the API's embedded database runs as one). */
export function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (procStat(Number(name)).ppid === pid) out.push(Number(name));
    } catch {
      // exited while we looked
    }
  }
  return out;
}

/** CPU seconds of a set of processes between two readings. */
export class CpuMeter {
  private readonly start = new Map<number, number>();

  constructor(private readonly pids: readonly number[]) {
    for (const pid of pids) this.start.set(pid, procStat(pid).cpuTicks);
  }

  /** CPU seconds used since construction, per pid. */
  read(): Map<number, number> {
    const hz = clockTicksPerSecond();
    const out = new Map<number, number>();
    for (const pid of this.pids) out.set(pid, (procStat(pid).cpuTicks - this.start.get(pid)!) / hz);
    return out;
  }
}

/** The highest RSS seen by periodic sampling (VmHWM would include the start-up peak, not the load's). */
export class RssSampler {
  readonly peak = new Map<number, number>();
  private timer?: NodeJS.Timeout;

  constructor(private readonly pids: readonly number[], everyMs = 1000) {
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
    this.timer.unref();
  }

  sample(): void {
    for (const pid of this.pids) {
      try {
        this.peak.set(pid, Math.max(this.peak.get(pid) ?? 0, rssBytes(pid)));
      } catch {
        // gone
      }
    }
  }

  stop(): void {
    clearInterval(this.timer);
    this.sample();
  }
}

export const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function pool<T>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i], i);
      }
    }),
  );
}
