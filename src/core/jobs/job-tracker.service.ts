import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { ConflictError, QueueFullError } from '../errors/app-error';
import { JobEvents, recordEventKind } from './job-events';
import { appendLog, JobRecord, JobState, logFields, nextSeq } from './job.model';
import {
  DuplicateIdempotencyKeyError,
  JOB_STORE,
  JobStore,
  ProgressSnapshot,
  QueueFull,
  QueueLimits,
  Writer,
} from './job-store.port';
import { newJobRecord, NewJob } from './job-transitions';
import { ErrorCode } from '../errors/error-code';

/** A job this process is running: its progress lives here and is saved at most every second. */
interface LiveJob {
  record: JobRecord;
  token: string;
  dirty: boolean;
  flushTimer?: NodeJS.Timeout;
}

const IDEMPOTENCY_WINDOW_MS = 24 * 3600 * 1000;
const PROGRESS_FLUSH_MS = 1000;
const RETRY_AFTER_S = 5;

/**
 * The engine's front desk: creates jobs through the store's bounded waiting room, answers reads
 * (with the live progress of jobs running here), cancels, retries and deletes, and announces
 * every change on the event bus. Every write is one atomic store operation.
 */
@Injectable()
export class JobTracker {
  private readonly logger = new Logger(JobTracker.name);
  private readonly live = new Map<string, LiveJob>();

  constructor(
    @Inject(JOB_STORE) private readonly store: JobStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly events: JobEvents,
  ) {}

  /** This process, at this moment, as a store writer. */
  writer(): Writer {
    return { node: this.config.nodeId, now: Date.now() };
  }

  private get limits(): QueueLimits {
    return { total: this.config.queueCapacity, perUser: this.config.userQueueCapacity };
  }

  async create(input: NewJob): Promise<{ job: JobRecord; created: boolean }> {
    if (input.idempotencyKey) {
      const existing = await this.idempotentMatch(input);
      if (existing) return { job: existing, created: false };
    }
    const record = newJobRecord(input, this.writer());
    let full: QueueFull | null;
    try {
      full = await this.store.insert(record, this.limits, this.writer());
    } catch (err) {
      if (err instanceof DuplicateIdempotencyKeyError) return this.create(input);
      throw err;
    }
    if (full) throw new QueueFullError(RETRY_AFTER_S, full);
    this.publish(record);
    return { job: record, created: true };
  }

  private async idempotentMatch(input: NewJob): Promise<JobRecord | null> {
    const existing = await this.store.findByIdempotencyKey(input.owner, input.idempotencyKey!);
    if (!existing) return null;
    if (existing.createdAt < Date.now() - IDEMPOTENCY_WINDOW_MS) {
      await this.store.clearIdempotencyKey(existing.id);
      return null;
    }
    if (existing.requestHash !== input.requestHash || existing.type !== input.type) {
      throw new ConflictError(
        ErrorCode.idempotency_conflict,
        'Idempotency-Key was used with another request',
      );
    }
    return existing;
  }

  /** The job, with its live progress when it runs in this process. */
  async get(id: string): Promise<JobRecord | null> {
    return this.live.get(id)?.record ?? (await this.store.get(id));
  }

  liveRecord(id: string): JobRecord | undefined {
    return this.live.get(id)?.record;
  }

  /** Starts tracking the progress of a job this process claimed. */
  track(record: JobRecord): void {
    this.live.set(record.id, { record: { ...record }, token: record.leaseToken!, dirty: false });
  }

  /** Stops tracking; returns the progress not yet saved (written with the attempt's end). */
  untrack(id: string): ProgressSnapshot | undefined {
    const live = this.live.get(id);
    if (!live) return undefined;
    clearTimeout(live.flushTimer);
    this.live.delete(id);
    return live.dirty ? snapshotOf(live.record) : undefined;
  }

  /** Marks a live job's pending cancel (learned from the store) so reads show it at once. */
  noteCancelRequested(id: string): void {
    const live = this.live.get(id);
    if (live) live.record.cancelRequested = true;
  }

  progress(id: string, percent: number, stage?: string, message?: string): void {
    const live = this.live.get(id);
    if (!live || !Number.isFinite(percent)) return;
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
    const now = Date.now();
    r.seq = nextSeq(r.seq, now);
    r.updatedAt = now;
    this.markDirty(live);
    const { owner, state, progress, seq, updatedAt } = r;
    this.events.emit({
      kind: 'progress',
      jobId: id,
      owner,
      state,
      progress,
      stage: r.stage,
      message: r.message,
      seq,
      updatedAt,
    });
  }

  log(id: string, text: string): void {
    const live = this.live.get(id);
    if (!live) return;
    live.record.messages = appendLog(live.record.messages, text, Date.now());
    this.markDirty(live);
  }

  private markDirty(live: LiveJob): void {
    live.dirty = true;
    if (live.flushTimer) return;
    live.flushTimer = setTimeout(() => void this.flush(live), PROGRESS_FLUSH_MS);
    live.flushTimer.unref();
  }

  /** Saves a live job's progress; a failure is logged and retried with the next change. */
  private async flush(live: LiveJob): Promise<void> {
    live.flushTimer = undefined;
    if (!live.dirty || this.live.get(live.record.id) !== live) return;
    live.dirty = false;
    try {
      await this.store.saveProgress(
        live.record.id,
        live.token,
        snapshotOf(live.record),
        this.writer(),
      );
    } catch (err) {
      live.dirty = true;
      this.logger.warn(logFields(live.record, err), 'progress not saved');
    }
  }

  /** Cancel: queued jobs at once; running jobs get `cancelRequested` and stop via their signal. */
  async requestCancel(id: string): Promise<JobRecord> {
    const answer = await this.store.requestCancel(id, this.writer(), this.config.resultTtlMs);
    if (!answer) throw new ConflictError(ErrorCode.job_finished, 'job is gone');
    const { record, changed } = answer;
    if (record.state !== JobState.queued && record.state !== JobState.running && !changed)
      throw new ConflictError(ErrorCode.job_finished, `job is already ${record.state}`);
    if (changed) {
      this.noteCancelRequested(id);
      this.publish(record);
    }
    return record;
  }

  /** A failed or cancelled job goes back to the queue, with at least one more attempt. */
  async retry(id: string): Promise<JobRecord | null> {
    const answer = await this.store.retry(id, this.limits, this.writer());
    if (answer === 'system' || answer === 'user') throw new QueueFullError(RETRY_AFTER_S, answer);
    return answer && this.publish(answer);
  }

  /** Removes the record (blobs must be gone first). */
  async remove(record: JobRecord): Promise<boolean> {
    const removed = await this.store.delete(record.id, this.writer());
    if (removed) this.emitDeleted(record.id, record.owner);
    return removed;
  }

  emitDeleted(jobId: string, owner: string): void {
    this.events.emit({ kind: 'deleted', jobId, owner, seq: nextSeq(0, Date.now()) });
  }

  publish(record: JobRecord): JobRecord {
    this.events.emit({ kind: recordEventKind(record.state), job: record });
    return record;
  }
}

function snapshotOf(r: JobRecord): ProgressSnapshot {
  const { progress, stage, message, messages, seq, updatedAt } = r;
  return { progress, stage, message, messages, seq, updatedAt };
}
