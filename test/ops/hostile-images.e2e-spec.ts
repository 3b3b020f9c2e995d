import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { eventually } from '../support/http';
import { ServerProcess } from '../support/server-process';
import { hostileImages } from './hostile-images';

const GB = 1024 ** 3;
/** The bound for any input: the process stays under about 3 GB. */
const RSS_LIMIT = 3 * GB;
const TERMINAL = ['completed', 'failed', 'cancelled'];

/** Peak resident memory of a process (VmHWM), in bytes. */
function peakRss(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? 0) * 1024;
}

async function upload(server: ServerProcess, token: string, bytes: Buffer, filename: string) {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)]), filename);
  const res = await fetch(`${server.url}/api/assets`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

/** Submits and follows a job to its end; `null` when the submission itself was refused (4xx). */
async function runJob(server: ServerProcess, token: string, path: string, body: unknown) {
  const res = await server.request('POST', path, { token, body });
  if (res.status >= 400 && res.status < 500) return { refused: res.status, code: res.body.code };
  expect(res.status).toBe(202);
  return eventually(
    async () => {
      const job = await server.request('GET', `/api/jobs/${res.body.jobId}`, { token });
      return TERMINAL.includes(job.body.state) ? job.body : undefined;
    },
    120_000,
    200,
  );
}

describe('operations: hostile images (separate process, peak RSS)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'darkroom-hostile-'));
  const token = ServerProcess.token('mallory');
  let server: ServerProcess;

  beforeAll(async () => {
    server = await ServerProcess.start({ DATA_DIR: dataDir });
  });

  afterAll(async () => {
    if (server && server.child.exitCode === null && server.child.signalCode === null)
      await server.stop('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  jest.setTimeout(600_000);

  it('should refuse each with a 4xx at upload or fail its jobs cleanly, never crash', async () => {
    const outcomes: Record<string, string> = {};
    for (const [name, bytes] of Object.entries(await hostileImages())) {
      const res = await upload(server, token, bytes, 'hostile.bin');
      if (res.status !== 201) {
        const clientError = res.status >= 400 && res.status < 500;
        expect({ name, clientError, code: typeof res.body.code }).toEqual({
          name,
          clientError: true,
          code: 'string',
        });
        outcomes[name] = `${res.status} ${res.body.code}`;
        continue;
      }
      const channels = [{ assetId: res.body.id, color: '#ffffff' }];
      const job = await runJob(server, token, '/api/composite/export', { channels });
      outcomes[name] =
        `201, composite ${job.refused ?? job.state} ${job.code ?? job.error?.code ?? ''}`;
      if (!job.refused) expect(['completed', 'failed']).toContain(job.state);
    }
    expect(server.child.exitCode).toBeNull();
    expect((await server.request('GET', '/health/ready')).status).toBe(200);
    expect(peakRss(server.child.pid!)).toBeLessThan(RSS_LIMIT);
    expect(Object.keys(outcomes).length).toBeGreaterThanOrEqual(12);
  });

  it('should keep two composites of a 16000² PNG of zeros under the memory bound', async () => {
    const zeros = await sharp(Buffer.alloc(16000 * 16000), {
      raw: { width: 16000, height: 16000, channels: 1 },
    })
      .png({ compressionLevel: 9 })
      .toBuffer();
    const asset = await upload(server, token, zeros, 'zeros.png');
    expect(asset.status).toBe(201);
    const body = { channels: [{ assetId: asset.body.id, color: '#ffffff' }] };
    const jobs = await Promise.all([
      runJob(server, token, '/api/composite/export', body),
      runJob(server, token, '/api/composite/export', body),
    ]);
    for (const job of jobs) {
      if (job.refused) expect(job).toEqual({ refused: 422, code: 'too_large' });
      else expect(['completed', 'failed']).toContain(job.state);
    }
    expect(server.child.exitCode).toBeNull();
    expect(peakRss(server.child.pid!)).toBeLessThan(RSS_LIMIT);
  });
});
