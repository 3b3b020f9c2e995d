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
import { ChangeWatch, JOB_CHANGE_BATCH, JobChange, JOB_STORE, JobStore } from './job-store.port';
import { JobTracker } from './job-tracker.service';

/** Feed entries are kept this long: a process that stalls longer resumes from the head. */
const FEED_RETENTION_MS = 60_000;
const PRUNE_EVERY_MS = 10_000;
/** After a pushed feed broke: wait this long before watching again, doubled up to the max. */
export const REWATCH_MIN_MS = 1_000;
export const REWATCH_MAX_MS = 30_000;

/**
 * Brings other processes' changes onto this process's event bus: reads the store's change feed
 * (after the last position seen), skips its own changes (those took the in-process path at
 * once), and re-emits each changed job's current state, so sockets, SSE streams and the runner
 * (cancels, new work) see every process's jobs.
 *
 * When the store pushes its changes (`watchChanges`, MongoDB change streams), the feed takes
 * them as they come and the timer only prunes; when the push breaks, the timer polls from the
 * last position relayed until a new watch (with backoff) takes over. Polling and pushing both
 * go through one position, so a change is relayed once across the switch.
 */
@Injectable()
export class JobChangeFeed implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(JobChangeFeed.name);
  private position = 0;
  private timer?: NodeJS.Timeout;
  private busy = false;
  private lastPrune = 0;
  private watch?: ChangeWatch;
  private rewatchTimer?: NodeJS.Timeout;
  private rewatches = 0;
  private stopped = false;
  /** Relays run one after another, in feed order. */
  private relaying: Promise<void> = Promise.resolve();

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
    this.startWatch();
  }

  /** Stops the timers and closes the pushed feed (its close is not awaited: nothing is lost). */
  onApplicationShutdown(): void {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.rewatchTimer);
    const watch = this.watch;
    this.watch = undefined;
    watch?.close().catch((err) => this.logger.warn(`change stream close: ${String(err)}`));
  }

  /** Whether the store is pushing changes now (else the timer polls). */
  get pushed(): boolean {
    return this.watch !== undefined;
  }

  /** Polls (unless pushed) and prunes; errors are logged and the next tick tries again. */
  async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      while (!this.pushed) {
        const read = this.position;
        const batch = await this.store.changes(read, JOB_CHANGE_BATCH, this.config.nodeId);
        await this.accept(batch);
        if (batch.length === 0 || this.position - read < JOB_CHANGE_BATCH) break;
      }
      await this.prune();
    } catch (err) {
      this.logger.warn(`change feed read failed: ${String(err)}`);
    } finally {
      this.busy = false;
    }
  }

  private startWatch(): void {
    if (!this.store.watchChanges || this.stopped) return;
    let broken = false;
    const onBroken = (err: unknown) => {
      broken = true;
      this.watch = undefined;
      this.rewatchLater(err);
    };
    const onChanges = (batch: JobChange[]) => {
      this.rewatches = 0;
      void this.accept(batch);
    };
    try {
      const watch = this.store.watchChanges(this.position, onChanges, onBroken);
      if (!broken) this.watch = watch;
    } catch (err) {
      onBroken(err);
    }
  }

  private rewatchLater(err: unknown): void {
    if (this.stopped) return;
    const delay = Math.min(REWATCH_MIN_MS * 2 ** this.rewatches++, REWATCH_MAX_MS);
    this.logger.warn(
      `change stream broken (${String(err)}): polling, watching again in ${delay} ms`,
    );
    this.rewatchTimer = setTimeout(() => this.startWatch(), delay);
    this.rewatchTimer.unref();
  }

  /**
   * Takes a batch from the poll or the push: changes at or before the position were relayed
   * already and are skipped; the rest (other processes' only) are relayed in order.
   */
  private accept(batch: readonly JobChange[]): Promise<void> {
    const fresh = batch.filter((c) => c.position > this.position);
    if (fresh.length === 0) return this.relaying;
    this.position = fresh[fresh.length - 1].position;
    const others = fresh.filter((c) => c.node !== this.config.nodeId);
    this.relaying = this.relaying
      .then(() => this.relay(others))
      .catch((err) => this.logger.warn(`change feed relay failed: ${String(err)}`));
    return this.relaying;
  }

  /** One event per changed job: its state now (a record event) or its progress. */
  private async relay(changes: JobChange[]): Promise<void> {
    if (changes.length === 0) return;
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
