import type { Connection, Model } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { JobHistoryEntry, JobRecord, JobState, MAX_HISTORY } from '../../../core/jobs/job.model';
import {
  AttemptOutcome,
  CancelAnswer,
  ChangeWatch,
  ClaimRequest,
  DuplicateIdempotencyKeyError,
  HeldLease,
  JobChange,
  JobListQuery,
  JobStore,
  ProgressSnapshot,
  QueueFull,
  QueueLimits,
  TypeStateCount,
  Writer,
} from '../../../core/jobs/job-store.port';
import {
  JobPatch,
  cancelPatch,
  finishPatch,
  recoverPatch,
  retryPatch,
  withProgress,
} from '../../../core/jobs/job-transitions';
import {
  JobChangeDocument,
  JobChangeSchema,
  JobCounterDocument,
  JobCounterSchema,
  JobDocument,
  JobSchema,
} from './job.schema';
import {
  CLAIM_SORT,
  JOB_LIST_SORT,
  JobFilter,
  cancelFilter,
  claimFilter,
  claimPipeline,
  expiredLeasesFilter,
  finishFilter,
  fromJobDocument,
  heldFilter,
  jobListFilter,
  patchUpdate,
  progressUpdate,
  recoverFilter,
  renewUpdate,
  toJobDocument,
  unchangedFilter,
} from './mongo-job-queries';
import { MongoJobFeed } from './mongo-job-feed';
import { WaitingRoom } from './mongo-waiting-room';

export interface MongoJobModels {
  jobs: Model<JobDocument>;
  counters: Model<JobCounterDocument>;
  changes: Model<JobChangeDocument>;
}

/** Reads and guarded writes of one transition, retried while other writers keep winning. */
const CAS_ROUNDS = 5;
const AFTER = { returnDocument: 'after' } as const;

/** MongoDB's duplicate-key error (a unique index refused the write). */
export function isDuplicateKey(err: unknown): boolean {
  return (err as { code?: number } | null)?.code === 11000;
}

/**
 * JobStore on MongoDB (production mode). Every transition is one conditional
 * `findOneAndUpdate`: the claim sorts and updates in one pipeline; the others read the row,
 * decide the patch with the same pure transitions as SQLite (job-transitions.ts), and write it
 * guarded by what the decision read (state, lease token, expiry, cancel flag), reading again
 * when another writer won. The waiting room is a pair of guarded counters; the change feed a
 * collection ordered by a counter. Writes use the connection's write concern (majority by default
 * on a replica set), so a resolved promise is committed.
 */
export class MongoJobStore implements JobStore {
  private readonly waiting: WaitingRoom;
  private readonly feed: MongoJobFeed;

  constructor(private readonly models: MongoJobModels) {
    this.waiting = new WaitingRoom(models.counters);
    this.feed = new MongoJobFeed(models.changes, models.counters);
  }

  /** The store's models on a connection (each registered once per connection). */
  static fromConnection(connection: Connection): MongoJobStore {
    const registered = (name: string) => connection.models[name] !== undefined;
    return new MongoJobStore({
      jobs: registered(JobDocument.name)
        ? connection.model<JobDocument>(JobDocument.name)
        : connection.model<JobDocument>(JobDocument.name, JobSchema),
      counters: registered(JobCounterDocument.name)
        ? connection.model<JobCounterDocument>(JobCounterDocument.name)
        : connection.model<JobCounterDocument>(JobCounterDocument.name, JobCounterSchema),
      changes: registered(JobChangeDocument.name)
        ? connection.model<JobChangeDocument>(JobChangeDocument.name)
        : connection.model<JobChangeDocument>(JobChangeDocument.name, JobChangeSchema),
    });
  }

  async init(): Promise<void> {
    await this.models.jobs.createIndexes();
    await this.waiting.init();
    await this.feed.init();
  }

  /** The connection belongs to its owner (the Mongoose module), which closes it. */
  close(): Promise<void> {
    return Promise.resolve();
  }

  async ping(): Promise<void> {
    const db = this.models.jobs.db.db;
    if (!db) throw new Error('MongoDB connection is not open');
    await db.command({ ping: 1 });
  }

  async insert(record: JobRecord, limits: QueueLimits, by: Writer): Promise<QueueFull | null> {
    const rank = record.system
      ? await this.waiting.count(record.owner)
      : await this.waiting.reserve(record.owner, limits);
    if (typeof rank === 'string') return rank;
    try {
      await this.models.jobs.create(toJobDocument(record, rank));
    } catch (err) {
      if (!record.system) await this.waiting.leave(record.owner);
      if (isDuplicateKey(err)) throw new DuplicateIdempotencyKeyError();
      throw err;
    }
    await this.feed.log(record.id, record.owner, by, 'state');
    return null;
  }

