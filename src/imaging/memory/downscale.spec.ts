import sharp from 'sharp';
import { compositeImages } from '../composite/composite';
import { writeFits } from '../fits/fits-writer';
import { mosaicImages } from '../mosaic/mosaic';

/** A width × height float FITS whose value is its column index (a horizontal ramp). */
const ramp = (width: number, height: number) =>
  writeFits({
    width,
    height,
    data: Float32Array.from({ length: width * height }, (_, i) => i % width),
  });
const png = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: '#808080' } })
    .png()
    .toBuffer();
const linear = { stretch: 'linear' as const, blackPoint: 0, whitePoint: 1 };

describe('downscale (memory budget)', () => {
  describe('compositeImages', () => {
    it('should make the work grid and output scale × the first channel when scale < 1', async () => {
      const out = await compositeImages([ramp(40, 20), await png(80, 40)], {
        channels: [
          { color: '#ff0000', ...linear },
          { color: '#00ff00', ...linear },
        ],
        scale: 0.5,
      });
      expect([out.width, out.height]).toEqual([20, 10]);
      const { data, info } = await sharp(out.buffer).raw().toBuffer({ resolveWithObject: true });
      expect([info.width, info.height]).toEqual([20, 10]);
      // The ramp still rises left to right after the resample.
      expect(data[0]).toBeLessThan(data[(info.width - 1) * 3]);
      expect(data[1]).toBe(0); // a flat channel stretches to 0
    });

    it('should keep the full size at scale 1', async () => {
      const out = await compositeImages([ramp(40, 20)], {
        channels: [{ color: '#ffffff', ...linear }],
        scale: 1,
        format: 'fits',
      });
      expect([out.width, out.height]).toEqual([40, 20]);
    });
  });

  describe('mosaicImages', () => {
    it('should scale tiles, offsets and gap', async () => {
      const out = await mosaicImages([ramp(40, 20), ramp(40, 20)], {
        layout: 'offsets',
        tiles: [
          { x: 0, y: 0 },
          { x: 60, y: 10 },
        ],
        scale: 0.5,
        format: 'fits',
      });
      expect([out.width, out.height]).toEqual([50, 15]);
      const grid = await mosaicImages([ramp(40, 20), ramp(40, 20)], { gap: 10, scale: 0.25 });
      expect([grid.width, grid.height]).toEqual([23, 5]);
    });
  });
});
