import { EventEmitter } from 'node:events';
import { JOB_CHANGE_BATCH, JobChange } from '../../../core/jobs/job-store.port';
import type { JobChangeDocument } from './job.schema';
import { FeedSource, FeedStream, MongoFeedWatch } from './mongo-feed-watch';

const GRACE = 2_000;
const DELAY = 100;

/** A change stream driven by the test, as the driver's emits its events. */
class FakeStream extends EventEmitter implements FeedStream {
  readonly close = jest.fn(() => Promise.resolve());

  /** The stream is open on the server: the driver caches its first resume token. */
  opened(token: unknown = { t: 'open' }): void {
    this.emit('resumeTokenChanged', token);
  }

  insert(doc: JobChangeDocument): void {
    this.emit('change', { _id: tokenOf(doc._id), operationType: 'insert', fullDocument: doc });
  }
}

/** The change collection: entries already written, and the streams opened on it. */
class FakeSource implements FeedSource {
  readonly entries: JobChangeDocument[] = [];
  readonly streams: FakeStream[] = [];
  readonly startAfters: unknown[] = [];
  readonly reads: number[] = [];
  readFails = false;

  watch(startAfter?: unknown): FeedStream {
    this.startAfters.push(startAfter);
    const stream = new FakeStream();
    this.streams.push(stream);
    return stream;
  }

  readEntries(after: number, limit: number): Promise<JobChangeDocument[]> {
    this.reads.push(after);
    if (this.readFails) return Promise.reject(new Error('read failed'));
    const found = this.entries.filter((e) => e._id > after).sort((a, b) => a._id - b._id);
    return Promise.resolve(found.slice(0, limit));
  }

  get stream(): FakeStream {
    return this.streams[this.streams.length - 1];
  }

  /** Writes an entry; the current stream sees it. */
  write(position: number, writtenAt = new Date()): JobChangeDocument {
    const doc = entry(position, writtenAt);
    this.entries.push(doc);
    this.stream.insert(doc);
    return doc;
  }
}

const tokenOf = (position: number) => ({ t: position });

function entry(position: number, writtenAt = new Date()): JobChangeDocument {
  return {
    _id: position,
    jobId: `job-${position}`,
    owner: 'alice',
    node: 'node-b',
    kind: 'state',
    at: writtenAt.getTime(),
    writtenAt,
  };
}

