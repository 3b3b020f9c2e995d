import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import sharp from 'sharp';
import { encodeTiff } from '../../src/imaging/testing/tiff';

const CARD = 80;
const BLOCK = 2880;

/** A FITS header of `cards` (80-column, padded to a block), with or without END. */
export function fitsHeader(cards: string[], end = true): Buffer {
  const text = [...cards, ...(end ? ['END'] : [])].map((c) => c.padEnd(CARD)).join('');
  return Buffer.from(text.padEnd(Math.ceil(text.length / BLOCK) * BLOCK), 'latin1');
}

const imageCards = (bitpix: number, w: number, h: number): string[] => [
  'SIMPLE  =                    T',
  `BITPIX  = ${String(bitpix).padStart(20)}`,
  'NAXIS   =                    2',
  `NAXIS1  = ${String(w).padStart(20)}`,
  `NAXIS2  = ${String(h).padStart(20)}`,
];

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), 8 + data.length);
  return out;
}

/** A valid PNG signature and IHDR declaring `w`×`h` grey pixels, with one tiny IDAT. */
function lyingPng(w: number, h: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', gzipSync(Buffer.alloc(64)).subarray(10)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A little-endian TIFF whose tags declare `w`×`h` but whose strip holds one pixel. */
function lyingTiff(w: number, h: number): Buffer {
  const tiff = encodeTiff(1, 1, new Uint16Array([7]));
  tiff.writeUInt32LE(w, 10 + 8); // ImageWidth
  tiff.writeUInt32LE(h, 22 + 8); // ImageLength
  return tiff;
}

/** Hostile but small inputs: each must be refused with a 4xx or fail its job cleanly. */
export async function hostileImages(): Promise<Record<string, Buffer>> {
  const header = fitsHeader(imageCards(-32, 64, 64));
  return {
    'empty file': Buffer.alloc(0),
    'random bytes': randomBytes(4096),
    'FITS lying about its size': Buffer.concat([
      fitsHeader(imageCards(-32, 40000, 40000)),
      Buffer.alloc(BLOCK),
    ]),
    'FITS with a truncated header': header.subarray(0, 1000),
    'FITS without END': fitsHeader(imageCards(16, 8, 8), false),
    'FITS with a bad BITPIX': Buffer.concat([
      fitsHeader(imageCards(12, 8, 8)),
      Buffer.alloc(BLOCK),
    ]),
    'FITS with NAXIS 999': Buffer.concat([
      fitsHeader([
        'SIMPLE  =                    T',
        'BITPIX  =                    8',
        'NAXIS   =                  999',
      ]),
      Buffer.alloc(BLOCK),
    ]),
    'FITS with a truncated data unit': Buffer.concat([header, Buffer.alloc(100)]),
    'gzip FITS bomb (declares 30000²)': gzipSync(
      Buffer.concat([fitsHeader(imageCards(-32, 30000, 30000)), Buffer.alloc(64 * 1024 * 1024)]),
      { level: 9 },
    ),
    'PNG declaring 50000²': lyingPng(50000, 50000),
    'TIFF declaring 50000²': lyingTiff(50000, 50000),
    'JPEG header only': Buffer.from([
      0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00,
    ]),
    'PNG bomb (8000² zeros)': await sharp(Buffer.alloc(8000 * 8000), {
      raw: { width: 8000, height: 8000, channels: 1 },
    })
      .png({ compressionLevel: 9 })
      .toBuffer(),
  };
}
