import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServerProcess } from '../support/server-process';

/** NODE_ENV=production: no diagnostics routes and no admin sign-in link in the logs. */
describe('operations: production mode', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'darkroom-prod-'));
  let server: ServerProcess;

  beforeAll(async () => {
    server = await ServerProcess.start({
      DATA_DIR: dataDir,
      NODE_ENV: 'production',
      DIAGNOSTICS: undefined,
    });
  });

  afterAll(async () => {
    await server?.stop('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('should answer 404 for the diagnostic routes and print no sign-in link', async () => {
    const token = ServerProcess.token('alice');
    const res = await server.request('POST', '/api/diagnostics/jobs', {
      token,
      body: { durationMs: 1 },
    });
    expect([res.status, res.body.code]).toEqual([404, 'not_found']);
    expect((await server.request('GET', '/api/jobs', { token })).status).toBe(200);
    expect(server.stdout).not.toContain('sign in as the local admin');
    expect(server.stdout).not.toContain('#token=');
  });
});
