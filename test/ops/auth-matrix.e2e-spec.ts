import jwt from 'jsonwebtoken';
import { RecordingSocket } from '../realtime/realtime-clients';
import { fillPath, listRoutes, RouteInfo } from '../support/routes';
import { pngImage, uploadAsset } from '../support/upload';
import { TestApp } from '../support/test-app';

const SECRET = 'e2e-secret';
const b64 = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Every way a bearer token can be wrong; each must be a 401 (API.md "Auth"). */
function badTokens(): Record<string, string | undefined> {
  const now = Math.floor(Date.now() / 1000);
  return {
    'no token': undefined,
    expired: jwt.sign({ sub: 'alice', exp: now - 60 }, SECRET, { algorithm: 'HS256' }),
    'other secret': jwt.sign({ sub: 'alice' }, 'not-the-secret', {
      algorithm: 'HS256',
      expiresIn: 600,
    }),
    'alg none': `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'alice', exp: now + 600 })}.`,
    'no sub': jwt.sign({ role: 'admin' }, SECRET, { algorithm: 'HS256', expiresIn: 600 }),
    garbage: 'not.a.jwt',
  };
}

/** A minimal body a route accepts, so that only the token decides the answer. */
const BODIES: Record<string, unknown> = {
  '/api/diagnostics/jobs': { durationMs: 0 },
  '/api/thumbnails': { assetIds: ['x'] },
};

describe('operations: auth matrix (every route and socket action)', () => {
  let t: TestApp;
  let alice: string;
  let bob: string;
  let jobId: string;
  let assetId: string;
  let routes: RouteInfo[];

  beforeAll(async () => {
    t = await TestApp.start();
    alice = t.token('alice');
    bob = t.token('bob');
    const sub = await t.request('POST', '/api/diagnostics/jobs', {
      token: alice,
      body: { durationMs: 0 },
    });
    jobId = sub.body.jobId;
    await t.waitForState(jobId, alice);
    assetId = (await uploadAsset(t, alice, await pngImage(8, 8), 'secret.png')).body.id;
    routes = listRoutes(t.app).filter((r) => !r.public);
  });

  afterAll(() => t.close());

  const pathOf = (route: RouteInfo): string =>
    fillPath(route.path, () => (route.path.startsWith('/api/assets') ? assetId : jobId));

  const call = (route: RouteInfo, token: string | undefined) =>
    t.request(route.method, pathOf(route), {
      token,
      body: BODIES[route.path] ?? (route.method === 'POST' ? {} : undefined),
    });

  it('should answer 401 to every bad token on every non-public route, with no data', async () => {
    expect(routes.length).toBeGreaterThanOrEqual(18);
    const wrong: string[] = [];
    for (const route of routes) {
      for (const [name, token] of Object.entries(badTokens())) {
        const res = await call(route, token);
        const leaked = res.bytes.includes(jobId) || res.bytes.includes(assetId);
        if (res.status !== 401 || res.body?.code !== 'unauthorized' || leaked) {
          wrong.push(
            `${route.method} ${route.path} [${name}] → ${res.status}${leaked ? ' with data' : ''}`,
          );
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it("should answer 404, never 403 or data, to another user's token on someone's records", async () => {
    const wrong: string[] = [];
    // A stream that opens (bob's own stats) never ends: it is read apart below.
    for (const route of routes.filter((r) => r.path !== '/api/sse/stats')) {
      const res = await call(route, bob);
      const leaked = res.bytes.includes(jobId) || res.bytes.includes(assetId);
      const admin = route.path.startsWith('/api/admin');
      const expected = admin
        ? res.status === 403
        : route.path.includes(':')
          ? res.status === 404
          : res.status < 500 && res.status !== 403;
      if (!expected || leaked)
        wrong.push(`${route.method} ${route.path} → ${res.status}${leaked ? ' with data' : ''}`);
    }
    expect(wrong).toEqual([]);
    const abort = new AbortController();
    const stream = await fetch(`${t.url}/api/sse/stats?access_token=${bob}`, {
      signal: abort.signal,
    });
    const first = await stream.body!.getReader().read();
    expect(Buffer.from(first.value).toString()).toContain('event: stats');
    expect(Buffer.from(first.value).toString()).not.toContain(jobId);
    abort.abort();
    // Bob's DELETE and cancel changed nothing of Alice's.
    expect((await t.request('GET', `/api/jobs/${jobId}`, { token: alice })).status).toBe(200);
    expect((await t.request('GET', `/api/assets/${assetId}`, { token: alice })).status).toBe(200);
  });

  it("should refuse bad tokens at the socket handshake and hide others' jobs from socket actions", async () => {
    for (const [name, token] of Object.entries(badTokens())) {
      await expect(RecordingSocket.connect(t.url, token ?? '')).rejects.toThrow('unauthorized');
      expect(name).toBeDefined();
    }
    // Carol has no job of her own: whatever her socket sees would be someone else's.
    const socket = await RecordingSocket.connect(t.url, t.token('carol'));
    try {
      const sub = await socket.request('subscribe', { jobId });
      expect(sub).toEqual({ ok: false, error: expect.objectContaining({ code: 'not_found' }) });
      expect(await socket.request('unsubscribe', { jobId })).toEqual({ ok: true });
      const stats = await socket.request('stats:subscribe');
      expect(stats.ok).toBe(true);
      expect(Object.values(stats.stats.counts)).toEqual([0, 0, 0, 0, 0]);
      expect(JSON.stringify(socket.events)).not.toContain(jobId);
    } finally {
      socket.socket.close();
    }
  });
});
