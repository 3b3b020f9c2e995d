import { JobError, JobHistoryEntry, JobLogLine, JobRecord, JobResult, JobState } from './job.model';

export const JOB_STORE = Symbol('JOB_STORE');

/** How many change-feed entries a reader takes at once. */
export const JOB_CHANGE_BATCH = 500;

/** The bounded waiting room: jobs that users (not the system) may have `queued`. */
export interface QueueLimits {
  total: number;
  perUser: number;
}

/** Why an insert or a retry was refused: which bound of the waiting room is full. */
export type QueueFull = 'system' | 'user';

/** Who claims or writes: the process id stamped on the record and its history. */
export interface Writer {
  node: string;
  now: number;
}

/** A claim: each claimed job gets a fresh lease token, valid for `leaseMs`. */
export interface ClaimRequest extends Writer {
  leaseMs: number;
}

/** A lease a process holds: the job and the token it claimed it with. */
export interface HeldLease {
  id: string;
  token: string;
}

/**
 * How an attempt ended, as its runner saw it. The store turns it into the final transition
 * from the row itself: a pending cancel wins over completion, retry or release.
 */
export type AttemptOutcome =
  | { kind: 'completed'; result: JobResult | null }
  | { kind: 'failed'; error: JobError }
  | { kind: 'retry'; error: JobError; runAfter: number }
  /** Shutdown: back to the queue, the attempt given back. */
  | { kind: 'released' }
  | { kind: 'cancelled' };

/** In-memory progress of a running job, written fenced by its lease token. */
export interface ProgressSnapshot {
  progress: number;
  stage: string;
  message: string;
  messages: JobLogLine[];
  seq: number;
  updatedAt: number;
}

/** The record after a cancel request, and whether the request changed anything. */
export interface CancelAnswer {
  record: JobRecord;
  changed: boolean;
}

/** One entry of the change feed: something about `jobId` changed (or it was deleted). */
export interface JobChange {
  /** Position in the feed; strictly rising. */
  position: number;
  jobId: string;
  owner: string;
  /** The process that made the change. */
  node: string;
  kind: 'state' | 'progress' | 'deleted';
}

export interface JobListQuery {
  owner?: string;
  state?: JobState;
  type?: string;
  limit: number;
  /** Opaque position from a previous page. */
  cursor?: { createdAt: number; id: string };
}

export interface TypeStateCount {
  type: string;
  state: JobState;
  count: number;
}

/**
 * The persistence port of the job engine: a set of atomic operations, each one compare-and-set
 * in the store, so that any number of processes may share one store. Each maps onto one MongoDB
 * `findOneAndUpdate` (a guarded filter plus an update), or a short retry loop of them.
 *
 * Durability: every write resolves only after it is committed (a crash after the promise
 * resolves loses nothing). Every write that changes what a client sees raises `seq`
 * (see `nextSeq`) and appends to the change feed.
 * Adapters must pass `test/contracts/job-store.contract.ts`.
 */
export interface JobStore {
  /** Creates tables/indexes; called once on start. */
  init(): Promise<void>;
  close(): Promise<void>;
  /** Cheap reachability probe for readiness. */
  ping(): Promise<void>;

