import { loadConfig } from '../../config/app-config';
import { SqliteJobStore } from '../../infra/store/sqlite/sqlite-job-store.adapter';
import { QueueFullError } from '../errors/app-error';
import { JobEvent, JobEvents } from './job-events';
import { JobState } from './job.model';
import { JobTracker } from './job-tracker.service';

async function newTracker(env: Record<string, string> = {}) {
  const store = new SqliteJobStore(':memory:');
  await store.init();
  const events = new JobEvents();
  const seen: JobEvent[] = [];
  events.on((e) => seen.push(e));
  const sut = new JobTracker(store, loadConfig({ DATA_DIR: '/tmp/unused', ...env }), events);
  return { sut, store, seen };
}

const job = (owner = 'alice') => ({ type: 't', owner, payload: { n: 1 }, maxAttempts: 2 });

describe(JobTracker.name, () => {
  describe('create', () => {
    it('should refuse with QueueFullError and persist nothing when the system queue is full', async () => {
      const { sut, store } = await newTracker({ QUEUE_CAPACITY: '2' });
      await sut.create(job('a'));
      await sut.create(job('b'));
      await expect(sut.create(job('c'))).rejects.toBeInstanceOf(QueueFullError);
      expect((await store.countQueued()).total).toBe(2);
    });

    it('should bound each user separately', async () => {
      const { sut } = await newTracker({ USER_QUEUE_CAPACITY: '1' });
      await sut.create(job('alice'));
      await expect(sut.create(job('alice'))).rejects.toBeInstanceOf(QueueFullError);
      await expect(sut.create(job('bob'))).resolves.toMatchObject({ created: true });
    });

    it('should free the slot once the job is claimed', async () => {
      const { sut } = await newTracker({ QUEUE_CAPACITY: '1' });
      const { job: first } = await sut.create(job());
      await sut.claim(first.id, 10_000);
      await expect(sut.create(job())).resolves.toMatchObject({ created: true });
    });
  });

  describe('claim', () => {
    it('should hand a job to one claimant only', async () => {
      const { sut } = await newTracker();
      const { job: created } = await sut.create(job());
      const [a, b] = await Promise.all([
        sut.claim(created.id, 10_000),
        sut.claim(created.id, 10_000),
      ]);
      expect([a, b].filter(Boolean)).toHaveLength(1);
      expect((a ?? b)!.attempt).toBe(1);
    });
  });

  describe('progress', () => {
    it('should never go backwards and bump seq on every change', async () => {
      const { sut, seen } = await newTracker();
      const { job: created } = await sut.create(job());
      await sut.claim(created.id, 10_000);
      sut.progress(created.id, 40, 'a');
      sut.progress(created.id, 20, 'b');
      const progress = seen.filter((e) => e.kind === 'progress');
      expect(progress.map((e) => (e.kind === 'progress' ? e.progress : -1))).toEqual([40, 40]);
      const seqs = seen.map((e) =>
        e.kind === 'progress' ? e.seq : e.kind === 'deleted' ? e.seq : e.job.seq,
      );
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
      expect(new Set(seqs).size).toBe(seqs.length);
    });
  });

  describe('complete', () => {
    it('should not complete a job whose cancel was requested', async () => {
      const { sut, store } = await newTracker();
      const { job: created } = await sut.create(job());
      await sut.claim(created.id, 10_000);
      await sut.requestCancel(created.id);
      expect(await sut.complete(created.id, null)).toBeNull();
      expect(await sut.markCancelled(created.id)).toMatchObject({ state: JobState.cancelled });
      expect((await store.get(created.id))?.state).toBe(JobState.cancelled);
    });

    it('should publish the terminal event with the highest seq', async () => {
      const { sut, seen } = await newTracker();
      const { job: created } = await sut.create(job());
      await sut.claim(created.id, 10_000);
      sut.progress(created.id, 50);
      const done = await sut.complete(created.id, null);
      const last = seen[seen.length - 1];
      expect(last.kind).toBe('completed');
      expect(done!.seq).toBeGreaterThan(
        Math.max(...seen.slice(0, -1).map((e) => (e.kind === 'progress' ? e.seq : 0))),
      );
    });
  });

  describe('requestCancel', () => {
    it('should cancel a queued job at once and refuse a finished one', async () => {
      const { sut } = await newTracker();
      const { job: created } = await sut.create(job());
      expect(await sut.requestCancel(created.id)).toMatchObject({ state: JobState.cancelled });
      await expect(sut.requestCancel(created.id)).rejects.toMatchObject({ code: 'job_finished' });
    });
  });
});
