import sharp from 'sharp';
import { TestApp } from './support/test-app';
import { download, fitsImage, fitsPlanes, pixels, runExport, uploadAsset } from './support/upload';

describe('Mosaic export and save (e2e)', () => {
  let t: TestApp;
  let alice: string;
  /** 32×32 of 10 and of 30. */
  let ten: string;
  let thirty: string;

  const upload = async (bytes: Buffer, name: string): Promise<string> => {
    const res = await uploadAsset(t, alice, bytes, name);
    expect(res.status).toBe(201);
    return res.body.id;
  };

  beforeAll(async () => {
    t = await TestApp.start();
    alice = t.token('alice');
    ten = await upload(
      fitsImage(32, 32, () => 10),
      'ten.fits',
    );
    thirty = await upload(
      fitsImage(32, 32, () => 30),
      'thirty.fits',
    );
  });

  afterAll(() => t.close());

  /** A at (0, 0) and B at (16, 8): canvas 48×40, overlap x 16..31, y 8..31. */
  const offsets = () => ({
    tiles: [
      { assetId: ten, x: 0, y: 0 },
      { assetId: thirty, x: 16, y: 8 },
    ],
    layout: 'offsets',
    format: 'fits',
  });

  describe('offsets layout', () => {
    it.each([
      ['mean', 20],
      ['sum', 40],
      ['min', 10],
      ['max', 30],
      ['first', 10],
      ['last', 30],
    ])('should combine overlaps by %s', async (combine, expected) => {
      const job = await runExport(t, alice, '/api/mosaic/export', { ...offsets(), combine });
      expect(job.state).toBe('completed');
      expect(job.result).toMatchObject({
        filename: 'mosaic.fits',
        contentType: 'application/fits',
      });
      const { width, height, planes } = fitsPlanes(await download(t, alice, job));
      expect([width, height, planes.length]).toEqual([48, 40, 1]);
      const at = (x: number, y: number) => planes[0][y * width + x];
      expect(at(20, 10)).toBeCloseTo(expected);
      expect(at(2, 2)).toBe(10);
      expect(at(40, 35)).toBe(30);
      expect(at(40, 2)).toBeNaN();
    });

    it('should shift negative offsets onto the canvas', async () => {
      const job = await runExport(t, alice, '/api/mosaic/export', {
        ...offsets(),
        tiles: [
          { assetId: ten, x: -100, y: -50 },
          { assetId: thirty, x: -68, y: -50 },
        ],
      });
      const { width, height } = fitsPlanes(await download(t, alice, job));
      expect([width, height]).toEqual([64, 32]);
    });
  });

  describe('grid layout', () => {
    it('should lay tiles out in reading order with gaps (NaN in FITS)', async () => {
      const job = await runExport(t, alice, '/api/mosaic/export', {
        tiles: [{ assetId: ten }, { assetId: thirty }, { assetId: ten }],
        columns: 2,
        gap: 4,
        format: 'fits',
      });
      const { width, height, planes } = fitsPlanes(await download(t, alice, job));
      expect([width, height]).toEqual([68, 68]);
      const at = (x: number, y: number) => planes[0][y * width + x];
      expect(at(5, 60)).toBe(10); // tile 0: displayed top-left = high FITS rows
      expect(at(50, 60)).toBe(30); // tile 1: top-right
      expect(at(5, 5)).toBe(10); // tile 2: bottom-left
      expect(at(50, 5)).toBeNaN(); // no tile 3
      expect(at(33, 60)).toBeNaN(); // the gap
    });

    it('should paint uncovered pixels with the background in PNG', async () => {
      const job = await runExport(t, alice, '/api/mosaic/export', {
        tiles: [{ assetId: ten }, { assetId: thirty }, { assetId: ten }],
        background: '#ff0000',
        stretch: 'linear',
        blackPoint: 0,
        whitePoint: 1,
      });
      expect(job.result).toMatchObject({ filename: 'mosaic.png', contentType: 'image/png' });
      const { info, at } = await pixels(await download(t, alice, job));
      expect([info.width, info.height]).toEqual([64, 64]);
      expect(at(50, 50)).toEqual([255, 0, 0]); // empty 4th cell, bottom-right as displayed
      expect(at(10, 10)).toEqual([0, 0, 0]); // tile 0 (10 = the minimum)
      expect(at(50, 10)).toEqual([255, 255, 255]); // tile 1 (30 = the maximum)
    });

    it('should write JPEG resized to fit width', async () => {
      const job = await runExport(t, alice, '/api/mosaic/export', {
        tiles: [{ assetId: ten }, { assetId: thirty }],
        format: 'jpeg',
        width: 32,
      });
      const meta = await sharp(await download(t, alice, job)).metadata();
      expect(meta).toMatchObject({ format: 'jpeg', width: 32, height: 16 });
    });
  });

  describe('POST /api/mosaic/save', () => {
    it('should save the mosaic as a new FITS asset and queue its thumbnail', async () => {
      const res = await t.request('POST', '/api/mosaic/save', {
        token: alice,
        body: { ...offsets(), format: undefined, combine: 'max', name: 'Saved mosaic' },
      });
      expect(res.status).toBe(202);
      const job = await t.waitForState(res.body.jobId, alice);
      expect(job.state).toBe('completed');
      expect(job.result).toEqual({ kind: 'asset', assetId: expect.any(String) });

      const redirect = await t.request('GET', `/api/jobs/${job.id}/result`, { token: alice });
      expect(redirect.status).toBe(303);
      expect(redirect.headers.get('location')).toBe(`/api/assets/${job.result.assetId}`);

      const asset = await t.request('GET', `/api/assets/${job.result.assetId}`, { token: alice });
      expect(asset.body).toMatchObject({
        name: 'Saved mosaic',
        format: 'fits',
        width: 48,
        height: 40,
        bitDepth: 32,
      });
      const thumbJob = await t.waitForState(asset.body.thumbnailJobId, alice);
      expect(thumbJob.state).toBe('completed');
      const content = await t.request('GET', asset.body.contentUrl);
      const { planes, width } = fitsPlanes(content.bytes);
      expect(planes[0][10 * width + 20]).toBe(30);
    });

    it('should require a name', async () => {
      const res = await t.request('POST', '/api/mosaic/save', { token: alice, body: offsets() });
      expect(res.status).toBe(400);
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain('name');
    });
  });

  describe('validation at submission', () => {
    const tiles = () => [{ assetId: ten }, { assetId: thirty }];

    it.each([
      ['one tile', { tiles: [{ assetId: 'a' }] }],
      ['257 tiles', { tiles: Array.from({ length: 257 }, () => ({ assetId: 'a' })) }],
      ['columns 65', { columns: 65 }],
      ['gap 1025', { gap: 1025 }],
      ['combine median', { combine: 'median' }],
      ['layout spiral', { layout: 'spiral' }],
      ['background red', { background: 'red' }],
      ['height 0', { height: 0 }],
    ])('should answer 400 for %s', async (_name, over) => {
      const res = await t.request('POST', '/api/mosaic/export', {
        token: alice,
        body: { tiles: tiles(), ...over },
      });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('validation_failed');
    });

    it('should answer 422 image_too_large for a canvas over the pixel limit', async () => {
      const res = await t.request('POST', '/api/mosaic/export', {
        token: alice,
        body: {
          tiles: [
            { assetId: ten, x: 0, y: 0 },
            { assetId: thirty, x: 1_000_000, y: 1_000_000 },
          ],
          layout: 'offsets',
        },
      });
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('image_too_large');
    });

    it('should answer 422 asset_not_found for an unknown tile', async () => {
      const res = await t.request('POST', '/api/mosaic/export', {
        token: alice,
        body: { tiles: [{ assetId: ten }, { assetId: 'missing' }] },
      });
      expect(res.status).toBe(422);
      expect(res.body.details).toEqual([
        { field: 'tiles.1.assetId', problem: 'asset missing not found' },
      ]);
    });
  });
});
