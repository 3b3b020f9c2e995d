/** Releases what {@link MemorySemaphore.acquire} granted; calling it twice releases once. */
export type ReleaseMemory = () => void;

interface Waiter {
  mb: number;
  grant: (release: ReleaseMemory) => void;
  fail: (reason: Error) => void;
}

/**
 * Megabytes of a node's imaging budget, held by each imaging job while it runs. A job waits
 * (first come, first served) until its share is free; it never fails for lack of memory. A
 * request above the whole budget is clamped to it, so it runs alone instead of waiting forever.
 */
export class MemorySemaphore {
  private used = 0;
  private readonly waiters: Waiter[] = [];

  constructor(readonly budgetMB: number) {}

  /** Megabytes held right now. */
  get heldMB(): number {
    return this.used;
  }

  /** Jobs waiting for memory. */
  get waiting(): number {
    return this.waiters.length;
  }

  /** Waits until `mb` are free, then holds them; an abort while waiting rejects with its reason. */
  acquire(mb: number, signal?: AbortSignal): Promise<ReleaseMemory> {
    signal?.throwIfAborted();
    const want = Math.min(this.budgetMB, Math.max(0, Math.ceil(mb)));
    if (this.waiters.length === 0 && this.used + want <= this.budgetMB) {
      return Promise.resolve(this.hold(want));
    }
    return new Promise((grant, fail) => {
      const waiter: Waiter = { mb: want, grant, fail };
      this.waiters.push(waiter);
      signal?.addEventListener(
        'abort',
        () => {
          const at = this.waiters.indexOf(waiter);
          if (at < 0) return;
          this.waiters.splice(at, 1);
          fail(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
          this.wake();
        },
        { once: true },
      );
    });
  }

  private hold(mb: number): ReleaseMemory {
    this.used += mb;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.used -= mb;
      this.wake();
    };
  }

  /** Grants waiters in order while the first one fits (no overtaking: big jobs don't starve). */
  private wake(): void {
    while (this.waiters.length > 0 && this.used + this.waiters[0].mb <= this.budgetMB) {
      const next = this.waiters.shift() as Waiter;
      next.grant(this.hold(next.mb));
    }
  }
}
