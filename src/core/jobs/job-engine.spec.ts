import { JobReaper } from './job-reaper.service';
import { RetryableJobError, UnrecoverableJobError } from './job-errors';
import { JobContext } from './job-handler';
import { JobState } from './job.model';
import { deferred, EngineHarness, until } from './testing/engine-harness';
import { makeRecord, ROOMY, by } from '../../../test/contracts/job-store.contract';
import { loadConfig } from '../../config/app-config';

/** Rejects with the abort reason as soon as the attempt is aborted (a well-behaved handler). */
const untilAborted = (ctx: JobContext): Promise<void> =>
  new Promise((_, reject) =>
    ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason as Error)),
  );

const LEASE = 1000;

describe('Job engine integrity (harness: fake clock, faulty store)', () => {
  const open: EngineHarness[] = [];
  const advance = (ms: number): void => void jest.advanceTimersByTime(ms);
  const harness = async (options: Parameters<typeof EngineHarness.create>[0] = {}) => {
    const h = await EngineHarness.create(options);
    open.push(h);
    return h;
  };
  const state = async (h: EngineHarness, id: string) => (await h.store.get(id))?.state;
  /** Awaits a promise while moving the fake clock (a drain polls on timers). */
  const settle = async <T>(promise: Promise<T>): Promise<T> => {
    let done = false;
    void promise.finally(() => (done = true)).catch(() => undefined);
    await until(() => done, advance, 20);
    return promise;
  };
  const realTurnsOnly = (): void => undefined;
  const stateIs = (h: EngineHarness, id: string, s: JobState) => async () =>
    (await state(h, id)) === s;

  beforeEach(() => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
  });

  afterEach(async () => {
    for (const h of open.splice(0).reverse()) {
      h.crash();
      await h.raw.close();
    }
    jest.useRealTimers();
  });

  describe('#1 a cancel is never lost', () => {
    it('should end cancelled, never to run again, when cancelled during the shutdown drain', async () => {
      const a = await harness({ env: { SHUTDOWN_GRACE_MS: '5000' } });
      a.handler.script = untilAborted;
      await a.start();
      const { job } = await a.submit();
      await until(stateIs(a, job.id, JobState.running), advance);
      const stopping = a.stop();
      await a.tracker.requestCancel(job.id);
      await until(stateIs(a, job.id, JobState.cancelled), advance);
      await settle(stopping);
      const b = await harness({ shareWith: a, node: 'node-b' });
      await b.start();
      await b.runner.poll();
      advance(3 * LEASE);
      await b.runner.poll();
      expect(b.attemptsOf(job.id)).toEqual([]);
      expect(await state(b, job.id)).toBe(JobState.cancelled);
    });

    it.each([
      ['a retryable', () => new RetryableJobError('flaky', 'x')],
      ['a non-retryable', () => new UnrecoverableJobError('broken', 'x')],
    ])('should end cancelled when %s failure meets a pending cancel', async (_, error) => {
      const a = await harness();
      const gate = deferred();
      a.handler.script = async () => {
        await gate.promise;
        throw error();
      };
      await a.start();
      const { job } = await a.submit();
      await until(stateIs(a, job.id, JobState.running), advance);
      await a.store.requestCancel(job.id, a.tracker.writer(), 60_000); // not seen by the runner yet
      gate.resolve();
      await until(stateIs(a, job.id, JobState.cancelled), advance);
      expect(a.attemptsOf(job.id)).toEqual([1]);
    });
  });

  describe('#2 #6 results are per attempt', () => {
    it('should keep the winning attempt result when a stale attempt finishes late', async () => {
      const a = await harness();
      const b = await harness({ shareWith: a, node: 'node-b' });
      const lateA = deferred();
      a.handler.script = async (ctx) => {
        await lateA.promise;
        return ctx.storeResult('r.bin', Buffer.from('stale'), 'application/octet-stream');
      };
      b.handler.script = (ctx) =>
        ctx.storeResult('r.bin', Buffer.from('winner'), 'application/octet-stream');
      await a.start();
      const { job } = await a.submit();
      await until(stateIs(a, job.id, JobState.running), advance);
      a.faults.failNext('renewLeases', 100); // A's heartbeats stop reaching the store
      await b.start();
      advance(LEASE + 10);
      await b.runner.poll();
      await until(stateIs(b, job.id, JobState.completed), advance);
      lateA.resolve();
      const lost = async () =>
        (await b.store.get(job.id))!.history.some((h) => h.event === 'progress-lost');
      await until(lost, advance);
      const done = await b.store.get(job.id);
      expect(done?.result).toMatchObject({ kind: 'blob', key: `jobs/${job.id}/2/r.bin` });
      expect(await b.blobs.head(`jobs/${job.id}/2/r.bin`)).toMatchObject({ bytes: 6 });
      expect(await b.blobs.head(`jobs/${job.id}/1/r.bin`)).toBeNull();
      expect(done?.history.map((h) => [h.event, h.node])).toEqual([
        ['queued', 'node-a'],
        ['claimed', 'node-a'],
        ['recovered', 'node-b'],
        ['claimed', 'node-b'],
        ['completed', 'node-b'],
        ['progress-lost', 'node-a'],
      ]);
    });

    it('should refuse the late result of an abandoned handler while the next attempt runs', async () => {
      const a = await harness({ env: { TEST_TIMEOUT_S: '1' } });
      const abandoned = deferred();
      let late: Promise<unknown> | undefined;
      a.handler.script = async (ctx) => {
        if (ctx.attempt === 1) {
          await abandoned.promise; // ignores its AbortSignal
          late = ctx.storeResult('r.bin', Buffer.from('late'), 'text/plain').catch((e) => e);
          return;
        }
        return ctx.storeResult('r.bin', Buffer.from('second'), 'text/plain');
      };
      await a.start();
      const { job } = await a.submit();
      await until(() => a.attemptsOf(job.id).length === 2, advance, 50);
      await until(stateIs(a, job.id, JobState.completed), realTurnsOnly);
      abandoned.resolve();
      await until(() => late !== undefined, realTurnsOnly);
      expect(await late).toMatchObject({ name: 'JobAbortedError' });
      expect(a.attemptsOf(job.id)).toEqual([1, 2]);
      expect(await a.blobs.head(`jobs/${job.id}/1/r.bin`)).toBeNull();
      expect(await a.blobs.head(`jobs/${job.id}/2/r.bin`)).toMatchObject({ bytes: 6 });
    });
  });

  describe('#3 #4 leases', () => {
    it('should never recover a lease renewed in time', async () => {
      const a = await harness();
      const b = await harness({ shareWith: a, node: 'node-b' });
      const gate = deferred();
      a.handler.script = () => gate.promise;
      await a.start();
      const { job } = await a.submit();
      await until(stateIs(a, job.id, JobState.running), advance);
      advance(LEASE - 100);
      await a.runner.heartbeat();
      advance(200); // past the first expiry, within the renewed one
      expect(await b.store.recoverExpired(b.tracker.writer(), 60_000, 10)).toEqual([]);
      gate.resolve();
      await until(stateIs(a, job.id, JobState.completed), advance);
      expect(a.attemptsOf(job.id)).toEqual([1]);
    });

    it('should stop the attempt and drop its live state when the lease is lost', async () => {
      const a = await harness();
      const b = await harness({ shareWith: a, node: 'node-b' });
      a.handler.script = untilAborted;
      b.handler.script = () => new Promise(() => undefined);
      await a.start();
      const { job } = await a.submit();
      await until(stateIs(a, job.id, JobState.running), advance);
      a.tracker.progress(job.id, 30, 'a');
      const renewals = a.faults.hold('renewLeases'); // A's heartbeat stalls (a long GC pause)
      advance(LEASE + 10);
      await b.store.recoverExpired(b.tracker.writer(), 60_000, 10);
      await b.store.claim('test', 1, { ...b.tracker.writer(), leaseMs: LEASE });
      renewals();
      await until(() => a.runner.workerLoad().test.busy === 0, realTurnsOnly);
      expect(a.tracker.liveRecord(job.id)).toBeUndefined();
      expect(await a.tracker.get(job.id)).toMatchObject({
        state: JobState.running,
        node: 'node-b',
        progress: 0,
      });
    });
  });

  describe('#5 store errors', () => {
    it('should retry a failed finishing write and never let a store error escape', async () => {
      const unhandled = jest.fn();
      process.on('unhandledRejection', unhandled);
      try {
        const a = await harness({ env: { REAP_INTERVAL_MS: '100' } });
        a.faults.failNext('finishAttempt', 2);
        a.faults.failNext('saveProgress', 2);
        a.faults.failNext('recoverExpired', 2);
        a.faults.failNext('renewLeases', 2); // heartbeats: a timer task whose store call fails
        a.faults.failNext('findExpired', 2); // a reaper pass that fails
        const reaper = new JobReaper(
          a.store,
          a.blobs,
          loadConfig({ DATA_DIR: a.dir, REAP_INTERVAL_MS: '100' }),
          a.tracker,
        );
        reaper.onApplicationBootstrap();
        a.handler.script = async (ctx) => {
          ctx.progress(50, 'half');
          await new Promise((r) => setTimeout(r, 1500));
        };
        await a.start();
        const { job } = await a.submit();
        await a.runner.poll().catch(() => undefined);
        await until(stateIs(a, job.id, JobState.completed), advance, 50);
        expect(a.attemptsOf(job.id)).toEqual([1]);
        advance(300); // the reaper's failing passes ran
        reaper.onApplicationShutdown();
        expect(unhandled).not.toHaveBeenCalled();
      } finally {
        process.off('unhandledRejection', unhandled);
      }
    });
  });

  describe('#7 the waiting room', () => {
    it('should hold one bound for every process, with system jobs exempt', async () => {
      const env = { QUEUE_CAPACITY: '2', USER_QUEUE_CAPACITY: '1' };
      const a = await harness({ env });
      const b = await harness({ shareWith: a, node: 'node-b', env });
      const { job } = await a.submit();
      await expect(b.submit()).rejects.toMatchObject({ code: 'queue_full' });
      await expect(a.submit({}, { system: true })).resolves.toBeDefined();
      await b.submit({}, { owner: 'bob' });
      await expect(a.submit({}, { owner: 'carol' })).rejects.toMatchObject({ code: 'queue_full' });
      expect(await a.tracker.remove(job)).toBe(true);
      expect(await b.tracker.remove(job)).toBe(false);
      expect(await b.store.countWaiting()).toBe(1);
      await expect(b.submit({}, { owner: 'carol' })).resolves.toBeDefined();
    });
  });

  describe('#8 boot', () => {
    it("should not requeue another process's running job, but take back its own", async () => {
      const a = await harness();
      const gate = deferred();
      a.handler.script = () => gate.promise;
      await a.start();
      const { job } = await a.submit();
      await until(stateIs(a, job.id, JobState.running), advance);
      const b = await harness({ shareWith: a, node: 'node-b' });
      await b.start();
      expect(await b.store.get(job.id)).toMatchObject({ state: JobState.running, node: 'node-a' });
      a.crash();
      const again = await harness({ shareWith: a, node: 'node-a' });
      await again.start();
      await until(stateIs(again, job.id, JobState.completed), advance);
      const events = (await again.store.get(job.id))!.history.map((h) => h.event);
      expect(events).toEqual(['queued', 'claimed', 'released', 'claimed', 'completed']);
      gate.resolve();
    });
  });

  describe('#9 the reaper', () => {
    it('should remove every expired job in one pass, however many', async () => {
      const a = await harness();
      const past = Date.now() - 1;
      for (let i = 0; i < 1200; i++) {
        await a.raw.insert(makeRecord({ state: JobState.completed, expiresAt: past }), ROOMY, by());
      }
      const config = loadConfig({ DATA_DIR: a.dir });
      const reaper = new JobReaper(a.store, a.blobs, config, a.tracker);
      expect(await reaper.reapOnce()).toBe(1200);
      expect(await a.store.findExpired(Date.now(), 10)).toEqual([]);
    });
  });

  describe('#10 #11 timing and seq', () => {
    it('should run a retry at its runAfter, not at the next poll', async () => {
      // A backoff longer than the turns the retry's own events take: only a timer can wake it.
      const a = await harness({ env: { BACKOFF_BASE_MS: '2000', BACKOFF_MAX_MS: '2000' } });
      a.handler.script = (ctx) =>
        ctx.attempt === 1 ? Promise.reject(new RetryableJobError('flaky', 'x')) : Promise.resolve();
      await a.start();
      const { job } = await a.submit();
      await until(stateIs(a, job.id, JobState.completed), advance, 10, 5000); // poll: 60 s
      expect(a.attemptsOf(job.id)).toEqual([1, 2]);
    });

    it('should keep seq rising across a crash and recovery by another process', async () => {
      const a = await harness();
      a.handler.script = () => new Promise(() => undefined);
      await a.start();
      const { job } = await a.submit();
      await until(stateIs(a, job.id, JobState.running), advance);
      for (let p = 1; p <= 60; p++) a.tracker.progress(job.id, p);
      const lastA = Math.max(...a.eventsOf(job.id).map(seqOf));
      a.crash();
      const b = await harness({ shareWith: a, node: 'node-b' });
      await b.start();
      advance(LEASE + 10);
      await b.runner.poll();
      await until(() => b.attemptsOf(job.id).length === 1, advance);
      const seqsB = b.eventsOf(job.id).map(seqOf);
      expect(seqsB.length).toBeGreaterThan(0);
      expect(Math.min(...seqsB)).toBeGreaterThan(lastA);
    });
  });

  describe('#12 shutdown', () => {
    it('should keep heartbeats and events through a drain longer than the lease', async () => {
      const a = await harness({ env: { SHUTDOWN_GRACE_MS: '5000' } });
      a.handler.script = () => new Promise((r) => setTimeout(r, 3 * LEASE));
      await a.start();
      const { job } = await a.submit();
      await until(stateIs(a, job.id, JobState.running), advance);
      const drainStart = Date.now();
      const stopping = a.stop();
      expect(a.readiness.draining).toBe(true);
      const late = await a.submit();
      // Two leases into the drain the job still runs, its lease renewed: nobody may recover it.
      await until(() => Date.now() >= drainStart + 2 * LEASE, advance, 50);
      expect(await state(a, job.id)).toBe(JobState.running);
      expect(await a.raw.recoverExpired(by(Date.now(), 'node-b'), 60_000, 10)).toEqual([]);
      await until(stateIs(a, job.id, JobState.completed), advance, 50);
      await settle(stopping);
      const b = await harness({ shareWith: a, node: 'node-b' });
      expect(await b.store.recoverExpired(b.tracker.writer(), 60_000, 10)).toEqual([]);
      expect(a.eventsOf(job.id).at(-1)).toMatchObject({ kind: 'completed' });
      expect(await state(a, late.job.id)).toBe(JobState.queued);
      expect(a.attemptsOf(late.job.id)).toEqual([]);
      // Not even claimed and given back: a draining node claims nothing.
      expect((await a.store.get(late.job.id))!.history.map((h) => h.event)).toEqual(['queued']);
    });

    it('should give back a claim that returns after shutdown began, without starting it', async () => {
      const a = await harness();
      await a.start();
      const claims = a.faults.hold('claim');
      const { job } = await a.submit();
      await until(() => a.runner.workerLoad().test.busy === 0, realTurnsOnly);
      const stopping = a.stop();
      claims();
      await settle(stopping);
      expect(a.attemptsOf(job.id)).toEqual([]);
      expect(await a.store.get(job.id)).toMatchObject({ state: JobState.queued, attempt: 0 });
    });
  });
});

function seqOf(e: { kind: string } & ({ seq: number } | { job: { seq: number } })): number {
  return 'seq' in e ? e.seq : e.job.seq;
}
