import sharp from 'sharp';
import { readFits } from '../fits/fits-reader';
import { writeFits } from '../fits/fits-writer';
import { parseHexColor } from './color';
import {
  RgbAccumulator,
  addChannel,
  clampPlanes,
  compositeImages,
  interleaveSums,
  paintChannel,
} from './composite';
import { interleaveFlipped } from '../encode/encode-image';
import { resampleBilinear } from './resample';

const fits = (width: number, height: number, values: number[]) =>
  writeFits({ width, height, data: Float32Array.from(values) });
const linear = { stretch: 'linear' as const, blackPoint: 0, whitePoint: 1 };

describe('compositeImages', () => {
  // 2×2, row 0 (bottom) = [0, 1], row 1 (top) = [2, 3]
  const a = fits(2, 2, [0, 1, 2, 3]);
  const b = fits(2, 2, [3, 2, 1, 0]);

  it('should colour, add and flip channels into a PNG', async () => {
    const result = await compositeImages([a, b], {
      channels: [
        { color: '#ff0000', ...linear },
        { color: '#00ff00', ...linear },
      ],
    });
    expect(result).toMatchObject({
      contentType: 'image/png',
      extension: 'png',
      width: 2,
      height: 2,
    });
    const { data, info } = await sharp(result.buffer).raw().toBuffer({ resolveWithObject: true });
    expect(info.channels).toBe(3);
    // PNG top-left is FITS (x=0, row 1): a = 2/3, b = 1/3.
    expect(Array.from(data.subarray(0, 3))).toEqual([170, 85, 0]);
    expect(Array.from(data.subarray(9, 12))).toEqual([85, 170, 0]);
  });

  it('should apply weights, clip sums to [0, 1] and write an unflipped FITS cube', async () => {
    const result = await compositeImages([a, a], {
      format: 'fits',
      channels: [
        { color: '#ffffff', ...linear, weight: 2 },
        { color: '#800000', ...linear },
      ],
    });
    const cube = readFits(result.buffer);
    expect(cube).toMatchObject({ width: 2, height: 2, depth: 3 });
    expect(result).toMatchObject({ contentType: 'application/fits', extension: 'fits' });
    const round = (v: number) => Number(v.toFixed(3));
    expect(Array.from(cube.data.subarray(0, 4), round)).toEqual([
      0,
      round(2 / 3 + 128 / 255 / 3),
      1,
      1,
    ]);
    // readFits decodes plane 1 only; read the green plane (2) straight from the data unit.
    const green = [0, 1, 2, 3].map((i) => round(result.buffer.readFloatBE(2880 + 16 + i * 4)));
    expect(green).toEqual([0, 0.667, 1, 1]);
  });

  it('should resample channels of other sizes to the first grid', async () => {
    const small = fits(1, 1, [5]);
    const result = await compositeImages([a, small], {
      format: 'fits',
      channels: [
        { color: '#000000', ...linear },
        { color: '#00ff00', stretch: 'linear' },
      ],
    });
    expect(result).toMatchObject({ width: 2, height: 2 });
  });

  it('should write 16-bit PNG, JPEG and resized outputs', async () => {
    const channels = [{ color: '#ffffff', ...linear }];
    const png16 = await compositeImages([a], { channels, bitDepth: 16 });
    expect((await sharp(png16.buffer).metadata()).depth).toBe('ushort');
    const jpeg = await compositeImages([a], { channels, format: 'jpeg', quality: 50 });
    expect(jpeg.contentType).toBe('image/jpeg');
    const big = await compositeImages([a], { channels, width: 8 });
    expect(await sharp(big.buffer).metadata()).toMatchObject({ width: 8, height: 8 });
  });

  it('should report progress and reject mismatched channels', async () => {
    const stages: string[] = [];
    await compositeImages([a], { channels: [{ color: '#ffffff' }] }, (stage) => stages.push(stage));
    expect(stages).toEqual(['decode', 'stretch', 'encode', 'encode']);
    await expect(
      compositeImages([a, b], { channels: [{ color: '#ffffff' }] }),
    ).rejects.toMatchObject({ code: 'invalid_options' });
  });
});

