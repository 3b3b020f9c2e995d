import { JobRecord, JobState } from '../../src/core/jobs/job.model';
import {
  DuplicateIdempotencyKeyError,
  JobChange,
  JobStore,
  QueueLimits,
  Writer,
} from '../../src/core/jobs/job-store.port';
import { newJobRecord } from '../../src/core/jobs/job-transitions';

export const NODE = 'node-a';
export const by = (now = Date.now(), node = NODE): Writer => ({ node, now });
export const ROOMY: QueueLimits = { total: 1_000_000, perUser: 1_000_000 };
const TTL = 60_000;
const LEASE = 30_000;

/** A fresh queued record; fields can be overridden. */
export function makeRecord(over: Partial<JobRecord> = {}): JobRecord {
  const base = newJobRecord(
    { type: 'diagnostic', owner: 'alice', payload: { durationMs: 1 }, maxAttempts: 3 },
    by(),
  );
  return { ...base, ...over };
}

/** Inserts a queued record with room to spare; returns it. */
export async function put(store: JobStore, over: Partial<JobRecord> = {}): Promise<JobRecord> {
  const record = makeRecord(over);
  expect(await store.insert(record, ROOMY, by())).toBeNull();
  return record;
}

/** Inserts and claims one job; returns the running record. */
async function running(store: JobStore, over: Partial<JobRecord> = {}): Promise<JobRecord> {
  const record = await put(store, { type: `t-${Math.random()}`, ...over });
  const [claimed] = await store.claim(record.type, 1, { ...by(), leaseMs: LEASE });
  return claimed;
}

/**
 * The conformance suite every JobStore adapter must pass (BullMQ-style): run it from a spec
 * with a factory of fresh, initialised stores; `openPair` gives two instances on one database
 * (two processes), for the concurrency cases.
 */
export function describeJobStoreContract(
  name: string,
  open: () => Promise<JobStore>,
  openPair?: () => Promise<[JobStore, JobStore]>,
): void {
  describe(`JobStore contract: ${name}`, () => {
    let store: JobStore;

    beforeEach(async () => (store = await open()));
    afterEach(() => store.close());

    describeRecords(() => store);
    describeClaims(() => store);
    describeEndings(() => store);
    describeFeed(() => store);
  });
  if (openPair) describeConcurrency(name, openPair);
}

