import sharp from 'sharp';
import { writeFits } from '../fits/fits-writer';
import { encodeTiff } from '../testing/tiff';
import { thumbnailImage } from './thumbnail';

describe('thumbnailImage', () => {
  // 40×20 ramp along x; the bottom FITS row (row 0) is bright so flipping is visible.
  const data = Float32Array.from({ length: 800 }, (_, i) =>
    Math.floor(i / 40) < 10 ? 100 + (i % 40) : 0,
  );
  const fits = writeFits({ width: 40, height: 20, data });

  it('should render FITS as a zscale-stretched, flipped WebP that fits the size', async () => {
    const thumb = await thumbnailImage(fits, { size: 64 });
    expect(thumb).toMatchObject({
      contentType: 'image/webp',
      extension: 'webp',
      width: 64,
      height: 32,
    });
    const { data: px, info } = await sharp(thumb.buffer)
      .greyscale()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const at = (x: number, y: number) => px[(y * info.width + x) * info.channels];
    expect(at(60, 28)).toBeGreaterThan(200); // FITS bottom rows are at the bottom
    expect(at(60, 2)).toBeLessThan(30);
  });

  it.each(['png', 'jpeg'] as const)('should render %s output', async (format) => {
    const thumb = await thumbnailImage(fits, { size: 32, format });
    expect((await sharp(thumb.buffer).metadata()).format).toBe(format);
  });

  it('should resize rasters, including 16-bit and float TIFF', async () => {
    const png = await sharp({
      create: { width: 300, height: 100, channels: 3, background: '#336699' },
    })
      .png()
      .toBuffer();
    expect(await thumbnailImage(png, { size: 150, format: 'png' })).toMatchObject({
      width: 150,
      height: 50,
    });
    const tiff16 = encodeTiff(
      4,
      2,
      Uint16Array.from([0, 1000, 2000, 3000, 4000, 5000, 6000, 65535]),
    );
    expect(await thumbnailImage(tiff16, { size: 8 })).toMatchObject({ width: 8, height: 4 });
    const tiffF = encodeTiff(2, 2, Float32Array.of(0.1, 0.2, 0.3, 0.4));
    expect(await thumbnailImage(tiffF, { size: 8 })).toMatchObject({ width: 8, height: 8 });
  });

  it('should reject input it cannot decode', async () => {
    await expect(thumbnailImage(Buffer.from('nope'))).rejects.toMatchObject({
      code: 'unsupported_image',
    });
  });
});
