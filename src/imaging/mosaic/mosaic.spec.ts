import sharp from 'sharp';
import { readFits } from '../fits/fits-reader';
import { writeFits } from '../fits/fits-writer';
import { CombineMode, addTile, createCanvas, finishCanvas, tilesOverlap } from './mosaic-canvas';
import { mosaicImages } from './mosaic';

const tile = (values: number[]) => ({
  width: values.length,
  height: 1,
  data: Float32Array.from(values),
});

describe('mosaic canvas', () => {
  it.each<[CombineMode, number[]]>([
    ['first', [1, 2, 5, NaN]],
    ['last', [1, 4, 5, NaN]],
    ['mean', [1, 3, 5, NaN]],
    ['sum', [1, 6, 5, NaN]],
    ['min', [1, 2, 5, NaN]],
    ['max', [1, 4, 5, NaN]],
  ])('should combine overlaps with %s', (mode, expected) => {
    const canvas = createCanvas(4, 1, mode);
    addTile(canvas, tile([1, 2]), { x: 0, y: 0 });
    addTile(canvas, tile([4, 5]), { x: 1, y: 0 });
    addTile(canvas, tile([NaN]), { x: 3, y: 0 }); // NaN never covers
    expect(Array.from(finishCanvas(canvas).data)).toEqual(expected);
  });

  it('should tell overlapping tiles from touching ones', () => {
    const sizes = [
      { width: 2, height: 2 },
      { width: 2, height: 2 },
    ];
    expect(
      tilesOverlap(sizes, [
        { x: 0, y: 0 },
        { x: 2, y: 0 },
      ]),
    ).toBe(false);
    expect(
      tilesOverlap(sizes, [
        { x: 0, y: 0 },
        { x: 0, y: 2 },
      ]),
    ).toBe(false);
    expect(
      tilesOverlap(sizes, [
        { x: 0, y: 0 },
        { x: 1, y: 1 },
      ]),
    ).toBe(true);
    expect(
      tilesOverlap(sizes, [
        { x: 1, y: 1 },
        { x: 0, y: 0 },
      ]),
    ).toBe(true);
  });

  it('should give the same means without counts when nothing overlaps', () => {
    const counted = createCanvas(5, 1, 'mean');
    const uncounted = createCanvas(5, 1, 'mean', false);
    expect(uncounted.counts).toBeUndefined();
    for (const canvas of [counted, uncounted]) {
      addTile(canvas, tile([1, NaN]), { x: 0, y: 0 });
      addTile(canvas, tile([3.5, 7]), { x: 3, y: 0 });
    }
    expect(Array.from(finishCanvas(uncounted).data)).toEqual(
      Array.from(finishCanvas(counted).data),
    );
  });
});

describe('mosaicImages', () => {
  const a = writeFits({ width: 2, height: 1, data: Float32Array.of(1, 2) });
  const b = writeFits({ width: 1, height: 1, data: Float32Array.of(9) });

  it('should keep linear values and NaN gaps in FITS output', async () => {
    const result = await mosaicImages([a, b], { format: 'fits', gap: 1 });
    expect(result).toMatchObject({ width: 5, height: 1, extension: 'fits' });
    expect(Array.from(readFits(result.buffer).data)).toEqual([1, 2, NaN, 9, NaN]);
  });

  it('should give the same output when consuming its inputs', async () => {
    const options = { format: 'fits' as const, gap: 1 };
    const kept = await mosaicImages([a, b], options);
    const copies = [Buffer.from(a), Buffer.from(b)];
    const consumed = await mosaicImages(copies, options, undefined, true);
    expect(consumed.buffer.equals(kept.buffer)).toBe(true);
    expect(copies.map((c) => c.length)).toEqual([0, 0]);
    expect(a.readFloatBE(2880)).toBe(1); // the caller's own buffers are untouched
  });

  it('should place offset tiles and combine them', async () => {
    const result = await mosaicImages([a, b], {
      format: 'fits',
      layout: 'offsets',
      tiles: [{ x: 0 }, { x: 1 }],
      combine: 'max',
    });
    expect(Array.from(readFits(result.buffer).data)).toEqual([1, 9]);
  });

  it('should stretch PNG output and paint the background where nothing covers', async () => {
    const result = await mosaicImages([a, b], {
      background: '#0000ff',
      stretch: 'linear',
      blackPoint: 0,
      whitePoint: 1,
      gap: 1,
    });
    const { data, info } = await sharp(result.buffer).raw().toBuffer({ resolveWithObject: true });
    expect(info).toMatchObject({ width: 5, height: 1, channels: 3 });
    expect(Array.from(data)).toEqual([0, 0, 0, 32, 32, 32, 0, 0, 255, 255, 255, 255, 0, 0, 255]);
  });

  it('should paint a colour background under a curved stretch', async () => {
    const result = await mosaicImages([a, b], { background: '#ff8000', stretch: 'sqrt', gap: 1 });
    const { data } = await sharp(result.buffer).raw().toBuffer({ resolveWithObject: true });
    expect(Array.from(data.subarray(6, 9))).toEqual([255, 128, 0]); // the gap
    expect(data[0]).toBe(data[1]); // tiles stay grey
    expect(data[3]).toBeGreaterThan(data[0]);
  });

  it('should refuse a canvas above the pixel limit', async () => {
    await expect(
      mosaicImages([a, b], { layout: 'offsets', tiles: [{}, { x: 1000 }], maxPixels: 500 }),
    ).rejects.toMatchObject({
      code: 'image_too_large',
    });
  });
});
