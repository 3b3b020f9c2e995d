import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { APP_CONFIG, AppConfig, jobTypePolicy, JobTypePolicy } from '../../config/app-config';
import { BLOB_STORE, BlobStore } from '../storage/blob-store.port';
import { backoffDelay } from './backoff';
import { AbortReason, JobAbortedError } from './job-errors';
import { JobEvent, JobEvents } from './job-events';
import { JobContext, JobHandler, JobHandlerRegistry } from './job-handler';
import { decideOutcome, Outcome } from './job-outcome';
import { JobStats } from './job-stats';
import { JobError, JobRecord, JobResult, JobState } from './job.model';
import { JOB_STORE, JobStore } from './job-store.port';
import { JobTracker } from './job-tracker.service';
import { WaitingRoom } from './waiting-room';

/** A job this node is running. */
interface Run {
  record: JobRecord;
  controller: AbortController;
  reason?: AbortReason;
}

/** The hosted workers of one job type. */
interface TypeWorker {
  handler: JobHandler;
  policy: JobTypePolicy;
  room: WaitingRoom;
  active: Map<string, Run>;
  claiming: number;
  delayed: Map<string, NodeJS.Timeout>;
  pumpScheduled: boolean;
}

/**
 * Runs jobs: per-type workers fed by in-process waiting rooms, leases renewed by heartbeat,
 * retries with backoff, timeouts, cancellation and graceful shutdown. The store stays the
 * source of truth; the rooms are hints refilled from it.
 */