function describeRecords(get: () => JobStore): void {
  it('should round-trip every field of a record', async () => {
    const record = makeRecord({
      payload: { nested: [1, 'two'] },
      messages: [{ at: 1, text: 'x' }],
      idempotencyKey: 'k',
      system: true,
    });
    await get().insert(record, ROOMY, by());
    expect(await get().get(record.id)).toEqual(record);
    expect(await get().get('nope')).toBeNull();
    expect(await get().getMany([record.id, 'nope'])).toEqual([record]);
  });

  it('should bound the waiting room globally and per user, system jobs exempt', async () => {
    const limits = { total: 3, perUser: 2 };
    expect(await get().insert(makeRecord(), limits, by())).toBeNull();
    expect(await get().insert(makeRecord(), limits, by())).toBeNull();
    expect(await get().insert(makeRecord(), limits, by())).toBe('user');
    expect(await get().insert(makeRecord({ system: true }), limits, by())).toBeNull();
    expect(await get().insert(makeRecord({ owner: 'bob' }), limits, by())).toBeNull();
    expect(await get().insert(makeRecord({ owner: 'carol' }), limits, by())).toBe('system');
    expect(await get().countWaiting()).toBe(3);
  });

  it('should hold the bound for a burst of inserts sent at once', async () => {
    const limits = { total: 5, perUser: 3 };
    const send = (owner: string) => get().insert(makeRecord({ owner }), limits, by());
    const alice = Promise.all([1, 2, 3, 4].map(() => send('alice')));
    const bob = Promise.all([1, 2, 3].map(() => send('bob')));
    const [fromAlice, fromBob] = await Promise.all([alice, bob]);
    const accepted = (answers: unknown[]) => answers.filter((a) => a === null).length;
    expect(accepted(fromAlice) + accepted(fromBob)).toBe(5);
    expect(accepted(fromAlice)).toBeLessThanOrEqual(3);
    expect(accepted(fromBob)).toBeLessThanOrEqual(3);
    expect(await get().countWaiting()).toBe(5);
  });

  it('should reject a second job with the same owner and idempotency key', async () => {
    await put(get(), { idempotencyKey: 'same' });
    await expect(
      get().insert(makeRecord({ idempotencyKey: 'same' }), ROOMY, by()),
    ).rejects.toBeInstanceOf(DuplicateIdempotencyKeyError);
    await put(get(), { idempotencyKey: 'same', owner: 'bob' });
    expect((await get().findByIdempotencyKey('alice', 'same'))?.owner).toBe('alice');
  });

  it('should list newest first with filters and a cursor', async () => {
    const base = Date.now();
    for (let i = 0; i < 5; i++) await put(get(), { createdAt: base + i });
    await put(get(), { owner: 'bob', createdAt: base + 10 });
    const page1 = await get().list({ owner: 'alice', limit: 2 });
    expect(page1.map((r) => r.createdAt)).toEqual([base + 4, base + 3]);
    const cursor = { createdAt: page1[1].createdAt, id: page1[1].id };
    const page2 = await get().list({ owner: 'alice', limit: 10, cursor });
    expect(page2.map((r) => r.createdAt)).toEqual([base + 2, base + 1, base]);
    expect(await get().list({ limit: 10 })).toHaveLength(6);
  });

  it('should count jobs by type and state, and delete a record once', async () => {
    const record = await put(get(), { owner: 'bob' });
    await put(get(), { owner: 'bob', type: 'other' });
    const counts = await get().countByTypeAndState('bob');
    expect(counts).toEqual(
      expect.arrayContaining([
        { type: 'diagnostic', state: JobState.queued, count: 1 },
        { type: 'other', state: JobState.queued, count: 1 },
      ]),
    );
    expect(await get().delete(record.id, by())).toBe(true);
    expect(await get().delete(record.id, by())).toBe(false);
    expect(await get().countWaiting()).toBe(1);
    await expect(get().ping()).resolves.toBeUndefined();
  });
}

