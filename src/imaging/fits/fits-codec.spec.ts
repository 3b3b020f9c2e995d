import { ImageDecodeError } from '../errors';
import { FITS_BLOCK, formatCard, parseCard } from './fits-card';
import { Bitpix, readFitsHeader } from './fits-header';
import { readFits } from './fits-reader';
import { writeFits } from './fits-writer';

function ramp(width: number, height: number, fn = (i: number) => i): Float32Array {
  return Float32Array.from({ length: width * height }, (_, i) => fn(i));
}

describe('FITS codec', () => {
  describe('readFits in place', () => {
    it('should decode float32 into the input memory, same values as a copying decode', () => {
      const data = ramp(5, 3, (i) => (i === 4 ? NaN : Math.fround(i * 0.37 - 2)));
      const buffer = writeFits({ width: 5, height: 3, data }, { bscale: 2 });
      const copied = readFits(buffer);
      const inPlace = readFits(buffer, { inPlace: true });
      expect(inPlace.data.buffer).toBe(buffer.buffer);
      expect(Array.from(inPlace.data)).toEqual(Array.from(copied.data));
    });

    it('should copy when the data is not float32 or not aligned', () => {
      const ints = writeFits({ width: 2, height: 2, data: ramp(2, 2) }, { bitpix: 16 });
      expect(Array.from(readFits(ints, { inPlace: true }).data)).toEqual([0, 1, 2, 3]);
      const floats = writeFits({ width: 2, height: 2, data: ramp(2, 2) });
      const odd = new Uint8Array(floats.length + 1).subarray(1);
      odd.set(floats);
      expect(Array.from(readFits(odd, { inPlace: true }).data)).toEqual([0, 1, 2, 3]);
    });
  });

  describe('writeFits → readFits', () => {
    const cases: Array<[Bitpix, (i: number) => number]> = [
      [8, (i) => i % 200],
      [16, (i) => i * 7 - 300],
      [32, (i) => i * 100003 - 5e6],
      [64, (i) => i * 1000 - 70000],
      [-32, (i) => Math.fround(i * 0.37 - 12.5)],
      [-64, (i) => Math.fround(i / 3)],
    ];
    it.each(cases)('should round trip BITPIX %i exactly', (bitpix, fn) => {
      const data = ramp(7, 5, fn);
      const bytes = writeFits({ width: 7, height: 5, data }, { bitpix });
      const image = readFits(bytes);
      expect(bytes.length % FITS_BLOCK).toBe(0);
      expect(image).toMatchObject({ width: 7, height: 5, depth: 1, bitpix });
      expect(Array.from(image.data)).toEqual(Array.from(data));
    });

    it.each([8, 16, 32, 64] as Bitpix[])(
      'should map NaN to BLANK and back for BITPIX %i',
      (bitpix) => {
        const data = Float32Array.from([1, NaN, 3, 4]);
        const image = readFits(writeFits({ width: 2, height: 2, data }, { bitpix }));
        expect(Array.from(image.data)).toEqual([1, NaN, 3, 4]);
      },
    );

    it('should keep NaN in float images', () => {
      const data = Float32Array.from([NaN, 2, 3, Infinity]);
      expect(Array.from(readFits(writeFits({ width: 2, height: 2, data })).data)).toEqual([
        NaN,
        2,
        3,
        Infinity,
      ]);
    });

    it('should apply BZERO=32768 for unsigned 16-bit data', () => {
      const data = Float32Array.from([0, 1, 32768, 65535]);
      const bytes = writeFits({ width: 4, height: 1, data }, { bitpix: 16, bzero: 32768 });
      expect(bytes.readInt16BE(FITS_BLOCK)).toBe(-32768);
      expect(Array.from(readFits(bytes).data)).toEqual([0, 1, 32768, 65535]);
    });

    it('should apply BSCALE to integer data', () => {
      const data = Float32Array.from([0.5, 1, 1.5, -2]);
      const image = readFits(writeFits({ width: 2, height: 2, data }, { bitpix: 16, bscale: 0.5 }));
      expect(Array.from(image.data)).toEqual([0.5, 1, 1.5, -2]);
    });

    it('should read only the first plane of a cube and report its depth', () => {
      const data = ramp(3, 2 * 4);
      const image = readFits(writeFits({ width: 3, height: 2, depth: 4, data }));
      expect(image).toMatchObject({ width: 3, height: 2, depth: 4 });
      expect(Array.from(image.data)).toEqual([0, 1, 2, 3, 4, 5]);
    });

    it('should carry extra cards and skip structural ones', () => {
      const bytes = writeFits(
        { width: 1, height: 1, data: Float32Array.of(1) },
        {
          cards: [
            { keyword: 'OBJECT', value: "M31 'core'" },
            { keyword: 'NAXIS', value: 9 },
          ],
        },
      );
      const image = readFits(bytes);
      expect(image.cards.find((c) => c.keyword === 'OBJECT')?.value).toBe("M31 'core'");
      expect(image.cards.filter((c) => c.keyword === 'NAXIS')).toHaveLength(1);
    });
  });

  describe('readFits', () => {
    it('should skip an empty primary HDU and read the first IMAGE extension', () => {
      const bytes = withExtension(writeFits({ width: 2, height: 1, data: Float32Array.of(5, 6) }));
      expect(Array.from(readFits(bytes).data)).toEqual([5, 6]);
      expect(readFitsHeader(bytes)).toMatchObject({ width: 2, height: 1, bitpix: -32 });
    });

    it.each([
      ['empty input', Buffer.alloc(0)],
      ['a PNG', Buffer.from('89504e470d0a1a0a', 'hex')],
      ['a header without END', Buffer.from(formatCard('SIMPLE', true).repeat(36))],
      [
        'truncated data',
        writeFits({ width: 64, height: 64, data: new Float32Array(4096) }).subarray(0, 5000),
      ],
      ['a 1-D image', header(['BITPIX', 8], ['NAXIS', 1], ['NAXIS1', 4])],
      ['a bad BITPIX', header(['BITPIX', 12], ['NAXIS', 2], ['NAXIS1', 1], ['NAXIS2', 1])],
      ['a negative axis', header(['BITPIX', 8], ['NAXIS', 2], ['NAXIS1', -1], ['NAXIS2', 1])],
      ['huge axes', header(['BITPIX', 8], ['NAXIS', 2], ['NAXIS1', 1e9], ['NAXIS2', 1e9])],
      ['no image at all', header(['BITPIX', 8], ['NAXIS', 0])],
    ])('should throw ImageDecodeError on %s', (_name, bytes) => {
      expect(() => readFits(bytes)).toThrow(ImageDecodeError);
      expect(() => readFitsHeader(bytes)).toThrow(
        expect.objectContaining({ code: 'unsupported_image' }),
      );
    });
  });

  describe('parseCard', () => {
    it('should parse strings, logicals, D exponents and comments', () => {
      expect(parseCard(formatCard('A', "it's", 'note'))).toMatchObject({
        value: "it's",
        comment: 'note',
      });
      expect(parseCard(formatCard('B', false)).value).toBe(false);
      expect(parseCard('C       =              1.5D+02 / x'.padEnd(80)).value).toBe(150);
      expect(parseCard('HISTORY did things'.padEnd(80))).toMatchObject({
        keyword: 'HISTORY',
        value: null,
      });
    });
  });
});

