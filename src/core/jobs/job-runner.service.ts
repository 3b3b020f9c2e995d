import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { APP_CONFIG, AppConfig, jobTypePolicy, JobTypePolicy } from '../../config/app-config';
import { BLOB_STORE, BlobStore } from '../storage/blob-store.port';
import { backoffDelay } from './backoff';
import {
  abortAttempt,
  Attempt,
  attemptContext,
  runPrefix,
  newAttempt,
  settleOrGiveUp,
  withRetries,
} from './job-attempt';
import { AbortReason } from './job-errors';
import { JobEvent, JobEvents } from './job-events';
import { JobHandler, JobHandlerRegistry } from './job-handler';
import { decideOutcome, Outcome } from './job-outcome';
import { JobStats } from './job-stats';
import { JobRecord, JobResult, JobState, logFields } from './job.model';
import { AttemptOutcome, JOB_STORE, JobStore } from './job-store.port';
import { JobTracker } from './job-tracker.service';
import { ReadinessState } from '../health/readiness.service';

/** The hosted workers of one job type. */
interface TypeWorker {
  handler: JobHandler;
  policy: JobTypePolicy;
  /** Attempts whose handler runs: these hold the type's concurrency slots. */
  active: Map<string, Attempt>;
  /** Attempts whose handler is done and whose end is being written (leases still renewed). */
  finishing: Map<string, Attempt>;
  claiming: boolean;
  /** A wake-up arrived while a claim was in flight: claim again when it returns. */
  wanted: boolean;
  /** A claim is due at the end of this turn (the wake-ups of one turn share one claim). */
  pumpDue: boolean;
  wakeTimer?: NodeJS.Timeout;
}

/**
 * Runs jobs: per-type workers claim from the store (which orders and bounds the queue), leases
 * are renewed in one batch per heartbeat, expired leases of any process are recovered, and
 * every attempt ends with one fenced `finishAttempt` in which the store lets a pending cancel
 * win. Wake-ups come from the event bus (this process and, through the change feed, others),
 * from a job's `runAfter`, and from a slow poll.
 */
@Injectable()
export class JobRunner
  implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown
{
  readonly stats = new JobStats();
  private readonly logger = new Logger(JobRunner.name);
  private readonly workers = new Map<string, TypeWorker>();
  private readonly timers: NodeJS.Timeout[] = [];
  private paused = false;
  private unsubscribe?: () => void;