  /**
   * Reserves a slot of the waiting room and inserts the queued record, atomically. A record
   * with `system: true` takes no slot. Returns the bound that was full, else null.
   * Rejects with `DuplicateIdempotencyKeyError` on an (owner, key) clash.
   */
  insert(record: JobRecord, limits: QueueLimits, by: Writer): Promise<QueueFull | null>;
  /**
   * Claims up to `max` queued jobs of `type` whose `runAfter` has come, ordered by priority
   * (high first), then fairly across owners, then age; each becomes `running` with the lease,
   * `attempt + 1` and a `claimed` history entry. The cancel flag is never touched.
   */
  claim(type: string, max: number, request: ClaimRequest): Promise<JobRecord[]>;
  /**
   * Renews these leases in one batch (expiry := now + leaseMs); returns the jobs still held,
   * with their cancel flags. A lease missing from the answer was lost.
   */
  renewLeases(
    leases: readonly HeldLease[],
    leaseMs: number,
    by: Writer,
  ): Promise<{ id: string; cancelRequested: boolean }[]>;
  /**
   * Requeues (or, on the third stall, fails) running jobs whose lease expired before `now`;
   * the expiry is part of each write's condition, so a job renewed meanwhile is left alone.
   */
  recoverExpired(by: Writer, ttlMs: number, limit: number): Promise<JobRecord[]>;
  /**
   * Ends the attempt held with `token` (null when the lease was lost); see AttemptOutcome.
   * `last` is the runner's unsaved progress, written with it (the final seq rises above it).
   */
  finishAttempt(
    id: string,
    token: string,
    outcome: AttemptOutcome,
    by: Writer,
    ttlMs: number,
    last?: ProgressSnapshot,
  ): Promise<JobRecord | null>;
  /** Writes a running job's progress, fenced by its lease token; false when the lease was lost. */
  saveProgress(id: string, token: string, progress: ProgressSnapshot, by: Writer): Promise<boolean>;
  /**
   * Cancel: a queued job becomes `cancelled` at once; a running one gets `cancelRequested`.
   * Returns the record after the write, or as it was when there was nothing to do.
   */
  requestCancel(id: string, by: Writer, ttlMs: number): Promise<CancelAnswer | null>;
  /**
   * A failed or cancelled job back to `queued` with one more attempt, taking a waiting-room
   * slot. Returns the record, the bound that was full, or null when the job was not retryable.
   */
  retry(id: string, limits: QueueLimits, by: Writer): Promise<JobRecord | QueueFull | null>;
  /** Gives back every job that `node` holds (a process restarting under the same NODE_ID). */
  releaseNode(by: Writer): Promise<JobRecord[]>;
  /** Appends a history entry without changing anything else (e.g. `progress-lost`). */
  noteHistory(id: string, entry: JobHistoryEntry): Promise<void>;
  /** Forgets an expired idempotency key so the key can be used again. */
  clearIdempotencyKey(id: string): Promise<void>;
  delete(id: string, by: Writer): Promise<boolean>;

  get(id: string): Promise<JobRecord | null>;
  /** The records that exist among `ids` (any order). */
  getMany(ids: readonly string[]): Promise<JobRecord[]>;
  findByIdempotencyKey(owner: string, key: string): Promise<JobRecord | null>;
  list(query: JobListQuery): Promise<JobRecord[]>;
  /** Finished jobs whose `expiresAt` is before `now`. */
  findExpired(now: number, limit: number): Promise<JobRecord[]>;
  /** Jobs waiting in the bounded waiting room (system jobs excluded). */
  countWaiting(): Promise<number>;
  countByTypeAndState(owner?: string): Promise<TypeStateCount[]>;
  /** The earliest `runAfter` of a queued job of these types after `now`, if any. */
  nextRunAfter(types: readonly string[], now: number): Promise<number | null>;

  /**
   * The change feed after `position` (exclusive), oldest first, at most `limit` entries read.
   * A store may leave out the entries made by `exceptNode` (a reader skips its own), except the
   * last one read, so the answer still shows how far the read reached.
   */
  changes(after: number, limit: number, exceptNode?: string): Promise<JobChange[]>;
  /** The newest position of the change feed (where a new reader starts). */
  feedHead(): Promise<number>;
  /**
   * Drops feed entries older than `before` (epoch ms). A store may keep its newest entry (it
   * holds the feed's position); positions keep rising after any prune.
   */
  pruneChanges(before: number): Promise<void>;
  /**
   * Optional pushed feed (MongoDB: a change stream). Calls `onChanges` with every change after
   * `after`, oldest first, each once, as `changes()` would return them; resumes its own stream
   * when it can. When it cannot, `onBroken` fires once and the watch is over: the reader polls
   * `changes()` from its last position and may watch again later. Stores without it are polled.
   */
  watchChanges?(
    after: number,
    onChanges: (batch: JobChange[]) => void,
    onBroken: (err: unknown) => void,
  ): ChangeWatch;
}

/** A running `watchChanges`; no callback fires once `close()` was called. */
export interface ChangeWatch {
  close(): Promise<void>;
}

export class DuplicateIdempotencyKeyError extends Error {
  constructor() {
    super('duplicate idempotency key');
  }
}