function header(...cards: Array<[string, number]>): Buffer {
  const text = [formatCard('SIMPLE', true), ...cards.map(([k, v]) => formatCard(k, v)), 'END']
    .map((c) => c.padEnd(80))
    .join('');
  return Buffer.concat([Buffer.from(text.padEnd(FITS_BLOCK)), Buffer.alloc(FITS_BLOCK)]);
}

/** Wraps an image file as the first extension behind an empty primary HDU. */
function withExtension(image: Buffer): Buffer {
  const primary = [
    formatCard('SIMPLE', true),
    formatCard('BITPIX', 8),
    formatCard('NAXIS', 0),
    formatCard('EXTEND', true),
    'END',
  ];
  const ext = Buffer.from(image);
  ext.write(formatCard('XTENSION', 'IMAGE'), 0, 'latin1');
  const cards = ext
    .subarray(0, FITS_BLOCK)
    .toString('latin1')
    .replace(
      /END {77}/,
      `${formatCard('PCOUNT', 0)}${formatCard('GCOUNT', 1)}END${' '.repeat(77)}`,
    );
  ext.write(cards.slice(0, FITS_BLOCK), 0, 'latin1');
  return Buffer.concat([
    Buffer.from(
      primary
        .map((c) => c.padEnd(80))
        .join('')
        .padEnd(FITS_BLOCK),
    ),
    ext,
  ]);
}
