import type { Model } from 'mongoose';
import type { ChangeWatch, JobChange, Writer } from '../../../core/jobs/job-store.port';
import type { JobChangeDocument, JobCounterDocument } from './job.schema';
import { FeedSource, FeedStream, MongoFeedWatch } from './mongo-feed-watch';
import { FEED_SEQUENCE, contiguousChanges } from './mongo-job-queries';
import { ensureCounter } from './mongo-waiting-room';

/** How long a reader waits for a position handed out but not yet written before passing it. */
export const FEED_GAP_GRACE_MS = 2_000;

/** A change stream sees only new entries (pruning and the TTL index delete, never insert). */
const INSERTS = [{ $match: { operationType: 'insert' } }];

/**
 * The job change feed on MongoDB: one document per change in `job_changes`, its `_id` the
 * position taken from a `$inc` sequence counter (strictly rising). Readers page by position;
 * entries are pruned by the writer's clock and, as a backstop, by a TTL index. Readers may also
 * watch it: a change stream of its inserts (see MongoFeedWatch).
 */
export class MongoJobFeed implements FeedSource {
  constructor(
    private readonly changes: Model<JobChangeDocument>,
    private readonly counters: Model<JobCounterDocument>,
  ) {}

  async init(): Promise<void> {
    await this.changes.createIndexes();
    await ensureCounter(this.counters, FEED_SEQUENCE);
  }

  async log(jobId: string, owner: string, by: Writer, kind: JobChange['kind']): Promise<void> {
    const sequence = await this.counters
      .findOneAndUpdate(
        { _id: FEED_SEQUENCE },
        { $inc: { n: 1 } },
        { upsert: true, returnDocument: 'after' },
      )
      .lean<JobCounterDocument>()
      .exec();
    const entry = { _id: sequence.n, jobId, owner, node: by.node, kind, at: by.now };
    await this.changes.create({ ...entry, writtenAt: new Date() });
  }

  async read(after: number, limit: number): Promise<JobChange[]> {
    const docs = await this.readEntries(after, limit);
    return contiguousChanges(after, docs, Date.now(), FEED_GAP_GRACE_MS);
  }

  readEntries(after: number, limit: number): Promise<JobChangeDocument[]> {
    return this.changes
      .find({ _id: { $gt: after } })
      .sort({ _id: 1 })
      .limit(limit)
      .lean<JobChangeDocument[]>()
      .exec();
  }

  /** The driver's own change stream on the collection (Mongoose's wrapper keeps no token). */
  watch(startAfter?: unknown): FeedStream {
    const db = this.changes.db.db;
    if (!db) throw new Error('MongoDB connection is not open');
    const options = startAfter === undefined ? {} : { startAfter };
    return db
      .collection<JobChangeDocument>(this.changes.collection.collectionName)
      .watch(INSERTS, options);
  }

  watchChanges(
    after: number,
    onChanges: (batch: JobChange[]) => void,
    onBroken: (err: unknown) => void,
  ): ChangeWatch {
    const options = { gapGraceMs: FEED_GAP_GRACE_MS };
    return new MongoFeedWatch(this, after, onChanges, onBroken, options).start();
  }

  async head(): Promise<number> {
    const doc = await this.counters.findById(FEED_SEQUENCE).lean<JobCounterDocument>().exec();
    return doc?.n ?? 0;
  }

  async prune(before: number): Promise<void> {
    await this.changes.deleteMany({ at: { $lt: before } }).exec();
  }
}
