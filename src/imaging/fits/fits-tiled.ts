import { unzipSync } from 'node:zlib';
import { ImageDecodeError } from '../errors';
import { FitsCard, findCard, numberCard } from './fits-card';
import { FitsHdu } from './fits-header';
import { hcompressDecode } from './hcompress';
import { plioDecode } from './plio';
import { Dither, unquantize } from './quantize';
import { riceDecode } from './rice';
import {
  BinaryTable,
  TableColumn,
  heapBytes,
  readBinaryTable,
  scalarCell,
  tableColumn,
} from './fits-table';

/** Raw tile values: integers (before BZERO/BSCALE or quantisation) or IEEE floats. */
type TileValues = Int32Array | Float32Array | Float64Array | BigInt64Array;

/** What every tile of one compressed HDU shares. */
interface TiledImage {
  buffer: Uint8Array;
  table: BinaryTable;
  cards: readonly FitsCard[];
  zbitpix: number;
  axes: number[];
  tile: number[];
  method: string;
  blockSize: number;
  bytepix: number;
  /** HCOMPRESS_1: smooth while inverting the H-transform (ZNAME 'SMOOTH'). */
  smooth: boolean;
  dither: Dither;
  columns: Record<'data' | 'gzip' | 'raw' | 'scale' | 'zero' | 'blank', TableColumn | undefined>;
}

/** BZERO/BSCALE and the null marker of an integer image (NaN: none). */
export interface IntegerScaling {
  bzero: number;
  bscale: number;
  blank: number;
}

const METHODS = ['RICE_1', 'RICE_ONE', 'GZIP_1', 'GZIP_2', 'PLIO_1', 'HCOMPRESS_1', 'NOCOMPRESS'];

/** A compression parameter's value (`ZNAMEn`/`ZVALn`: BLOCKSIZE, BYTEPIX, SMOOTH…), if given. */
function zValue(cards: readonly FitsCard[], name: string): FitsCard['value'] | undefined {
  for (let i = 1; i < 100; i += 1) {
    const key = findCard(cards, `ZNAME${i}`)?.value;
    if (key === undefined) return undefined;
    if (String(key).trim().toUpperCase() === name) return findCard(cards, `ZVAL${i}`)?.value;
  }
  return undefined;
}

function zParameter(cards: readonly FitsCard[], name: string, fallback: number): number {
  const value = zValue(cards, name);
  return typeof value === 'number' ? value : fallback;
}

/** HCOMPRESS_1's SMOOTH option: astropy writes it as a logical (`T`), cfitsio as an integer. */
function smoothOption(cards: readonly FitsCard[]): boolean {
  const value = zValue(cards, 'SMOOTH');
  return value === true || (typeof value === 'number' && value !== 0);
}

function openTiled(buffer: Uint8Array, hdu: FitsHdu): TiledImage {
  const { cards } = hdu;
  const table = readBinaryTable(hdu);
  const zbitpix = numberCard(cards, 'ZBITPIX', NaN);
  const naxis = numberCard(cards, 'ZNAXIS', 0);
  const axes = Array.from({ length: naxis }, (_, i) => numberCard(cards, `ZNAXIS${i + 1}`, 0));
  const tile = axes.map((n, i) => numberCard(cards, `ZTILE${i + 1}`, i === 0 ? n : 1));
  const method = String(findCard(cards, 'ZCMPTYPE')?.value ?? '').toUpperCase();
  if (!METHODS.includes(method)) throw new ImageDecodeError(`unknown compression '${method}'`);
  const defaultBytepix = zbitpix === 8 ? 1 : zbitpix === 16 ? 2 : 4;
  const column = (name: string) => tableColumn(table, name);
  return {
    buffer,
    table,
    cards,
    zbitpix,
    axes,
    tile,
    method,
    blockSize: zParameter(cards, 'BLOCKSIZE', 32),
    bytepix: zParameter(cards, 'BYTEPIX', method.startsWith('RICE') ? 4 : defaultBytepix),
    smooth: smoothOption(cards),
    dither: {
      method: String(findCard(cards, 'ZQUANTIZ')?.value ?? 'NO_DITHER').toUpperCase(),
      seed: numberCard(cards, 'ZDITHER0', 1),
    },
    columns: {
      data: column('COMPRESSED_DATA'),
      gzip: column('GZIP_COMPRESSED_DATA'),
      raw: column('UNCOMPRESSED_DATA'),
      scale: column('ZSCALE'),
      zero: column('ZZERO'),
      blank: column('ZBLANK'),
    },
  };
}

