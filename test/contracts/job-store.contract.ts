import { JobRecord, JobState } from '../../src/core/jobs/job.model';
import { newJobRecord } from '../../src/core/jobs/job-patches';
import { DuplicateIdempotencyKeyError, JobStore } from '../../src/core/jobs/job-store.port';

/** A fresh queued record; fields can be overridden. */
export function makeRecord(over: Partial<JobRecord> = {}): JobRecord {
  const base = newJobRecord(
    { type: 'diagnostic', owner: 'alice', payload: { durationMs: 1 }, maxAttempts: 3 },
    Date.now(),
  );
  return { ...base, ...over };
}

/**
 * The conformance suite every JobStore adapter must pass (BullMQ-style): run it from a spec
 * with a factory that returns a fresh, initialised store.
 */
export function describeJobStoreContract(name: string, open: () => Promise<JobStore>): void {
  describe(`JobStore contract: ${name}`, () => {
    let store: JobStore;

    beforeEach(async () => {
      store = await open();
    });

    afterEach(async () => {
      await store.close();
    });

    it('should round-trip every field of a record', async () => {
      const record = makeRecord({
        payload: { nested: [1, 'two'] },
        messages: [{ at: 1, text: 'x' }],
        idempotencyKey: 'k',
      });
      await store.insert(record);
      expect(await store.get(record.id)).toEqual(record);
    });

    it('should return null for an unknown id', async () => {
      expect(await store.get('nope')).toBeNull();
    });

    it('should apply a compare-and-set only when the state guard holds', async () => {
      const record = makeRecord();
      await store.insert(record);
      const claimed = await store.update(
        record.id,
        { states: [JobState.queued] },
        { state: JobState.running, leaseToken: 't1' },
      );
      expect(claimed?.state).toBe(JobState.running);
      const second = await store.update(
        record.id,
        { states: [JobState.queued] },
        { state: JobState.running, leaseToken: 't2' },
      );
      expect(second).toBeNull();
      expect((await store.get(record.id))?.leaseToken).toBe('t1');
    });

    it('should fence writes by lease token', async () => {
      const record = makeRecord({ state: JobState.running, leaseToken: 'mine' });
      await store.insert(record);
      expect(await store.update(record.id, { leaseToken: 'stale' }, { progress: 50 })).toBeNull();
      expect(
        (await store.update(record.id, { leaseToken: 'mine' }, { progress: 50 }))?.progress,
      ).toBe(50);
    });

    it('should not let a late completion overwrite a cancel', async () => {
      const record = makeRecord({ state: JobState.running, leaseToken: 'w' });
      await store.insert(record);
      await store.update(
        record.id,
        { states: [JobState.running] },
        { state: JobState.cancelled, leaseToken: null },
      );
      const late = await store.update(
        record.id,
        { states: [JobState.running], leaseToken: 'w' },
        { state: JobState.completed },
      );
      expect(late).toBeNull();
      expect((await store.get(record.id))?.state).toBe(JobState.cancelled);
    });

    it('should guard on attempt and cancelRequested', async () => {
      const record = makeRecord({
        state: JobState.running,
        attempt: 2,
        cancelRequested: true,
        leaseToken: 'w',
      });
      await store.insert(record);
      expect(await store.update(record.id, { attempt: 1 }, { progress: 1 })).toBeNull();
      expect(
        await store.update(record.id, { cancelRequested: false }, { state: JobState.completed }),
      ).toBeNull();
      expect(
        await store.update(record.id, { attempt: 2, cancelRequested: true }, { progress: 1 }),
      ).not.toBeNull();
    });

    it('should bump seq on every write and honour a minimum', async () => {
      const record = makeRecord();
      await store.insert(record);
      expect((await store.update(record.id, {}, { stage: 'a' }))?.seq).toBe(2);
      expect((await store.update(record.id, {}, { stage: 'b' }, 10))?.seq).toBe(10);
      expect((await store.update(record.id, {}, { stage: 'c' }, 3))?.seq).toBe(11);
      expect((await store.update(record.id, {}, { stage: 'd' }, 'keep'))?.seq).toBe(11);
    });

    it('should reject a second job with the same owner and idempotency key', async () => {
      await store.insert(makeRecord({ idempotencyKey: 'same' }));
      await expect(store.insert(makeRecord({ idempotencyKey: 'same' }))).rejects.toBeInstanceOf(
        DuplicateIdempotencyKeyError,
      );
      await expect(
        store.insert(makeRecord({ idempotencyKey: 'same', owner: 'bob' })),
      ).resolves.toBeUndefined();
      expect((await store.findByIdempotencyKey('alice', 'same'))?.owner).toBe('alice');
    });

    it('should list newest first with filters and a cursor', async () => {
      const base = Date.now();
      for (let i = 0; i < 5; i++)
        await store.insert(
          makeRecord({ createdAt: base + i, state: i % 2 ? JobState.failed : JobState.queued }),
        );
      await store.insert(makeRecord({ owner: 'bob', createdAt: base + 10 }));
      const page1 = await store.list({ owner: 'alice', limit: 2 });
      expect(page1.map((r) => r.createdAt)).toEqual([base + 4, base + 3]);
      const last = page1[1];
      const page2 = await store.list({
        owner: 'alice',
        limit: 10,
        cursor: { createdAt: last.createdAt, id: last.id },
      });
      expect(page2.map((r) => r.createdAt)).toEqual([base + 2, base + 1, base]);
      expect((await store.list({ owner: 'alice', state: JobState.failed, limit: 10 })).length).toBe(
        2,
      );
      expect((await store.list({ limit: 10 })).length).toBe(6);
    });

    it('should find queued jobs of given types oldest first', async () => {
      const base = Date.now();
      await store.insert(makeRecord({ createdAt: base + 2 }));
      await store.insert(makeRecord({ createdAt: base + 1 }));
      await store.insert(makeRecord({ type: 'other', createdAt: base }));
      const found = await store.findQueued(['diagnostic'], 10);
      expect(found.map((r) => r.createdAt)).toEqual([base + 1, base + 2]);
    });

    it('should find expired leases, running jobs and expired results', async () => {
      const now = Date.now();
      await store.insert(
        makeRecord({ state: JobState.running, leaseToken: 'a', leaseExpiresAt: now - 1 }),
      );
      await store.insert(
        makeRecord({ state: JobState.running, leaseToken: 'b', leaseExpiresAt: now + 60_000 }),
      );
      await store.insert(makeRecord({ state: JobState.completed, expiresAt: now - 1 }));
      await store.insert(makeRecord({ state: JobState.completed, expiresAt: now + 60_000 }));
      expect((await store.findExpiredLeases(now, 10)).map((r) => r.leaseToken)).toEqual(['a']);
      expect((await store.findRunning(10)).length).toBe(2);
      expect((await store.findExpired(now, 10)).length).toBe(1);
    });

    it('should count queued jobs per owner and jobs by type and state', async () => {
      await store.insert(makeRecord());
      await store.insert(makeRecord());
      await store.insert(makeRecord({ owner: 'bob' }));
      await store.insert(makeRecord({ owner: 'bob', state: JobState.failed, type: 'other' }));
      const queued = await store.countQueued();
      expect(queued.total).toBe(3);
      expect(queued.byOwner.get('alice')).toBe(2);
      const counts = await store.countByTypeAndState('bob');
      expect(counts).toEqual(
        expect.arrayContaining([
          { type: 'diagnostic', state: JobState.queued, count: 1 },
          { type: 'other', state: JobState.failed, count: 1 },
        ]),
      );
      expect(counts).toHaveLength(2);
    });

    it('should delete a record once', async () => {
      const record = makeRecord();
      await store.insert(record);
      expect(await store.delete(record.id)).toBe(true);
      expect(await store.delete(record.id)).toBe(false);
      expect(await store.get(record.id)).toBeNull();
    });

    it('should answer a ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}
