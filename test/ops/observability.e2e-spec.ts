import { ReadinessState } from '../../src/core/health/readiness.service';
import { sample } from '../support/metrics';
import { TestApp } from '../support/test-app';
import { RecordingSocket, until } from '../realtime/realtime-clients';

describe('operations: metrics and health', () => {
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    t = await TestApp.start();
    token = t.token('alice');
  });

  afterAll(() => t.close());

  it('should answer /health/live and /health/ready without a token', async () => {
    expect((await t.request('GET', '/health/live')).status).toBe(200);
    const ready = await t.request('GET', '/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ok', info: { store: {}, blobStore: {} } });
  });

  it('should count jobs, HTTP requests and pushes in /metrics without a token', async () => {
    const sub = await t.request('POST', '/api/diagnostics/jobs', {
      token,
      body: { durationMs: 20, steps: 4, failAttempts: 1 },
    });
    expect(sub.status).toBe(202);
    await t.waitForState(sub.body.jobId, token);
    await t.request('GET', `/api/jobs/${sub.body.jobId}`, { token });
    const res = await t.request('GET', '/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = String(res.body);
    expect(sample(text, 'darkroom_jobs_created_total', 'type="diagnostic"')).toBe(1);
    expect(sample(text, 'darkroom_job_retries_total', 'type="diagnostic"')).toBe(1);
    const done = 'type="diagnostic",outcome="completed"';
    expect(sample(text, 'darkroom_jobs_finished_total', done)).toBe(1);
    expect(sample(text, 'darkroom_job_duration_seconds_count', done)).toBe(1);
    expect(sample(text, 'darkroom_job_queue_wait_seconds_count', 'type="diagnostic"')).toBe(2);
    const route = 'method="GET",route="/api/jobs/:id",status="200"';
    expect(sample(text, 'darkroom_http_request_duration_seconds_count', route)).toBeGreaterThan(0);
    expect(sample(text, 'darkroom_queue_depth')).toBe(0);
    expect(sample(text, 'darkroom_workers_busy', 'type="diagnostic"')).toBe(0);
    expect(sample(text, 'darkroom_sockets_connected')).toBe(0);
    // Nobody was connected: the job's events were not built, so none was pushed.
    expect(sample(text, 'darkroom_events_pushed_total', 'event="job:completed"')).toBeUndefined();
    expect(sample(text, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
  });

  it('should count the events pushed to a connected socket, and the progress coalescing kept from it', async () => {
    const socket = await RecordingSocket.connect(t.url, token);
    try {
      // 100 steps in 300 ms: far more than the 10 progress events a second a job's rooms get.
      const sub = await t.request('POST', '/api/diagnostics/jobs', {
        token,
        body: { durationMs: 300, steps: 100 },
      });
      await until(() => socket.of(sub.body.jobId).find((e) => e.name === 'job:completed'));
      const text = String((await t.request('GET', '/metrics')).body);
      expect(sample(text, 'darkroom_events_pushed_total', 'event="job:completed"')).toBe(1);
      const pushed = sample(text, 'darkroom_events_pushed_total', 'event="job:progress"')!;
      expect(pushed).toBeGreaterThan(0);
      expect(pushed).toBe(
        socket.of(sub.body.jobId).filter((e) => e.name === 'job:progress').length,
      );
      expect(sample(text, 'darkroom_progress_events_total')).toBeGreaterThanOrEqual(100);
      expect(sample(text, 'darkroom_events_coalesced_total')).toBeGreaterThan(50);
    } finally {
      socket.close();
    }
  });

  it('should answer 503 unavailable on /health/ready once the node drains', async () => {
    t.app.get(ReadinessState).markDraining();
    const ready = await t.request('GET', '/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ statusCode: 503, code: 'unavailable' });
    expect((await t.request('GET', '/health/live')).status).toBe(200);
  });
});
