import sharp from 'sharp';
import { TestApp } from './support/test-app';
import {
  download,
  fitsImage,
  fitsPlanes,
  pixels,
  pngImage,
  runExport,
  uploadAsset,
} from './support/upload';

describe('Composite export (e2e)', () => {
  let t: TestApp;
  let alice: string;
  let bob: string;
  let admin: string;
  /** 64×48, bright (100) in the bottom FITS rows y < 24, dark (0) above. */
  let halves: string;
  /** 64×48 ramp along x, 0..63. */
  let ramp: string;
  /** A 32×24 PNG (another size: resampled onto the first channel's grid). */
  let small: string;

  const upload = async (bytes: Buffer, name: string, token = alice): Promise<string> => {
    const res = await uploadAsset(t, token, bytes, name);
    expect(res.status).toBe(201);
    return res.body.id;
  };

  beforeAll(async () => {
    t = await TestApp.start();
    alice = t.token('alice');
    bob = t.token('bob');
    admin = t.token('root', true);
    halves = await upload(
      fitsImage(64, 48, (_x, y) => (y < 24 ? 100 : 0)),
      'halves.fits',
    );
    ramp = await upload(
      fitsImage(64, 48, (x) => x),
      'ramp.fits',
    );
    small = await upload(await pngImage(32, 24, '#808080'), 'grey.png');
  });

  afterAll(() => t.close());

  const linear = { stretch: 'linear', blackPoint: 0, whitePoint: 1 };

  it('should paint a #ff0000 channel red only, FITS row 1 at the bottom of the PNG', async () => {
    const job = await runExport(t, alice, '/api/composite/export', {
      channels: [{ assetId: halves, color: '#ff0000', ...linear }],
    });
    expect(job.state).toBe('completed');
    expect(job.result).toMatchObject({
      kind: 'blob',
      filename: 'composite.png',
      contentType: 'image/png',
    });
    expect(job.result.downloadUrl).toMatch(/\/result\?exp=/);
    const stages = job.messages.map((m: { text: string }) => m.text).join('\n');
    expect(stages).toMatch(/channel 1: halves\.fits \(fits 64×48/);
    const { info, at } = await pixels(await download(t, alice, job));
    expect([info.width, info.height, info.channels]).toEqual([64, 48, 3]);
    expect(at(10, 40)).toEqual([255, 0, 0]); // bottom of the picture = FITS row 1
    expect(at(10, 5)).toEqual([0, 0, 0]);
    for (const [x, y] of [
      [0, 0],
      [63, 47],
      [31, 30],
    ])
      expect(at(x, y).slice(1)).toEqual([0, 0]);
  });

  it('should add coloured, weighted channels and resample other sizes, as JPEG', async () => {
    const job = await runExport(t, alice, '/api/composite/export', {
      channels: [
        { assetId: halves, color: '#ff0000', ...linear },
        { assetId: small, color: '#0000ff', ...linear, weight: 0.5 },
      ],
      format: 'jpeg',
      quality: 95,
    });
    expect(job.result).toMatchObject({ filename: 'composite.jpeg', contentType: 'image/jpeg' });
    const { info, at } = await pixels(await download(t, alice, job));
    expect([info.width, info.height]).toEqual([64, 48]);
    const [r, g] = at(10, 40);
    expect(r).toBeGreaterThan(240);
    expect(g).toBeLessThan(15);
  });

  it('should write a float32 RGB cube in [0, 1] for FITS, unflipped', async () => {
    const job = await runExport(t, alice, '/api/composite/export', {
      channels: [
        { assetId: halves, color: '#ff0000', ...linear },
        { assetId: ramp, color: '#00ff00', ...linear },
      ],
      format: 'fits',
    });
    expect(job.result).toMatchObject({
      filename: 'composite.fits',
      contentType: 'application/fits',
    });
    const cube = fitsPlanes(await download(t, alice, job));
    expect(cube).toMatchObject({ width: 64, height: 48 });
    expect(cube.planes).toHaveLength(3);
    const [r, g, b] = cube.planes;
    for (const plane of cube.planes) for (const v of plane) expect(v >= 0 && v <= 1).toBe(true);
    expect(r[0]).toBeCloseTo(1); // FITS row 1 is bright
    expect(r[47 * 64]).toBeCloseTo(0);
    expect(g[63]).toBeCloseTo(1);
    expect(g[0]).toBeCloseTo(0);
    expect(g[32]).toBeCloseTo(32 / 63, 2);
    expect(Math.max(...b)).toBe(0);
  });

  it('should resize to fit width/height and write 16-bit PNG on request', async () => {
    const job = await runExport(t, alice, '/api/composite/export', {
      channels: [{ assetId: ramp, color: '#ffffff' }],
      width: 32,
      bitDepth: 16,
    });
    const meta = await sharp(await download(t, alice, job)).metadata();
    expect(meta).toMatchObject({ format: 'png', width: 32, height: 24, depth: 'ushort' });
  });

  describe('validation at submission', () => {
    const submit = (body: unknown, token = alice) =>
      t.request('POST', '/api/composite/export', { token, body });

    it.each([
      ['no channels', { channels: [] }],
      [
        '9 channels',
        { channels: Array.from({ length: 9 }, () => ({ assetId: 'a', color: '#ffffff' })) },
      ],
      ['a bad colour', { channels: [{ assetId: 'a', color: 'red' }] }],
      ['gamma 6', { channels: [{ assetId: 'a', color: '#ffffff', gamma: 6 }] }],
      ['weight 3', { channels: [{ assetId: 'a', color: '#ffffff', weight: 3 }] }],
      ['asinhA 0', { channels: [{ assetId: 'a', color: '#ffffff', asinhA: 0 }] }],
      ['blackPoint 2', { channels: [{ assetId: 'a', color: '#ffffff', blackPoint: 2 }] }],
      ['an unknown stretch', { channels: [{ assetId: 'a', color: '#ffffff', stretch: 'cubic' }] }],
      ['format gif', { channels: [{ assetId: 'a', color: '#ffffff' }], format: 'gif' }],
      ['quality 0', { channels: [{ assetId: 'a', color: '#ffffff' }], quality: 0 }],
      ['bitDepth 12', { channels: [{ assetId: 'a', color: '#ffffff' }], bitDepth: 12 }],
      ['width 20000', { channels: [{ assetId: 'a', color: '#ffffff' }], width: 20000 }],
      ['an unknown field', { channels: [{ assetId: 'a', color: '#ffffff' }], extra: 1 }],
    ])('should answer 400 validation_failed for %s', async (_name, body) => {
      const res = await submit(body);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('validation_failed');
    });

    it('should answer 400 when blackPoint is not below whitePoint', async () => {
      const res = await submit({
        channels: [{ assetId: halves, color: '#ffffff', blackPoint: 0.9, whitePoint: 0.5 }],
      });
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([
        { field: 'channels.0.blackPoint', problem: 'must be less than whitePoint' },
      ]);
    });

    it("should answer 422 asset_not_found for missing or another user's assets, naming the field", async () => {
      const res = await submit(
        {
          channels: [
            { assetId: halves, color: '#ff0000' },
            { assetId: 'nope', color: '#00ff00' },
          ],
        },
        bob,
      );
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('asset_not_found');
      expect(res.body.details.map((d: { field: string }) => d.field)).toEqual([
        'channels.0.assetId',
        'channels.1.assetId',
      ]);
      expect(
        (await submit({ channels: [{ assetId: halves, color: '#ff0000' }] }, admin)).status,
      ).toBe(202);
    });
  });

  it('should fail the job with asset_not_found, not retried, when an input was deleted', async () => {
    const doomed = await upload(
      fitsImage(16, 16, () => 1),
      'doomed.fits',
    );
    await t.waitForState(
      (await t.request('GET', `/api/assets/${doomed}`, { token: alice })).body.thumbnailJobId,
      alice,
    );
    expect((await t.request('POST', '/api/admin/queue/pause', { token: admin })).status).toBe(200);
    const res = await t.request('POST', '/api/composite/export', {
      token: alice,
      body: { channels: [{ assetId: doomed, color: '#ffffff' }] },
    });
    expect(res.status).toBe(202);
    expect((await t.request('DELETE', `/api/assets/${doomed}`, { token: alice })).status).toBe(204);
    await t.request('POST', '/api/admin/queue/resume', { token: admin });
    const job = await t.waitForState(res.body.jobId, alice);
    expect(job).toMatchObject({
      state: 'failed',
      attempt: 1,
      error: { code: 'asset_not_found', retryable: false },
    });
  });
});
