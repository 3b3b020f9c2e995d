import sharp from 'sharp';
import { ImageDecodeError, ImageTooLargeError } from '../errors';
import { writeFits } from '../fits/fits-writer';
import { encodeTiff } from '../testing/tiff';
import { decodeLuminance, decodePlanes } from './decode-planes';
import { detectFormat } from './detect-format';
import { probeImage } from './probe';

/** 2×2 RGB: top row red, green; bottom row blue, white. */
const rgb = () =>
  sharp(Buffer.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255]), {
    raw: { width: 2, height: 2, channels: 3 },
  });

describe('detectFormat', () => {
  it.each([
    ['fits', Buffer.from('SIMPLE  =                    T')],
    ['png', Buffer.from('89504e470d0a1a0a', 'hex')],
    ['jpeg', Buffer.from('ffd8ffe0', 'hex')],
    ['tiff', Buffer.from('II*\0')],
    ['tiff', Buffer.from('MM\0*')],
    ['webp', Buffer.from('RIFF\0\0\0\0WEBPVP8 ')],
  ])('should detect %s', (format, bytes) => {
    expect(detectFormat(bytes)).toBe(format);
  });

  it('should reject unknown bytes with unsupported_image', () => {
    expect(() => detectFormat(Buffer.from('GIF89a'))).toThrow(ImageDecodeError);
  });
});

describe('probeImage', () => {
  it('should probe rasters with sharp metadata', async () => {
    const png16 = await rgb().toColourspace('rgb16').png().toBuffer();
    expect(await probeImage(png16)).toEqual({
      format: 'png',
      width: 2,
      height: 2,
      channels: 3,
      bitDepth: 16,
    });
    expect(await probeImage(await rgb().jpeg().toBuffer())).toMatchObject({
      format: 'jpeg',
      bitDepth: 8,
    });
    expect(await probeImage(await rgb().webp().toBuffer())).toMatchObject({
      format: 'webp',
      width: 2,
    });
    expect(await probeImage(encodeTiff(3, 2, new Float32Array(6)))).toMatchObject({
      format: 'tiff',
      bitDepth: 32,
      channels: 1,
    });
  });

  it('should probe FITS from its header', async () => {
    const fits = writeFits(
      { width: 5, height: 3, depth: 2, data: new Float32Array(30) },
      { bitpix: 16 },
    );
    expect(await probeImage(fits)).toEqual({
      format: 'fits',
      width: 5,
      height: 3,
      channels: 1,
      bitDepth: 16,
      depth: 2,
      bitpix: 16,
    });
  });

  it('should throw image_too_large above the pixel limit', async () => {
    const fits = writeFits({ width: 5, height: 3, data: new Float32Array(15) });
    await expect(probeImage(fits, { maxPixels: 14 })).rejects.toThrow(ImageTooLargeError);
    await expect(probeImage(await rgb().png().toBuffer(), { maxPixels: 3 })).rejects.toMatchObject({
      code: 'image_too_large',
    });
  });

  it('should throw unsupported_image on a corrupt raster', async () => {
    const png = await rgb().png().toBuffer();
    await expect(decodePlanes(png.subarray(0, 40))).rejects.toMatchObject({
      code: 'unsupported_image',
    });
  });
});

describe('decodePlanes', () => {
  it('should flip rasters to FITS orientation and scale to [0, 1]', async () => {
    const [r, g, b] = await decodePlanes(await rgb().png().toBuffer());
    // Row 0 is now the bottom row of the picture: blue, white.
    expect(Array.from(r.data)).toEqual([0, 1, 1, 0]);
    expect(Array.from(g.data)).toEqual([0, 1, 0, 1]);
    expect(Array.from(b.data)).toEqual([1, 1, 0, 0]);
  });

  it('should keep 16-bit precision', async () => {
    const values = Uint16Array.from([0, 1, 2, 65535]);
    const png = await sharp(values, { raw: { width: 2, height: 2, channels: 1 } })
      .toColourspace('grey16')
      .png()
      .toBuffer();
    const [plane] = await decodePlanes(png);
    expect(Array.from(plane.data, (v) => Math.round(v * 65535))).toEqual([2, 65535, 0, 1]);
  });

  it('should keep float TIFF values', async () => {
    const tiff = encodeTiff(2, 2, Float32Array.from([0.5, -3, 1e4, 0.001]));
    const plane = await decodeLuminance(tiff);
    expect(Array.from(plane.data)).toEqual(Array.from(Float32Array.from([1e4, 0.001, 0.5, -3])));
  });

  it('should reduce colour to Rec. 709 luma', async () => {
    const plane = await decodeLuminance(await rgb().png().toBuffer());
    expect(Array.from(plane.data, (v) => Number(v.toFixed(4)))).toEqual([
      0.0722, 1, 0.2126, 0.7152,
    ]);
  });

  it('should decode FITS physical values unflipped', async () => {
    const plane = await decodeLuminance(
      writeFits({ width: 2, height: 1, data: Float32Array.of(3, NaN) }),
    );
    expect(Array.from(plane.data)).toEqual([3, NaN]);
  });
});
