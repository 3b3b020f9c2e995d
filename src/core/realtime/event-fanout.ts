import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { JobEvent, JobEvents, JobProgressEvent, JobRecordEvent } from '../jobs/job-events';
import { JobViewMapper } from '../jobs/job-view';
import { JobEventName, OutboundEvent } from './outbound-event';
import { ProgressCoalescer } from './progress-coalescer';
import { SeqMemory } from './seq-memory';

/** Receives outbound job events, in `seq` order per job. */
export type OutboundListener = (event: OutboundEvent) => void;

/** Whether a subscriber has anyone to hand events to now (e.g. a connected socket). */
export type AudienceProbe = () => boolean;

/** An observer of what is delivered: never an audience by itself. */
const OBSERVER: AudienceProbe = () => false;

/** At most 10 `job:progress` per second per job (API.md). */
export const PROGRESS_INTERVAL_MS = 100;
/** How many jobs' last delivered `seq` are remembered at least to drop late progress. */
const SEQ_MEMORY = 20_000;

const RECORD_EVENT_NAMES: Record<JobRecordEvent['kind'], JobEventName> = {
  snapshot: 'job:snapshot',
  completed: 'job:completed',
  failed: 'job:failed',
  cancelled: 'job:cancelled',
};

/**
 * Turns the engine's event bus into outbound events for sockets and SSE streams: progress is
 * coalesced per job (latest wins), a record event supersedes the progress still held for its job,
 * and no event is delivered with a `seq` at or below one already delivered for that job, so a
 * terminal event is always the last thing a job sends. With no audience (no socket, stream or
 * stats watcher), events are not built at all: under load most jobs have nobody watching.
 */
@Injectable()
export class EventFanout implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(EventFanout.name);
  private readonly listeners = new Map<OutboundListener, AudienceProbe>();
  private readonly jobListeners = new Map<string, Set<OutboundListener>>();
  private readonly lastSeq = new SeqMemory(SEQ_MEMORY);
  /** Holds the engine's own (fresh, immutable) progress events; only the ones let through are built. */
  private readonly coalescer = new ProgressCoalescer<JobProgressEvent>(
    PROGRESS_INTERVAL_MS,
    (_id, e) => this.deliver(OutboundEvent.progress(e)),
  );
  private unsubscribe?: () => void;

  constructor(
    private readonly events: JobEvents,
    private readonly views: JobViewMapper,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.events.on((event) => this.accept(event));
  }

  onApplicationShutdown(): void {
    this.unsubscribe?.();
    this.coalescer.clear();
  }

  /**
   * Every job's events, while any subscriber's `audience` says someone is there to receive
   * them (observers, such as metrics, pass none). Returns the unsubscribe function.
   */
  subscribe(listener: OutboundListener, audience: AudienceProbe = OBSERVER): () => void {
    this.listeners.set(listener, audience);
    return () => this.listeners.delete(listener);
  }

  /** One job's events. Returns the unsubscribe function. */
  watchJob(jobId: string, listener: OutboundListener): () => void {
    let set = this.jobListeners.get(jobId);
    if (!set) this.jobListeners.set(jobId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.jobListeners.get(jobId) === set) this.jobListeners.delete(jobId);
    };
  }

  /** How many watchers one job has (for tests and metrics). */
  watching(jobId: string): number {
    return this.jobListeners.get(jobId)?.size ?? 0;
  }

  /** Handles one engine event; public for unit tests. */
  accept(event: JobEvent): void {
    switch (event.kind) {
      case 'progress':
        if (event.seq > this.lastSeq.get(event.jobId) && this.hasAudience(event.jobId)) {
          this.coalescer.push(event.jobId, event);
        }
        return;
      case 'deleted':
        this.coalescer.discard(event.jobId);
        return this.deliver(OutboundEvent.deleted(event));
      case 'snapshot':
      case 'completed':
      case 'failed':
      case 'cancelled':
        this.coalescer.discard(event.job.id);
        if (this.hasAudience(event.job.id)) return this.deliver(this.recordEvent(event));
        return this.lastSeq.remember(event.job.id, event.job.seq);
    }
  }

  private hasAudience(jobId: string): boolean {
    if (this.jobListeners.has(jobId)) return true;
    for (const audience of this.listeners.values()) if (audience()) return true;
    return false;
  }

  private recordEvent(event: JobRecordEvent): OutboundEvent {
    const job = { ...event.job }; // the engine's record changes on; its view is made when asked
    return OutboundEvent.record(RECORD_EVENT_NAMES[event.kind], job, () => this.views.toView(job));
  }

  private deliver(event: OutboundEvent): void {
    const last = this.lastSeq.get(event.jobId);
    if (event.name === 'job:progress' && event.seq <= last) return;
    this.lastSeq.remember(event.jobId, event.seq);
    for (const listener of this.listeners.keys()) this.call(listener, event);
    const watchers = this.jobListeners.get(event.jobId);
    if (watchers) for (const listener of [...watchers]) this.call(listener, event);
  }

  private call(listener: OutboundListener, event: OutboundEvent): void {
    try {
      listener(event);
    } catch (err) {
      this.logger.error(`listener failed on ${event.name}: ${(err as Error).message}`);
    }
  }
}
