import { rmSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { writeFits } from '../fits/fits-writer';
import { compileImaging } from '../testing/compile-imaging';
import { ImagingPool } from './imaging-pool';

const fits = (n = 64) =>
  writeFits({ width: n, height: n, data: Float32Array.from({ length: n * n }, (_, i) => i % 97) });

describe(ImagingPool.name, () => {
  describe('in-process mode (no compiled worker)', () => {
    it('should run tasks on the calling thread', async () => {
      const pool = new ImagingPool({ maxThreads: 1, workerFile: '/nonexistent/imaging.worker.js' });
      expect(pool.mode).toBe('in-process');
      const thumb = await pool.thumbnail(fits(), { size: 16, format: 'png' });
      expect(thumb).toMatchObject({ width: 16, height: 16, contentType: 'image/png' });
      await pool.close();
    });
  });

  describe('threads mode', () => {
    const outDir = join(
      __dirname,
      '../../../node_modules/.cache',
      `darkroom-imaging-${process.pid}`,
    );
    let pool: ImagingPool;
    beforeAll(() => {
      pool = new ImagingPool({ maxThreads: 2, workerFile: compileImaging(outDir) });
    });
    afterAll(async () => {
      await pool.close();
      rmSync(outDir, { recursive: true, force: true });
    });

    it('should composite in a worker, report progress and transfer inputs', async () => {
      const input = fits();
      const stages: string[] = [];
      const result = await pool.composite(
        [input],
        { channels: [{ color: '#ff0000' }] },
        { onProgress: (s) => stages.push(s) },
      );
      expect(pool.mode).toBe('threads');
      expect(Buffer.isBuffer(result.buffer)).toBe(true);
      expect(await sharp(result.buffer).metadata()).toMatchObject({
        format: 'png',
        width: 64,
        height: 64,
      });
      expect(input.byteLength).toBe(0); // moved to the worker, not copied
      await new Promise((resolve) => setImmediate(resolve));
      expect(stages).toContain('decode');
    });

    it('should mosaic and thumbnail in workers', async () => {
      const mosaic = await pool.mosaic([fits(8), fits(8)], { format: 'fits' });
      expect(mosaic).toMatchObject({ width: 16, height: 8, extension: 'fits' });
      expect(await pool.thumbnail(fits(), { size: 32 })).toMatchObject({
        width: 32,
        contentType: 'image/webp',
      });
    });

    it('should count a histogram in a worker', async () => {
      const h = await pool.histogram(fits(), { bins: 97 });
      expect(h).toMatchObject({ values: 'physical', min: 0, max: 96, count: 64 * 64 });
      expect(h.counts.reduce((a, b) => a + b, 0)).toBe(64 * 64);
      await expect(pool.histogram(fits(8), { bins: 97, maxPixels: 10 })).rejects.toMatchObject({
        code: 'image_too_large',
      });
    });

    it('should rethrow expected errors as typed errors', async () => {
      await expect(pool.thumbnail(Buffer.from('junk'))).rejects.toMatchObject({
        name: 'ImageDecodeError',
        code: 'unsupported_image',
      });
      await expect(pool.mosaic([fits(8), fits(8)], { maxPixels: 10 })).rejects.toMatchObject({
        code: 'image_too_large',
      });
    });

    it('should reject when aborted', async () => {
      const controller = new AbortController();
      const running = pool.composite(
        [fits(1024)],
        { channels: [{ color: '#ffffff', stretch: 'histeq' }] },
        { signal: controller.signal },
      );
      controller.abort();
      await expect(running).rejects.toThrow(/abort/i);
    });

    it('should probe on the calling thread without detaching the input', async () => {
      const input = fits(8);
      expect(await pool.probe(input)).toMatchObject({ format: 'fits', width: 8, height: 8 });
      expect(input.byteLength).toBeGreaterThan(0);
    });
  });
});
