/** Receives the values a coalescer lets through. */
export type CoalescedEmit<T> = (key: string, value: T) => void;

interface Window<T> {
  pending?: T;
  timer: NodeJS.Timeout;
}

/**
 * Rate-limits a stream of values per key to one per `intervalMs`: the first value of a quiet key
 * passes at once; values arriving inside the window are held and only the latest one is emitted
 * when the window closes (latest wins), which opens the next window. A key's state exists only
 * while its window is open, so finished keys leave nothing behind.
 */
export class ProgressCoalescer<T> {
  private readonly windows = new Map<string, Window<T>>();

  constructor(
    private readonly intervalMs: number,
    private readonly emit: CoalescedEmit<T>,
  ) {}

  push(key: string, value: T): void {
    const window = this.windows.get(key);
    if (window) {
      window.pending = value;
      return;
    }
    this.open(key);
    this.emit(key, value);
  }

  /**
   * Drops the value held for `key` because a newer, complete record supersedes it. The window
   * stays open, so the rate limit still holds for the values that follow.
   */
  discard(key: string): void {
    const window = this.windows.get(key);
    if (window) window.pending = undefined;
  }

  /** True while `key` holds a value that has not been emitted yet. */
  isHolding(key: string): boolean {
    return this.windows.get(key)?.pending !== undefined;
  }

  /** Keys with an open window (for tests and metrics). */
  get size(): number {
    return this.windows.size;
  }

  /** Cancels every timer; held values are dropped. */
  clear(): void {
    for (const window of this.windows.values()) clearTimeout(window.timer);
    this.windows.clear();
  }

  private open(key: string): void {
    const timer = setTimeout(() => this.close(key), this.intervalMs);
    timer.unref();
    this.windows.set(key, { timer });
  }

  private close(key: string): void {
    const window = this.windows.get(key);
    this.windows.delete(key);
    if (window?.pending === undefined) return;
    this.open(key);
    this.emit(key, window.pending);
  }
}
