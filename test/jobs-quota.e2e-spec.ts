import { TestApp } from './support/test-app';
import { fitsImage, uploadAsset } from './support/upload';

describe('Waiting-room quota and priority (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    // Workers paused: nothing leaves the queue while the quota is checked.
    t = await TestApp.start({ USER_QUEUE_CAPACITY: '2', QUEUE_CAPACITY: '100' });
    await t.request('POST', '/api/admin/queue/pause', { token: t.token('root', true) });
  });

  afterAll(() => t.close());

  it('should queue a thumbnail job for every upload without using the uploader quota', async () => {
    const alice = t.token('alice');
    const fits = fitsImage(16, 16, (x, y) => x * y);
    const uploads = await Promise.all(
      Array.from({ length: 6 }, (_, i) => uploadAsset(t, alice, fits, `tile-${i}.fits`)),
    );
    for (const res of uploads) {
      expect(res.status).toBe(201);
      expect(typeof res.body.thumbnailJobId).toBe('string');
    }
    const body = { durationMs: 0 };
    const first = await t.request('POST', '/api/diagnostics/jobs', { token: alice, body });
    const second = await t.request('POST', '/api/diagnostics/jobs', { token: alice, body });
    const third = await t.request('POST', '/api/diagnostics/jobs', { token: alice, body });
    expect([first.status, second.status, third.status]).toEqual([202, 202, 429]);
    expect(third.body.code).toBe('queue_full');
    const stats = await t.request('GET', '/api/jobs/stats/overview', { token: alice });
    expect(stats.body.capacity.waiting).toBe(2);
  });

  it('should let only admins submit a priority above 0', async () => {
    const body = { durationMs: 0, priority: 5 };
    const user = await t.request('POST', '/api/diagnostics/jobs', { token: t.token('bob'), body });
    expect(user.status).toBe(400);
    expect(user.body.details).toEqual([expect.objectContaining({ field: 'priority' })]);
    const admin = await t.request('POST', '/api/diagnostics/jobs', {
      token: t.token('root', true),
      body,
    });
    expect(admin.status).toBe(202);
    const low = await t.request('POST', '/api/diagnostics/jobs', {
      token: t.token('bob'),
      body: { durationMs: 0, priority: -5 },
    });
    expect(low.status).toBe(202);
  });
});
