import type { Model } from 'mongoose';
import type { QueueFull, QueueLimits } from '../../../core/jobs/job-store.port';
import type { JobCounterDocument } from './job.schema';
import { WAITING_ALL, reserveFilter, waitingOf } from './mongo-job-queries';

/** Codes of MongoDB's duplicate-key error. */
const DUPLICATE_KEY = 11000;

/**
 * The bounded waiting room on MongoDB: a counter of queued user jobs for everyone and one per
 * owner. A slot is taken by one `$inc` guarded by `n < limit`, so any number of processes share
 * one bound; a slot taken for a write that then fails is given back. A job leaving `queued`
 * (claimed, cancelled, deleted) gives its slot back. System jobs never take one.
 */
export class WaitingRoom {
  constructor(private readonly counters: Model<JobCounterDocument>) {}

  async init(): Promise<void> {
    await this.ensure(WAITING_ALL);
  }

  /**
   * Takes a slot for `owner` (within `limits` when given, else unbounded: a job coming back
   * from `running`). Returns the owner's fair rank (their jobs already waiting), or the bound
   * that was full.
   */
  async enter(owner: string, limits?: QueueLimits): Promise<number | QueueFull> {
    if (limits) return this.reserve(owner, limits);
    const mine = await this.counters
      .findOneAndUpdate({ _id: waitingOf(owner) }, { $inc: { n: 1 } }, UPSERT_AFTER)
      .lean<JobCounterDocument>()
      .exec();
    await this.counters.updateOne({ _id: WAITING_ALL }, { $inc: { n: 1 } }).exec();
    return mine.n - 1;
  }

  /** Takes a bounded slot: the whole room first (its refusal wins, as in SQLite), then the owner's. */
  async reserve(owner: string, limits: QueueLimits): Promise<number | QueueFull> {
    if ((await this.take(WAITING_ALL, limits.total)) === null) return 'system';
    const mine = await this.takeOwn(owner, limits.perUser);
    if (mine !== null) return mine - 1;
    await this.counters.updateOne({ _id: WAITING_ALL }, { $inc: { n: -1 } }).exec();
    return 'user';
  }

  /** Gives `owner`'s slot back (and the room's). */
  async leave(owner: string): Promise<void> {
    const ids = [WAITING_ALL, waitingOf(owner)];
    await this.counters.updateMany({ _id: { $in: ids } }, { $inc: { n: -1 } }).exec();
  }

  /** Jobs `owner` has waiting (the fair rank of a system job, which takes no slot). */
  async count(owner: string): Promise<number> {
    return this.read(waitingOf(owner));
  }

  countAll(): Promise<number> {
    return this.read(WAITING_ALL);
  }

  private async read(id: string): Promise<number> {
    const doc = await this.counters.findById(id).lean<JobCounterDocument>().exec();
    return doc?.n ?? 0;
  }

  /** The owner's counter after taking a slot; the counter is created the first time. */
  private async takeOwn(owner: string, limit: number): Promise<number | null> {
    const id = waitingOf(owner);
    const taken = await this.take(id, limit);
    if (taken !== null) return taken;
    await this.ensure(id);
    return this.take(id, limit);
  }

  private async take(id: string, limit: number): Promise<number | null> {
    const doc = await this.counters
      .findOneAndUpdate(reserveFilter(id, limit), { $inc: { n: 1 } }, { returnDocument: 'after' })
      .lean<JobCounterDocument>()
      .exec();
    return doc ? doc.n : null;
  }

  private ensure(id: string): Promise<void> {
    return ensureCounter(this.counters, id);
  }
}

/** Creates counter `id` at 0 unless it exists (racing creators: one inserts, none fails). */
export async function ensureCounter(
  counters: Model<JobCounterDocument>,
  id: string,
): Promise<void> {
  try {
    await counters.updateOne({ _id: id }, { $setOnInsert: { n: 0 } }, { upsert: true }).exec();
  } catch (err) {
    if ((err as { code?: number }).code !== DUPLICATE_KEY) throw err;
  }
}

const UPSERT_AFTER = { upsert: true, returnDocument: 'after' } as const;