  async claim(type: string, max: number, request: ClaimRequest): Promise<JobRecord[]> {
    const claimed: JobRecord[] = [];
    while (claimed.length < max) {
      const doc = await this.models.jobs
        .findOneAndUpdate(claimFilter(type, request.now), claimPipeline(request, randomUUID()), {
          ...AFTER,
          sort: CLAIM_SORT,
          updatePipeline: true,
        })
        .lean<JobDocument>()
        .exec();
      if (!doc) break;
      const record = fromJobDocument(doc);
      if (!record.system) await this.waiting.leave(record.owner);
      await this.feed.log(record.id, record.owner, request, 'state');
      claimed.push(record);
    }
    return claimed;
  }

  async renewLeases(
    leases: readonly HeldLease[],
    leaseMs: number,
    by: Writer,
  ): Promise<{ id: string; cancelRequested: boolean }[]> {
    if (leases.length === 0) return [];
    const update = renewUpdate(by.now + leaseMs);
    await this.models.jobs.bulkWrite(
      leases.map(({ id, token }) => ({ updateOne: { filter: heldFilter(id, token), update } })),
      { ordered: false },
    );
    // A token is never reused: a lease the batch did not renew is not held now either.
    const held = await this.models.jobs
      .find({ $or: leases.map(({ id, token }) => heldFilter(id, token)) })
      .select({ cancelRequested: 1 })
      .lean<Pick<JobDocument, '_id' | 'cancelRequested'>[]>()
      .exec();
    return held.map((doc) => ({ id: doc._id, cancelRequested: doc.cancelRequested }));
  }

  async recoverExpired(by: Writer, ttlMs: number, limit: number): Promise<JobRecord[]> {
    const rows = await this.find(expiredLeasesFilter(by.now), limit);
    const recovered: JobRecord[] = [];
    for (const row of rows) {
      const patch = recoverPatch(row, by, ttlMs);
      const done = await this.write(row, patch, recoverFilter(row, by.now), by);
      if (done) recovered.push(done);
    }
    return recovered;
  }

  async finishAttempt(
    id: string,
    token: string,
    outcome: AttemptOutcome,
    by: Writer,
    ttlMs: number,
    last?: ProgressSnapshot,
  ): Promise<JobRecord | null> {
    // The guard holds the cancel flag as read: a cancel arriving in between fails the write,
    // and the second read decides again (a pending cancel wins). Nothing else can change it.
    for (let round = 0; round < 2; round++) {
      const row = await this.get(id);
      if (!row || row.state !== JobState.running || row.leaseToken !== token) return null;
      const patch = finishPatch(withProgress(row, last), outcome, by, ttlMs);
      const done = await this.write(row, patch, finishFilter(row), by);
      if (done) return done;
    }
    return null;
  }

  async saveProgress(
    id: string,
    token: string,
    progress: ProgressSnapshot,
    by: Writer,
  ): Promise<boolean> {
    const doc = await this.models.jobs
      .findOneAndUpdate(heldFilter(id, token), progressUpdate(progress), {
        projection: { owner: 1 },
      })
      .lean<Pick<JobDocument, '_id' | 'owner'>>()
      .exec();
    if (doc) await this.feed.log(id, doc.owner, by, 'progress');
    return doc !== null;
  }

  async requestCancel(id: string, by: Writer, ttlMs: number): Promise<CancelAnswer | null> {
    for (let round = 0; round < CAS_ROUNDS; round++) {
      const row = await this.get(id);
      if (!row) return null;
      const patch = cancelPatch(row, by, ttlMs);
      if (!patch) return { record: row, changed: false };
      const done = await this.write(row, patch, cancelFilter(row), by);
      if (done) return { record: done, changed: true };
    }
    throw new Error(`cancel of job ${id} lost ${CAS_ROUNDS} races in a row`);
  }

  async retry(id: string, limits: QueueLimits, by: Writer): Promise<JobRecord | QueueFull | null> {
    for (let round = 0; round < CAS_ROUNDS; round++) {
      const row = await this.get(id);
      const patch = row && retryPatch(row, by);
      if (!row || !patch) return null;
      const done = await this.transition(row, patch, unchangedFilter(row), by, limits);
      if (done) return done;
    }
    throw new Error(`retry of job ${id} lost ${CAS_ROUNDS} races in a row`);
  }

  async releaseNode(by: Writer): Promise<JobRecord[]> {
    const rows = await this.find({ node: by.node, state: JobState.running }, 0);
    const released: JobRecord[] = [];
    for (const row of rows) {
      const patch = finishPatch(row, { kind: 'released' }, by, 0);
      const done = await this.write(row, patch, finishFilter(row), by);
      if (done) released.push(done);
    }
    return released;
  }

  async noteHistory(id: string, entry: JobHistoryEntry): Promise<void> {
    const update = { $push: { history: { $each: [entry], $slice: -MAX_HISTORY } } };
    await this.models.jobs.updateOne({ _id: id }, update).exec();
  }

  async clearIdempotencyKey(id: string): Promise<void> {
    await this.models.jobs.updateOne({ _id: id }, { $set: { idempotencyKey: null } }).exec();
  }

