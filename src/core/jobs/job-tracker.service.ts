import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { ConflictError, QueueFullError } from '../errors/app-error';
import { JobEvents, recordEventKind } from './job-events';
import { appendLog, JobError, JobRecord, JobResult, JobState } from './job.model';
import {
  DuplicateIdempotencyKeyError,
  JOB_STORE,
  JobGuard,
  JobPatch,
  JobStore,
} from './job-store.port';
import { finishPatch, newJobRecord, NewJob, retryPatch, stalledPatch } from './job-patches';
import { QueueCounter } from './queue-counter';
import { RecordCache } from './record-cache';

/** In-memory state of a job this node is running (progress is persisted at most every second). */
interface LiveJob {
  record: JobRecord;
  token: string;
  dirty: boolean;
  /** Set once a final write began: later progress would race the terminal event's seq. */
  finishing: boolean;
  flushTimer?: NodeJS.Timeout;
}

const IDEMPOTENCY_WINDOW_MS = 24 * 3600 * 1000;
const PROGRESS_FLUSH_MS = 1000;
const CACHE_SIZE = 25_000;

/**
 * Owns every job transition: each one is a compare-and-set on the store, followed by an event
 * on the bus. Keeps the waiting-room counts and a bounded cache; running jobs' progress lives
 * in memory and is flushed to the store at most once a second and on every transition.
 */
@Injectable()
export class JobTracker {
  readonly counter = new QueueCounter();
  private readonly cache = new RecordCache(CACHE_SIZE);
  private readonly live = new Map<string, LiveJob>();

  constructor(
    @Inject(JOB_STORE) private readonly store: JobStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly events: JobEvents,
  ) {}

  async reconcileCounts(): Promise<void> {
    const { total, byOwner } = await this.store.countQueued();
    this.counter.reset(total, byOwner);
  }

  async create(input: NewJob): Promise<{ job: JobRecord; created: boolean }> {
    if (input.idempotencyKey) {
      const existing = await this.idempotentMatch(input);
      if (existing) return { job: existing, created: false };
    }
    this.reserve(input.owner);
    const record = newJobRecord(input, Date.now());
    try {
      await this.store.insert(record);
    } catch (err) {
      this.counter.add(input.owner, -1);
      if (err instanceof DuplicateIdempotencyKeyError) return this.create(input);
      throw err;
    }
    this.publish(record);
    return { job: record, created: true };
  }

  private async idempotentMatch(input: NewJob): Promise<JobRecord | null> {
    const existing = await this.store.findByIdempotencyKey(input.owner, input.idempotencyKey!);
    if (!existing) return null;
    if (existing.createdAt < Date.now() - IDEMPOTENCY_WINDOW_MS) {
      await this.store.update(existing.id, {}, { idempotencyKey: null });
      return null;
    }
    if (existing.requestHash !== input.requestHash || existing.type !== input.type) {
      throw new ConflictError(
        'idempotency_conflict',
        'Idempotency-Key was used with another request',
      );
    }
    return existing;
  }

  /** Takes a waiting-room slot or throws 429; the caller gives it back if the insert fails. */
  private reserve(owner: string): void {
    if (this.counter.waiting >= this.config.queueCapacity) throw new QueueFullError(5, 'system');
    if (this.counter.of(owner) >= this.config.userQueueCapacity)
      throw new QueueFullError(5, 'user');
    this.counter.add(owner, 1);
  }

  async get(id: string): Promise<JobRecord | null> {
    const live = this.live.get(id);
    if (live) return live.record;
    const cached = this.cache.get(id);
    if (cached) return cached;
    const record = await this.store.get(id);
    if (record) this.cache.set(record);
    return record;
  }

  /** Fresh from the store, bypassing the cache (for decisions another node may have changed). */
  async load(id: string): Promise<JobRecord | null> {
    const record = await this.store.get(id);
    if (record && !this.live.has(id)) this.cache.set(record);
    else if (!record) this.cache.delete(id);
    return record;
  }

