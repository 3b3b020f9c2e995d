import { RecordingSocket } from '../realtime/realtime-clients';
import { pngImage, uploadAsset } from '../support/upload';
import { TestApp } from '../support/test-app';

const LIMITS = {
  RATE_LIMIT_PER_MINUTE: '3',
  UPLOADS_PER_MINUTE: '2',
  SSE_STREAMS_PER_USER: '1',
  SOCKET_CONNECTS_PER_MINUTE: '2',
  SOCKET_MESSAGES_PER_10S: '3',
};

const submit = (t: TestApp, token: string) =>
  t.request('POST', '/api/diagnostics/jobs', { token, body: { durationMs: 0 } });

/** Opens an SSE stream with fetch; returns its status and a way to close it. */
async function openStream(t: TestApp, path: string, token: string) {
  const abort = new AbortController();
  const res = await fetch(`${t.url}${path}?access_token=${token}`, { signal: abort.signal });
  if (res.status !== 200) await res.arrayBuffer();
  return { status: res.status, close: () => abort.abort() };
}

describe('operations: limits', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start(LIMITS);
  });

  afterAll(() => t.close());

  it('should refuse submissions over the per-user limit with 429 rate_limited and Retry-After', async () => {
    const alice = t.token('alice');
    for (let i = 0; i < 3; i += 1) expect((await submit(t, alice)).status).toBe(202);
    const refused = await submit(t, alice);
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ statusCode: 429, code: 'rate_limited' });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another user has a budget of their own; reads are not limited.
    expect((await submit(t, t.token('bob'))).status).toBe(202);
    expect((await t.request('GET', '/api/jobs', { token: alice })).status).toBe(200);
  });

  it('should count uploads apart from submissions', async () => {
    const uploader = t.token('uploader');
    const png = await pngImage(8, 8);
    expect((await uploadAsset(t, uploader, png, 'a.png')).status).toBe(201);
    expect((await uploadAsset(t, uploader, png, 'b.png')).status).toBe(201);
    const refused = await uploadAsset(t, uploader, png, 'c.png');
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ code: 'rate_limited' });
    expect((await submit(t, uploader)).status).toBe(202);
  });

  it('should cap the SSE streams one user holds open', async () => {
    const token = t.token('watcher');
    const first = await openStream(t, '/api/sse/stats', token);
    expect(first.status).toBe(200);
    const second = await openStream(t, '/api/sse/stats', token);
    expect(second.status).toBe(429);
    const other = await openStream(t, '/api/sse/stats', t.token('other'));
    expect(other.status).toBe(200);
    other.close();
    first.close();
    let again = { status: 0, close: () => undefined as void };
    for (let i = 0; i < 50 && again.status !== 200; i += 1) {
      await new Promise((r) => setTimeout(r, 50));
      again = await openStream(t, '/api/sse/stats', token);
    }
    expect(again.status).toBe(200);
    again.close();
  });

  it('should limit socket logins per user and messages per socket', async () => {
    const token = t.token('socketeer');
    const a = await RecordingSocket.connect(t.url, token);
    const b = await RecordingSocket.connect(t.url, token);
    await expect(RecordingSocket.connect(t.url, token)).rejects.toThrow('rate_limited');
    const answers = [];
    for (let i = 0; i < 4; i += 1) answers.push(await a.request('subscribe', { jobId: 'nope' }));
    expect(answers.slice(0, 3).map((x) => x.error?.code)).toEqual([
      'not_found',
      'not_found',
      'not_found',
    ]);
    expect(answers[3]).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
    // The flood limit is per socket: the user's other socket still gets answers.
    expect(await b.request('subscribe', { jobId: 'nope' })).toMatchObject({ ok: false });
    a.socket.close();
    b.socket.close();
  });

  it('should send security headers and no CORS headers by default', async () => {
    const res = await fetch(`${t.url}/api/jobs`, { headers: { origin: 'https://evil.example' } });
    expect(res.headers.get('content-security-policy')).toContain("img-src 'self' blob: data:");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('operations: CORS when configured', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start({ CORS_ORIGINS: 'https://app.example' });
  });

  afterAll(() => t.close());

  it('should allow the listed origins only', async () => {
    const preflight = (origin: string) =>
      fetch(`${t.url}/api/jobs`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'authorization',
        },
      });
    const allowed = await preflight('https://app.example');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example');
    const other = await preflight('https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});