  async delete(id: string, by: Writer): Promise<boolean> {
    const doc = await this.models.jobs
      .findOneAndDelete({ _id: id })
      .select({ owner: 1, state: 1, system: 1 })
      .lean<Pick<JobDocument, 'owner' | 'state' | 'system'>>()
      .exec();
    if (!doc) return false;
    if (doc.state === JobState.queued && !doc.system) await this.waiting.leave(doc.owner);
    await this.feed.log(id, doc.owner, by, 'deleted');
    return true;
  }

  async get(id: string): Promise<JobRecord | null> {
    const doc = await this.models.jobs.findById(id).lean<JobDocument>().exec();
    return doc ? fromJobDocument(doc) : null;
  }

  getMany(ids: readonly string[]): Promise<JobRecord[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.find({ _id: { $in: [...ids] } }, 0);
  }

  async findByIdempotencyKey(owner: string, key: string): Promise<JobRecord | null> {
    const [record] = await this.find({ owner, idempotencyKey: key }, 1);
    return record ?? null;
  }

  async list(query: JobListQuery): Promise<JobRecord[]> {
    const docs = await this.models.jobs
      .find(jobListFilter(query))
      .sort(JOB_LIST_SORT)
      .limit(query.limit)
      .lean<JobDocument[]>()
      .exec();
    return docs.map(fromJobDocument);
  }

  findExpired(now: number, limit: number): Promise<JobRecord[]> {
    return this.find({ expiresAt: { $lt: now } }, limit);
  }

  countWaiting(): Promise<number> {
    return this.waiting.countAll();
  }

  async countByTypeAndState(owner?: string): Promise<TypeStateCount[]> {
    const groups = await this.models.jobs
      .aggregate<{ _id: { type: string; state: JobState }; count: number }>([
        { $match: owner === undefined ? {} : { owner } },
        { $group: { _id: { type: '$type', state: '$state' }, count: { $sum: 1 } } },
      ])
      .exec();
    return groups.map(({ _id, count }) => ({ type: _id.type, state: _id.state, count }));
  }

  async nextRunAfter(types: readonly string[], now: number): Promise<number | null> {
    if (types.length === 0) return null;
    const filter = { state: JobState.queued, type: { $in: [...types] }, runAfter: { $gt: now } };
    const doc = await this.models.jobs
      .findOne(filter)
      .sort({ runAfter: 1 })
      .select({ runAfter: 1 })
      .lean<Pick<JobDocument, 'runAfter'>>()
      .exec();
    return doc ? doc.runAfter : null;
  }

  changes(after: number, limit: number): Promise<JobChange[]> {
    return this.feed.read(after, limit);
  }

  feedHead(): Promise<number> {
    return this.feed.head();
  }

  pruneChanges(before: number): Promise<void> {
    return this.feed.prune(before);
  }

  /** A change stream of the feed collection's inserts, with a kept resume token. */
  watchChanges(...args: Parameters<NonNullable<JobStore['watchChanges']>>): ChangeWatch {
    return this.feed.watchChanges(...args);
  }

  /** A transition that takes no bounded slot (a requeue from running may always re-enter). */
  private async write(
    row: JobRecord,
    patch: JobPatch,
    filter: JobFilter,
    by: Writer,
  ): Promise<JobRecord | null> {
    const done = await this.transition(row, patch, filter, by);
    return typeof done === 'string' ? null : done;
  }

  /** Records matching `filter` (at most `limit`, 0 for all). */
  private async find(filter: JobFilter, limit: number): Promise<JobRecord[]> {
    const docs = await this.models.jobs.find(filter).limit(limit).lean<JobDocument[]>().exec();
    return docs.map(fromJobDocument);
  }

  /**
   * Writes a patch decided from `row`, guarded by `filter`; null when the guard failed. A job
   * (re)entering the queue takes a waiting-room slot first (bounded by `limits` when given) and
   * gets its fair rank; the slot is given back when the guard fails. Leaving the queue frees it.
   */
  private async transition(
    row: JobRecord,
    patch: JobPatch,
    filter: JobFilter,
    by: Writer,
    limits?: QueueLimits,
  ): Promise<JobRecord | QueueFull | null> {
    const enters = patch.state === JobState.queued && row.state !== JobState.queued;
    const leaves = row.state === JobState.queued && (patch.state ?? row.state) !== row.state;
    const counted = !row.system;
    let rank: number | undefined;
    if (enters) {
      const slot = counted ? await this.waiting.enter(row.owner, limits) : null;
      if (typeof slot === 'string') return slot;
      rank = slot ?? (await this.waiting.count(row.owner));
    }
    const doc = await this.models.jobs
      .findOneAndUpdate(filter, patchUpdate(row, patch, rank), AFTER)
      .lean<JobDocument>()
      .exec();
    if ((doc ? leaves : enters) && counted) await this.waiting.leave(row.owner);
    if (!doc) return null;
    await this.feed.log(row.id, row.owner, by, 'state');
    return fromJobDocument(doc);
  }
}
