import { ChangeWatch, JOB_CHANGE_BATCH, JobChange } from '../../../core/jobs/job-store.port';
import type { JobChangeDocument } from './job.schema';
import { contiguousChanges } from './mongo-job-queries';

/** The change-stream events a watch listens to (the driver's `ChangeStream` has them all). */
export interface FeedStreamEvent {
  /** The event's resume token. */
  _id: unknown;
  operationType: string;
  fullDocument?: JobChangeDocument;
}

/** The part of the driver's `ChangeStream` a watch uses. */
export interface FeedStream {
  on(event: 'change', listener: (change: FeedStreamEvent) => void): unknown;
  on(event: 'resumeTokenChanged', listener: (token: unknown) => void): unknown;
  on(event: 'error', listener: (err: unknown) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  close(): Promise<void>;
}

/** Where a watch gets its entries: a stream of new ones, and a read of those already written. */
export interface FeedSource {
  /** A change stream of inserts into the change collection; after `startAfter` when given. */
  watch(startAfter?: unknown): FeedStream;
  /** Entries after position `after`, oldest first. */
  readEntries(after: number, limit: number): Promise<JobChangeDocument[]>;
}

export interface FeedWatchOptions {
  /** How long to wait at a gap (a position handed out, its entry not yet written). */
  gapGraceMs: number;
  /** Resumes in a row (with the kept token) before the watch gives up. */
  maxResumes?: number;
  /** Delay before the first resume; doubled for each further one in a row. */
  resumeDelayMs?: number;
}

/** Server codes after which a resume token is of no use. */
const UNRESUMABLE = new Set([
  280, // ChangeStreamFatalError
  286, // ChangeStreamHistoryLost: the oplog no longer holds the token
]);

function unresumable(err: unknown): boolean {
  return UNRESUMABLE.has((err as { code?: number } | null)?.code ?? 0);
}

/**
 * A pushed change feed on a MongoDB change stream of the change collection's inserts. Each
 * insert carries its feed position, so the watch hands on exactly what `changes()` would
 * read: positions in order from `after`, each once, a gap passed only after `gapGraceMs` (a
 * writer takes its position before it inserts, so inserts can commit out of order).
 *
 * A fresh stream first reads what was written before it opened. The last resume token is kept
 * in memory; on a stream error the watch reopens after it (`startAfter`, which also starts
 * after an invalidate). When it cannot (no token yet, history lost, too many failures in a
 * row, a failed read), it closes and calls `onBroken` once: the reader falls back to polling.
 */
export class MongoFeedWatch implements ChangeWatch {
  private stream?: FeedStream;
  private token: unknown;
  private readonly pending = new Map<number, JobChangeDocument>();
  private resumes = 0;
  private done = false;
  private gapTimer?: NodeJS.Timeout;
  private resumeTimer?: NodeJS.Timeout;

  constructor(
    private readonly source: FeedSource,
    private position: number,
    private readonly onChanges: (batch: JobChange[]) => void,
    private readonly onBroken: (err: unknown) => void,
    private readonly options: FeedWatchOptions,
  ) {}

  /** Opens the first stream; returns this. */
  start(): this {
    this.open(undefined);
    return this;
  }

  async close(): Promise<void> {
    this.done = true;
    await this.stop();
  }

  private open(startAfter: unknown): void {
    let stream: FeedStream;
    try {
      stream = this.source.watch(startAfter);
    } catch (err) {
      return this.fail(err);
    }
    this.stream = stream;
    // A resumed stream misses nothing; a fresh one reads what came before it, once it is open.
    let caughtUp = startAfter !== undefined;
    const live = () => this.stream === stream && !this.done;
    const opened = () => {
      if (caughtUp) return;
      caughtUp = true;
      void this.catchUp();
    };
    stream.on('resumeTokenChanged', (token) => {
      if (!live()) return;
      this.token = token;
      opened();
    });
    stream.on('change', (change) => {
      if (!live()) return;
      opened();
      this.onEvent(change);
    });
    stream.on('error', (err) => {
      if (live()) this.onStreamError(err);
    });
    stream.on('close', () => {
      if (live()) this.onStreamError(new Error('change stream closed'));
    });
  }

  private onEvent(change: FeedStreamEvent): void {
    this.token = change._id;
    if (change.operationType === 'invalidate') {
      this.onStreamError(new Error('change stream invalidated'));
      return;
    }
    this.resumes = 0;
    if (change.fullDocument) this.accept([change.fullDocument]);
  }

  private onStreamError(err: unknown): void {
    const stream = this.stream;
    this.stream = undefined;
    void stream?.close().catch(() => undefined);
    const maxResumes = this.options.maxResumes ?? 3;
    if (this.token === undefined || unresumable(err) || this.resumes >= maxResumes) {
      return this.fail(err);
    }
    const delay = (this.options.resumeDelayMs ?? 200) * 2 ** this.resumes++;
    this.resumeTimer = setTimeout(() => this.open(this.token), delay);
    this.resumeTimer.unref();
  }

  /** Reads the entries written before the stream opened, page by page. */
  private async catchUp(): Promise<void> {
    try {
      let after = this.position;
      let docs: JobChangeDocument[];
      do {
        docs = await this.source.readEntries(after, JOB_CHANGE_BATCH);
        if (this.done) return;
        this.accept(docs);
        after = docs.at(-1)?._id ?? after;
      } while (docs.length === JOB_CHANGE_BATCH);
    } catch (err) {
      this.fail(err);
    }
  }

  /** Takes entries from the stream or a read, and hands on those that are next in order. */
  private accept(docs: readonly JobChangeDocument[]): void {
    for (const doc of docs) if (doc._id > this.position) this.pending.set(doc._id, doc);
    const sorted = [...this.pending.values()].sort((a, b) => a._id - b._id);
    const now = Date.now();
    const ready = contiguousChanges(this.position, sorted, now, this.options.gapGraceMs);
    if (ready.length > 0) {
      this.position = ready[ready.length - 1].position;
      for (const key of this.pending.keys()) if (key <= this.position) this.pending.delete(key);
      this.onChanges(ready);
    }
    clearTimeout(this.gapTimer);
    const waiting = sorted.find((doc) => doc._id > this.position);
    if (!waiting || this.done) return;
    // Come back when the entry after the gap is old enough to pass the gap.
    const wait = waiting.writtenAt.getTime() + this.options.gapGraceMs - now;
    this.gapTimer = setTimeout(
      () => {
        if (!this.done) this.accept([]);
      },
      Math.max(wait, 1),
    );
    this.gapTimer.unref();
  }

  private fail(err: unknown): void {
    if (this.done) return;
    this.done = true;
    void this.stop();
    this.onBroken(err);
  }

  private async stop(): Promise<void> {
    clearTimeout(this.gapTimer);
    clearTimeout(this.resumeTimer);
    const stream = this.stream;
    this.stream = undefined;
    this.pending.clear();
    // Closing a stream that already failed may fail again: nothing is left to do then.
    await stream?.close().catch(() => undefined);
  }
}
