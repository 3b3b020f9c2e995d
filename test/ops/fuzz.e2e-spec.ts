import { listRoutes, RouteInfo } from '../support/routes';
import { pngImage, uploadAsset } from '../support/upload';
import { TestApp } from '../support/test-app';
import { FuzzContext, fuzzRequest, FuzzRequest, seeded } from './fuzz-cases';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const SEED = 20261125;
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 5200);
const CONCURRENCY = 8;
/** A stack trace or a path into the code must never reach a client. */
const LEAK = /\n\s+at |node_modules|\/src\/|\.ts:\d+/;

interface Outcome {
  label: string;
  status: number;
  text: string;
}

async function send(url: string, req: FuzzRequest): Promise<Outcome> {
  try {
    const res = await fetch(url + req.path, {
      method: req.method,
      headers: req.headers,
      body: req.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(10_000),
    });
    return { label: req.label, status: res.status, text: await res.text() };
  } catch (err) {
    // The server may close a connection after answering an oversized or broken upload early.
    const timedOut = (err as Error).name === 'TimeoutError';
    return {
      label: req.label,
      status: timedOut ? -1 : 0,
      text: String((err as Error).cause ?? err),
    };
  }
}

describe('operations: fuzz (seeded malformed requests on every route)', () => {
  let t: TestApp;
  let routes: RouteInfo[];
  let ctx: FuzzContext;

  beforeAll(async () => {
    t = await TestApp.start({ QUEUE_CAPACITY: '40', SHUTDOWN_GRACE_MS: '200' });
    routes = listRoutes(t.app).filter((r) => !r.path.startsWith('/api/sse'));
    const token = t.token('fuzzer');
    const otherToken = t.token('bystander');
    const job = await t.request('POST', '/api/diagnostics/jobs', {
      token,
      body: { durationMs: 0 },
    });
    const other = await t.request('POST', '/api/diagnostics/jobs', {
      token: otherToken,
      body: { durationMs: 0 },
    });
    const asset = await uploadAsset(t, token, await pngImage(16, 16), 'seed.png');
    ctx = { token, otherToken, ids: [job.body.jobId, other.body.jobId, asset.body.id] };
  });

  afterAll(() => t.close());
  jest.setTimeout(600_000);

  it(`should answer ${REQUESTS} malformed requests without a 5xx or a stack trace`, async () => {
    expect(routes.length).toBeGreaterThanOrEqual(20);
    const heapBefore = retainedHeap();
    const rand = seeded(SEED);
    const requests = Array.from({ length: REQUESTS }, (_, i) =>
      fuzzRequest(rand, routes[i % routes.length], ctx),
    );
    const outcomes: Outcome[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < requests.length) outcomes.push(await send(t.url, requests[next++]));
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));

    expect(outcomes.filter((o) => o.status === -1).slice(0, 5)).toEqual([]);
    const serverErrors = outcomes.filter((o) => o.status >= 500);
    expect(serverErrors.slice(0, 5)).toEqual([]);
    expect(outcomes.filter((o) => LEAK.test(o.text)).slice(0, 5)).toEqual([]);
    const dropped = outcomes.filter((o) => o.status === 0);
    expect(dropped.filter((o) => !/oversized|multipart/.test(o.label)).slice(0, 5)).toEqual([]);
    expect(dropped.length).toBeLessThan(REQUESTS / 20);
    const errors = outcomes.filter((o) => o.status >= 400 && o.text.startsWith('{'));
    for (const o of errors) {
      const body = JSON.parse(o.text) as Record<string, unknown>;
      expect({
        label: o.label,
        shape: [typeof body.code, typeof body.message, body.statusCode],
      }).toEqual({
        label: o.label,
        shape: ['string', 'string', o.status],
      });
    }
    expect(outcomes.filter((o) => o.status >= 400 && o.status < 500).length).toBeGreaterThan(
      REQUESTS / 2,
    );
    // Bounded: after a full GC, the fuzz (its own bodies dropped) may not leave the process
    // holding more (a leak). RSS is not used: freed pages stay with the allocator.
    requests.length = 0;
    expect(retainedHeap() - heapBefore).toBeLessThan(100 * 1024 * 1024);
    expect((await t.request('GET', '/health/ready')).status).toBe(200);
    const after = await t.request('GET', '/api/jobs', { token: ctx.token });
    expect(after.status).toBe(200);
  });

  it('should refuse __proto__ and constructor keys like any unknown key', async () => {
    for (const raw of [
      '{"durationMs":1,"__proto__":{"x":1}}',
      '{"durationMs":1,"constructor":{}}',
    ]) {
      const res = await t.request('POST', '/api/diagnostics/jobs', {
        token: ctx.token,
        rawBody: raw,
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'validation_failed' });
      expect(res.body.details[0].problem).toMatch(/should not exist/);
    }
  });
});

/** Heap still in use after a full garbage collection (gc exposed at run time for this check). */
function retainedHeap(): number {
  setFlagsFromString('--expose_gc');
  (runInNewContext('gc') as () => void)();
  return process.memoryUsage().heapUsed;
}