/**
 * Decodes the first plane of a tile-compressed image HDU (FITS tiled-image convention) to
 * physical float32 values the way cfitsio (and so astropy) does: each tile row of the table is
 * decompressed (RICE_1, GZIP_1, GZIP_2, PLIO_1, HCOMPRESS_1, or stored raw), quantised floats are restored
 * with their tile's ZSCALE/ZZERO and the subtractive dither, integers get BZERO/BSCALE (their
 * ZBLANK or BLANK marker → NaN), and the tile is copied into place.
 */
export function readTiledPlane(
  buffer: Uint8Array,
  hdu: FitsHdu,
  scaling: IntegerScaling,
): { width: number; height: number; data: Float32Array } {
  const image = openTiled(buffer, hdu);
  const [width, height] = image.axes;
  if (!(width > 0 && height > 0)) throw new ImageDecodeError('compressed image has no pixels');
  const data = new Float32Array(width * height);
  const counts = image.axes.map((n, i) => Math.ceil(n / image.tile[i]));
  const depth = image.axes.slice(2).reduce((a, n, i) => a * Math.min(n, image.tile[i + 2]), 1);
  const [tw, th] = image.tile;
  for (let ty = 0; ty < counts[1]; ty += 1) {
    for (let tx = 0; tx < counts[0]; tx += 1) {
      const row = ty * counts[0] + tx; // tiles of plane 1 come first (axis 1 fastest)
      const w = Math.min(tw, width - tx * tw);
      const h = Math.min(th, height - ty * th);
      const values = tileValues(image, row, w * h * depth);
      const tile = { x0: tx * tw, y0: ty * th, w, h };
      if (image.zbitpix > 0) place(data, width, tile, values, integerScale(image, row, scaling));
      else place(data, width, tile, values, (v) => v);
    }
  }
  return { width, height, data };
}

/** Integer samples to physical values; the ZBLANK column or keyword wins over BLANK. */
function integerScale(image: TiledImage, row: number, s: IntegerScaling): (v: number) => number {
  const { blank: column } = image.columns;
  const zblank = column
    ? scalarCell(image.buffer, image.table, column, row)
    : numberCard(image.cards, 'ZBLANK', NaN);
  const blank = Number.isNaN(zblank) ? s.blank : zblank;
  return (v) => (v === blank ? NaN : s.bzero + s.bscale * v);
}

/** Copies the first w × h values of a tile to (x0, y0) of the plane, mapped by `f`. */
function place(
  data: Float32Array,
  width: number,
  tile: { x0: number; y0: number; w: number; h: number },
  values: ArrayLike<number>,
  f: (v: number) => number,
): void {
  const { x0, y0, w, h } = tile;
  for (let y = 0; y < h; y += 1) {
    const to = (y0 + y) * width + x0;
    for (let x = 0; x < w; x += 1) data[to + x] = f(values[y * w + x]);
  }
}

/** One tile's values as numbers: physical for float images, raw integers otherwise. */
function tileValues(image: TiledImage, row: number, count: number): ArrayLike<number> {
  const { buffer, table, columns } = image;
  const cell = (c: TableColumn | undefined) =>
    c?.descriptor ? heapBytes(buffer, table, c, row) : new Uint8Array(0);
  const compressed = cell(columns.data);
  if (compressed.length > 0) {
    const raw = decompress(image, compressed, count);
    return image.zbitpix < 0 && quantised(image) ? restore(image, row, raw) : numbers(raw);
  }
  const gzip = cell(columns.gzip);
  if (gzip.length > 0) return numbers(bigEndian(inflate(gzip, count * 8), image.zbitpix, count));
  const stored = cell(columns.raw);
  if (stored.length > 0) return numbers(bigEndian(stored, image.zbitpix, count));
  return new Float32Array(count).fill(NaN); // a tile with no data at all: undefined pixels
}

function quantised(image: TiledImage): boolean {
  return image.columns.scale !== undefined || findCard(image.cards, 'ZSCALE') !== undefined;
}