function describeClaims(get: () => JobStore): void {
  it('should claim by priority, then fairly across owners, then age, when due', async () => {
    const t = Date.now();
    const a1 = await put(get(), { type: 'q', owner: 'a', createdAt: t });
    const a2 = await put(get(), { type: 'q', owner: 'a', createdAt: t + 1 });
    const a3 = await put(get(), { type: 'q', owner: 'a', createdAt: t + 2 });
    const b1 = await put(get(), { type: 'q', owner: 'b', createdAt: t + 3 });
    const hi = await put(get(), { type: 'q', owner: 'c', createdAt: t + 4, priority: 5 });
    await put(get(), { type: 'q', owner: 'd', runAfter: t + 60_000 });
    await put(get(), { type: 'other' });
    const claimed = await get().claim('q', 10, { ...by(), leaseMs: LEASE });
    expect(claimed.map((r) => r.id)).toEqual([hi.id, a1.id, b1.id, a2.id, a3.id]);
    expect(await get().nextRunAfter(['q'], Date.now())).toBe(t + 60_000);
  });

  it('should claim with a fresh lease, attempt + 1 and a history entry, cancel flag untouched', async () => {
    const record = await put(get(), { type: 'c1', cancelRequested: true });
    const now = Date.now();
    const [claimed] = await get().claim('c1', 1, { ...by(now, 'n1'), leaseMs: LEASE });
    expect(claimed).toMatchObject({
      state: JobState.running,
      attempt: 1,
      run: 1,
      leaseExpiresAt: now + LEASE,
      node: 'n1',
      cancelRequested: true,
    });
    expect(claimed.leaseToken).toEqual(expect.any(String));
    expect(claimed.seq).toBeGreaterThan(record.seq);
    expect(claimed.history.map((h) => h.event)).toEqual(['queued', 'claimed']);
    expect(await get().claim('c1', 1, { ...by(), leaseMs: LEASE })).toEqual([]);
  });

  it('should renew held leases in one batch and report lost ones and cancels', async () => {
    const a = await running(get());
    const b = await running(get());
    await get().requestCancel(b.id, by(), TTL);
    const held = await get().renewLeases(
      [
        { id: a.id, token: a.leaseToken! },
        { id: b.id, token: b.leaseToken! },
        { id: a.id, token: 'stale' },
      ],
      LEASE,
      by(5000),
    );
    expect(held).toEqual(
      expect.arrayContaining([
        { id: a.id, cancelRequested: false },
        { id: b.id, cancelRequested: true },
      ]),
    );
    expect(held).toHaveLength(2);
    expect((await get().get(a.id))?.leaseExpiresAt).toBe(5000 + LEASE);
  });

  it('should recover only expired leases: requeue twice, then fail stalled', async () => {
    const job = await running(get());
    const live = await running(get());
    const later = Date.now() + LEASE + 1;
    await get().renewLeases([{ id: live.id, token: live.leaseToken! }], LEASE * 2, by());
    const recovered = await get().recoverExpired(by(later, 'n2'), TTL, 10);
    expect(recovered.map((r) => r.id)).toEqual([job.id]);
    expect(recovered[0]).toMatchObject({ state: JobState.queued, attempt: 0, run: 1, stalls: 1 });
    expect(recovered[0].history.at(-1)).toMatchObject({ event: 'recovered', node: 'n2' });
    for (let stall = 2, t = later; stall <= 3; stall++, t += 10) {
      expect(await get().claim(job.type, 1, { ...by(t), leaseMs: 1 })).toHaveLength(1);
      expect(await get().recoverExpired(by(t + 5), TTL, 10)).toHaveLength(1);
    }
    expect(await get().get(job.id)).toMatchObject({
      state: JobState.failed,
      error: { code: 'stalled' },
    });
  });

  it('should end cancelled, not requeue, an expired lease with a cancel pending', async () => {
    const job = await running(get());
    await get().requestCancel(job.id, by(), TTL);
    const recovered = await get().recoverExpired(by(Date.now() + LEASE + 1, 'n2'), TTL, 10);
    expect(recovered.map((r) => r.state)).toEqual([JobState.cancelled]);
    expect(await get().get(job.id)).toMatchObject({ state: JobState.cancelled, leaseToken: null });
    expect(await get().claim(job.type, 1, { ...by(), leaseMs: LEASE })).toEqual([]);
  });

  it('should write progress fenced by the lease token, seq never going back', async () => {
    const job = await running(get());
    const progress = { progress: 40, stage: 's', message: 'm', messages: [], updatedAt: 1 };
    const seq = job.seq + 1000;
    expect(await get().saveProgress(job.id, 'stale', { ...progress, seq }, by())).toBe(false);
    expect(await get().saveProgress(job.id, job.leaseToken!, { ...progress, seq }, by())).toBe(
      true,
    );
    expect(await get().saveProgress(job.id, job.leaseToken!, { ...progress, seq: 5 }, by())).toBe(
      true,
    );
    expect(await get().get(job.id)).toMatchObject({ progress: 40, seq });
  });
}

