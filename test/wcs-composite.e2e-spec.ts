import { describeWithTool, hasReproject } from '../src/imaging/testing/external-tools';
import { TileSpec, skyTiles, starCentroids } from './support/astropy-sky';
import { TestApp } from './support/test-app';
import { download, runExport, uploadAsset } from './support/upload';

/** Three filters of one field, each pointed, rotated and sampled differently. */
const FILTERS: TileSpec[] = [
  { ra: 150.0, dec: 2.0, rotation: 0, scale: 0.8, width: 110, height: 100, filter: 'F115W' },
  { ra: 150.002, dec: 1.999, rotation: 40, scale: 1.1, width: 90, height: 90, filter: 'F200W' },
  { ra: 149.999, dec: 2.002, rotation: -25, scale: 0.9, width: 100, height: 110, filter: 'F444W' },
];

// Each test runs astropy in a child process: generous limits for a loaded machine.
jest.setTimeout(180_000);

describeWithTool(hasReproject, 'astropy + reproject', 'WCS-aligned composite (e2e)', () => {
  let t: TestApp;
  let alice: string;
  let ids: string[];

  beforeAll(async () => {
    t = await TestApp.start();
    alice = t.token('alice');
    ids = [];
    for (const [i, bytes] of skyTiles(FILTERS).entries()) {
      const res = await uploadAsset(t, alice, bytes, `${FILTERS[i].filter}.fits`);
      expect(res.status).toBe(201);
      ids.push(res.body.id);
    }
  }, 300_000); // astropy + reproject make the tiles: slow on a loaded machine

  afterAll(() => t.close());

  const body = (align?: 'pixel') => ({
    channels: ['#ff0000', '#00ff00', '#0000ff'].map((color, i) => ({
      assetId: ids[i],
      color,
      stretch: 'linear',
      blackPoint: 0,
      whitePoint: 1,
    })),
    format: 'fits',
    backgroundNeutralize: true,
    ...(align ? { align } : {}),
  });

  /** Largest distance (pixels) between a star's predicted pixel and its centroid, per plane. */
  const offsets = (bytes: Buffer) =>
    [0, 1, 2].map((plane) => {
      const stars = starCentroids(bytes, plane).stars.filter((s) => s !== null);
      expect(stars.length).toBeGreaterThanOrEqual(4);
      return Math.max(...stars.map(([px, py, cx, cy]) => Math.hypot(cx - px, cy - py) || 99));
    });

  it('should align mis-pointed filters on the first channel grid (FITS keeps its WCS)', async () => {
    const job = await runExport(t, alice, '/api/composite/export', body());
    expect(job.state).toBe('completed');
    for (const worst of offsets(await download(t, alice, job))) expect(worst).toBeLessThan(0.35);
  });

  it('should leave them mis-aligned when asked to align by pixel', async () => {
    const job = await runExport(t, alice, '/api/composite/export', body('pixel'));
    expect(job.state).toBe('completed');
    const [red, green, blue] = offsets(await download(t, alice, job));
    expect(red).toBeLessThan(0.35);
    expect(Math.min(green, blue)).toBeGreaterThan(1);
  });
});
