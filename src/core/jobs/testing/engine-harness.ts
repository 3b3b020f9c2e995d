import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../config/app-config';
import { LocalBlobStore } from '../../../infra/blob/local/local-blob-store.adapter';
import { SqliteJobStore } from '../../../infra/store/sqlite/sqlite-job-store.adapter';
import { ReadinessState } from '../../health/readiness.service';
import { JobEvent, JobEvents } from '../job-events';
import { JobContext, JobHandler, JobHandlerRegistry } from '../job-handler';
import { JobChangeFeed } from '../job-change-feed.service';
import { JobResult } from '../job.model';
import { JobStore } from '../job-store.port';
import { JobRunner } from '../job-runner.service';
import { JobTracker } from '../job-tracker.service';

export const TEST_JOB = 'test';

type Script = (ctx: JobContext) => Promise<JobResult | void>;

/** A handler whose behaviour each test scripts (default: finish at once). */
export class ScriptedHandler implements JobHandler {
  readonly type = TEST_JOB;
  readonly policy = { concurrency: 4, timeoutMs: 60_000, maxAttempts: 3 };
  script: Script = () => Promise.resolve();
  readonly runs: { id: string; attempt: number }[] = [];

  run(ctx: JobContext): Promise<JobResult | void> {
    this.runs.push({ id: ctx.id, attempt: ctx.attempt });
    return this.script(ctx);
  }
}

/** Makes any store method fail (or wait) on demand: the harness's window onto races. */
export class StoreFaults {
  private readonly failures = new Map<string, number>();
  private readonly gates = new Map<string, Promise<void>>();

  failNext(method: keyof JobStore, times = 1): void {
    this.failures.set(method, (this.failures.get(method) ?? 0) + times);
  }

  /** Holds calls of `method` until the returned function is called. */
  hold(method: keyof JobStore): () => void {
    let release!: () => void;
    this.gates.set(method, new Promise<void>((r) => (release = r)));
    return () => {
      this.gates.delete(method);
      release();
    };
  }

  async before(method: string): Promise<void> {
    await this.gates.get(method);
    const left = this.failures.get(method) ?? 0;
    if (left > 0) {
      this.failures.set(method, left - 1);
      throw new Error(`injected failure of ${method}`);
    }
  }

  wrap(store: JobStore): JobStore {
    return new Proxy(store, {
      get: (target, name, receiver) => {
        const value = Reflect.get(target, name, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return async (...args: unknown[]) => {
          await this.before(String(name));
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  }
}

export interface HarnessOptions {
  /** Share the database file and blob folder of another harness (another process). */
  shareWith?: EngineHarness;
  node?: string;
  env?: Record<string, string>;
}

/**
 * One engine "process" without Nest: a real SQLite store (wrapped by StoreFaults), local blobs,
 * tracker, runner and change feed, wired as the app wires them. Time is whatever clock the
 * test runs under (jest fake timers for time travel).
 */
export class EngineHarness {
  readonly faults = new StoreFaults();
  readonly handler = new ScriptedHandler();
  readonly events = new JobEvents();
  readonly seen: JobEvent[] = [];
  readonly readiness = new ReadinessState();
  readonly tracker: JobTracker;
  readonly runner: JobRunner;
  readonly feed: JobChangeFeed;
  readonly store: JobStore;
  readonly blobs: LocalBlobStore;

  private constructor(
    readonly raw: SqliteJobStore,
    readonly dir: string,
    node: string,
    env: Record<string, string>,
  ) {
    const config = loadConfig({
      DATA_DIR: dir,
      NODE_ID: node,
      JOB_LEASE_MS: '1000',
      JOB_HEARTBEAT_MS: '300',
      JOB_POLL_MS: '60000',
      JOB_FEED_MS: '50',
      CANCEL_GRACE_MS: '100',
      SHUTDOWN_GRACE_MS: '200',
      BACKOFF_BASE_MS: '50',
      BACKOFF_MAX_MS: '50',
      ...env,
    });
    this.store = this.faults.wrap(raw);
    this.blobs = new LocalBlobStore(join(dir, 'blobs'));
    this.tracker = new JobTracker(this.store, config, this.events);
    const registry = new JobHandlerRegistry(null as never, null as never);
    registry.register(this.handler);
    this.runner = new JobRunner(
      this.store,
      this.blobs,
      config,
      this.tracker,
      this.events,
      registry,
      this.readiness,
    );
    this.feed = new JobChangeFeed(this.store, config, this.tracker, this.events);
    this.events.on((e) => this.seen.push(e));
  }

  static async create(options: HarnessOptions = {}): Promise<EngineHarness> {
    const dir = options.shareWith?.dir ?? mkdtempSync(join(tmpdir(), 'darkroom-engine-'));
    const store = new SqliteJobStore(join(dir, 'jobs.sqlite'));
    await store.init();
    return new EngineHarness(store, dir, options.node ?? 'node-a', options.env ?? {});
  }

  async start(): Promise<this> {
    await this.runner.onApplicationBootstrap();
    await this.feed.onApplicationBootstrap();
    return this;
  }

  /** Graceful shutdown, as Nest runs it. */
  async stop(): Promise<void> {
    this.readiness.markDraining();
    await this.runner.beforeApplicationShutdown();
    this.runner.onApplicationShutdown();
    this.feed.onApplicationShutdown();
  }

  /** A crash: timers stop, nothing is released or written. */
  crash(): void {
    this.runner.onApplicationShutdown();
    this.feed.onApplicationShutdown();
    this.readiness.markDraining();
  }

  async close(): Promise<void> {
    await this.raw.close();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** The attempts the scripted handler started, of one job. */
  attemptsOf(jobId: string): number[] {
    return this.handler.runs.filter((r) => r.id === jobId).map((r) => r.attempt);
  }

  submit(payload: unknown = {}, over: { owner?: string; system?: boolean } = {}) {
    return this.tracker.create({
      type: TEST_JOB,
      owner: over.owner ?? 'alice',
      payload,
      maxAttempts: 3,
      system: over.system,
    });
  }

  /** Events of one job, in emit order. */
  eventsOf(jobId: string): JobEvent[] {
    return this.seen.filter(
      (e) => (e.kind === 'progress' || e.kind === 'deleted' ? e.jobId : e.job.id) === jobId,
    );
  }
}

/** A promise with its resolve function exposed. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

/**
 * Resolves once `check` holds. Under a fake clock, pass `advance` (e.g. jest's
 * `advanceTimersByTime`): the loop moves the clock by `stepMs` between real event-loop turns.
 */
export async function until(
  check: () => boolean | Promise<boolean>,
  advance?: (ms: number) => void,
  stepMs = 10,
  limitMs = 10_000,
): Promise<void> {
  for (let waited = 0; waited <= limitMs; waited += stepMs) {
    for (let i = 0; i < 3; i++) await turn();
    if (await check()) return;
    if (advance) advance(stepMs);
    else await new Promise((r) => setTimeout(r, stepMs));
  }
  throw new Error('condition not met in time');
}