function describeEndings(get: () => JobStore): void {
  const finish = (job: JobRecord, outcome: Parameters<JobStore['finishAttempt']>[2]) =>
    get().finishAttempt(job.id, job.leaseToken!, outcome, by(), TTL);

  it('should complete an attempt held with its token, and refuse a stale token', async () => {
    const job = await running(get());
    const result = { kind: 'asset' as const, assetId: 'x' };
    expect(
      await get().finishAttempt(job.id, 'stale', { kind: 'completed', result }, by(), TTL),
    ).toBeNull();
    const done = await finish(job, { kind: 'completed', result });
    expect(done).toMatchObject({
      state: JobState.completed,
      result,
      progress: 100,
      leaseToken: null,
    });
    expect(done!.expiresAt).toBeGreaterThan(Date.now());
    expect(await finish(job, { kind: 'failed', error: error(false) })).toBeNull();
  });

  it('should let a pending cancel win over completion, retry and release', async () => {
    for (const outcome of [
      { kind: 'completed', result: null },
      { kind: 'retry', error: error(true), runAfter: 0 },
      { kind: 'released' },
      { kind: 'failed', error: error(false) },
    ] as const) {
      const job = await running(get());
      await get().requestCancel(job.id, by(), TTL);
      expect(await finish(job, outcome)).toMatchObject({ state: JobState.cancelled });
    }
  });

  it('should requeue a retry with its runAfter, and fail it when attempts are used up', async () => {
    const job = await running(get(), { maxAttempts: 2 });
    const at = Date.now() + 5000;
    const retried = await finish(job, { kind: 'retry', error: error(true), runAfter: at });
    expect(retried).toMatchObject({ state: JobState.queued, runAfter: at, attempt: 1 });
    const [again] = await get().claim(job.type, 1, { ...by(at), leaseMs: LEASE });
    const failed = await finish(again, { kind: 'retry', error: error(true), runAfter: at });
    expect(failed).toMatchObject({ state: JobState.failed, attempt: 2 });
    expect(failed!.history.map((h) => h.event)).toEqual([
      'queued',
      'claimed',
      'retry',
      'claimed',
      'failed',
    ]);
  });

  it('should give the attempt back on release, and on releaseNode for its own node only', async () => {
    const job = await running(get());
    expect(await finish(job, { kind: 'released' })).toMatchObject({
      state: JobState.queued,
      attempt: 0,
    });
    const mine = await running(get());
    const theirs = await put(get(), { type: 'other-node' });
    await get().claim(theirs.type, 1, { ...by(Date.now(), 'n2'), leaseMs: LEASE });
    const released = await get().releaseNode(by());
    expect(released.map((r) => r.id)).toEqual([mine.id]);
    expect((await get().get(theirs.id))?.state).toBe(JobState.running);
  });

  it('should cancel queued jobs at once and flag running ones; finished ones unchanged', async () => {
    const queued = await put(get());
    expect(await get().requestCancel(queued.id, by(), TTL)).toMatchObject({
      changed: true,
      record: { state: JobState.cancelled },
    });
    const job = await running(get());
    const flagged = await get().requestCancel(job.id, by(), TTL);
    expect(flagged).toMatchObject({ changed: true, record: { cancelRequested: true } });
    expect(await get().requestCancel(job.id, by(), TTL)).toMatchObject({ changed: false });
    expect(await get().requestCancel(queued.id, by(), TTL)).toMatchObject({ changed: false });
    expect(await get().requestCancel('nope', by(), TTL)).toBeNull();
  });

  it('should retry a failed or cancelled job within the waiting-room bound', async () => {
    const job = await running(get());
    await finish(job, { kind: 'failed', error: error(false) });
    await put(get());
    expect(await get().retry(job.id, { total: 1, perUser: 5 }, by())).toBe('system');
    const retried = await get().retry(job.id, ROOMY, by());
    expect(retried).toMatchObject({ state: JobState.queued, error: null, cancelRequested: false });
    expect(await get().retry(job.id, ROOMY, by())).toBeNull();
  });

  it('should find expired finished jobs', async () => {
    const job = await running(get());
    await get().finishAttempt(
      job.id,
      job.leaseToken!,
      { kind: 'completed', result: null },
      by(),
      0,
    );
    expect((await get().findExpired(Date.now() + 1, 10)).map((r) => r.id)).toEqual([job.id]);
    expect(await get().findExpired(0, 10)).toEqual([]);
  });
}