  /** Atomically takes a queued job with a new lease. Null when someone else got it first. */
  async claim(id: string, leaseMs: number): Promise<JobRecord | null> {
    let current = this.cache.get(id) ?? (await this.store.get(id));
    for (let tries = 0; tries < 2 && current?.state === JobState.queued; tries++) {
      const now = Date.now();
      const token = randomUUID();
      const record = await this.store.update(
        id,
        { states: [JobState.queued], attempt: current.attempt },
        {
          state: JobState.running,
          leaseToken: token,
          leaseExpiresAt: now + leaseMs,
          attempt: current.attempt + 1,
          startedAt: now,
          updatedAt: now,
          progress: 0,
          stage: 'starting',
          message: '',
          cancelRequested: false,
          messages: appendLog(current.messages, `attempt ${current.attempt + 1} started`, now),
        },
      );
      if (record) {
        this.counter.add(record.owner, -1);
        this.live.set(id, { record: { ...record }, token, dirty: false, finishing: false });
        this.publish(record);
        return record;
      }
      current = await this.store.get(id);
    }
    return null;
  }

  /** Renews the lease. Null when the lease was lost (the job must stop). */
  async heartbeat(id: string, leaseMs: number): Promise<JobRecord | null> {
    const live = this.live.get(id);
    if (!live) return null;
    const record = await this.store.update(
      id,
      { states: [JobState.running], leaseToken: live.token },
      { leaseExpiresAt: Date.now() + leaseMs },
      'keep',
    );
    if (!record) return null;
    live.record.seq = Math.max(live.record.seq, record.seq);
    live.record.cancelRequested = record.cancelRequested;
    return record;
  }

  progress(id: string, percent: number, stage?: string, message?: string): void {
    const live = this.live.get(id);
    if (!live || live.finishing || !Number.isFinite(percent)) return;
    const r = live.record;
    const next = Math.min(100, Math.max(r.progress, percent));
    if (
      next === r.progress &&
      (stage ?? r.stage) === r.stage &&
      (message ?? r.message) === r.message
    )
      return;
    r.progress = next;
    if (stage !== undefined) r.stage = stage;
    if (message !== undefined) r.message = message;
    this.touch(live);
    this.events.emit({
      kind: 'progress',
      jobId: id,
      owner: r.owner,
      state: r.state,
      progress: r.progress,
      stage: r.stage,
      message: r.message,
      seq: r.seq,
      updatedAt: r.updatedAt,
    });
  }

  log(id: string, text: string): void {
    const live = this.live.get(id);
    if (!live || live.finishing) return;
    live.record.messages = appendLog(live.record.messages, text, Date.now());
    live.dirty = true;
    this.scheduleFlush(live);
  }

  private touch(live: LiveJob): void {
    live.record.seq += 1;
    live.record.updatedAt = Date.now();
    live.dirty = true;
    this.scheduleFlush(live);
  }

  private scheduleFlush(live: LiveJob): void {
    if (live.flushTimer) return;
    live.flushTimer = setTimeout(() => void this.flush(live.record.id), PROGRESS_FLUSH_MS);
    live.flushTimer.unref();
  }

  private async flush(id: string): Promise<void> {
    const live = this.live.get(id);
    if (!live) return;
    live.flushTimer = undefined;
    if (!live.dirty) return;
    live.dirty = false;
    const r = live.record;
    await this.store.update(
      id,
      { states: [JobState.running], leaseToken: live.token },
      {
        progress: r.progress,
        stage: r.stage,
        message: r.message,
        messages: r.messages,
        updatedAt: r.updatedAt,
      },
      r.seq,
    );
  }

  complete(id: string, result: JobResult | null): Promise<JobRecord | null> {
    return this.finish(
      id,
      JobState.completed,
      { result, progress: 100, stage: 'done', message: '' },
      'completed',
      true,
    );
  }

  fail(id: string, error: JobError): Promise<JobRecord | null> {
    return this.finish(id, JobState.failed, { error }, `failed: ${error.code}: ${error.message}`);
  }

  /** The running job stopped because of a cancel request. */
  markCancelled(id: string): Promise<JobRecord | null> {
    return this.finish(id, JobState.cancelled, { stage: 'cancelled' }, 'cancelled');
  }

  /** Back to queued after a failed attempt (or a shutdown, which gives the attempt back). */
  requeue(
    id: string,
    runAfter: number,
    error: JobError | null,
    giveBack: boolean,
  ): Promise<JobRecord | null> {
    const live = this.live.get(id);
    const attempt = live ? live.record.attempt - (giveBack ? 1 : 0) : undefined;
    const note = error ? `retry scheduled after ${error.code}` : 'released for another run';
    return this.finish(id, JobState.queued, { error, runAfter, attempt, stage: 'queued' }, note);
  }

