import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { hasAstropy, runPython, withTempFile } from '../src/imaging/testing/external-tools';
import { TestApp } from './support/test-app';
import { download, fitsImage, pixels, pngImage, runExport, uploadAsset } from './support/upload';

/** astropy's own tile-compressed test file (RICE_1, 16-bit, 440×300), from python3-astropy. */
const COMP_FITS = readFileSync(join(__dirname, 'fixtures', 'comp.fits'));

/** Width and height astropy reads from a file, or undefined when astropy is not installed. */
function astropySize(bytes: Buffer, suffix: string): number[] | undefined {
  if (!hasAstropy) return undefined;
  const script = `
import sys, json
from astropy.io import fits
with fits.open(sys.argv[1]) as f:
    hdu = next(h for h in f if h.is_image and h.data is not None)
    print(json.dumps([hdu.data.shape[-1], hdu.data.shape[-2]]))`;
  return withTempFile(bytes, suffix, (file) => JSON.parse(runPython(script, [file])) as number[]);
}

describe('Compressed FITS inputs and FITS headers (e2e)', () => {
  let t: TestApp;
  let alice: string;
  let bob: string;
  const gzipped = gzipSync(fitsImage(120, 80, (x, y) => x + 2 * y));

  beforeAll(async () => {
    t = await TestApp.start();
    alice = t.token('alice');
    bob = t.token('bob');
  });
  afterAll(() => t.close());

  const upload = async (bytes: Buffer, name: string) => {
    const res = await uploadAsset(t, alice, bytes, name);
    expect(res.status).toBe(201);
    return res.body;
  };

  // First: later tests pause seconds for astropy, and a POST on a keep-alive socket the server
  // is closing at that moment fails with ECONNRESET (seen once; not specific to these uploads).
  it('should refuse a truncated gzip FITS and a gzip that holds no FITS with 415/422', async () => {
    const truncated = await uploadAsset(t, alice, gzipped.subarray(0, 400), 'cut.fits.gz');
    expect([415, 422]).toContain(truncated.status);
    expect(truncated.body.code).toBe('unsupported_image');
    const text = await uploadAsset(t, alice, gzipSync(Buffer.from('not an image')), 'x.gz');
    expect([415, 422]).toContain(text.status);
    expect(text.body.code).toBe('unsupported_image');
  });

  it('should accept astropy’s comp.fits with the dimensions astropy reads', async () => {
    const asset = await upload(COMP_FITS, 'comp.fits');
    expect(asset).toMatchObject({ format: 'fits', width: 440, height: 300, bitDepth: 16 });
    const theirs = astropySize(COMP_FITS, '.fits');
    if (theirs) expect([asset.width, asset.height]).toEqual(theirs);
    const thumbnail = await t.waitForState(asset.thumbnailJobId, alice);
    expect(thumbnail.state).toBe('completed');
  });

  it('should accept a gzip-compressed FITS upload (whatever its name) with astropy’s dimensions', async () => {
    const asset = await upload(gzipped, 'sky.dat');
    expect(asset).toMatchObject({ format: 'fits', width: 120, height: 80, bytes: gzipped.length });
    const theirs = astropySize(gzipped, '.fits.gz');
    if (theirs) expect([asset.width, asset.height]).toEqual(theirs);
  });

  it('should make a composite from a tile-compressed and a gzip-compressed FITS', async () => {
    const comp = await upload(COMP_FITS, 'comp.fits');
    const gz = await upload(gzipped, 'sky.fits.gz');
    const job = await runExport(t, alice, '/api/composite/export', {
      channels: [
        { assetId: comp.id, color: '#ff0000' },
        { assetId: gz.id, color: '#00ff00' },
      ],
    });
    expect({ state: job.state, error: job.error }).toEqual({ state: 'completed' });
    const { info, at } = await pixels(await download(t, alice, job));
    expect([info.width, info.height]).toEqual([440, 300]);
    // The gzip'd ramp rises to the top right; comp.fits has a bright galaxy.
    expect(at(439, 0)[1]).toBeGreaterThan(at(0, 299)[1]);
    expect(Math.max(...Array.from({ length: 440 }, (_, x) => at(x, 150)[0]))).toBeGreaterThan(200);
  });

  describe('GET /api/assets/:id/header', () => {
    it('should give the logical header of a tile-compressed image, as astropy', async () => {
      const comp = await upload(COMP_FITS, 'comp.fits');
      const res = await t.request('GET', `/api/assets/${comp.id}/header`, { token: alice });
      expect(res.status).toBe(200);
      expect(res.body.hdu).toBe(1);
      const keys = res.body.cards.map((c: { key: string }) => c.key);
      expect(keys.slice(0, 7)).toEqual([
        'XTENSION',
        'BITPIX',
        'NAXIS',
        'NAXIS1',
        'NAXIS2',
        'PCOUNT',
        'GCOUNT',
      ]);
      expect(res.body.cards[1]).toEqual({
        key: 'BITPIX',
        value: 16,
        comment: 'My special comment',
      });
      expect(res.body.cards).toContainEqual({ key: 'OBJECT', value: 'NGC 1316', comment: '' });
      expect(keys).not.toContain('ZIMAGE');
      expect(keys).not.toContain('TFORM1');
    });

    it('should give the primary header of a gzip-compressed FITS', async () => {
      const gz = await upload(gzipped, 'sky.fits.gz');
      const res = await t.request('GET', `/api/assets/${gz.id}/header`, { token: alice });
      expect(res.status).toBe(200);
      expect(res.body.hdu).toBe(0);
      expect(res.body.cards.slice(0, 3)).toMatchObject([
        { key: 'SIMPLE', value: true },
        { key: 'BITPIX', value: -32 },
        { key: 'NAXIS', value: 2 },
      ]);
    });

    it('should answer 404 not_found for another user’s asset, a PNG and an unknown id', async () => {
      const gz = await upload(gzipped, 'sky.fits.gz');
      const png = await upload(await pngImage(8, 8, '#808080'), 'grey.png');
      for (const [id, token] of [
        [gz.id, bob],
        [png.id, alice],
        ['nope', alice],
      ]) {
        const res = await t.request('GET', `/api/assets/${id}/header`, { token });
        expect(res.status).toBe(404);
        expect(res.body.code).toBe('not_found');
      }
    });
  });
});