/** Quantised floats back to physical values with the tile's scale, zero and null marker. */
function restore(image: TiledImage, row: number, raw: TileValues): Float64Array {
  const perTile = (c: TableColumn | undefined, keyword: string, fallback: number) =>
    c ? scalarCell(image.buffer, image.table, c, row) : numberCard(image.cards, keyword, fallback);
  const scale = perTile(image.columns.scale, 'ZSCALE', 1);
  const zero = perTile(image.columns.zero, 'ZZERO', 0);
  const blank = perTile(image.columns.blank, 'ZBLANK', NaN);
  return unquantize(raw as Int32Array, { scale, zero, blank }, image.dither, row);
}

function numbers(raw: TileValues): ArrayLike<number> {
  return raw instanceof BigInt64Array ? Float64Array.from(raw, Number) : raw;
}

/** The integers (or unquantised floats) of one tile from its compressed bytes. */
function decompress(image: TiledImage, bytes: Uint8Array, count: number): TileValues {
  const floats = image.zbitpix < 0 && !quantised(image);
  const size = floats ? Math.abs(image.zbitpix) / 8 : image.zbitpix < 0 ? 4 : image.zbitpix / 8;
  switch (image.method) {
    case 'RICE_1':
    case 'RICE_ONE':
      return riceDecode(bytes, count, image.blockSize, image.bytepix);
    case 'PLIO_1':
      return plioDecode(bytes, count);
    case 'HCOMPRESS_1':
      // cfitsio decodes 8- and 16-bit images with 32-bit sums, the others with 64-bit ones.
      return hcompressDecode(
        bytes,
        count,
        image.smooth,
        image.zbitpix !== 8 && image.zbitpix !== 16,
      );
    case 'GZIP_1':
      return bigEndian(inflate(bytes, count * size), typeOf(image, floats), count);
    case 'GZIP_2':
      return bigEndian(unshuffle(inflate(bytes, count * size), size), typeOf(image, floats), count);
    default:
      return bigEndian(bytes, typeOf(image, floats), count);
  }
}

/** The BITPIX-like type of a tile's stored samples: quantised floats are 32-bit integers. */
function typeOf(image: TiledImage, floats: boolean): number {
  return image.zbitpix < 0 && !floats ? 32 : image.zbitpix;
}

/** Inflates a gzip or zlib tile, refusing output beyond what the tile can hold. */
function inflate(bytes: Uint8Array, maxBytes: number): Uint8Array {
  try {
    return unzipSync(bytes, { maxOutputLength: Math.max(1, maxBytes) });
  } catch (error) {
    throw new ImageDecodeError(`cannot inflate a compressed tile: ${(error as Error).message}`);
  }
}

/** GZIP_2 stores byte 0 of every value, then byte 1, …: put each value's bytes back together. */
function unshuffle(bytes: Uint8Array, size: number): Uint8Array {
  const n = Math.floor(bytes.length / size);
  const out = new Uint8Array(n * size);
  for (let k = 0; k < size; k += 1) {
    for (let i = 0; i < n; i += 1) out[i * size + k] = bytes[k * n + i];
  }
  return out;
}

/** Big-endian samples of a BITPIX type as a typed array of `count` values. */
function bigEndian(bytes: Uint8Array, bitpix: number, count: number): TileValues {
  const size = Math.abs(bitpix) / 8;
  if (bytes.length < count * size) throw new ImageDecodeError('compressed tile is truncated');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const read = reader(view, bitpix);
  if (bitpix === 64)
    return BigInt64Array.from({ length: count }, (_, i) => view.getBigInt64(i * 8));
  const out =
    bitpix === -64
      ? new Float64Array(count)
      : bitpix === -32
        ? new Float32Array(count)
        : new Int32Array(count);
  for (let i = 0; i < count; i += 1) out[i] = read(i * size);
  return out;
}

function reader(view: DataView, bitpix: number): (at: number) => number {
  switch (bitpix) {
    case 8:
      return (at) => view.getUint8(at);
    case 16:
      return (at) => view.getInt16(at);
    case 32:
      return (at) => view.getInt32(at);
    case -32:
      return (at) => view.getFloat32(at);
    case -64:
      return (at) => view.getFloat64(at);
    default:
      return (at) => Number(view.getBigInt64(at));
  }
}
