import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readFits } from '../src/imaging';
import { eventually } from './support/http';
import { TestApp } from './support/test-app';
import { fitsImage, pixels, pngImage, uploadAsset } from './support/upload';

/** Files under the app's blob folder for assets (originals and thumbnails). */
function assetBlobs(t: TestApp): string[] {
  const dir = join(t.dataDir, 'blobs', 'assets');
  return existsSync(dir) ? readdirSync(dir, { recursive: true, encoding: 'utf8' }) : [];
}

describe('Assets API (e2e)', () => {
  let t: TestApp;
  let alice: string;
  let bob: string;

  beforeAll(async () => {
    t = await TestApp.start();
    alice = t.token('alice');
    bob = t.token('bob');
  });

  afterAll(() => t.close());

  const thumbnailReady = (id: string, token = alice) =>
    eventually(async () => {
      const res = await t.request('GET', `/api/assets/${id}`, { token });
      return res.body.thumbnailUrl ? res.body : undefined;
    });

  describe('POST /api/assets', () => {
    it('should store a FITS upload, read its facts from content and render its thumbnail', async () => {
      const fits = fitsImage(96, 64, (x, y) => x + y * 0.5);
      const res = await uploadAsset(t, alice, fits, 'not-a-png.png', 'M31 Ha');
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        name: 'M31 Ha',
        format: 'fits',
        width: 96,
        height: 64,
        channels: 1,
        bitDepth: 32,
        bytes: fits.length,
        thumbnailUrl: null,
      });
      expect(typeof res.body.thumbnailJobId).toBe('string');
      expect(res.body.contentUrl).toMatch(/^\/api\/assets\/[^/]+\/content\?exp=\d+&sig=/);

      const job = await t.waitForState(res.body.thumbnailJobId, alice);
      expect(job).toMatchObject({ type: 'thumbnail', state: 'completed', priority: -1 });
      expect(job.result).toEqual({ kind: 'thumbnails', assetIds: [res.body.id] });

      const ready = await thumbnailReady(res.body.id);
      const thumb = await t.request('GET', ready.thumbnailUrl); // signed: no header
      expect(thumb.status).toBe(200);
      expect(thumb.headers.get('content-type')).toBe('image/webp');
      const { info } = await pixels(thumb.bytes);
      expect([info.width, info.height]).toEqual([256, 171]);

      const content = await t.request('GET', res.body.contentUrl);
      expect(content.status).toBe(200);
      expect(content.headers.get('content-type')).toBe('application/fits');
      expect(content.bytes.equals(fits)).toBe(true);
      expect(readFits(content.bytes)).toMatchObject({ width: 96, height: 64 });
    });

    it('should accept a PNG, named after the file when no name is given', async () => {
      const png = await pngImage(80, 40);
      const res = await uploadAsset(t, alice, png, 'flat.png');
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        name: 'flat.png',
        format: 'png',
        width: 80,
        height: 40,
        channels: 3,
        bitDepth: 8,
      });
      const ready = await thumbnailReady(res.body.id);
      const thumb = await t.request('GET', `/api/assets/${ready.id}/thumbnail`, { token: alice });
      expect(thumb.status).toBe(200);
      const { info, at } = await pixels(thumb.bytes);
      expect([info.width, info.height]).toEqual([256, 128]);
      const [r, g, b] = at(128, 64);
      expect(Math.abs(r - 0x33)).toBeLessThan(6);
      expect(Math.abs(g - 0x66)).toBeLessThan(6);
      expect(Math.abs(b - 0x99)).toBeLessThan(6);
    });

    it('should refuse a file that is not an image with 415 and keep nothing', async () => {
      const before = assetBlobs(t).length;
      const res = await uploadAsset(t, alice, Buffer.from('hello, not an image'), 'x.fits');
      expect(res.status).toBe(415);
      expect(res.body).toMatchObject({ statusCode: 415, code: 'unsupported_image' });
      expect(assetBlobs(t).length).toBe(before);
    });

    it('should refuse a truncated FITS file with 422', async () => {
      const fits = fitsImage(64, 64, () => 1);
      const res = await uploadAsset(t, alice, fits.subarray(0, 2880 + 1000), 'cut.fits');
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('unsupported_image');
      expect(res.body.message).toMatch(/truncated/);
    });

    it('should answer 400 without a file and 415 for a non-multipart body', async () => {
      const form = new FormData();
      form.append('name', 'nothing');
      const none = await fetch(`${t.url}/api/assets`, {
        method: 'POST',
        headers: { authorization: `Bearer ${alice}` },
        body: form,
      });
      expect(none.status).toBe(400);
      const json = await t.request('POST', '/api/assets', { token: alice, body: { a: 1 } });
      expect(json.status).toBe(415);
    });
  });

  describe('GET /api/assets/:id/histogram', () => {
    it('should count a FITS asset’s physical values into the bins asked for', async () => {
      // 40 × 10 values 0..39 (x), each 10 times; one NaN.
      const fits = fitsImage(40, 10, (x, y) => (x === 0 && y === 0 ? NaN : x));
      const asset = (await uploadAsset(t, alice, fits, 'ramp.fits', 'ramp')).body;
      const res = await t.request('GET', `/api/assets/${asset.id}/histogram?bins=20`, {
        token: alice,
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        assetId: asset.id,
        values: 'physical',
        min: 0,
        max: 39,
        count: 399,
        nanCount: 1,
      });
      expect(res.body.binWidth).toBeCloseTo(39 / 20, 10);
      expect(res.body.counts).toHaveLength(20);
      expect(res.body.counts.reduce((a: number, b: number) => a + b, 0)).toBe(399);
      expect(res.body.percentiles.p50).toBe(20);
    });

    it('should answer 400 for bins out of range and 404 for another user’s asset', async () => {
      const asset = (
        await uploadAsset(
          t,
          alice,
          fitsImage(8, 8, (x) => x),
          'a.fits',
          'a',
        )
      ).body;
      const bad = await t.request('GET', `/api/assets/${asset.id}/histogram?bins=3`, {
        token: alice,
      });
      expect([bad.status, bad.body.code]).toEqual([400, 'validation_failed']);
      const foreign = await t.request('GET', `/api/assets/${asset.id}/histogram`, { token: bob });
      expect([foreign.status, foreign.body.code]).toEqual([404, 'not_found']);
    });
  });

  describe('GET /api/assets', () => {
    it('should list own assets newest first, in pages', async () => {
      const carol = t.token('carol');
      const ids: string[] = [];
      for (let i = 0; i < 3; i += 1)
        ids.push((await uploadAsset(t, carol, await pngImage(8, 8), `p${i}.png`)).body.id);
      const first = await t.request('GET', '/api/assets?limit=2', { token: carol });
      expect(first.body.items.map((a: { id: string }) => a.id)).toEqual([ids[2], ids[1]]);
      const next = await t.request('GET', `/api/assets?limit=2&cursor=${first.body.nextCursor}`, {
        token: carol,
      });
      expect(next.body).toEqual({
        items: [expect.objectContaining({ id: ids[0] })],
        nextCursor: null,
      });
    });
  });

  describe('ownership and delete', () => {
    it("should answer 404 for another user's asset and delete own assets with 204", async () => {
      const res = await uploadAsset(t, alice, await pngImage(16, 16), 'mine.png');
      const id = res.body.id;
      for (const path of [`/api/assets/${id}`, `/api/assets/${id}/content`]) {
        expect((await t.request('GET', path, { token: bob })).status).toBe(404);
      }
      expect((await t.request('DELETE', `/api/assets/${id}`, { token: bob })).status).toBe(404);
      expect((await t.request('DELETE', `/api/assets/${id}`, { token: alice })).status).toBe(204);
      expect((await t.request('GET', `/api/assets/${id}`, { token: alice })).status).toBe(404);
      expect((await t.request('GET', res.body.contentUrl)).status).toBe(404);
    });

    it('should answer 404 thumbnail_pending for a variant never rendered', async () => {
      const res = await uploadAsset(t, alice, await pngImage(16, 16), 'p.png');
      const thumb = await t.request('GET', `/api/assets/${res.body.id}/thumbnail?size=64`, {
        token: alice,
      });
      expect(thumb.status).toBe(404);
      expect(thumb.body.code).toBe('thumbnail_pending');
    });
  });
});

describe('Assets API limits (e2e)', () => {
  let t: TestApp;
  let alice: string;

  beforeAll(async () => {
    t = await TestApp.start({ MAX_UPLOAD_MB: '1', MAX_PIXELS: '10000' });
    alice = t.token('alice');
  });

  afterAll(() => t.close());

  it('should answer 413 for a file over MAX_UPLOAD_MB and keep no blob', async () => {
    const big = fitsImage(600, 600, () => 0); // 1.44 MB
    const res = await uploadAsset(t, alice, big, 'big.fits');
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('payload_too_large');
    const list = await t.request('GET', '/api/assets', { token: alice });
    expect(list.body.items).toEqual([]);
    expect(assetBlobs(t).filter((f) => f.endsWith('original'))).toEqual([]);
  });

  it('should answer 422 image_too_large over MAX_PIXELS', async () => {
    const res = await uploadAsset(t, alice, await pngImage(200, 100), 'wide.png');
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('image_too_large');
  });
});
