import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { JobEvents } from './job-events';
import { JobState } from './job.model';
import { JOB_CHANGE_BATCH, JobChange, JOB_STORE, JobStore } from './job-store.port';
import { JobTracker } from './job-tracker.service';

/** Feed entries are kept this long: a process that stalls longer resumes from the head. */
const FEED_RETENTION_MS = 60_000;
const PRUNE_EVERY_MS = 10_000;

/**
 * Brings other processes' changes onto this process's event bus: reads the store's change feed
 * (after the last position seen), skips its own changes (those took the in-process path at
 * once), and re-emits each changed job's current state, so sockets, SSE streams and the runner
 * (cancels, new work) see every process's jobs.
 */
@Injectable()
export class JobChangeFeed implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(JobChangeFeed.name);
  private position = 0;
  private timer?: NodeJS.Timeout;
  private busy = false;
  private lastPrune = 0;

  constructor(
    @Inject(JOB_STORE) private readonly store: JobStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tracker: JobTracker,
    private readonly events: JobEvents,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.position = await this.store.feedHead();
    this.timer = setInterval(() => void this.tick(), this.config.jobs.feedMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Reads and relays everything new; errors are logged and the next tick tries again. */
  async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      let batch: JobChange[];
      do {
        batch = await this.store.changes(this.position, JOB_CHANGE_BATCH);
        if (batch.length > 0) this.position = batch[batch.length - 1].position;
        await this.relay(batch.filter((c) => c.node !== this.config.nodeId));
      } while (batch.length === JOB_CHANGE_BATCH);
      await this.prune();
    } catch (err) {
      this.logger.warn(`change feed read failed: ${String(err)}`);
    } finally {
      this.busy = false;
    }
  }

  /** One event per changed job: its state now (a record event) or its progress. */
  private async relay(changes: JobChange[]): Promise<void> {
    const byJob = new Map<string, JobChange>();
    for (const change of changes) {
      const seen = byJob.get(change.jobId);
      if (!seen || seen.kind === 'progress') byJob.set(change.jobId, change);
    }
    const wanted: string[] = [];
    for (const change of byJob.values()) {
      if (change.kind === 'deleted') this.tracker.emitDeleted(change.jobId, change.owner);
      else wanted.push(change.jobId);
    }
    for (const job of await this.store.getMany(wanted)) {
      const change = byJob.get(job.id)!;
      if (change.kind === 'state' || job.state !== JobState.running) this.tracker.publish(job);
      else this.emitProgress(job);
    }
  }

  private emitProgress(job: NonNullable<Awaited<ReturnType<JobStore['get']>>>): void {
    const { id, owner, state, progress, stage, message, seq, updatedAt } = job;
    this.events.emit({
      kind: 'progress',
      jobId: id,
      owner,
      state,
      progress,
      stage,
      message,
      seq,
      updatedAt,
    });
  }

  private async prune(): Promise<void> {
    const now = Date.now();
    if (now - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = now;
    await this.store.pruneChanges(now - FEED_RETENTION_MS);
  }
}
