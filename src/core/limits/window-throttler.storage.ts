import { ThrottlerStorage } from '@nestjs/throttler';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

interface Window {
  /** When this window's count starts again from 0 (epoch ms). */
  resetAt: number;
  hits: number;
  /** Refused until then (epoch ms), after going over the limit. */
  blockedUntil: number;
}

const SWEEP_MS = 60_000;

/**
 * The throttler's counts, O(1) per request: one fixed window per key and throttler. (The
 * library's in-memory store keeps every hit's expiry and filters them on each request, which
 * costs O(hits in the window): a tenth of the submission path's time under load.) A key that
 * goes over `limit` is refused for `blockDuration` ms; idle keys are swept once a minute.
 */
export class WindowThrottlerStorage implements ThrottlerStorage {
  private readonly windows = new Map<string, Window>();
  private readonly sweeper: NodeJS.Timeout;

  constructor() {
    this.sweeper = setInterval(() => this.sweep(Date.now()), SWEEP_MS);
    this.sweeper.unref();
  }

  increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    const now = Date.now();
    const window = this.windowOf(`${throttlerName}\u0000${key}`, now, ttl);
    let blocked = now < window.blockedUntil;
    if (!blocked) {
      window.hits += 1;
      if (window.hits > limit) {
        blocked = true;
        window.blockedUntil = now + Math.max(blockDuration, window.resetAt - now);
      }
    }
    const seconds = (at: number) => Math.max(0, Math.ceil((at - now) / 1000));
    return Promise.resolve({
      totalHits: window.hits,
      timeToExpire: seconds(window.resetAt),
      isBlocked: blocked,
      timeToBlockExpire: blocked ? seconds(window.blockedUntil) : 0,
    });
  }

  /** Stops the sweeper (tests; the timer does not hold the process open). */
  close(): void {
    clearInterval(this.sweeper);
  }

  private windowOf(id: string, now: number, ttl: number): Window {
    let window = this.windows.get(id);
    if (!window) {
      window = { resetAt: now + ttl, hits: 0, blockedUntil: 0 };
      this.windows.set(id, window);
    } else if (now >= window.resetAt) {
      window.resetAt = now + ttl;
      window.hits = 0;
    }
    return window;
  }

  private sweep(now: number): void {
    for (const [id, window] of this.windows) {
      if (now >= window.resetAt && now >= window.blockedUntil) this.windows.delete(id);
    }
  }
}
