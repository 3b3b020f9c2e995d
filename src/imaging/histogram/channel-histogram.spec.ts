import sharp from 'sharp';
import { InvalidImagingOptionsError } from '../errors';
import { writeFits } from '../fits/fits-writer';
import { encodeTiff } from '../testing/tiff';
import { channelHistogram } from './channel-histogram';

describe('channelHistogram', () => {
  it('should count FITS physical values (BZERO/BSCALE applied, BLANK left out)', async () => {
    const data = Float32Array.of(100, 102, 104, NaN, 130, 100);
    const fits = writeFits(
      { width: 3, height: 2, data },
      { bitpix: 16, bzero: 100, bscale: 2, blank: -32768 },
    );
    const h = await channelHistogram(fits, { bins: 16 });
    expect(h).toMatchObject({ values: 'physical', min: 100, max: 130, count: 5, nanCount: 1 });
    expect(h.binWidth).toBeCloseTo(30 / 16);
    // Bins of 1.875 from 100: 100 and 100 in bin 0, 102 in bin 1, 104 in bin 2, 130 in the last.
    expect(h.counts.slice(0, 4)).toEqual([2, 1, 1, 0]);
    expect(h.counts[15]).toBe(1); // 130
  });

  it('should count a grey 16-bit raster in its stored integer samples', async () => {
    const values = Uint16Array.from([0, 1, 2, 65535]);
    const png = await sharp(values, { raw: { width: 2, height: 2, channels: 1 } })
      .toColourspace('grey16')
      .png()
      .toBuffer();
    const h = await channelHistogram(png, { bins: 16 });
    expect(h).toMatchObject({ values: 'samples', min: 0, max: 65535, count: 4 });
    expect(h.counts[0]).toBe(3);
    expect(h.counts[15]).toBe(1);
    expect(h.percentiles.p50).toBe(1.5);
  });

  it('should count a colour raster by Rec. 709 luma in 8-bit sample units', async () => {
    const rgb = Buffer.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255]);
    const png = await sharp(rgb, { raw: { width: 2, height: 2, channels: 3 } })
      .png()
      .toBuffer();
    const h = await channelHistogram(png, { bins: 16 });
    expect(h.values).toBe('luminance');
    expect(h.min).toBeCloseTo(0.0722 * 255, 3);
    expect(h.max).toBeCloseTo(255, 3);
  });

  it('should keep float TIFF values as they are', async () => {
    const tiff = encodeTiff(2, 2, Float32Array.from([0.5, -3, 1e4, 0.001]));
    const h = await channelHistogram(tiff, { bins: 16 });
    expect(h).toMatchObject({ values: 'samples', min: -3, max: 1e4, count: 4 });
  });

  it('should refuse a bin count out of range', async () => {
    const fits = writeFits({ width: 1, height: 1, data: Float32Array.of(1) });
    await expect(channelHistogram(fits, { bins: 8 })).rejects.toThrow(InvalidImagingOptionsError);
  });
});