describe('interleaveSums (row-wise sums straight into samples)', () => {
  /** Deterministic noisy plane with NaNs and out-of-range values. */
  const noisy = (width: number, height: number, seed: number) => {
    let st = seed;
    const rnd = () => (st = (st * 1664525 + 1013904223) >>> 0) / 2 ** 32;
    const data = new Float32Array(width * height);
    for (let i = 0; i < data.length; i += 1) data[i] = rnd() < 0.02 ? NaN : rnd() * 3 - 0.5;
    return { width, height, data };
  };
  const channels = [
    { color: '#ff8000', weight: 1.7, stretch: 'asinh' as const },
    { color: '#33ccff', stretch: 'sqrt' as const, gamma: 1.4 },
    { color: '#ffffff', weight: 0.6, stretch: 'linear' as const, blackPoint: 0.1 },
    { color: '#80ff10', weight: 2, stretch: 'log' as const },
  ];

  it.each([false, true])(
    'should equal addChannel + clampPlanes + interleaveFlipped bit for bit (16-bit: %s)',
    (sixteen) => {
      const [w, h] = [37, 23];
      const planes = [noisy(w, h, 1), noisy(w, h, 2), noisy(19, 11, 3), noisy(w, h, 4)];
      let acc: RgbAccumulator | undefined;
      planes.forEach((p, i) => {
        acc = addChannel(acc, { ...p, data: p.data.slice() }, channels[i]);
      });
      const sums = acc as RgbAccumulator;
      clampPlanes(sums.planes);
      const expected = interleaveFlipped(sums, sixteen);
      const painted = planes.map((p, i) => paintChannel(p, channels[i], w, h));
      expect(interleaveSums(painted, w, h, sixteen)).toEqual(expected);
    },
  );

  it('should give the same PNG with or without consuming the inputs', async () => {
    const inputs = [1, 2, 3].map((seed) => writeFits(noisy(64, 48, seed)));
    const options = { channels: channels.slice(0, 3) };
    const kept = await compositeImages(inputs, options);
    const copies = inputs.map((b) => Buffer.from(b));
    const consumed = await compositeImages(copies, options, undefined, true);
    expect(consumed.buffer.equals(kept.buffer)).toBe(true);
    expect(copies.every((b) => b.length === 0)).toBe(true);
    // The same buffer twice (a worker gets one ArrayBuffer for both): never decoded in place.
    const twice = Buffer.from(inputs[0]);
    const repeated = { channels: [channels[0], channels[1]] };
    const shared = await compositeImages([twice, twice], repeated, undefined, true);
    const separate = await compositeImages([inputs[0], inputs[0]], repeated);
    expect(shared.buffer.equals(separate.buffer)).toBe(true);
    // Four channels without consume take the float-sums path: same pixels as the row-wise path.
    const four = [...inputs, writeFits(noisy(64, 48, 4))];
    const sumsPath = await compositeImages(four, { channels });
    const rowPath = await compositeImages(
      four.map((b) => Buffer.from(b)),
      { channels },
      undefined,
      true,
    );
    const pixels = async (b: Buffer) => (await sharp(b).raw().toBuffer()).toString('hex');
    expect(await pixels(rowPath.buffer)).toBe(await pixels(sumsPath.buffer));
  });
});

describe('parseHexColor', () => {
  it('should parse #rrggbb and reject other forms', () => {
    expect(parseHexColor('#FF8000')).toEqual([1, 128 / 255, 0]);
    expect(() => parseHexColor('red')).toThrow(
      expect.objectContaining({ code: 'invalid_options' }),
    );
  });
});

describe('resampleBilinear', () => {
  it('should interpolate between pixel centres and keep edges', () => {
    const up = resampleBilinear({ width: 2, height: 1, data: Float32Array.of(0, 4) }, 4, 1);
    expect(Array.from(up.data)).toEqual([0, 1, 3, 4]);
    const down = resampleBilinear({ width: 4, height: 1, data: Float32Array.of(0, 2, 4, 6) }, 2, 1);
    expect(Array.from(down.data)).toEqual([1, 5]);
  });
});
