import { readFits } from '../fits/fits-reader';
import { writeFits } from '../fits/fits-writer';
import { CelestialWcs, readWcs } from '../wcs/celestial-wcs';
import { wcsCards } from '../wcs/wcs-cards';
import { WcsTransform } from '../wcs/wcs-transform';
import { alignedComposite } from './composite-align';

const star = (ra: number, dec: number, ra0: number, dec0: number) =>
  Math.exp(-(((ra - ra0) * 3600) ** 2 + ((dec - dec0) * 3600) ** 2) / 8);
const skyAt = (ra: number, dec: number) =>
  10 + 1000 * (star(ra, dec, 150.002, 2.001) + star(ra, dec, 149.997, 1.998));

function channel(rotationDeg: number, crval: [number, number], level = 0, size = 40): Buffer {
  const r = (rotationDeg * Math.PI) / 180;
  const s = 0.5 / 3600;
  const wcs: CelestialWcs = {
    projection: 'TAN',
    crpix: [(size + 1) / 2, (size + 1) / 2],
    crval,
    cd: [-s * Math.cos(r), s * Math.sin(r), s * Math.sin(r), s * Math.cos(r)],
    lonpole: 180,
    latpole: 90,
    frame: 'icrs',
  };
  const t = new WcsTransform(wcs);
  const out = new Float64Array(2);
  const data = new Float32Array(size * size);
  for (let y = 0; y < size; y += 1)
    for (let x = 0; x < size; x += 1) {
      t.pixelToWorld(x, y, out);
      data[y * size + x] = skyAt(out[0], out[1]) + level + (((x * 7919 + y * 104729) % 7) - 3);
    }
  return writeFits({ width: size, height: size, data }, { cards: wcsCards(wcs) });
}

function correlation(a: Float32Array, b: Float32Array): number {
  const pairs: Array<[number, number]> = [];
  a.forEach((v, i) => {
    if (Number.isFinite(v) && Number.isFinite(b[i]) && (v > 0 || b[i] > 0)) pairs.push([v, b[i]]);
  });
  const mean = (k: 0 | 1) => pairs.reduce((s, p) => s + p[k], 0) / pairs.length;
  const [ma, mb] = [mean(0), mean(1)];
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (const [x, y] of pairs) {
    sab += (x - ma) * (y - mb);
    saa += (x - ma) ** 2;
    sbb += (y - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

describe('alignedComposite', () => {
  const linear = { stretch: 'linear' as const, blackPoint: 0, whitePoint: 1 };
  const channels = [
    { color: '#ff0000', ...linear },
    { color: '#00ff00', ...linear },
  ];
  const inputs = () => [channel(0, [150, 2]), channel(35, [150.001, 2.0005], 40, 64)];

  it('should reproject channels onto the first grid and carry its WCS into FITS output', async () => {
    const out = await alignedComposite(inputs(), { channels, format: 'fits' });
    const cube = readFits(out.buffer);
    const n = 40 * 40;
    const [r, g] = [cube.data.subarray(0, n), Float32Array.from(readCube(out.buffer, 1, n))];
    expect(correlation(r, g)).toBeGreaterThan(0.97);
    expect(readWcs(cube.cards)?.crval).toEqual([150, 2]);
    const unaligned = await alignedComposite(inputs(), {
      channels,
      format: 'fits',
      align: 'pixel',
    });
    expect(correlation(r, readCube(unaligned.buffer, 1, n))).toBeLessThan(0.7);
  });

  it('should reproject straight onto the downscaled grid when scale < 1', async () => {
    const out = await alignedComposite(inputs(), { channels, format: 'fits', scale: 0.5 });
    const cube = readFits(out.buffer);
    expect([cube.width, cube.height]).toEqual([20, 20]);
    const n = 20 * 20;
    expect(correlation(cube.data.subarray(0, n), readCube(out.buffer, 1, n))).toBeGreaterThan(0.9);
    // The output WCS is the first grid's scaled to 20², the same sky at half the pixels.
    expect(readWcs(cube.cards)?.cd[3]).toBeCloseTo((2 * 0.5) / 3600, 12);
  });

  it('should take each channel down to its sky level with backgroundNeutralize', async () => {
    const zeros = async (backgroundNeutralize: boolean) => {
      const out = await alignedComposite(inputs(), {
        channels: channels.map((c) => ({ ...c, blackPoint: 0.001, whitePoint: 0.999 })),
        format: 'fits',
        backgroundNeutralize,
      });
      const n = 40 * 40;
      return [0, 1].map((k) => readCube(out.buffer, k, n).filter((v) => v === 0).length / n);
    };
    // The noisy sky sits at black in both channels once its level is taken off…
    for (const share of await zeros(true)) expect(share).toBeGreaterThan(0.3);
    // …while the 0.1 % black point alone leaves almost all of it above black.
    for (const share of await zeros(false)) expect(share).toBeLessThan(0.05);
  });
});

function readCube(buffer: Buffer, plane: number, n: number): Float32Array {
  const data = readFitsAll(buffer);
  return data.subarray(plane * n, (plane + 1) * n);
}

/** All planes of a float32 cube (readFits decodes the first plane only). */
function readFitsAll(buffer: Buffer): Float32Array {
  const header = readFits(buffer);
  const start =
    buffer.length - Math.ceil((header.width * header.height * header.depth * 4) / 2880) * 2880;
  const bytes = Buffer.from(
    buffer.subarray(start, start + header.width * header.height * header.depth * 4),
  );
  return new Float32Array(bytes.swap32().buffer, bytes.byteOffset, bytes.length / 4);
}