/** Lets pending promise callbacks (the catch-up read) run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe(MongoFeedWatch.name, () => {
  let source: FakeSource;
  let delivered: JobChange[][];
  let broken: jest.Mock;

  const positions = () => delivered.flat().map((c) => c.position);
  const start = (after: number, maxResumes = 3) =>
    new MongoFeedWatch(source, after, (batch) => delivered.push(batch), broken, {
      gapGraceMs: GRACE,
      resumeDelayMs: DELAY,
      maxResumes,
    }).start();

  beforeEach(() => {
    source = new FakeSource();
    delivered = [];
    broken = jest.fn();
  });

  afterEach(() => jest.useRealTimers());

  describe('start', () => {
    it('should read what was written before the stream opened, then hand on inserts once', async () => {
      source.entries.push(entry(1), entry(2), entry(3));
      start(1);
      expect(source.reads).toEqual([]);
      source.stream.opened();
      await settle();
      // Written around the open: the stream sees 3 too; it is handed on once.
      source.stream.insert(source.entries[2]);
      source.write(4);
      source.write(5);
      expect(positions()).toEqual([2, 3, 4, 5]);
      expect(delivered.flat()[0]).toEqual({
        position: 2,
        jobId: 'job-2',
        owner: 'alice',
        node: 'node-b',
        kind: 'state',
      });
      expect(source.startAfters).toEqual([undefined]);
      expect(broken).not.toHaveBeenCalled();
    });

    it('should page the catch-up read until a short page', async () => {
      for (let p = 1; p <= JOB_CHANGE_BATCH + 3; p++) source.entries.push(entry(p));
      start(0);
      source.stream.opened();
      await settle();
      expect(source.reads).toEqual([0, JOB_CHANGE_BATCH]);
      expect(positions()).toHaveLength(JOB_CHANGE_BATCH + 3);
    });
  });

  describe('ordering', () => {
    it('should hold an insert that overtook an earlier position until that one arrives', async () => {
      start(0);
      source.stream.opened();
      await settle();
      source.write(2);
      expect(positions()).toEqual([]);
      source.write(1);
      expect(delivered.map((batch) => batch.map((c) => c.position))).toEqual([[1, 2]]);
    });

    it('should pass a gap once the entry after it is older than the grace', async () => {
      jest.useFakeTimers({ doNotFake: ['setImmediate'] });
      start(0);
      source.stream.opened();
      await settle();
      source.write(1);
      source.write(3);
      expect(positions()).toEqual([1]);
      jest.advanceTimersByTime(GRACE - 10);
      expect(positions()).toEqual([1]);
      jest.advanceTimersByTime(10);
      expect(positions()).toEqual([1, 3]);
      // The late entry of the passed gap is not handed on out of order.
      source.write(2);
      source.write(4);
      expect(positions()).toEqual([1, 3, 4]);
    });
  });

  describe('resume', () => {
    it('should reopen after the kept resume token when the stream fails', async () => {
      jest.useFakeTimers({ doNotFake: ['setImmediate'] });
      start(0);
      source.stream.opened();
      await settle();
      source.write(1);
      source.write(2);
      const first = source.stream;
      first.emit('error', Object.assign(new Error('not primary'), { code: 10107 }));
      expect(first.close).toHaveBeenCalled();
      jest.advanceTimersByTime(DELAY);
      expect(source.startAfters).toEqual([undefined, tokenOf(2)]);
      first.insert(entry(9));
      source.write(3);
      expect(positions()).toEqual([1, 2, 3]);
      // A resumed stream misses nothing: no second read.
      source.stream.opened({ t: 'later' });
      await settle();
      expect(source.reads).toEqual([0]);
      expect(broken).not.toHaveBeenCalled();
    });

    it('should start after the invalidate event when the collection was dropped', async () => {
      jest.useFakeTimers({ doNotFake: ['setImmediate'] });
      start(0);
      source.stream.opened();
      await settle();
      source.stream.emit('change', { _id: { t: 'invalidate' }, operationType: 'invalidate' });
      jest.advanceTimersByTime(DELAY);
      expect(source.startAfters).toEqual([undefined, { t: 'invalidate' }]);
    });

    it('should resume after the newest token the driver cached (post-batch)', async () => {
      jest.useFakeTimers({ doNotFake: ['setImmediate'] });
      start(0);
      source.stream.opened({ t: 'first' });
      await settle();
      source.write(1);
      source.stream.opened({ t: 'post-batch' });
      source.stream.emit('close');
      jest.advanceTimersByTime(DELAY);
      expect(source.startAfters).toEqual([undefined, { t: 'post-batch' }]);
    });

    it('should back off between resumes and give up after too many in a row', async () => {
      jest.useFakeTimers({ doNotFake: ['setImmediate'] });
      start(0, 2);
      source.stream.opened();
      await settle();
      source.stream.emit('error', new Error('network'));
      jest.advanceTimersByTime(DELAY);
      source.stream.emit('error', new Error('network'));
      jest.advanceTimersByTime(DELAY * 2 - 1);
      expect(source.streams).toHaveLength(2);
      jest.advanceTimersByTime(1);
      expect(source.streams).toHaveLength(3);
      const last = new Error('network');
      source.stream.emit('error', last);
      expect(broken).toHaveBeenCalledWith(last);
    });
  });

  describe('broken', () => {
    it('should report once and stop when the history behind the token is lost', async () => {
      jest.useFakeTimers({ doNotFake: ['setImmediate'] });
      start(0);
      source.stream.opened();
      await settle();
      source.write(1);
      source.stream.emit('error', new Error('blip'));
      jest.advanceTimersByTime(DELAY);
      const lost = Object.assign(new Error('history lost'), { code: 286 });
      source.stream.emit('error', lost);
      source.stream.emit('close');
      jest.advanceTimersByTime(60_000);
      expect(broken).toHaveBeenCalledTimes(1);
      expect(broken).toHaveBeenCalledWith(lost);
      expect(source.streams).toHaveLength(2);
      expect(source.streams.every((s) => s.close.mock.calls.length > 0)).toBe(true);
      source.stream.insert(entry(2));
      expect(positions()).toEqual([1]);
    });

    it('should report when the stream fails before it ever had a token', () => {
      start(0);
      const err = new Error('not a replica set');
      source.stream.emit('error', err);
      expect(broken).toHaveBeenCalledWith(err);
      expect(source.streams).toHaveLength(1);
    });

    it('should report when the catch-up read fails (entries could be missed)', async () => {
      source.readFails = true;
      start(0);
      source.stream.opened();
      await settle();
      expect(broken).toHaveBeenCalledWith(new Error('read failed'));
      expect(source.stream.close).toHaveBeenCalled();
    });
  });

  describe('close', () => {
    it('should close the stream and hand on nothing after it', async () => {
      jest.useFakeTimers({ doNotFake: ['setImmediate'] });
      const watch = start(0);
      source.stream.opened();
      await settle();
      source.write(2);
      await watch.close();
      expect(source.stream.close).toHaveBeenCalled();
      source.stream.insert(entry(1));
      jest.advanceTimersByTime(GRACE * 2);
      source.stream.emit('error', new Error('late'));
      jest.advanceTimersByTime(DELAY * 10);
      expect(positions()).toEqual([]);
      expect(broken).not.toHaveBeenCalled();
      expect(source.streams).toHaveLength(1);
    });
  });
});
