import { io, Socket } from 'socket.io-client';
import type { Job, JobProgressEvent, StatsOverview } from '../api/types';

/** What the connection indicator shows. */
export type LinkStatus = 'connecting' | 'live' | 'reconnecting' | 'polling';

export interface LiveHandlers {
  onJob(event: Job | JobProgressEvent): void;
  onDeleted(jobId: string): void;
  onStats(stats: StatsOverview): void;
  onStatus(status: LinkStatus, detail: string): void;
  onUnauthorized(): void;
  /** After a (re)connect: refetch what may have changed while we were away. */
  onResync(): void;
}

export interface LiveOptions {
  token: string;
  base?: string;
  /** How long Socket.IO may try to come back before SSE and polling take over. */
  fallbackAfterMs?: number;
  /** At most this many SSE streams at once (browsers allow 6 connections per host). */
  maxStreams?: number;
}

type Ack<T> = ({ ok: true } & T) | { ok: false; error: { code: string; message: string } };
const JOB_EVENTS = ['job:snapshot', 'job:progress', 'job:completed', 'job:failed', 'job:cancelled'];
const SSE_EVENTS = ['snapshot', 'progress', 'completed', 'failed', 'cancelled'];

/**
 * Live job events: Socket.IO first (it already falls back from websocket to long-polling);
 * when it cannot connect for a while, one SSE stream per watched job while the rest is
 * polled by the queries, until Socket.IO is back. Every (re)connect resubscribes and resyncs.
 */
export class LiveConnection {
  private readonly socket: Socket;
  private readonly watched = new Map<string, number>();
  private statsWatchers = 0;
  private readonly streams = new Map<string, EventSource>();
  private fallbackTimer?: ReturnType<typeof setTimeout>;
  private status: LinkStatus = 'connecting';
  private closed = false;

  constructor(
    private readonly opts: LiveOptions,
    private readonly h: LiveHandlers,
  ) {
    this.socket = io(`${opts.base ?? ''}/jobs`, {
      auth: { token: opts.token },
      reconnectionDelay: 500,
      reconnectionDelayMax: 3000,
    });
    this.socket.on('connect', () => this.connected());
    this.socket.on('disconnect', (reason) => this.lost(reason));
    this.socket.on('connect_error', (err) => this.failed(err));
    for (const name of JOB_EVENTS) this.socket.on(name, (e: Job | JobProgressEvent) => h.onJob(e));
    this.socket.on('job:deleted', (e: { jobId: string }) => h.onDeleted(e.jobId));
    this.socket.on('stats', (s: StatsOverview) => h.onStats(s));
    this.scheduleFallback();
  }

  /** Asks for one job's events (reference-counted); returns the way to stop. */
  watch(jobId: string): () => void {
    const n = this.watched.get(jobId) ?? 0;
    this.watched.set(jobId, n + 1);
    if (n === 0) this.subscribe(jobId);
    return () => {
      const left = (this.watched.get(jobId) ?? 1) - 1;
      if (left > 0) return void this.watched.set(jobId, left);
      this.watched.delete(jobId);
      this.closeStream(jobId);
      if (this.socket.connected) this.socket.emit('unsubscribe', { jobId });
    };
  }

  watchStats(): () => void {
    this.statsWatchers += 1;
    if (this.statsWatchers === 1 && this.socket.connected) this.subscribeStats();
    return () => {
      this.statsWatchers -= 1;
      if (this.statsWatchers === 0 && this.socket.connected) this.socket.emit('stats:unsubscribe');
    };
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.fallbackTimer);
    this.streams.forEach((s) => s.close());
    this.streams.clear();
    this.socket.disconnect();
  }

  private setStatus(status: LinkStatus, detail: string): void {
    this.status = status;
    this.h.onStatus(status, detail);
  }

  private connected(): void {
    clearTimeout(this.fallbackTimer);
    this.streams.forEach((s) => s.close());
    this.streams.clear();
    this.setStatus('live', 'Live updates over Socket.IO');
    for (const jobId of this.watched.keys()) this.subscribe(jobId);
    if (this.statsWatchers > 0) this.subscribeStats();
    this.h.onResync();
  }

  private lost(reason: string): void {
    if (this.closed) return;
    // The server dropped us (e.g. the token expired): socket.io does not retry on its own.
    if (reason === 'io server disconnect') this.socket.connect();
    if (this.status !== 'polling')
      this.setStatus('reconnecting', `Connection lost (${reason}); reconnecting…`);
    this.scheduleFallback();
  }

  private failed(err: Error): void {
    if (err.message === 'unauthorized') {
      this.h.onUnauthorized();
      return;
    }
    if (this.status === 'connecting' || this.status === 'live') {
      this.setStatus('reconnecting', 'Cannot reach the live channel; retrying…');
    }
    this.scheduleFallback();
  }

  private scheduleFallback(): void {
    if (this.fallbackTimer !== undefined || this.closed) return;
    this.fallbackTimer = setTimeout(() => {
      this.fallbackTimer = undefined;
      if (this.socket.connected || this.closed) return;
      this.setStatus('polling', 'Live channel unavailable: following jobs by SSE and polling');
      for (const jobId of this.watched.keys()) this.openStream(jobId);
    }, this.opts.fallbackAfterMs ?? 4000);
  }

  private subscribe(jobId: string): void {
    if (!this.socket.connected) {
      if (this.status === 'polling') this.openStream(jobId);
      return;
    }
    this.socket.emit('subscribe', { jobId }, (ack: Ack<{ job: Job }>) => {
      if (ack.ok) this.h.onJob(ack.job);
    });
  }

  private subscribeStats(): void {
    this.socket.emit('stats:subscribe', (ack: Ack<{ stats: StatsOverview }>) => {
      if (ack.ok) this.h.onStats(ack.stats);
    });
  }

  private openStream(jobId: string): void {
    if (this.streams.has(jobId) || this.streams.size >= (this.opts.maxStreams ?? 4)) return;
    if (typeof EventSource === 'undefined') return;
    const url = `${this.opts.base ?? ''}/api/sse/jobs/${encodeURIComponent(jobId)}?access_token=${encodeURIComponent(this.opts.token)}`;
    const source = new EventSource(url);
    for (const name of SSE_EVENTS) {
      source.addEventListener(name, (e) => {
        this.h.onJob(JSON.parse((e as MessageEvent<string>).data) as Job | JobProgressEvent);
        if (name !== 'snapshot' && name !== 'progress') this.closeStream(jobId);
      });
    }
    // A failed stream is not retried: polling covers the job until Socket.IO is back.
    source.onerror = () => this.closeStream(jobId);
    this.streams.set(jobId, source);
  }

  private closeStream(jobId: string): void {
    this.streams.get(jobId)?.close();
    this.streams.delete(jobId);
  }
}