function describeFeed(get: () => JobStore): void {
  it('should log every visible change in the feed, in order, with its node', async () => {
    const head = await get().feedHead();
    const job = await running(get());
    await get().delete(job.id, by(Date.now(), 'n9'));
    const changes = await get().changes(head, 100);
    expect(changes.map((c) => [c.kind, c.jobId])).toEqual([
      ['state', job.id],
      ['state', job.id],
      ['deleted', job.id],
    ]);
    expect(changes.at(-1)).toMatchObject({ node: 'n9', owner: 'alice' });
    const positions = changes.map((c) => c.position);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(await get().changes(positions[1], 100)).toHaveLength(1);
    await get().pruneChanges(Date.now() + 1);
    expectPrunedToNewest(await get().changes(head, 100), changes);
  });

  it('should keep positions rising after a prune of every entry', async () => {
    const head = await get().feedHead();
    await put(get());
    const last = (await get().changes(head, 100)).at(-1)!.position;
    await get().pruneChanges(Date.now() + 1);
    const next = await put(get());
    const after = await get().changes(last, 100);
    expect(after.map((c) => c.jobId)).toEqual([next.id]);
    expect(after[0].position).toBeGreaterThan(last);
  });

  it("should let a reader skip its own changes, keeping the last one read as the page's end", async () => {
    const head = await get().feedHead();
    const job = await running(get());
    await get().requestCancel(job.id, by(Date.now(), 'n9'), 60_000);
    await get().delete(job.id, by(Date.now(), 'n8'));
    const all = await get().changes(head, 100);
    expect(all.map((c) => c.node)).toEqual([NODE, NODE, 'n9', 'n8']);
    const others = (changes: JobChange[]) => changes.filter((c) => c.node !== NODE);
    const skipping = await get().changes(head, 100, NODE);
    expect(others(skipping)).toEqual(others(all));
    expect(skipping.at(-1)).toEqual(all.at(-1));
    const ownPage = await get().changes(head, 2, NODE);
    expect(ownPage.at(-1)).toEqual(all[1]);
    expect(others(ownPage)).toEqual([]);
    await get().pruneChanges(Date.now() + 1);
    expectPrunedToNewest(await get().changes(head, 100), all);
  });
}

/** What a prune of everything may leave of `changes`: nothing, or the newest (the position). */
function expectPrunedToNewest(left: JobChange[], changes: JobChange[]): void {
  expect([[], changes.slice(-1)]).toContainEqual(left);
}

