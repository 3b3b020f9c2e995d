import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '../support/http';
import { ServerProcess } from '../support/server-process';

/** The built app as a process; its stdout is one JSON object per line. */
describe('operations: structured logs (separate process)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'darkroom-logs-'));
  let server: ServerProcess;

  beforeAll(async () => {
    server = await ServerProcess.start({ DATA_DIR: dataDir, LOG_LEVEL: 'info' });
  });

  afterAll(async () => {
    if (server.child.exitCode === null && server.child.signalCode === null) {
      await server.stop('SIGKILL');
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('should write JSON lines with request ids, job and user ids, and no credentials', async () => {
    const token = ServerProcess.token('alice');
    const sub = await server.request('POST', '/api/diagnostics/jobs', {
      token,
      body: { durationMs: 10 },
      headers: { 'x-request-id': 'trace-42' },
    });
    expect(sub.status).toBe(202);
    expect(sub.headers.get('x-request-id')).toBe('trace-42');
    const other = await server.request('GET', '/api/jobs', { token });
    expect(other.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    await server.request('GET', `/api/jobs/${sub.body.jobId}/result?exp=1&sig=SIGSECRET`);
    await server.request('GET', `/api/sse/jobs/nope?access_token=${token}`);
    // The job's own lines are written when it finishes: wait for that before stopping.
    await eventually(async () => {
      const job = await server.request('GET', `/api/jobs/${sub.body.jobId}`, { token });
      return job.body.state === 'completed' ? true : undefined;
    });
    await server.stop('SIGTERM');

    const out = server.stdout;
    const lines = out.split('\n').filter((l) => l.trim() !== '');
    const records = lines.map((l) => JSON.parse(l) as Record<string, any>);
    const submit = records.find((r) => r.req?.url === '/api/diagnostics/jobs');
    expect(submit).toMatchObject({
      req: { id: 'trace-42', method: 'POST' },
      res: { statusCode: 202 },
    });
    expect(submit?.req.headers.authorization).toBe('[Redacted]');
    const finished = records.find((r) => r.jobId === sub.body.jobId && r.msg === 'job completed');
    expect(finished).toMatchObject({ userId: 'alice', jobType: 'diagnostic' });
    expect(out).not.toContain(token);
    expect(out).not.toContain(token.split('.')[2]);
    expect(out).not.toContain('SIGSECRET');
    expect(out).toContain('sig=[Redacted]');
  });
});
