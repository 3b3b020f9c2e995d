import { describeWithTool, hasReproject } from '../src/imaging/testing/external-tools';
import { SKY_STARS, TileSpec, skyTiles, starCentroids } from './support/astropy-sky';
import { TestApp } from './support/test-app';
import { download, pngImage, runExport, uploadAsset } from './support/upload';

const TILES: TileSpec[] = [
  { ra: 150.0, dec: 2.0, rotation: 0, scale: 1.0, width: 80, height: 70 },
  { ra: 150.008, dec: 2.003, rotation: 30, scale: 1.2, width: 70, height: 60 },
  { ra: 149.996, dec: 1.994, rotation: -20, scale: 0.9, width: 80, height: 80, offset: 5 },
];

// Each test runs astropy in a child process: generous limits for a loaded machine.
jest.setTimeout(180_000);

describeWithTool(
  hasReproject,
  'astropy + reproject',
  'WCS mosaic, footprint and asset WCS (e2e)',
  () => {
    let t: TestApp;
    let alice: string;
    let ids: string[];
    let png: string;
    let far: string;

    beforeAll(async () => {
      t = await TestApp.start();
      alice = t.token('alice');
      ids = [];
      // One python run makes every tile, including one far from the others.
      const files = skyTiles([...TILES, { ...TILES[0], ra: 150.02 }]);
      for (const [i, bytes] of files.entries()) {
        const res = await uploadAsset(t, alice, bytes, `tile${i}.fits`);
        expect(res.status).toBe(201);
        ids.push(res.body.id);
      }
      far = ids.pop()!;
      png = (await uploadAsset(t, alice, await pngImage(8, 8), 'flat.png')).body.id;
    }, 300_000); // astropy + reproject make the tiles: slow on a loaded machine

    afterAll(() => t.close());

    it('should show each FITS asset its WCS summary and a raster none', async () => {
      const res = await t.request('GET', `/api/assets/${ids[1]}`, { token: alice });
      expect(res.body.wcs).toMatchObject({ projection: 'TAN', frame: 'icrs' });
      expect(res.body.wcs.pixelScaleArcsec).toBeCloseTo(1.2, 6);
      expect(res.body.wcs.rotationDeg).toBeCloseTo(30, 6);
      expect(res.body.wcs.center.ra).toBeCloseTo(150.008, 4);
      expect(res.body.wcs.corners).toHaveLength(4);
      expect((await t.request('GET', `/api/assets/${png}`, { token: alice })).body.wcs).toBeNull();
    });

    it('should answer the footprint of the tiles and of the output grid', async () => {
      const res = await t.request('POST', '/api/mosaic/footprint', {
        token: alice,
        body: { tiles: ids.map((assetId) => ({ assetId })) },
      });
      expect(res.status).toBe(200);
      expect(res.body.tiles).toHaveLength(3);
      expect(res.body.tiles[0].corners).toHaveLength(4);
      expect(res.body.output.pixelScaleArcsec).toBeCloseTo(0.9, 9);
      expect(res.body.output.width).toBeGreaterThan(80);
      expect(res.body.groups).toBe(1);
      expect(res.body.estimateMB).toBeGreaterThan(0);
    });

    it('should count disconnected groups and refuse tiles without WCS', async () => {
      const apart = await t.request('POST', '/api/mosaic/footprint', {
        token: alice,
        body: { tiles: [{ assetId: ids[2] }, { assetId: far }] },
      });
      expect(apart.body.groups).toBe(2);
      const bad = await t.request('POST', '/api/mosaic/footprint', {
        token: alice,
        body: { tiles: [{ assetId: ids[0] }, { assetId: png }] },
      });
      expect(bad.status).toBe(422);
      expect(bad.body.details).toEqual([
        { field: 'tiles.1.assetId', problem: 'has no celestial WCS' },
      ]);
      const refused = await t.request('POST', '/api/mosaic/export', {
        token: alice,
        body: { tiles: [{ assetId: ids[0] }, { assetId: png }], layout: 'wcs' },
      });
      expect(refused.status).toBe(422);
    });

    it('should mosaic on the sky by default and put known stars at their pixels', async () => {
      const job = await runExport(t, alice, '/api/mosaic/export', {
        tiles: ids.map((assetId) => ({ assetId })),
        format: 'fits',
        backgroundMatch: true,
      });
      expect(job.state).toBe('completed');
      const result = starCentroids(await download(t, alice, job));
      expect(result.extnames).toEqual(['PRIMARY', 'COVERAGE']);
      expect(result.header).toMatchObject({
        NINPUTS: '3',
        COMBMETH: 'MEAN',
        TELESCOP: 'SYNTH',
        FILTER: 'F200W',
        SRC0001: 'tile0.fits',
      });
      const measured = result.stars.filter((s) => s !== null);
      expect(measured.length).toBeGreaterThanOrEqual(SKY_STARS.length - 1);
      for (const [px, py, cx, cy] of measured)
        expect(Math.hypot(cx - px, cy - py)).toBeLessThan(0.35);
    });

    it('should save a WCS mosaic as a FITS asset that keeps the output WCS', async () => {
      const job = await runExport(t, alice, '/api/mosaic/save', {
        tiles: ids.map((assetId) => ({ assetId })),
        name: 'field',
        interpolation: 'nearest',
        pixelScaleArcsec: 2,
      });
      expect(job.state).toBe('completed');
      const asset = await t.request('GET', `/api/assets/${job.result.assetId}`, { token: alice });
      expect(asset.body.wcs).toMatchObject({ projection: 'TAN', rotationDeg: 0 });
      expect(asset.body.wcs.pixelScaleArcsec).toBeCloseTo(2, 6);
    });
  },
);