  constructor(
    @Inject(JOB_STORE) private readonly store: JobStore,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tracker: JobTracker,
    private readonly events: JobEvents,
    private readonly registry: JobHandlerRegistry,
    private readonly readiness: ReadinessState,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const handler of this.registry.all()) {
      const policy = jobTypePolicy(this.config, handler.type, handler.policy);
      this.workers.set(handler.type, {
        handler,
        policy,
        active: new Map(),
        finishing: new Map(),
        claiming: false,
        wanted: false,
        pumpDue: false,
      });
    }
    this.unsubscribe = this.events.on((event) => this.onEvent(event));
    // Another process's work is recovered by lease expiry only; a restart under the same
    // NODE_ID may take back its own jobs at once.
    if (this.config.stableNodeId) {
      for (const job of await this.store.releaseNode(this.tracker.writer()))
        this.tracker.publish(job);
    }
    this.every(this.config.jobs.pollMs, () => this.poll());
    this.every(this.config.jobs.heartbeatMs, () => this.heartbeat());
    for (const type of this.workers.keys()) this.wake(type);
  }

  private every(ms: number, task: () => Promise<void>): void {
    let busy = false;
    const timer = setInterval(() => {
      if (busy) return;
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
    if (!paused) for (const type of this.workers.keys()) this.wake(type);
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
    if (event.kind === 'progress') return;
    if (event.kind === 'deleted') return this.abort(event.jobId, AbortReason.cancel);
    const job = event.job;
    if (job.state === JobState.queued) this.wakeAt(job.type, job.runAfter);
    else if (job.state === JobState.running && job.cancelRequested) {
      this.tracker.noteCancelRequested(job.id);
      this.abort(job.id, AbortReason.cancel);
    }
  }

  /** Claims for `type` when `at` comes (now, or a retry's `runAfter`). */
  private wakeAt(type: string, at: number): void {
    const worker = this.workers.get(type);
    const wait = at - Date.now();
    if (!worker || wait <= 0) return this.wake(type);
    if (worker.wakeTimer) clearTimeout(worker.wakeTimer);
    worker.wakeTimer = setTimeout(() => this.wake(type), wait);
    worker.wakeTimer.unref();
  }

  /**
   * Claims at the end of this turn: the slots that free up in one turn are claimed together,
   * and the claim is queued before the turn's writes are committed, so it joins their commit.
   */
  private wake(type: string): void {
    const worker = this.workers.get(type);
    if (!worker) return;
    worker.wanted = true;
    if (worker.pumpDue) return;
    worker.pumpDue = true;
    setImmediate(() => {
      worker.pumpDue = false;
      void this.pump(worker);
    });
  }

  /** Claims as many jobs as there are free slots, in one store operation. */
  private async pump(worker: TypeWorker): Promise<void> {
    if (worker.claiming || this.paused || this.readiness.draining) return;
    const free = worker.policy.concurrency - worker.active.size;
    if (free <= 0) return;
    worker.claiming = true;
    worker.wanted = false;
    let claimed: JobRecord[] = [];
    try {
      const request = { ...this.tracker.writer(), leaseMs: this.config.jobs.leaseMs };
      claimed = await this.store.claim(worker.handler.type, free, request);
    } catch (err) {
      this.logger.error(`claim of ${worker.handler.type} jobs failed: ${String(err)}`);
    } finally {
      worker.claiming = false;
    }
    if (this.readiness.draining) return this.giveBack(claimed);
    for (const record of claimed) this.start(worker, record);
    if (claimed.length === free || worker.wanted) return this.pump(worker);
    if (claimed.length === 0) await this.scheduleNextRetry(worker);
  }

  /** Claims that returned after shutdown began go straight back to the queue. */
  private async giveBack(claimed: JobRecord[]): Promise<void> {
    for (const job of claimed) {
      const released = await this.store
        .finishAttempt(job.id, job.leaseToken!, { kind: 'released' }, this.tracker.writer(), 0)
        .catch(() => null); // the lease expires and the job is recovered anyway
      if (released) this.tracker.publish(released);
    }
  }

  private async scheduleNextRetry(worker: TypeWorker): Promise<void> {
    const at = await this.store.nextRunAfter([worker.handler.type], Date.now());
    if (at !== null) this.wakeAt(worker.handler.type, at);
  }

  private start(worker: TypeWorker, record: JobRecord): void {
    const attempt = newAttempt(record);
    worker.active.set(record.id, attempt);
    this.tracker.track(record);
    this.tracker.publish(record);
    void this.execute(worker, attempt).finally(() => worker.finishing.delete(record.id));
  }

  private async execute(worker: TypeWorker, attempt: Attempt): Promise<void> {
    const timeout = setTimeout(
      () => abortAttempt(attempt, AbortReason.timeout),
      worker.policy.timeoutMs,
    );
    const { id } = attempt.record;
    const context = attemptContext(attempt, this.blobs, {
      progress: (percent, stage, message) => this.tracker.progress(id, percent, stage, message),
      log: (text) => this.tracker.log(id, text),
    });
    let result: JobResult | void = undefined;
    let thrown: unknown;
    let threw = false;
    try {
      const work = worker.handler.run(context);
      result = await settleOrGiveUp(work, attempt, this.config.jobs.cancelGraceMs);
    } catch (err) {
      thrown = err;
      threw = true;
    } finally {
      clearTimeout(timeout);
      attempt.closed = true;
    }
    // The slot is free once the handler is done: the next claim joins the end's write.
    worker.active.delete(id);
    worker.finishing.set(id, attempt);
    this.wake(worker.handler.type);
    await this.conclude(attempt, decideOutcome(attempt.reason, thrown, threw), result ?? null);
  }

  /** One fenced write ends the attempt; the store may turn it into a cancel. */
  private async conclude(
    attempt: Attempt,
    outcome: Outcome,
    result: JobResult | null,
  ): Promise<void> {
    const { id, type } = attempt.record;
    const last = this.tracker.untrack(id);
    const ending = this.attemptOutcome(attempt.record, outcome, result);
    const written = ending
      ? await withRetries(
          () =>
            this.store.finishAttempt(
              id,
              attempt.token,
              ending,
              this.tracker.writer(),
              this.config.resultTtlMs,
              last,
            ),
          this.config.jobs.leaseMs,
          (err) =>
            this.logger.warn(logFields(attempt.record, err), 'finishing write failed, retrying'),
        )
      : undefined;
    const finished = written?.ok ? written.value : null;
    if (finished?.state !== JobState.completed) await this.dropRunBlobs(attempt.record);
    if (!finished) return this.noteLost(attempt);
    this.tracker.publish(finished);
    const ran = finished.finishedAt! - (finished.startedAt ?? finished.createdAt);
    if (finished.state === JobState.completed) this.stats.recordCompleted(type, ran);
    else if (finished.state === JobState.failed) this.stats.recordFailed();
  }

  private attemptOutcome(
    r: JobRecord,
    outcome: Outcome,
    result: JobResult | null,
  ): AttemptOutcome | null {
    switch (outcome.kind) {
      case 'completed':
        return { kind: 'completed', result };
      case 'cancelled':
      case 'released':
        return { kind: outcome.kind };
      case 'lost':
        return null;
      case 'error': {
        if (!outcome.error.retryable || r.attempt >= r.maxAttempts)
          return { kind: 'failed', error: outcome.error };
        const { backoffBaseMs, backoffMaxMs } = this.config.jobs;
        const runAfter = Date.now() + backoffDelay(r.attempt, backoffBaseMs, backoffMaxMs);
        return { kind: 'retry', error: outcome.error, runAfter };
      }
    }
  }

  private async dropRunBlobs(record: JobRecord): Promise<void> {
    await this.blobs
      .deletePrefix(runPrefix(record.id, record.run))
      .catch((err: unknown) => this.logger.warn(logFields(record, err), 'run blobs not deleted'));
  }

  private async noteLost(attempt: Attempt): Promise<void> {
    const { id, attempt: number } = attempt.record;
    this.logger.warn(
      logFields(attempt.record),
      `lost its lease; attempt ${number}'s result is discarded`,
    );
    const entry = {
      at: Date.now(),
      event: 'progress-lost' as const,
      attempt: number,
      node: this.config.nodeId,
    };
    await this.store.noteHistory(id, entry).catch(() => undefined);
  }

  private abort(id: string, reason: AbortReason): void {
    for (const worker of this.workers.values()) {
      const attempt = worker.active.get(id);
      if (attempt) abortAttempt(attempt, reason);
    }
  }

  /** Renews every lease of this process in one batch; a lost one stops its attempt. */
  async heartbeat(): Promise<void> {
    const attempts = [...this.workers.values()].flatMap((w) => [
      ...w.active.values(),
      ...w.finishing.values(),
    ]);
    if (attempts.length === 0) return;
    const leases = attempts.map((a) => ({ id: a.record.id, token: a.token }));
    const held = await this.store.renewLeases(
      leases,
      this.config.jobs.leaseMs,
      this.tracker.writer(),
    );
    const byId = new Map(held.map((h) => [h.id, h]));
    for (const attempt of attempts) {
      const lease = byId.get(attempt.record.id);
      if (!lease) abortAttempt(attempt, AbortReason.leaseLost);
      else if (lease.cancelRequested) {
        this.tracker.noteCancelRequested(attempt.record.id);
        abortAttempt(attempt, AbortReason.cancel);
      }
    }
  }

  /** Recovers expired leases (any process's) and claims for every type. */
  async poll(): Promise<void> {
    const recovered = await this.store.recoverExpired(
      this.tracker.writer(),
      this.config.resultTtlMs,
      500,
    );
    for (const job of recovered) this.tracker.publish(job);
    for (const type of this.workers.keys()) this.wake(type);
  }

  /** Shutdown, in order: stop claiming, drain with heartbeats on, then release what is left. */
  async beforeApplicationShutdown(): Promise<void> {
    this.readiness.markDraining();
    for (const w of this.workers.values()) clearTimeout(w.wakeTimer);
    await this.drain(this.config.jobs.shutdownGraceMs);
    for (const attempt of this.activeAttempts()) abortAttempt(attempt, AbortReason.shutdown);
    await this.drain(this.config.jobs.cancelGraceMs + 2000);
  }

  onApplicationShutdown(): void {
    this.unsubscribe?.();
    this.timers.forEach(clearInterval);
  }

  private activeAttempts(): Attempt[] {
    return [...this.workers.values()].flatMap((w) => [...w.active.values()]);
  }

  private async drain(ms: number): Promise<void> {
    const until = Date.now() + ms;
    while (
      Date.now() < until &&
      [...this.workers.values()].some((w) => w.active.size + w.finishing.size > 0 || w.claiming)
    ) {
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
