/** Durations and throughput of this node, for the stats overview and metrics. */
export class JobStats {
  private readonly durations = new Map<string, number[]>();
  private readonly completed = new SecondBuckets();
  private readonly failed = new SecondBuckets();

  constructor(private readonly window = 500) {}

  recordCompleted(type: string, durationMs: number, now = Date.now()): void {
    let list = this.durations.get(type);
    if (!list) this.durations.set(type, (list = []));
    list.push(durationMs);
    if (list.length > this.window) list.splice(0, list.length - this.window);
    this.completed.add(now);
  }

  recordFailed(now = Date.now()): void {
    this.failed.add(now);
  }

  throughput(now = Date.now()): { completedLastMinute: number; failedLastMinute: number } {
    return { completedLastMinute: this.completed.sum(now), failedLastMinute: this.failed.sum(now) };
  }

  percentiles(): Record<string, { p50Ms: number; p95Ms: number }> {
    const out: Record<string, { p50Ms: number; p95Ms: number }> = {};
    for (const [type, list] of this.durations) {
      const sorted = [...list].sort((a, b) => a - b);
      out[type] = { p50Ms: quantile(sorted, 0.5), p95Ms: quantile(sorted, 0.95) };
    }
    return out;
  }
}

/** Counts per second over the last 60 seconds, in constant memory. */
class SecondBuckets {
  private readonly counts = new Array<number>(60).fill(0);
  private readonly stamps = new Array<number>(60).fill(-1);

  add(now: number): void {
    const second = Math.floor(now / 1000);
    const slot = second % 60;
    if (this.stamps[slot] !== second) {
      this.stamps[slot] = second;
      this.counts[slot] = 0;
    }
    this.counts[slot]++;
  }

  sum(now: number): number {
    const oldest = Math.floor(now / 1000) - 59;
    return this.counts.reduce((sum, n, slot) => (this.stamps[slot] >= oldest ? sum + n : sum), 0);
  }
}

/** Nearest-rank quantile of an ascending list (0 for an empty list). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index];
}