@Injectable()
export class JobRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly stats = new JobStats();
  private readonly logger = new Logger(JobRunner.name);
  private readonly workers = new Map<string, TypeWorker>();
  private readonly timers: NodeJS.Timeout[] = [];
  private paused = false;
  private stopping = false;
  private unsubscribe?: () => void;

  constructor(
    @Inject(JOB_STORE) private readonly store: JobStore,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tracker: JobTracker,
    private readonly events: JobEvents,
    private readonly registry: JobHandlerRegistry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const handler of this.registry.all()) {
      const policy = jobTypePolicy(this.config, handler.type, handler.policy);
      this.workers.set(handler.type, {
        handler,
        policy,
        room: new WaitingRoom(),
        active: new Map(),
        claiming: 0,
        delayed: new Map(),
        pumpScheduled: false,
      });
    }
    this.unsubscribe = this.events.on((event) => this.onEvent(event));
    await this.recoverOnBoot();
    await this.tracker.reconcileCounts();
    await this.refill(true);
    this.every(this.config.jobs.pollMs, () => this.poll());
    this.every(this.config.jobs.heartbeatMs, () => this.heartbeat());
  }

  /** Embedded mode is one node per store: anything still running at boot was orphaned by a crash. */
  private async recoverOnBoot(): Promise<void> {
    if (this.config.mongoUrl) return;
    for (const record of await this.store.findRunning(100_000))
      await this.tracker.recoverStalled(record);
  }

  private every(ms: number, task: () => Promise<void>): void {
    let busy = false;
    const timer = setInterval(() => {
      if (busy || this.stopping) return;
      busy = true;
      task()
        .catch((err: unknown) => this.logger.error(`background task failed: ${String(err)}`))
        .finally(() => (busy = false));
    }, ms);
    timer.unref();
    this.timers.push(timer);
  }

  get isPaused(): boolean {
    return this.paused;
  }

  setPaused(paused: boolean): void {
    this.paused = paused;
    if (!paused) for (const type of this.workers.keys()) this.schedulePump(type);
  }

  workerLoad(): Record<string, { busy: number; total: number }> {
    const out: Record<string, { busy: number; total: number }> = {};
    for (const [type, w] of this.workers)
      out[type] = { busy: w.active.size, total: w.policy.concurrency };
    return out;
  }

  hasType(type: string): boolean {
    return this.workers.has(type);
  }

  policyOf(type: string): JobTypePolicy | undefined {
    return this.workers.get(type)?.policy;
  }

  private onEvent(event: JobEvent): void {
    if (event.kind === 'progress' || event.kind === 'deleted') {
      if (event.kind === 'deleted') this.abort(event.jobId, AbortReason.cancel);
      return;
    }
    const job = event.job;
    if (job.state === JobState.queued) this.offer(job);
    else if (job.state === JobState.running && job.cancelRequested)
      this.abort(job.id, AbortReason.cancel);
  }

  /** Puts a queued job in its room now, or when its `runAfter` comes. */
  private offer(job: JobRecord): void {
    const worker = this.workers.get(job.type);
    if (!worker || worker.active.has(job.id) || worker.delayed.has(job.id)) return;
    const wait = job.runAfter - Date.now();
    if (wait > 0) {
      const timer = setTimeout(() => {
        worker.delayed.delete(job.id);
        this.offer({ ...job, runAfter: 0 });
      }, wait);
      timer.unref();
      worker.delayed.set(job.id, timer);
      return;
    }
    if (worker.room.push({ id: job.id, owner: job.owner, priority: job.priority }))
      this.schedulePump(job.type);
  }

  private schedulePump(type: string): void {
    const worker = this.workers.get(type);
    if (!worker || worker.pumpScheduled) return;
    worker.pumpScheduled = true;
    setImmediate(() => {
      worker.pumpScheduled = false;
      this.pump(worker);
    });
  }

  private pump(worker: TypeWorker): void {
    while (
      !this.paused &&
      !this.stopping &&
      worker.active.size + worker.claiming < worker.policy.concurrency
    ) {
      const id = worker.room.shift();
      if (id === undefined) return;
      worker.claiming++;
      void this.claimAndRun(worker, id);
    }
  }

  private async claimAndRun(worker: TypeWorker, id: string): Promise<void> {
    let record: JobRecord | null = null;
    try {
      record = await this.tracker.claim(id, this.config.jobs.leaseMs);
    } catch (err) {
      this.logger.error(`claim of ${id} failed: ${String(err)}`);
    } finally {
      worker.claiming--;
    }
    if (!record) return this.schedulePump(worker.handler.type);
    const run: Run = { record, controller: new AbortController() };
    worker.active.set(id, run);
    try {
      await this.execute(worker, run);
    } catch (err) {
      this.logger.error(`job ${id} bookkeeping failed: ${String(err)}`);
    } finally {
      worker.active.delete(id);
      this.schedulePump(worker.handler.type);
    }
  }

  private async execute(worker: TypeWorker, run: Run): Promise<void> {
    const timeout = setTimeout(
      () => this.abortRun(run, AbortReason.timeout),
      worker.policy.timeoutMs,
    );
    let result: JobResult | void = undefined;
    let thrown: unknown;
    let threw = false;
    try {
      result = await this.settleOrGiveUp(worker.handler.run(this.contextOf(run)), run);
    } catch (err) {
      thrown = err;
      threw = true;
    } finally {
      clearTimeout(timeout);
    }
    await this.conclude(run, decideOutcome(run.reason, thrown, threw), result ?? null);
  }

  /** Waits for the handler; once aborted, waits at most the cancel grace for it to notice. */
  private settleOrGiveUp<T>(work: Promise<T>, run: Run): Promise<T> {
    const signal = run.controller.signal;
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => {
        const grace = setTimeout(
          () => reject(new JobAbortedError(run.reason!)),
          this.config.jobs.cancelGraceMs,
        );
        grace.unref();
        work.finally(() => clearTimeout(grace)).catch(() => undefined);
      };
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
      work.then(resolve, reject);
    });
  }

  private async conclude(run: Run, outcome: Outcome, result: JobResult | null): Promise<void> {
    const { id, type } = run.record;
    switch (outcome.kind) {
      case 'completed': {
        const done = await this.tracker.complete(id, result);
        if (done)
          this.stats.recordCompleted(type, done.finishedAt! - (done.startedAt ?? done.createdAt));
        else if (this.tracker.isLive(id)) await this.cancelled(id);
        else await this.blobs.deletePrefix(`jobs/${id}/`);
        return;
      }
      case 'cancelled':
        return this.cancelled(id);
      case 'released':
        await this.tracker.requeue(id, Date.now(), null, true);
        return;
      case 'lost':
        this.logger.warn(`job ${id} lost its lease; its result is discarded`);
        return;
      case 'error':
        return this.failOrRetry(run.record, outcome.error);
    }
  }

  private async cancelled(id: string): Promise<void> {
    await this.blobs.deletePrefix(`jobs/${id}/`);
    await this.tracker.markCancelled(id);
  }

  private async failOrRetry(record: JobRecord, error: JobError): Promise<void> {
    const live = this.tracker.liveRecord(record.id) ?? record;
    if (error.retryable && live.attempt < live.maxAttempts && !live.cancelRequested) {
      const delay = backoffDelay(
        live.attempt,
        this.config.jobs.backoffBaseMs,
        this.config.jobs.backoffMaxMs,
      );
      await this.tracker.requeue(record.id, Date.now() + delay, error, false);
      return;
    }
    if (live.cancelRequested) return this.cancelled(record.id);
    await this.blobs.deletePrefix(`jobs/${record.id}/`);
    if (await this.tracker.fail(record.id, error)) this.stats.recordFailed();
  }

  private contextOf(run: Run): JobContext {
    const { id, type, owner, payload, attempt } = run.record;
    return {
      id,
      type,
      owner,
      payload,
      attempt,
      signal: run.controller.signal,
      progress: (percent, stage, message) => this.tracker.progress(id, percent, stage, message),
      log: (text) => this.tracker.log(id, text),
      storeResult: async (filename, body, contentType) => {
        const key = `jobs/${id}/${filename}`;
        const { bytes, sha256 } = await this.blobs.put(key, body, contentType);
        return { kind: 'blob', key, filename, contentType, bytes, sha256 };
      },
    };
  }

  private abort(id: string, reason: AbortReason): void {
    for (const worker of this.workers.values()) {
      const run = worker.active.get(id);
      if (run) this.abortRun(run, reason);
    }
  }

  private abortRun(run: Run, reason: AbortReason): void {
    if (run.controller.signal.aborted) return;
    run.reason = reason;
    run.controller.abort(new JobAbortedError(reason));
  }

  private async heartbeat(): Promise<void> {
    for (const worker of this.workers.values()) {
      for (const run of [...worker.active.values()]) {
        const record = await this.tracker.heartbeat(run.record.id, this.config.jobs.leaseMs);
        if (!record) this.abortRun(run, AbortReason.leaseLost);
        else if (record.cancelRequested) this.abortRun(run, AbortReason.cancel);
      }
    }
  }

  private async poll(): Promise<void> {
    for (const stale of await this.store.findExpiredLeases(Date.now(), 100)) {
      if (!this.tracker.isLive(stale.id)) await this.tracker.recoverStalled(stale);
    }
    await this.refill(false);
    if (this.config.mongoUrl) await this.tracker.reconcileCounts();
  }

  /** Loads queued jobs from the store into rooms that could use more work (or all, at boot). */
  private async refill(all: boolean): Promise<void> {
    const hungry = [...this.workers.entries()]
      .filter(([, w]) => all || w.room.size < w.policy.concurrency)
      .map(([type]) => type);
    const limit = all ? 1_000_000 : 1000;
    for (const job of await this.store.findQueued(hungry, limit)) this.offer(job);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.timers.forEach(clearInterval);
    this.unsubscribe?.();
    for (const w of this.workers.values()) w.delayed.forEach(clearTimeout);
    await this.drain(this.config.jobs.shutdownGraceMs);
    for (const w of this.workers.values())
      for (const run of w.active.values()) this.abortRun(run, AbortReason.shutdown);
    await this.drain(this.config.jobs.cancelGraceMs + 2000);
  }

  private async drain(ms: number): Promise<void> {
    const until = Date.now() + ms;
    while (
      Date.now() < until &&
      [...this.workers.values()].some((w) => w.active.size + w.claiming > 0)
    ) {
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
