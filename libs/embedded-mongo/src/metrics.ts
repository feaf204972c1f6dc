import { Document } from 'bson';
import { PerformanceObserver } from 'perf_hooks';

/** Thresholds of the tail counters, in ms; each duration counts once per threshold it exceeds. */
const OVER_MS = [0.5, 1, 2, 5, 10] as const;
const overKey = (ms: number) => (ms < 1 ? `over${ms * 1000}us` : `over${ms}ms`);

/**
 * Counts durations by how far they reach into the tail, without keeping samples: serverStatus
 * reports them and a benchmark can difference two readings to see one phase (how many lmdb commits,
 * or GC pauses of the server, took over 1, 2, 5 ms while it ran).
 */
export class DurationCounts {
  count = 0;
  totalMs = 0;
  private readonly over = OVER_MS.map(() => 0);

  record(ms: number): void {
    this.count++;
    this.totalMs += ms;
    for (let i = 0; i < OVER_MS.length && ms > OVER_MS[i]; i++) this.over[i]++;
  }

  toDocument(): Document {
    const d: Document = { count: this.count, totalMs: Math.round(this.totalMs * 1000) / 1000 };
    OVER_MS.forEach((ms, i) => (d[overKey(ms)] = this.over[i]));
    return d;
  }
}

/** Records every GC pause of this process into `counts` until the returned function is called. */
export function observeGcPauses(counts: DurationCounts): () => void {
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) counts.record(e.duration);
  });
  observer.observe({ entryTypes: ['gc'] });
  return () => observer.disconnect();
}
