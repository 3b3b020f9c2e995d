import { TestApp } from './support/test-app';
import { fitsImage, pixels, pngImage, uploadAsset } from './support/upload';

describe('Thumbnails job (e2e)', () => {
  let t: TestApp;
  let alice: string;
  let bob: string;
  let fits: string;
  let png: string;

  beforeAll(async () => {
    t = await TestApp.start();
    alice = t.token('alice');
    bob = t.token('bob');
    fits = (
      await uploadAsset(
        t,
        alice,
        fitsImage(128, 64, (x) => x),
        'a.fits',
      )
    ).body.id;
    png = (await uploadAsset(t, alice, await pngImage(100, 200), 'b.png')).body.id;
  });

  afterAll(() => t.close());

  it('should render every asset in one job with progress per asset', async () => {
    const res = await t.request('POST', '/api/thumbnails', {
      token: alice,
      body: { assetIds: [fits, png], size: 64, format: 'png' },
    });
    expect(res.status).toBe(202);
    expect(res.headers.get('location')).toBe(`/api/jobs/${res.body.jobId}`);
    const job = await t.waitForState(res.body.jobId, alice);
    expect(job).toMatchObject({ type: 'thumbnail', state: 'completed', progress: 100 });
    expect(job.result).toEqual({ kind: 'thumbnails', assetIds: [fits, png] });
    const log = job.messages.map((m: { text: string }) => m.text).join('\n');
    expect(log).toMatch(/a\.fits: 64×32 png thumbnail/);
    expect(log).toMatch(/b\.png: 32×64 png thumbnail/);

    const first = await t.request('GET', `/api/assets/${fits}/thumbnail?size=64&format=png`, {
      token: alice,
    });
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('image/png');
    expect((await pixels(first.bytes)).info).toMatchObject({ width: 64, height: 32 });

    const redirect = await t.request('GET', `/api/jobs/${job.id}/result`, { token: alice });
    expect(redirect.status).toBe(303);
    expect(redirect.headers.get('location')).toBe(`/api/assets/${fits}/thumbnail`);
  });

  it.each([
    ['no assets', { assetIds: [] }],
    ['101 assets', { assetIds: Array.from({ length: 101 }, (_, i) => `a${i}`) }],
    ['size 16', { assetIds: ['a'], size: 16 }],
    ['size 2048', { assetIds: ['a'], size: 2048 }],
    ['format gif', { assetIds: ['a'], format: 'gif' }],
  ])('should answer 400 for %s', async (_name, body) => {
    const res = await t.request('POST', '/api/thumbnails', { token: alice, body });
    expect(res.status).toBe(400);
  });

  it("should answer 422 asset_not_found for another user's asset", async () => {
    const res = await t.request('POST', '/api/thumbnails', {
      token: bob,
      body: { assetIds: [fits] },
    });
    expect(res.status).toBe(422);
    expect(res.body.details).toEqual([{ field: 'assetIds.0', problem: `asset ${fits} not found` }]);
  });
});
