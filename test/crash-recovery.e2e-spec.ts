import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecordingSocket } from './realtime/realtime-clients';
import { eventually } from './support/http';
import { sample } from './support/metrics';
import { ServerProcess } from './support/server-process';

describe('Crash recovery (e2e, separate process)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'darkroom-crash-'));
  // A short lease: a crashed process's jobs are recovered by lease expiry (any process may).
  const env = { DATA_DIR: dataDir, DIAGNOSTIC_CONCURRENCY: '4', JOB_LEASE_MS: '3000' };
  const token = ServerProcess.token('alice');
  let server: ServerProcess | undefined;

  afterAll(async () => {
    await server?.stop('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('should bring every accepted job to completion exactly once after kill -9 and a restart', async () => {
    server = await ServerProcess.start(env);
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await server.request('POST', '/api/diagnostics/jobs', {
        token,
        body: { durationMs: 1500, steps: 5, resultBytes: 1000 },
      });
      expect(res.status).toBe(202);
      ids.push(res.body.jobId);
    }
    await eventually(async () => {
      const res = await server!.request('GET', '/api/jobs?state=running', { token });
      return res.body.items.length === 4 ? true : undefined;
    });
    await server.stop('SIGKILL');

    server = await ServerProcess.start(env);
    const jobs = await eventually(
      async () => {
        const res = await server!.request('GET', '/api/jobs?limit=100', { token });
        const done = res.body.items.filter((j: { state: string }) => j.state === 'completed');
        return done.length === ids.length ? res.body.items : undefined;
      },
      30_000,
      200,
    );

    expect(jobs.map((j: { id: string }) => j.id).sort()).toEqual([...ids].sort());
    for (const summary of jobs) {
      const job = (await server.request('GET', `/api/jobs/${summary.id}`, { token })).body;
      const texts: string[] = job.messages.map((m: { text: string }) => m.text);
      expect(texts.filter((text) => text === 'completed')).toHaveLength(1);
      const events: string[] = job.history.map((h: { event: string }) => h.event);
      expect(events.filter((event) => event === 'completed')).toHaveLength(1);
      expect(job.attempt).toBe(1);
      expect(job.result.bytes).toBe(1000);
      const file = await server.request('GET', `/api/jobs/${job.id}/result`, { token });
      expect(file.bytes.length).toBe(1000);
    }
    const interrupted = [];
    for (const id of ids) {
      const job = (await server.request('GET', `/api/jobs/${id}`, { token })).body;
      if (job.messages.some((m: { text: string }) => m.text === 'lease expired; requeued'))
        interrupted.push(id);
    }
    expect(interrupted).toHaveLength(4);
    const metrics = String((await server.request('GET', '/metrics')).body);
    expect(sample(metrics, 'darkroom_job_lease_recoveries_total', 'type="diagnostic"')).toBe(4);
  });

  it('should stop gracefully on SIGTERM and resume the released jobs on restart', async () => {
    await server?.stop('SIGKILL');
    server = await ServerProcess.start({ ...env, SHUTDOWN_GRACE_MS: '200' });
    const res = await server.request('POST', '/api/diagnostics/jobs', {
      token,
      body: { durationMs: 4000, steps: 40 },
    });
    await eventually(async () => {
      const job = await server!.request('GET', `/api/jobs/${res.body.jobId}`, { token });
      return job.body.state === 'running' ? true : undefined;
    });
    await server.stop('SIGTERM');
    expect(server.child.exitCode === 0 || server.child.signalCode === 'SIGTERM').toBe(true);

    server = await ServerProcess.start(env);
    const job = await eventually(
      async () => {
        const r = await server!.request('GET', `/api/jobs/${res.body.jobId}`, { token });
        return r.body.state === 'completed' ? r.body : undefined;
      },
      20_000,
      200,
    );
    expect(job.attempt).toBe(1);
    expect(job.messages.map((m: { text: string }) => m.text)).toContain('released for another run');
  });

  it('should end cancelled, and never run again, when cancelled during the SIGTERM drain', async () => {
    await server?.stop('SIGKILL');
    server = await ServerProcess.start({ ...env, SHUTDOWN_GRACE_MS: '5000' });
    const res = await server.request('POST', '/api/diagnostics/jobs', {
      token,
      body: { durationMs: 20_000, steps: 200 },
    });
    const id = res.body.jobId as string;
    await eventually(async () => {
      const job = await server!.request('GET', `/api/jobs/${id}`, { token });
      return job.body.state === 'running' ? true : undefined;
    });
    const exited = server.stop('SIGTERM');
    const cancel = await eventually(async () => {
      const r = await server!.request('POST', `/api/jobs/${id}/cancel`, { token });
      return r.status === 202 || r.status === 200 ? r : undefined;
    });
    expect(cancel.body.cancelRequested).toBe(true);
    await exited;

    server = await ServerProcess.start(env);
    const first = (await server.request('GET', `/api/jobs/${id}`, { token })).body;
    expect(first.state).toBe('cancelled');
    await new Promise((r) => setTimeout(r, 1500));
    const later = (await server.request('GET', `/api/jobs/${id}`, { token })).body;
    expect(later.state).toBe('cancelled');
    const claims = later.history.filter((h: { event: string }) => h.event === 'claimed');
    expect(claims).toHaveLength(1);
  });

  it('should push the end of a job drained on SIGTERM to its sockets, answering 503 ready meanwhile', async () => {
    await server?.stop('SIGKILL');
    server = await ServerProcess.start({ ...env, SHUTDOWN_GRACE_MS: '10000' });
    const socket = await RecordingSocket.connect(server.url, token);
    const res = await server.request('POST', '/api/diagnostics/jobs', {
      token,
      body: { durationMs: 2500, steps: 10 },
    });
    const id = res.body.jobId as string;
    await eventually(async () => {
      const job = await server!.request('GET', `/api/jobs/${id}`, { token });
      return job.body.state === 'running' ? true : undefined;
    });
    const exited = server.stop('SIGTERM');
    const ready = await eventually(async () => {
      const r = await server!.request('GET', '/health/ready');
      return r.status === 503 ? r : undefined;
    });
    expect(ready.status).toBe(503);
    await exited;
    const names = socket.events.filter((e) => e.data?.id === id || e.data?.jobId === id);
    expect(names.at(-1)).toMatchObject({ name: 'job:completed' });
    socket.socket.close();
  });
});
