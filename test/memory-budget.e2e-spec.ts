import sharp from 'sharp';
import { readFits } from '../src/imaging/fits/fits-reader';
import { writeFits } from '../src/imaging/fits/fits-writer';
import { CelestialWcs } from '../src/imaging/wcs/celestial-wcs';
import { wcsCards } from '../src/imaging/wcs/wcs-cards';
import { TestApp } from './support/test-app';
import { download, pixels, runExport, uploadAsset } from './support/upload';

/** A grey (1-channel) PNG of zeros: a few KB on disk, 64 MB as a float plane. */
const zeros = (side: number) =>
  sharp(Buffer.alloc(side * side), { raw: { width: side, height: side, channels: 1 } })
    .toColourspace('b-w')
    .png()
    .toBuffer();

/** A float32 860² FITS with a TAN WCS (1″ pixels): 2.8 MB on disk and as a plane. */
const skyFits = () => {
  const side = 860;
  const data = Float32Array.from({ length: side * side }, (_, i) => (i * 7919) % 101);
  const wcs: CelestialWcs = {
    projection: 'TAN',
    crpix: [430.5, 430.5],
    crval: [150, 2],
    cd: [-1 / 3600, 0, 0, 1 / 3600],
    lonpole: 180,
    latpole: 90,
    frame: 'icrs',
  };
  return writeFits({ width: side, height: side, data }, { cards: wcsCards(wcs) });
};

describe('Imaging memory budget (e2e)', () => {
  let t: TestApp;
  let alice: string;
  let big: string;

  beforeAll(async () => {
    t = await TestApp.start({ IMAGING_MEMORY_MB: '128' });
    alice = t.token('alice');
    const res = await uploadAsset(t, alice, await zeros(4000), 'zeros.png');
    expect(res.status).toBe(201);
    big = res.body.id;
  });
  afterAll(() => t.close());

  const composite = () => ({ channels: [{ assetId: big, color: '#ffffff' }] });
  const mosaic = () => ({ tiles: [{ assetId: big }, { assetId: big }], layout: 'grid' });

  /** The factor the `too_large` answer says to downscale to. */
  async function refused(path: string, body: object): Promise<number> {
    const res = await t.request('POST', path, { token: alice, body });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ statusCode: 422, code: 'too_large' });
    expect(res.body.details).toHaveLength(1);
    expect(res.body.details[0].field).toBe('memory');
    const problem: string = res.body.details[0].problem;
    const match = /^needs ~(\d+) MB, budget 128 MB: downscale to (0\.\d\d) or below$/.exec(problem);
    expect(match).not.toBeNull();
    expect(Number(match?.[1])).toBeGreaterThan(128);
    return Number(match?.[2]);
  }

  it('should refuse a composite over the budget with its estimate and the factor that fits', async () => {
    const factor = await refused('/api/composite/export', composite());
    expect(factor).toBeGreaterThan(0.3);
    expect(factor).toBeLessThan(1);
    const jobs = await t.request('GET', '/api/jobs?type=composite', { token: alice });
    expect(jobs.body.items).toHaveLength(0); // nothing was queued
  });

  it('should make the composite at the size that fits when asked to downscale', async () => {
    const factor = await refused('/api/composite/export', composite());
    const job = await runExport(t, alice, '/api/composite/export', {
      ...composite(),
      downscale: true,
    });
    expect(job.state).toBe('completed');
    const messages = job.messages.map((m: { text: string }) => m.text).join('\n');
    expect(messages).toContain(`downscaled to ${factor}`);
    const { info } = await pixels(await download(t, alice, job));
    const side = Math.round(4000 * factor);
    expect([info.width, info.height]).toEqual([side, side]);
  });

  it('should refuse an oversized mosaic with its estimate, or downscale it when asked', async () => {
    const factor = await refused('/api/mosaic/export', mosaic());
    const job = await runExport(t, alice, '/api/mosaic/export', { ...mosaic(), downscale: true });
    expect(job.state).toBe('completed');
    const { info } = await pixels(await download(t, alice, job));
    const side = Math.round(4000 * factor);
    expect([info.width, info.height]).toEqual([2 * side, side]);
  });

  it('should count the reprojected channel copies of a WCS-aligned composite', async () => {
    const res = await uploadAsset(t, alice, skyFits(), 'sky.fits');
    expect(res.status).toBe(201);
    // 8 channels, FITS output: 3 sums and 7 reprojected copies outlast the 9-plane encode;
    // ~133 MB aligned against ~126 MB by pixel, around the 128 MB budget.
    const body = (align: string) => ({
      channels: Array.from({ length: 8 }, () => ({ assetId: res.body.id, color: '#ffffff' })),
      format: 'fits',
      align,
    });
    expect(await refused('/api/composite/export', body('wcs'))).toBeGreaterThan(0.9);
    const job = await runExport(t, alice, '/api/composite/export', body('pixel'));
    expect(job.state).toBe('completed');
    const aligned = await runExport(t, alice, '/api/composite/export', {
      ...body('wcs'),
      downscale: true,
    });
    expect(aligned.state).toBe('completed');
  });

  it('should refuse a WCS mosaic over the budget, or make it on a coarser sky grid when asked', async () => {
    const sky = (await uploadAsset(t, alice, skyFits(), 'sky.fits')).body.id;
    // 860″ across at 0.25″ a pixel: a 3440² float grid with its coverage and weights.
    const body = {
      tiles: [{ assetId: sky }, { assetId: sky }],
      format: 'fits',
      pixelScaleArcsec: 0.25,
    };
    const footprint = await t.request('POST', '/api/mosaic/footprint', {
      token: alice,
      body: { tiles: body.tiles },
    });
    expect(footprint.body.output.pixelScaleArcsec).toBeCloseTo(1, 9);
    const side = 4 * footprint.body.output.width; // at 0.25″
    const factor = await refused('/api/mosaic/export', body);
    expect(await t.request('GET', '/api/jobs?type=mosaic', { token: alice })).toMatchObject({
      body: { items: [expect.objectContaining({ state: 'completed' })] }, // the grid mosaic only
    });
    const job = await runExport(t, alice, '/api/mosaic/export', { ...body, downscale: true });
    expect({ state: job.state, error: job.error }).toEqual({ state: 'completed' });
    const image = readFits(await download(t, alice, job));
    expect(Math.abs(image.width - side * factor)).toBeLessThanOrEqual(4);
    // The coarser grid still covers the same sky: its pixels are 1/factor times larger.
    const cd = (key: string) => Number(image.cards.find((c) => c.keyword === key)?.value);
    const scale = Math.hypot(cd('CD1_1'), cd('CD2_1')) * 3600 || Math.abs(cd('CDELT1')) * 3600;
    expect(scale * image.width).toBeCloseTo(0.25 * side, -1);
  });

  it('should reject a non-boolean downscale with 400', async () => {
    const res = await t.request('POST', '/api/composite/export', {
      token: alice,
      body: { ...composite(), downscale: 'yes' },
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
  });
});
