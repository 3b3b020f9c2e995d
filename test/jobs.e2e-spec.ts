import { createHash } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { sleep } from './support/http';
import { TestApp } from './support/test-app';

describe('Jobs API (e2e)', () => {
  let t: TestApp;
  let alice: string;
  let bob: string;
  let admin: string;

  beforeAll(async () => {
    t = await TestApp.start({ DIAGNOSTIC_MAX_ATTEMPTS: '3' });
    alice = t.token('alice');
    bob = t.token('bob');
    admin = t.token('root', true);
  });

  afterAll(() => t.close());

  const submit = (token: string, body: Record<string, unknown>, headers?: Record<string, string>) =>
    t.request('POST', '/api/diagnostics/jobs', { token, body, headers });

  describe('submit → complete → download', () => {
    it('should answer 202 with links and Location, run the job and serve its result', async () => {
      const res = await submit(alice, { durationMs: 100, steps: 4, resultBytes: 200_000 });
      expect(res.status).toBe(202);
      expect(res.body.state).toBe('queued');
      expect(res.headers.get('location')).toBe(`/api/jobs/${res.body.jobId}`);
      expect(res.body.links.result).toBe(`/api/jobs/${res.body.jobId}/result`);

      const job = await t.waitForState(res.body.jobId, alice);
      expect(job.state).toBe('completed');
      expect(job.progress).toBe(100);
      expect(job.attempt).toBe(1);
      expect(job.result).toMatchObject({
        kind: 'blob',
        bytes: 200_000,
        contentType: 'application/octet-stream',
      });
      expect(job.messages.map((m: { text: string }) => m.text)).toEqual([
        'attempt 1 started',
        'completed',
      ]);

      const file = await t.request('GET', `/api/jobs/${job.id}/result`, { token: alice });
      expect(file.status).toBe(200);
      expect(file.bytes.length).toBe(200_000);
      expect(createHash('sha256').update(file.bytes).digest('hex')).toBe(job.result.sha256);
      expect(file.headers.get('content-disposition')).toBe('attachment; filename="diagnostic.bin"');
      expect(file.headers.get('etag')).toBe(`"${job.result.sha256}"`);

      const part = await t.request('GET', `/api/jobs/${job.id}/result`, {
        token: alice,
        headers: { range: 'bytes=10-19' },
      });
      expect(part.status).toBe(206);
      expect(part.headers.get('content-range')).toBe('bytes 10-19/200000');
      expect(part.bytes.equals(file.bytes.subarray(10, 20))).toBe(true);

      const cached = await t.request('GET', `/api/jobs/${job.id}/result`, {
        token: alice,
        headers: { 'if-none-match': `"${job.result.sha256}"` },
      });
      expect(cached.status).toBe(304);
    });

    it('should serve the signed downloadUrl without a header and refuse a tampered one', async () => {
      const { body } = await submit(alice, { durationMs: 0, resultBytes: 10 });
      const job = await t.waitForState(body.jobId, alice);
      const signed = await t.request('GET', job.result.downloadUrl);
      expect(signed.status).toBe(200);
      expect(signed.bytes.length).toBe(10);
      const tampered = await t.request('GET', job.result.downloadUrl.replace(/sig=./, 'sig=x'));
      expect(tampered.status).toBe(401);
      const other = await t.request(
        'GET',
        job.result.downloadUrl.replace(job.id, '00000000-0000-0000-0000-000000000000'),
      );
      expect(other.status).toBe(401);
    });

    it('should answer 409 job_not_completed for a result that is not ready', async () => {
      const { body } = await submit(alice, { durationMs: 3000 });
      const res = await t.request('GET', `/api/jobs/${body.jobId}/result`, { token: alice });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('job_not_completed');
      await t.request('POST', `/api/jobs/${body.jobId}/cancel`, { token: alice });
    });
  });

  describe('retries and failures', () => {
    it('should retry failed attempts with backoff and then complete', async () => {
      const { body } = await submit(alice, { durationMs: 0, failAttempts: 2 });
      const job = await t.waitForState(body.jobId, alice);
      expect(job.state).toBe('completed');
      expect(job.attempt).toBe(3);
      expect(
        job.messages.filter((m: { text: string }) => m.text.startsWith('retry scheduled')).length,
      ).toBe(2);
    });

    it('should fail after maxAttempts and run again on POST retry', async () => {
      const { body } = await submit(alice, { durationMs: 0, failAttempts: 3 });
      const failed = await t.waitForState(body.jobId, alice);
      expect(failed.state).toBe('failed');
      expect(failed.error).toEqual({
        code: 'diagnostic_failure',
        message: 'planned failure of attempt 3',
        retryable: true,
      });
      const retry = await t.request('POST', `/api/jobs/${body.jobId}/retry`, { token: alice });
      expect(retry.status).toBe(202);
      expect(retry.body.state).toBe('queued');
      const done = await t.waitForState(body.jobId, alice);
      expect(done.state).toBe('completed');
      expect(done.attempt).toBe(4);
      expect(
        (await t.request('POST', `/api/jobs/${body.jobId}/retry`, { token: alice })).status,
      ).toBe(409);
    });
  });

  describe('cancel', () => {
    it('should cancel a running job within a second', async () => {
      const { body } = await submit(alice, { durationMs: 20_000, steps: 100 });
      await t.waitForState(body.jobId, alice, ['running']);
      const started = Date.now();
      const res = await t.request('POST', `/api/jobs/${body.jobId}/cancel`, { token: alice });
      expect(res.status).toBe(202);
      expect(res.body.cancelRequested).toBe(true);
      const job = await t.waitForState(body.jobId, alice);
      expect(job.state).toBe('cancelled');
      expect(Date.now() - started).toBeLessThan(1000);
      const again = await t.request('POST', `/api/jobs/${body.jobId}/cancel`, { token: alice });
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('job_finished');
    });

    it('should stop CPU work in a worker thread on cancel', async () => {
      const { body } = await submit(alice, { durationMs: 20_000, steps: 20, cpu: true });
      await t.waitForState(body.jobId, alice, ['running']);
      const res = await t.request('POST', `/api/jobs/${body.jobId}/cancel`, { token: alice });
      expect(res.status).toBe(202);
      const job = await t.waitForState(body.jobId, alice, ['cancelled'], 2000);
      expect(job.state).toBe('cancelled');
    });

    it('should cancel a queued job at once', async () => {
      await t.request('POST', '/api/admin/queue/pause', { token: admin });
      try {
        const { body } = await submit(alice, { durationMs: 0 });
        const res = await t.request('POST', `/api/jobs/${body.jobId}/cancel`, { token: alice });
        expect(res.status).toBe(200);
        expect(res.body.state).toBe('cancelled');
      } finally {
        await t.request('POST', '/api/admin/queue/resume', { token: admin });
      }
    });
  });

  describe('ownership and auth', () => {
    it('should answer 404 for another user and show the job to admins', async () => {
      const { body } = await submit(alice, { durationMs: 0, resultBytes: 5 });
      await t.waitForState(body.jobId, alice);
      for (const [method, path] of [
        ['GET', ''],
        ['GET', '/result'],
        ['POST', '/cancel'],
        ['POST', '/retry'],
        ['DELETE', ''],
      ]) {
        const res = await t.request(method, `/api/jobs/${body.jobId}${path}`, { token: bob });
        expect([method, path, res.status, res.body.code]).toEqual([method, path, 404, 'not_found']);
      }
      const seen = await t.request('GET', `/api/jobs/${body.jobId}`, { token: admin });
      expect(seen.status).toBe(200);
      expect(seen.body.owner).toBe('alice');
      const bobsList = await t.request('GET', '/api/jobs', { token: bob });
      expect(bobsList.body.items.some((j: { id: string }) => j.id === body.jobId)).toBe(false);
    });

    it('should refuse missing, forged, alg-none and expired tokens with 401', async () => {
      const none = jwt.sign({ sub: 'alice' }, '', { algorithm: 'none' });
      const forged = jwt.sign({ sub: 'alice' }, 'wrong-secret', { algorithm: 'HS256' });
      const expired = jwt.sign(
        { sub: 'alice', exp: Math.floor(Date.now() / 1000) - 10 },
        'e2e-secret',
        { algorithm: 'HS256' },
      );
      for (const token of [undefined, none, forged, expired]) {
        const res = await t.request('GET', '/api/jobs', { token });
        expect(res.status).toBe(401);
        expect(res.body.code).toBe('unauthorized');
      }
    });

    it('should forbid queue pause to non-admins', async () => {
      expect((await t.request('POST', '/api/admin/queue/pause', { token: alice })).status).toBe(
        403,
      );
    });
  });

  describe('bad input', () => {
    it('should answer 400 validation_failed with details for a bad body', async () => {
      const res = await submit(alice, { durationMs: -1, extra: true });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('validation_failed');
      expect(res.body.details.map((d: { field: string }) => d.field).sort()).toEqual([
        'durationMs',
        'extra',
      ]);
    });

    it('should answer 400 for malformed JSON and never leak a stack', async () => {
      const res = await t.request('POST', '/api/diagnostics/jobs', {
        token: alice,
        rawBody: '{"durationMs":',
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('validation_failed');
      expect(JSON.stringify(res.body)).not.toMatch(/at .*\.js/);
    });

    it('should answer 400 for a bad list query or cursor', async () => {
      expect((await t.request('GET', '/api/jobs?limit=0', { token: alice })).status).toBe(400);
      expect((await t.request('GET', '/api/jobs?state=done', { token: alice })).status).toBe(400);
      expect((await t.request('GET', '/api/jobs?cursor=zzz', { token: alice })).status).toBe(400);
    });

    it('should answer 404 in the contract shape for an unknown route', async () => {
      const res = await t.request('GET', '/api/nothing', { token: alice });
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ statusCode: 404, code: 'not_found' });
    });
  });

  describe('Idempotency-Key', () => {
    it('should return the same job for the same key and body, 409 for another body', async () => {
      const headers = { 'idempotency-key': 'order-42' };
      const first = await submit(bob, { durationMs: 0 }, headers);
      const second = await submit(bob, { durationMs: 0 }, headers);
      expect(second.status).toBe(202);
      expect(second.body.jobId).toBe(first.body.jobId);
      const conflict = await submit(bob, { durationMs: 1 }, headers);
      expect(conflict.status).toBe(409);
      expect(conflict.body.code).toBe('idempotency_conflict');
      const otherUser = await submit(alice, { durationMs: 0 }, headers);
      expect(otherUser.body.jobId).not.toBe(first.body.jobId);
    });
  });

  describe('list, delete and stats', () => {
    it('should page newest first with a cursor', async () => {
      const carol = t.token('carol');
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        ids.push((await submit(carol, { durationMs: 0 })).body.jobId);
        await sleep(2);
      }
      const page1 = await t.request('GET', '/api/jobs?limit=3', { token: carol });
      expect(page1.body.items.map((j: { id: string }) => j.id)).toEqual(ids.slice(2).reverse());
      const page2 = await t.request('GET', `/api/jobs?limit=3&cursor=${page1.body.nextCursor}`, {
        token: carol,
      });
      expect(page2.body.items.map((j: { id: string }) => j.id)).toEqual(ids.slice(0, 2).reverse());
      expect(page2.body.nextCursor).toBeNull();
    });

    it('should delete a job and its result', async () => {
      const { body } = await submit(alice, { durationMs: 0, resultBytes: 100 });
      await t.waitForState(body.jobId, alice);
      expect((await t.request('DELETE', `/api/jobs/${body.jobId}`, { token: alice })).status).toBe(
        204,
      );
      expect((await t.request('GET', `/api/jobs/${body.jobId}`, { token: alice })).status).toBe(
        404,
      );
    });

    it('should report counts, capacity, workers and durations', async () => {
      const res = await t.request('GET', '/api/jobs/stats/overview', { token: alice });
      expect(res.status).toBe(200);
      expect(res.body.counts.completed).toBeGreaterThan(0);
      expect(res.body.capacity).toEqual({ limit: 200, waiting: expect.any(Number) });
      expect(res.body.workers.diagnostic).toEqual({ busy: expect.any(Number), total: 8 });
      expect(res.body.durations.diagnostic.p95Ms).toBeGreaterThanOrEqual(0);
      expect(res.body.paused).toBe(false);
    });
  });
});
