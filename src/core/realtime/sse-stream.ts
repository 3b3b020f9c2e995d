import type { Response } from 'express';

/** Comment heartbeat interval that keeps proxies from closing an idle stream (API.md). */
export const SSE_HEARTBEAT_MS = 15_000;
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * One open `text/event-stream` response: writes events and heartbeats, and runs its cleanups
 * exactly once, whether the client went away, the server ended it or the token expired.
 */
export class SseStream {
  private readonly cleanups: (() => void)[] = [];
  private closed = false;

  constructor(
    private readonly res: Response,
    expiresAt?: number,
    heartbeatMs = SSE_HEARTBEAT_MS,
  ) {
    res.status(200).set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    res.on('close', () => this.end());
    const heartbeat = setInterval(() => this.write(': heartbeat\n\n'), heartbeatMs);
    heartbeat.unref();
    this.onClose(() => clearInterval(heartbeat));
    if (expiresAt !== undefined) this.endAt(expiresAt);
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /** Sends one event; `data` is already JSON (serialised once for all streams). */
  send(event: string, data: string): void {
    this.write(`event: ${event}\ndata: ${data}\n\n`);
  }

  /** Runs `cleanup` when the stream closes (at once if it already has). */
  onClose(cleanup: () => void): void {
    if (this.closed) cleanup();
    else this.cleanups.push(cleanup);
  }

  end(): void {
    if (this.closed) return;
    this.closed = true;
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    if (!this.res.writableEnded) this.res.end();
  }

  private write(chunk: string): void {
    if (!this.closed) this.res.write(chunk);
  }

  private endAt(expiresAt: number): void {
    const timer = setTimeout(
      () => this.end(),
      Math.min(MAX_TIMER_MS, Math.max(0, expiresAt - Date.now())),
    );
    timer.unref();
    this.onClose(() => clearTimeout(timer));
  }
}
