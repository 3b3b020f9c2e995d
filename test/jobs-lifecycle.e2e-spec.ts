import { blobKeys } from './support/blob-keys';
import { eventually } from './support/http';
import { TestApp } from './support/test-app';

const submit = (t: TestApp, token: string, body: Record<string, unknown>) =>
  t.request('POST', '/api/diagnostics/jobs', { token, body });

describe('Job lifecycle (e2e)', () => {
  describe('bounded waiting room', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await TestApp.start({ QUEUE_CAPACITY: '4', USER_QUEUE_CAPACITY: '3' });
      await t.request('POST', '/api/admin/queue/pause', { token: t.token('root', true) });
    });

    afterAll(() => t.close());

    it('should answer 429 queue_full with Retry-After and create nothing when full', async () => {
      const alice = t.token('alice');
      for (let i = 0; i < 3; i++)
        expect((await submit(t, alice, { durationMs: 0 })).status).toBe(202);
      const perUser = await submit(t, alice, { durationMs: 0 });
      expect(perUser.status).toBe(429);
      expect(perUser.body.code).toBe('queue_full');
      expect(Number(perUser.headers.get('retry-after'))).toBeGreaterThan(0);

      const bob = t.token('bob');
      expect((await submit(t, bob, { durationMs: 0 })).status).toBe(202);
      const system = await submit(t, bob, { durationMs: 0 });
      expect(system.status).toBe(429);

      const all = await t.request('GET', '/api/jobs?all=true', { token: t.token('root', true) });
      expect(all.body.items).toHaveLength(4);
      const stats = await t.request('GET', '/api/jobs/stats/overview', {
        token: t.token('root', true),
      });
      expect(stats.body.capacity).toEqual({ limit: 4, waiting: 4 });
    });

    it('should free a slot when a queued job is cancelled', async () => {
      const alice = t.token('alice');
      const list = await t.request('GET', '/api/jobs', { token: alice });
      await t.request('POST', `/api/jobs/${list.body.items[0].id}/cancel`, { token: alice });
      expect((await submit(t, alice, { durationMs: 0 })).status).toBe(202);
    });
  });

  describe('timeout', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await TestApp.start({ DIAGNOSTIC_TIMEOUT_S: '1', DIAGNOSTIC_MAX_ATTEMPTS: '2' });
    });

    afterAll(() => t.close());

    it('should abort a job past its time limit and fail it after its attempts', async () => {
      const alice = t.token('alice');
      const { body } = await submit(t, alice, { durationMs: 60_000, steps: 600 });
      const job = await t.waitForState(body.jobId, alice, ['failed'], 10_000);
      expect(job.error).toEqual({
        code: 'timeout',
        message: 'the job ran past its time limit',
        retryable: true,
      });
      expect(job.attempt).toBe(2);
    });
  });

  describe('retention', () => {
    it('should answer 410 for an expired result, then reap blobs and record', async () => {
      const t = await TestApp.start({ RESULT_TTL_HOURS: '0', REAP_INTERVAL_MS: '3600000' });
      const alice = t.token('alice');
      const { body } = await submit(t, alice, { durationMs: 0, resultBytes: 64 });
      const job = await t.waitForState(body.jobId, alice);
      const stored = () => blobKeys(t.dataDir, `jobs/${job.id}/`);
      expect(await stored()).toHaveLength(1);
      const expired = await t.request('GET', `/api/jobs/${job.id}/result`, { token: alice });
      expect(expired.status).toBe(410);
      expect(expired.body.code).toBe('result_expired');

      const { JobReaper } = await import('../src/core/jobs/job-reaper.service');
      expect(await t.app.get(JobReaper).reapOnce(Date.now() + 1)).toBeGreaterThanOrEqual(1);
      expect(await stored()).toEqual([]);
      expect((await t.request('GET', `/api/jobs/${job.id}`, { token: alice })).status).toBe(404);
      await t.close();
    });
  });

  describe('graceful shutdown', () => {
    it('should release running jobs to the queue without using an attempt, and finish them after restart', async () => {
      const env = { SHUTDOWN_GRACE_MS: '100' };
      const first = await TestApp.start(env);
      const alice = first.token('alice');
      const { body } = await submit(first, alice, { durationMs: 30_000, steps: 300 });
      await first.waitForState(body.jobId, alice, ['running']);
      await first.close(true);

      const second = await TestApp.start(env, first.dataDir);
      try {
        const released = await second.request('GET', `/api/jobs/${body.jobId}`, { token: alice });
        expect(['queued', 'running']).toContain(released.body.state);
        expect(released.body.messages.map((m: { text: string }) => m.text)).toContain(
          'released for another run',
        );
        await second.request('POST', `/api/jobs/${body.jobId}/cancel`, { token: alice });
        const job = await eventually(async () => {
          const res = await second.request('GET', `/api/jobs/${body.jobId}`, { token: alice });
          return res.body.state === 'cancelled' ? res.body : undefined;
        });
        expect(job.attempt).toBeLessThanOrEqual(1);
      } finally {
        await second.close();
      }
    });
  });
});
