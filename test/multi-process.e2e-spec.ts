import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSse, RecordingSocket } from './realtime/realtime-clients';
import { eventually } from './support/http';
import { ServerProcess } from './support/server-process';

interface HistoryLine {
  event: string;
  node: string;
  at: string;
}

const TERMINAL = ['job:completed', 'job:failed', 'job:cancelled'];

/** Two real processes sharing one data directory: one store, one queue, one bound. */
describe('Several processes on one data directory (e2e)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'darkroom-multi-'));
  const env = {
    DATA_DIR: dataDir,
    DIAGNOSTIC_CONCURRENCY: '8',
    QUEUE_CAPACITY: '2000',
    USER_QUEUE_CAPACITY: '2000',
    JOB_LEASE_MS: '3000',
    JOB_POLL_MS: '500',
  };
  const token = ServerProcess.token('alice');
  const admin = ServerProcess.token('root', true);
  let a: ServerProcess;
  let b: ServerProcess;

  // Both start at once on the empty directory: each waits for the other's schema migration.
  beforeAll(async () => {
    const started = await Promise.allSettled([
      ServerProcess.start({ ...env, NODE_ID: 'proc-a' }),
      ServerProcess.start({ ...env, NODE_ID: 'proc-b' }),
    ]);
    [a, b] = started.map((s) => (s.status === 'fulfilled' ? s.value : undefined!));
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason; // afterAll stops the one that did start
  });

  afterAll(async () => {
    await a?.stop('SIGKILL');
    await b?.stop('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  const submit = async (to: ServerProcess, body: Record<string, unknown>): Promise<string> => {
    const res = await to.request('POST', '/api/diagnostics/jobs', { token, body });
    expect(res.status).toBe(202);
    return res.body.jobId as string;
  };
  const job = async (from: ServerProcess, id: string) =>
    (await from.request('GET', `/api/jobs/${id}`, { token })).body;
  const allDone = (from: ServerProcess, ids: string[], timeoutMs: number) =>
    eventually(
      async () => {
        const jobs = await Promise.all(ids.map((id) => job(from, id)));
        return jobs.every((j) => j.state === 'completed') ? jobs : undefined;
      },
      timeoutMs,
      250,
    );
  const events = (j: { history: HistoryLine[] }, name: string) =>
    j.history.filter((h) => h.event === name);

  it('should complete 500 jobs submitted to both processes, each exactly once', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 500; i += 25) {
      const batch = Array.from({ length: 25 }, (_, k) =>
        submit((i + k) % 2 ? a : b, { durationMs: 20 }),
      );
      ids.push(...(await Promise.all(batch)));
    }
    await eventually(
      async () => {
        const stats = await a.request('GET', '/api/jobs/stats/overview', { token });
        return stats.body.counts.completed >= 500 ? true : undefined;
      },
      60_000,
      250,
    );
    const jobs = await Promise.all(ids.map((id) => job(a, id)));
    for (const j of jobs) {
      expect(j.state).toBe('completed');
      expect(events(j, 'claimed')).toHaveLength(1);
      expect(events(j, 'completed')).toHaveLength(1);
    }
    const nodes = new Set(jobs.map((j) => events(j, 'completed')[0].node));
    expect(nodes).toEqual(new Set(['proc-a', 'proc-b']));
  });

  it('should push to a socket on A every terminal event of jobs that B ran', async () => {
    const socket = await RecordingSocket.connect(a.url, token);
    try {
      const ids: string[] = [];
      for (let i = 0; i < 40; i++) ids.push(await submit(b, { durationMs: 50, steps: 2 }));
      const jobs = await allDone(b, ids, 30_000);
      const ranOnB = jobs.filter((j) => events(j, 'completed')[0].node === 'proc-b');
      expect(ranOnB.length).toBeGreaterThan(0);
      await eventually(() => {
        const ended = new Set(
          socket.events.filter((e) => TERMINAL.includes(e.name)).map((e) => e.data.id),
        );
        return Promise.resolve(ids.every((id) => ended.has(id)) ? true : undefined);
      });
    } finally {
      socket.socket.close();
    }
  });

  it('should stream over SSE on A the progress and end of a job that B runs', async () => {
    await a.request('POST', '/api/admin/queue/pause', { token: admin });
    try {
      const id = await submit(b, { durationMs: 1_500, steps: 5 });
      const stream = await readSse(`${a.url}/api/sse/jobs/${id}?access_token=${token}`);
      expect(stream.ended).toBe(true);
      const names = stream.events.filter((e) => e.event).map((e) => e.event);
      expect(names[0]).toBe('snapshot');
      expect(names).toContain('progress');
      expect(names.at(-1)).toBe('completed');
      expect(stream.events.at(-1)!.data).toMatchObject({ id, state: 'completed', progress: 100 });
      expect(events(await job(a, id), 'completed')[0].node).toBe('proc-b');
    } finally {
      await a.request('POST', '/api/admin/queue/resume', { token: admin });
    }
  });

  it('should stop a job running on B within a second of a cancel sent to A', async () => {
    await a.request('POST', '/api/admin/queue/pause', { token: admin });
    try {
      const id = await submit(b, { durationMs: 60_000, steps: 600 });
      await eventually(async () => ((await job(b, id)).state === 'running' ? true : undefined));
      const sent = Date.now();
      const res = await a.request('POST', `/api/jobs/${id}/cancel`, { token });
      expect(res.status).toBe(202);
      const ended = await eventually(
        async () => ((await job(a, id)).state === 'cancelled' ? Date.now() : undefined),
        10_000,
        20,
      );
      const [stopped] = events(await job(a, id), 'cancelled');
      expect(stopped.node).toBe('proc-b');
      // B ended the run (its history entry) within 1 s; A learnt it through the feed soon after.
      expect(Date.parse(stopped.at) - sent).toBeLessThan(1_000);
      expect(ended - sent).toBeLessThan(2_000);
    } finally {
      await a.request('POST', '/api/admin/queue/resume', { token: admin });
    }
  });

  it('should let A finish every job of B after B is killed mid-run', async () => {
    await a.request('POST', '/api/admin/queue/pause', { token: admin });
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) ids.push(await submit(b, { durationMs: 2000, steps: 4 }));
    await eventually(async () => {
      const running = await Promise.all(ids.map(async (id) => (await job(b, id)).state));
      return running.filter((s) => s === 'running').length === 8 ? true : undefined;
    });
    await b.stop('SIGKILL');
    await a.request('POST', '/api/admin/queue/resume', { token: admin });
    const killed = Date.now();
    const jobs = await allDone(a, ids, 20_000);
    // lease 3 s + poll 0.5 s + the 2 s run itself, with margin for a loaded machine
    expect(Date.now() - killed).toBeLessThan(9_000);
    for (const j of jobs) {
      expect(events(j, 'recovered')[0].node).toBe('proc-a');
      expect(events(j, 'completed')).toEqual([expect.objectContaining({ node: 'proc-a' })]);
    }
  });
});