function describeConcurrency(name: string, openPair: () => Promise<[JobStore, JobStore]>): void {
  describe(`JobStore contract, two instances on one database: ${name}`, () => {
    let a: JobStore;
    let b: JobStore;

    beforeEach(async () => ([a, b] = await openPair()));
    afterEach(async () => {
      await a.close();
      await b.close();
    });

    it('should hand every job to exactly one of two racing claimers', async () => {
      const ids = new Set<string>();
      for (let i = 0; i < 60; i++) ids.add((await put(a, { type: 'race' })).id);
      const claims = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          (i % 2 ? a : b).claim('race', 4, { ...by(Date.now(), `n${i % 2}`), leaseMs: LEASE }),
        ),
      );
      const claimed = claims.flat().map((r) => r.id);
      expect(claimed).toHaveLength(60);
      expect(new Set(claimed)).toEqual(ids);
    });

    it('should share one waiting-room bound between instances', async () => {
      const limits = { total: 10, perUser: 100 };
      const answers = await Promise.all(
        Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).insert(makeRecord(), limits, by())),
      );
      expect(answers.filter((x) => x === null)).toHaveLength(10);
      expect(await b.countWaiting()).toBe(10);
    });

    it('should never recover a lease the other instance renewed', async () => {
      const job = await running(a);
      const later = Date.now() + LEASE + 1;
      const [held] = await a.renewLeases([{ id: job.id, token: job.leaseToken! }], LEASE * 3, by());
      const recovered = await b.recoverExpired(by(later, 'n2'), TTL, 10);
      expect(held.id).toBe(job.id);
      expect(recovered).toEqual([]);
      expect((await b.get(job.id))?.state).toBe(JobState.running);
    });

    it('should end a cancel and a completion racing from two instances as one of them', async () => {
      const job = await running(a);
      const [cancel, done] = await Promise.all([
        b.requestCancel(job.id, by(), TTL),
        a.finishAttempt(job.id, job.leaseToken!, { kind: 'completed', result: null }, by(), TTL),
      ]);
      const final = await a.get(job.id);
      if (final!.state === JobState.cancelled) expect(done?.state).toBe(JobState.cancelled);
      else expect(cancel?.changed).toBe(false);
      expect([JobState.cancelled, JobState.completed]).toContain(final!.state);
    });

    /** `n` jobs, due at `now` (a clock tick during the inserts must not hide them), claimed by `a` at `now`. */
    async function runningOnA(n: number, now: number, leaseMs: number): Promise<JobRecord[]> {
      const type = `race-${Math.random()}`;
      for (let i = 0; i < n; i++) await put(a, { type, runAfter: now });
      return a.claim(type, n, { ...by(now, 'na'), leaseMs });
    }

    it('should recover each expired lease once when two instances recover at once', async () => {
      const start = Date.now();
      const jobs = await runningOnA(20, start, 10);
      const later = start + 1_000;
      const rounds = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          (i % 2 ? a : b).recoverExpired(by(later, `n${i % 2}`), TTL, 7),
        ),
      );
      const recovered = rounds.flat().map((r) => r.id);
      expect(recovered.sort()).toEqual(jobs.map((j) => j.id).sort());
      for (const job of jobs) {
        expect(await b.get(job.id)).toMatchObject({ state: JobState.queued, stalls: 1 });
      }
    });

    it('should never both renew and recover a lease when renewal and recovery race', async () => {
      const start = Date.now();
      const jobs = await runningOnA(20, start, 100);
      const expiry = start + 100;
      // a renews just before the expiry while b recovers just after it: each job goes one way.
      const leases = jobs.map((j) => ({ id: j.id, token: j.leaseToken! }));
      const [held, recovered] = await Promise.all([
        a.renewLeases(leases, LEASE, by(expiry - 1, 'na')),
        b.recoverExpired(by(expiry + 1, 'nb'), TTL, 100),
      ]);
      const heldIds = new Set(held.map((h) => h.id));
      const recoveredIds = new Set(recovered.map((r) => r.id));
      expect(heldIds.size + recoveredIds.size).toBe(jobs.length);
      for (const job of jobs) {
        const now = await b.get(job.id);
        if (heldIds.has(job.id)) {
          expect(recoveredIds.has(job.id)).toBe(false);
          expect(now).toMatchObject({ state: JobState.running, leaseToken: job.leaseToken });
        } else {
          expect(now?.state).toBe(JobState.queued);
        }
      }
    });

    it('should let only the current attempt finish when a stale runner finishes at once', async () => {
      const start = Date.now();
      const [stale] = await runningOnA(1, start, 10);
      await b.recoverExpired(by(start + 1_000, 'nb'), TTL, 10);
      const [current] = await b.claim(stale.type, 1, {
        ...by(start + 1_000, 'nb'),
        leaseMs: LEASE,
      });
      expect(current.leaseToken).not.toBe(stale.leaseToken);
      const done = { kind: 'completed', result: null } as const;
      const [late, winner] = await Promise.all([
        a.finishAttempt(stale.id, stale.leaseToken!, done, by(), TTL),
        b.finishAttempt(current.id, current.leaseToken!, done, by(Date.now(), 'nb'), TTL),
      ]);
      expect(late).toBeNull();
      expect(winner).toMatchObject({ state: JobState.completed, run: current.run });
      expect(await a.get(stale.id)).toMatchObject({ state: JobState.completed, run: current.run });
    });

    it('should push to one instance’s watch the changes the other makes, when it watches', async () => {
      if (!b.watchChanges) return; // polled stores (SQLite): the feed cases above cover them
      const head = await b.feedHead();
      const pushed: JobChange[] = [];
      let broken: unknown;
      const watch = b.watchChanges(
        head,
        (batch) => pushed.push(...batch),
        (err) => (broken = err),
      );
      try {
        const job = await put(a);
        await a.delete(job.id, by(Date.now(), 'na'));
        const deadline = Date.now() + 10_000;
        while (pushed.length < 2 && broken === undefined && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 50));
        }
        expect(broken).toBeUndefined();
        expect(pushed.map((c) => [c.kind, c.jobId])).toEqual([
          ['state', job.id],
          ['deleted', job.id],
        ]);
        expect(pushed[1].position).toBeGreaterThan(pushed[0].position);
      } finally {
        await watch.close();
      }
    });

    it('should show one instance the changes the other made', async () => {
      const head = await b.feedHead();
      const job = await put(a);
      const changes = await b.changes(head, 10);
      expect(changes.map((c) => c.jobId)).toEqual([job.id]);
    });
  });
}

function error(retryable: boolean) {
  return { code: retryable ? 'flaky' : 'broken', message: 'x', retryable };
}
