import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { decodePlanes } from '../decode/decode-planes';
import { probeImage } from '../decode/probe';
import { describeWithTool, hasAstropy, runPython } from '../testing/external-tools';
import { formatCard } from './fits-card';
import { gunzipFits } from './fits-gzip';
import { ImageDecodeError } from '../errors';
import { isGzip, readFitsHeader } from './fits-header';
import { writeFits } from './fits-writer';

const image = writeFits({
  width: 6,
  height: 4,
  data: Float32Array.from({ length: 24 }, (_, i) => i),
});

/** A FITS header (one block) declaring an image of the given axes, with no data. */
function headerOnly(width: number, height: number): Buffer {
  const cards = [
    formatCard('SIMPLE', true),
    formatCard('BITPIX', -32),
    formatCard('NAXIS', 2),
    formatCard('NAXIS1', width),
    formatCard('NAXIS2', height),
    'END'.padEnd(80),
  ];
  return Buffer.from(cards.join('').padEnd(2880), 'latin1');
}

describe('gunzipFits', () => {
  it('should inflate a gzip-compressed FITS file and decode it like the plain one', async () => {
    const gz = gzipSync(image);
    expect(isGzip(gz)).toBe(true);
    expect(isGzip(image)).toBe(false);
    const [plane] = await decodePlanes(gz);
    const [plain] = await decodePlanes(image);
    expect(plane).toEqual(plain);
    expect(await probeImage(gz)).toMatchObject({ format: 'fits', width: 6, height: 4 });
  });

  it('should stop inflating at the end of the image data (a gzip bomb after it costs nothing)', async () => {
    const bomb = gzipSync(Buffer.concat([image, Buffer.alloc(32 * 1024 * 1024)]));
    expect(bomb.length).toBeLessThan(256 * 1024);
    const { bytes, length } = await gunzipFits(bomb);
    expect(bytes.length).toBe(2880 + 24 * 4);
    expect(length).toBeLessThan(4 * 1024 * 1024);
  });

  it('should refuse a declared image over the pixel limit before inflating its data', async () => {
    const bomb = gzipSync(
      Buffer.concat([headerOnly(100000, 100000), Buffer.alloc(8 * 1024 * 1024)]),
    );
    await expect(gunzipFits(bomb, { maxPixels: 1e8 })).rejects.toMatchObject({
      code: 'image_too_large',
    });
  });

  it('should answer unsupported_image for truncated, corrupt or non-FITS gzip data', async () => {
    const gz = gzipSync(image);
    await expect(gunzipFits(gz.subarray(0, gz.length - 60))).rejects.toMatchObject({
      code: 'unsupported_image',
    });
    const corrupt = Buffer.from(gz);
    corrupt.fill(0xff, 20, 60);
    await expect(decodePlanes(corrupt)).rejects.toMatchObject({ code: 'unsupported_image' });
    await expect(probeImage(gzipSync(Buffer.from('hello world')))).rejects.toMatchObject({
      code: 'unsupported_image',
    });
  });

  it('should let header readers (readFitsHeader) read a gzip file’s headers synchronously', () => {
    const gz = gzipSync(Buffer.concat([image, Buffer.alloc(32 * 1024 * 1024)]));
    expect(readFitsHeader(gz)).toMatchObject({ width: 6, height: 4, bitpix: -32 });
    expect(() => readFitsHeader(gzipSync(Buffer.from('plain text')))).toThrow(ImageDecodeError);
  });

  it('should keep only the headers in probe and header modes', async () => {
    const gz = gzipSync(image);
    expect((await gunzipFits(gz, {}, 'probe')).bytes.length).toBe(2880);
    expect((await gunzipFits(gz, {}, 'header')).bytes.length).toBe(2880);
  });
});

describeWithTool(hasAstropy, 'astropy', 'gzip-compressed FITS (astropy)', () => {
  it('should read a .fits.gz written by astropy with the dimensions and values astropy reads', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'darkroom-gz-'));
    try {
      const file = join(dir, 'sky.fits.gz');
      const script = `
import sys, json, numpy as np
from astropy.io import fits
d = (np.arange(70 * 30, dtype=np.int32).reshape(30, 70) % 977 - 300).astype(np.int16)
fits.PrimaryHDU(d).writeto(sys.argv[1])
with fits.open(sys.argv[1]) as f:
    x = f[0].data
    print(json.dumps({"shape": list(x.shape), "sum": int(x.astype(np.int64).sum()), "last": int(x[-1, -1])}))`;
      const theirs = JSON.parse(runPython(script, [file])) as {
        shape: number[];
        sum: number;
        last: number;
      };
      const bytes = readFileSync(file);
      expect(isGzip(bytes)).toBe(true);
      const [plane] = await decodePlanes(bytes);
      expect([plane.height, plane.width]).toEqual(theirs.shape);
      expect(plane.data.reduce((a, b) => a + b, 0)).toBe(theirs.sum);
      expect(plane.data[plane.data.length - 1]).toBe(theirs.last);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
