import { JobRecord, JobState } from './job.model';

export const JOB_STORE = Symbol('JOB_STORE');

/** Conditions a compare-and-set write requires of the current record. */
export interface JobGuard {
  states?: readonly JobState[];
  /** When set, the record must hold exactly this lease token (fencing). */
  leaseToken?: string;
  /** When set, the record's attempt must equal it (claims use the attempt they read). */
  attempt?: number;
  /** When set, the record's cancelRequested flag must equal it. */
  cancelRequested?: boolean;
}

/** Fields a write may change. `seq` is handled by the store (see JobStore.update). */
export type JobPatch = Partial<Omit<JobRecord, 'id' | 'type' | 'owner' | 'createdAt' | 'seq'>>;

export interface JobListQuery {
  owner?: string;
  state?: JobState;
  type?: string;
  limit: number;
  /** Opaque position from a previous page. */
  cursor?: { createdAt: number; id: string };
}

export interface StateCounts {
  queued: number;
  running: number;
  completed: number;
  failed: number;
  cancelled: number;
}

export interface TypeStateCount {
  type: string;
  state: JobState;
  count: number;
}

/**
 * The persistence port of the job engine. Every state change is a compare-and-set:
 * `update` applies only when the guard holds, so concurrent writers (a cancel and a late
 * completion, two nodes claiming) can never overwrite each other.
 * Adapters must pass `test/contracts/job-store.contract.ts`.
 */
export interface JobStore {
  /** Creates tables/indexes; called once on start. */
  init(): Promise<void>;
  close(): Promise<void>;
  /** Inserts a new record. Rejects with `DuplicateIdempotencyKeyError` on (owner, key) clash. */
  insert(record: JobRecord): Promise<void>;
  /**
   * Compare-and-set. Returns the updated record, or null when the guard did not hold.
   * `seq` becomes max(seq + 1, minSeq) so every change is visible as a new sequence number;
   * `'keep'` leaves it as it is (bookkeeping no client sees, such as a lease renewal).
   */
  update(
    id: string,
    guard: JobGuard,
    patch: JobPatch,
    minSeq?: number | 'keep',
  ): Promise<JobRecord | null>;
  get(id: string): Promise<JobRecord | null>;
  findByIdempotencyKey(owner: string, key: string): Promise<JobRecord | null>;
  list(query: JobListQuery): Promise<JobRecord[]>;
  /** Queued jobs of the given types, oldest first. */
  findQueued(types: readonly string[], limit: number): Promise<JobRecord[]>;
  /** Running jobs whose lease expired before `now`. */
  findExpiredLeases(now: number, limit: number): Promise<JobRecord[]>;
  /** Running jobs, whatever their lease (embedded single-node recovery on boot). */
  findRunning(limit: number): Promise<JobRecord[]>;
  /** Finished jobs whose `expiresAt` is before `now`. */
  findExpired(now: number, limit: number): Promise<JobRecord[]>;
  delete(id: string): Promise<boolean>;
  countQueued(): Promise<{ total: number; byOwner: Map<string, number> }>;
  countByTypeAndState(owner?: string): Promise<TypeStateCount[]>;
  /** Cheap reachability probe for readiness. */
  ping(): Promise<void>;
}

export class DuplicateIdempotencyKeyError extends Error {
  constructor() {
    super('duplicate idempotency key');
  }
}
