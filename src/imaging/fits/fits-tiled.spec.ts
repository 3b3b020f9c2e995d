import { ImageDecodeError } from '../errors';
import { plioDecode } from './plio';
import { ditherRandoms, unquantize } from './quantize';
import { riceDecode } from './rice';

describe('riceDecode', () => {
  it('should repeat the first value for a low-entropy block (fs code 0)', () => {
    // First value 5 as 4 bytes, then fs+1 = 0 in 5 bits: every difference is 0.
    const bytes = Uint8Array.of(0, 0, 0, 5, 0b00000000);
    expect(Array.from(riceDecode(bytes, 4, 32, 4))).toEqual([5, 5, 5, 5]);
  });

  it('should throw unsupported_image on a truncated tile', () => {
    const bytes = Uint8Array.of(0, 0, 0, 5, 0b11111000);
    expect(() => riceDecode(bytes, 64, 32, 4)).toThrow(ImageDecodeError);
  });

  it('should refuse an unknown BYTEPIX', () => {
    expect(() => riceDecode(Uint8Array.of(1, 2, 3), 1, 32, 3)).toThrow(/BYTEPIX 3/);
  });
});

describe('plioDecode', () => {
  it('should expand runs and single pixels of a new-format line list', () => {
    // Header (7 words, version -100, length 12), then: set pv 3 (opcode 1 + high word),
    // 2 pixels of pv (opcode 4), 1 zero (opcode 0), pv += 2 and store (opcode 6).
    const words = [0, 7, -100, 12, 0, 0, 0, 0x1003, 0, 0x4002, 0x0001, 0x6002];
    const bytes = new Uint8Array(words.length * 2);
    const view = new DataView(bytes.buffer);
    words.forEach((w, i) => view.setInt16(i * 2, w));
    expect(Array.from(plioDecode(bytes, 6))).toEqual([3, 3, 0, 5, 0, 0]);
  });
});

describe('ditherRandoms', () => {
  it('should be the Park–Miller sequence stored as floats', () => {
    const r = ditherRandoms();
    expect(r).toHaveLength(10000);
    expect(r[0]).toBe(Math.fround(16807 / 2147483647));
    expect(r.every((v) => v > 0 && v < 1)).toBe(true);
  });
});

describe('unquantize', () => {
  const scaling = { scale: 0.5, zero: 10, blank: -2147483647 };

  it('should scale without dither and map the null marker to NaN', () => {
    const raw = Int32Array.of(0, 4, -2147483647);
    const out = unquantize(raw, scaling, { method: 'NO_DITHER', seed: 1 }, 0);
    expect(Array.from(out)).toEqual([10, 12, NaN]);
  });

  it('should subtract the tile’s random offsets and keep exact zeros with dither 2', () => {
    const raw = Int32Array.of(4, -2147483646);
    const r = ditherRandoms();
    const start = Math.trunc(Math.fround(r[2] * 500)); // tile 2, seed 1 → iseed 2
    const out = unquantize(raw, scaling, { method: 'SUBTRACTIVE_DITHER_2', seed: 1 }, 2);
    expect(out[0]).toBe((4 - r[start] + 0.5) * 0.5 + 10);
    expect(out[1]).toBe(0);
  });

  it('should refuse an unknown method', () => {
    expect(() => unquantize(Int32Array.of(1), scaling, { method: 'X', seed: 1 }, 0)).toThrow(
      ImageDecodeError,
    );
  });
});