  private async finish(
    id: string,
    state: JobState,
    patch: JobPatch,
    note: string,
    unlessCancelRequested = false,
  ): Promise<JobRecord | null> {
    const live = this.live.get(id);
    if (!live) return null;
    live.finishing = true;
    clearTimeout(live.flushTimer);
    const r = live.record;
    const guard: JobGuard = { states: [JobState.running], leaseToken: live.token };
    if (unlessCancelRequested) guard.cancelRequested = false;
    const record = await this.store.update(
      id,
      guard,
      finishPatch(r, state, patch, note, this.config.resultTtlMs, Date.now()),
      r.seq + 1,
    );
    if (record || !unlessCancelRequested) this.live.delete(id);
    if (!record) return null;
    if (state === JobState.queued) this.counter.add(record.owner, 1);
    this.publish(record);
    return record;
  }

  /** Lease expired (crashed node): requeue without using an attempt, twice at most; then fail. */
  async recoverStalled(stale: JobRecord): Promise<JobRecord | null> {
    const now = Date.now();
    const guard: JobGuard = {
      states: [JobState.running],
      leaseToken: stale.leaseToken ?? undefined,
    };
    const patch = stalledPatch(stale, this.config.resultTtlMs, now);
    const record = await this.store.update(stale.id, guard, patch);
    if (!record) return null;
    if (record.state === JobState.queued) this.counter.add(record.owner, 1);
    this.publish(record);
    return record;
  }

  /** Cancel: queued jobs at once; running jobs get `cancelRequested` and stop via their signal. */
  async requestCancel(id: string): Promise<JobRecord> {
    for (let tries = 0; tries < 3; tries++) {
      const current = await this.load(id);
      if (!current) throw new ConflictError('job_finished', 'job is gone');
      const record = await this.cancelStep(current);
      if (record) return record;
    }
    throw new ConflictError('conflict', 'job changed concurrently; try again');
  }

  private async cancelStep(current: JobRecord): Promise<JobRecord | null> {
    const now = Date.now();
    switch (current.state) {
      case JobState.queued: {
        const record = await this.store.update(
          current.id,
          { states: [JobState.queued] },
          {
            state: JobState.cancelled,
            stage: 'cancelled',
            updatedAt: now,
            finishedAt: now,
            expiresAt: now + this.config.resultTtlMs,
            messages: appendLog(current.messages, 'cancelled while queued', now),
          },
        );
        if (record) this.counter.add(record.owner, -1);
        return record && this.publish(record);
      }
      case JobState.running: {
        if (current.cancelRequested) return current;
        const live = this.live.get(current.id);
        const record = await this.store.update(
          current.id,
          { states: [JobState.running] },
          { cancelRequested: true, updatedAt: now },
          live ? live.record.seq + 1 : 0,
        );
        if (record && live) Object.assign(live.record, { cancelRequested: true, seq: record.seq });
        return record && this.publish(record);
      }
      case JobState.completed:
      case JobState.failed:
      case JobState.cancelled:
        throw new ConflictError('job_finished', `job is already ${current.state}`);
    }
  }

  /** A failed or cancelled job goes back to the queue, with at least one more attempt. */
  async retry(id: string): Promise<JobRecord | null> {
    const current = await this.load(id);
    if (!current || (current.state !== JobState.failed && current.state !== JobState.cancelled))
      return null;
    this.reserve(current.owner);
    const record = await this.store.update(
      id,
      { states: [JobState.failed, JobState.cancelled] },
      retryPatch(current, Date.now()),
    );
    if (!record) this.counter.add(current.owner, -1);
    return record && this.publish(record);
  }

  /** Removes the record (blobs must be gone first). */
  async remove(record: JobRecord): Promise<boolean> {
    const removed = await this.store.delete(record.id);
    this.cache.delete(record.id);
    this.live.delete(record.id);
    if (removed && record.state === JobState.queued) this.counter.add(record.owner, -1);
    if (removed)
      this.events.emit({
        kind: 'deleted',
        jobId: record.id,
        owner: record.owner,
        seq: record.seq + 1,
      });
    return removed;
  }

  isLive(id: string): boolean {
    return this.live.has(id);
  }

  liveRecord(id: string): JobRecord | undefined {
    return this.live.get(id)?.record;
  }

  private publish(record: JobRecord): JobRecord {
    if (!this.live.has(record.id)) this.cache.set(record);
    this.events.emit({ kind: recordEventKind(record.state), job: record });
    return record;
  }
}
