import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { by, makeRecord, ROOMY } from '../../../test/contracts/job-store.contract';
import { loadConfig } from '../../config/app-config';
import { SqliteJobStore } from '../../infra/store/sqlite/sqlite-job-store.adapter';
import { JobChangeFeed, REWATCH_MIN_MS } from './job-change-feed.service';
import { JobEvent, JobEvents } from './job-events';
import { ChangeWatch, JobChange, JobStore } from './job-store.port';
import { JobTracker } from './job-tracker.service';

const ME = 'node-a';
const OTHER = 'node-b';

/** One `watchChanges` call: the test pushes changes or breaks it. */
interface FakeWatch extends ChangeWatch {
  after: number;
  push(batch: JobChange[]): void;
  broken(err: unknown): void;
  close: jest.Mock<Promise<void>, []>;
}

/** A store that pushes: the real SQLite store plus a `watchChanges` the test drives. */
function pushing(raw: JobStore, watches: FakeWatch[], breakAtOnce = false): JobStore {
  const watchChanges: JobStore['watchChanges'] = (after, onChanges, onBroken) => {
    const watch = {
      after,
      push: onChanges,
      broken: onBroken,
      close: jest.fn(() => Promise.resolve()),
    };
    watches.push(watch);
    if (breakAtOnce) onBroken(new Error('no replica set'));
    return watch;
  };
  return new Proxy(raw, {
    get(target, prop, receiver) {
      if (prop === 'watchChanges') return watchChanges;
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
    },
  });
}

/** Lets relays (promise chains over SQLite reads) finish. */
async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe(JobChangeFeed.name, () => {
  let dir: string;
  let raw: SqliteJobStore;
  let watches: FakeWatch[];
  let relayed: string[];
  let feed: JobChangeFeed | undefined;

  const start = async (store: JobStore): Promise<JobChangeFeed> => {
    const config = loadConfig({ DATA_DIR: dir, NODE_ID: ME, JOB_FEED_MS: '10000' });
    const events = new JobEvents();
    events.on((e: JobEvent) => relayed.push('job' in e ? e.job.id : e.jobId));
    feed = new JobChangeFeed(store, config, new JobTracker(store, config, events), events);
    await feed.onApplicationBootstrap();
    return feed;
  };
  /** A job written by `node`; returns its id. */
  const write = async (node = OTHER): Promise<string> => {
    const record = makeRecord();
    await raw.insert(record, ROOMY, by(Date.now(), node));
    return record.id;
  };
  const changesAfter = (after: number) => raw.changes(after, 100);

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'darkroom-feed-'));
    raw = new SqliteJobStore(join(dir, 'jobs.sqlite'));
    await raw.init();
    watches = [];
    relayed = [];
  });

  afterEach(async () => {
    feed?.onApplicationShutdown();
    feed = undefined;
    jest.useRealTimers();
    await raw.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('pushed feed', () => {
    it('should relay each pushed change of another process once, and not poll', async () => {
      await write();
      const head = await raw.feedHead();
      const f = await start(pushing(raw, watches));
      expect(watches.map((w) => w.after)).toEqual([head]);
      expect(f.pushed).toBe(true);
      const theirs = await write();
      await write(ME);
      const batch = await changesAfter(head);
      watches[0].push(batch);
      watches[0].push(batch);
      await flush();
      const polls = jest.spyOn(raw, 'changes');
      await f.tick();
      expect(polls).not.toHaveBeenCalled();
      expect(relayed).toEqual([theirs]);
    });

    it('should poll from the last relayed position when the push breaks, then watch again from there', async () => {
      jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
      const f = await start(pushing(raw, watches));
      const ids = [await write(), await write()];
      const first = await changesAfter(0);
      watches[0].push(first.slice(0, 1));
      await flush();
      watches[0].broken(new Error('history lost'));
      expect(f.pushed).toBe(false);
      await f.tick();
      ids.push(await write());
      // A late batch of the broken watch: already relayed by position, so skipped.
      watches[0].push(first);
      await f.tick();
      expect(relayed).toEqual(ids);
      jest.advanceTimersByTime(REWATCH_MIN_MS);
      const position = (await changesAfter(0)).at(-1)!.position;
      expect(watches.map((w) => w.after)).toEqual([0, position]);
      ids.push(await write());
      // The new watch catches up from its start: what the poll relayed is not relayed again.
      watches[1].push(await changesAfter(0));
      await flush();
      expect(relayed).toEqual(ids);
    });

    it('should back off between watches that break at once, polling meanwhile', async () => {
      jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
      const f = await start(pushing(raw, watches, true));
      expect(f.pushed).toBe(false);
      const id = await write();
      await f.tick();
      expect(relayed).toEqual([id]);
      jest.advanceTimersByTime(REWATCH_MIN_MS);
      expect(watches).toHaveLength(2);
      jest.advanceTimersByTime(REWATCH_MIN_MS * 2 - 1);
      expect(watches).toHaveLength(2);
      jest.advanceTimersByTime(1);
      expect(watches).toHaveLength(3);
    });
  });

  describe('onApplicationShutdown', () => {
    it('should close the watch and never watch again', async () => {
      jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
      const f = await start(pushing(raw, watches));
      f.onApplicationShutdown();
      expect(watches[0].close).toHaveBeenCalledTimes(1);
      expect(f.pushed).toBe(false);
      watches[0].broken(new Error('closed'));
      jest.advanceTimersByTime(REWATCH_MIN_MS * 100);
      expect(watches).toHaveLength(1);
    });
  });

  describe('tick', () => {
    it('should poll other processes changes when the store does not push', async () => {
      const f = await start(raw);
      expect(f.pushed).toBe(false);
      const theirs = await write();
      await write(ME);
      await f.tick();
      await f.tick();
      expect(relayed).toEqual([theirs]);
    });
  });
});
