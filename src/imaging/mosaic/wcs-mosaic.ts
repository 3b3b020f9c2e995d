import { decodeLuminance } from '../decode/decode-planes';
import { DecodeLimits, assertPixels } from '../decode/probe';
import { detectFormat } from '../decode/detect-format';
import { encodeDisplay } from '../encode/encode-image';
import { InvalidImagingOptionsError } from '../errors';
import { FitsCard } from '../fits/fits-card';
import { readFitsHeader } from '../fits/fits-header';
import { EncodedImage, Plane, ProgressFn } from '../types';
import { readWcs } from '../wcs/celestial-wcs';
import { SkyImage, boxOnGrid, planOutputGrid } from '../wcs/output-grid';
import { Interpolation, reprojectPlane } from '../wcs/reproject';
import { scaleWcs, wcsCards } from '../wcs/wcs-cards';
import { PlacedPiece, solveOffsets } from './background-match';
import { ImageWithCounts, imageWithCounts } from './fits-extension';
import { parseHexColor } from '../composite/color';
import { DisplayPlanes } from '../encode/encode-image';
import { stretchPlane } from '../stretch/stretch-plane';
import { MosaicOptions } from './mosaic';
import { MosaicCanvas, addTile, createCanvas, finishCanvas } from './mosaic-canvas';

/** A mosaic aligned on the sky: every tile reprojected onto one north-up TAN grid. */
export interface WcsMosaicOptions extends Omit<MosaicOptions, 'layout'> {
  layout: 'wcs';
  interpolation?: Interpolation;
  /** Output pixel scale; the finest input scale when absent. */
  pixelScaleArcsec?: number;
  /** Subtract additive offsets fitted between overlapping tiles. */
  backgroundMatch?: boolean;
  /** Tile names, written as provenance keywords (FITS output). */
  names?: string[];
}

/** A tile's header facts. */
export interface SkyTile extends SkyImage {
  cards: FitsCard[];
}

/** Keywords copied to the output when every tile has the same value. */
const COMMON_KEYWORDS = ['TELESCOP', 'INSTRUME', 'FILTER', 'BUNIT'];
const EMPTY = new Uint8Array(0);

/** Reads a tile's header and celestial WCS; a tile without one is refused. */
export function skyTile(input: Uint8Array, index: number): SkyTile {
  const info = detectFormat(input) === 'fits' ? readFitsHeader(input) : undefined;
  const wcs = info ? readWcs(info.cards) : null;
  if (!info || !wcs) {
    throw new InvalidImagingOptionsError(`tile ${index + 1} has no celestial WCS (layout "wcs")`);
  }
  return { wcs, width: info.width, height: info.height, cards: info.cards };
}

/** The output grid of a WCS mosaic (also used, headers only, by the footprint route). */
export function wcsMosaicGrid(
  tiles: SkyImage[],
  options: Pick<WcsMosaicOptions, 'pixelScaleArcsec' | 'width' | 'height' | 'scale'>,
): SkyImage {
  const scale = options.scale !== undefined && options.scale < 1 ? options.scale : 1;
  const grid = planOutputGrid(tiles, { pixelScaleArcsec: options.pixelScaleArcsec });
  const fit = Math.max(
    options.width ? grid.width / options.width : 0,
    options.height ? grid.height / options.height : 0,
    1 / scale,
  );
  if (fit === 1) return grid;
  const finest = grid.wcs.cd[3] * 3600;
  return planOutputGrid(tiles, { pixelScaleArcsec: finest * fit * (1 + 1e-9) });
}

/**
 * Reprojects every tile onto one TAN grid and combines them (`combine`, coverage-weighted: a
 * mean averages the tiles covering each pixel). Peak memory: the output and its coverage count,
 * one decoded tile and its reprojected box. FITS output keeps linear values, NaN where nothing
 * covers, the grid's WCS, provenance and a COVERAGE extension.
 */
export async function wcsMosaic(
  inputs: Uint8Array[],
  options: WcsMosaicOptions,
  onProgress?: ProgressFn,
  consume = false,
): Promise<EncodedImage> {
  if (inputs.length === 0) throw new InvalidImagingOptionsError('mosaic needs at least one tile');
  const tiles = inputs.map((input, i) => skyTile(input, i));
  const grid = wcsMosaicGrid(tiles, options);
  assertPixels(grid.width, grid.height, options);
  const offsets = options.backgroundMatch
    ? await backgroundOffsets(inputs, tiles, grid, options)
    : [];
  const mode = options.combine ?? 'mean';
  const file = options.format === 'fits' ? skyFits(grid, tiles, options) : undefined;
  const canvas = file
    ? fileCanvas(file, grid, options)
    : createCanvas(grid.width, grid.height, mode);
  const coverage = canvas.counts ?? new Uint16Array(grid.width * grid.height);
  canvas.counts = coverage;
  for (let i = 0; i < inputs.length; i += 1) {
    onProgress?.('decode', (i / inputs.length) * 0.7);
    const plane = await decodeLuminance(inputs[i], options, consume);
    if (consume) inputs[i] = EMPTY;
    const piece = placeTile(plane, tiles[i], grid, options.interpolation ?? 'bilinear');
    if (!piece) continue;
    if (offsets[i]) subtract(piece.plane.data, offsets[i]);
    addTile(canvas, piece.plane, { x: piece.box.x0, y: piece.box.y0 });
  }
  const plane = finishCanvas({ ...canvas, counts: mode === 'mean' ? coverage : undefined });
  onProgress?.('encode', 0.8);
  const { width, height } = grid;
  if (file) file.finish();
  const result = file
    ? { buffer: file.buffer, contentType: 'application/fits', extension: 'fits', width, height }
    : await encodeDisplay(skyDisplay(plane, options), {
        ...options,
        width: undefined,
        height: undefined,
      });
  onProgress?.('encode', 1);
  return result;
}

/** The canvas of a FITS mosaic is the output file's own data unit and coverage extension. */
function fileCanvas(
  file: ImageWithCounts,
  grid: SkyImage,
  options: WcsMosaicOptions,
): MosaicCanvas {
  const mode = options.combine ?? 'mean';
  return {
    width: grid.width,
    height: grid.height,
    data: file.data.fill(NaN),
    mode,
    counts: file.counts,
  };
}

function placeTile(
  plane: Plane,
  tile: SkyTile,
  grid: SkyImage,
  interpolation: Interpolation,
): PlacedPiece | null {
  const box = boxOnGrid(tile, grid.wcs, grid.width, grid.height);
  if (!box) return null;
  return { box, plane: reprojectPlane(plane, tile.wcs, grid.wcs, box, interpolation) };
}

function subtract(data: Float32Array, offset: number): void {
  for (let i = 0; i < data.length; i += 1) data[i] -= offset;
}

/** Coarse copy of the grid with at most ~1 M pixels, where tile overlaps are compared. */
function coarseGrid(grid: SkyImage): SkyImage {
  const f = Math.max(1, Math.sqrt((grid.width * grid.height) / 1e6));
  const width = Math.max(1, Math.round(grid.width / f));
  const height = Math.max(1, Math.round(grid.height / f));
  return { wcs: scaleWcs(grid.wcs, [grid.width, grid.height], [width, height]), width, height };
}

/** Offsets of each tile from pairwise sky differences on a coarse grid (tiles decoded as copies). */
async function backgroundOffsets(
  inputs: Uint8Array[],
  tiles: SkyTile[],
  grid: SkyImage,
  limits: DecodeLimits,
): Promise<number[]> {
  const coarse = coarseGrid(grid);
  const pieces: PlacedPiece[] = [];
  for (let i = 0; i < inputs.length; i += 1) {
    const plane = await decodeLuminance(inputs[i], limits, false);
    const piece = placeTile(plane, tiles[i], coarse, 'nearest');
    pieces.push(
      piece ?? {
        box: { x0: 1, y0: 1, x1: 0, y1: 0 },
        plane: { width: 0, height: 0, data: new Float32Array(0) },
      },
    );
  }
  return solveOffsets(pieces);
}

/** The output file: linear values with the grid's WCS and provenance, plus COVERAGE counts. */
function skyFits(grid: SkyImage, tiles: SkyTile[], options: WcsMosaicOptions): ImageWithCounts {
  const wcs = wcsCards(grid.wcs);
  const creator = { keyword: 'CREATOR', value: 'darkroom', comment: 'Darkroom imaging library' };
  return imageWithCounts(
    grid.width,
    grid.height,
    [creator, ...wcs, ...provenanceCards(tiles, options)],
    [
      { keyword: 'EXTNAME', value: 'COVERAGE', comment: 'number of tiles covering each pixel' },
      ...wcs,
    ],
  );
}

/** NINPUTS, COMBMETH, source names, and the keywords every tile shares. */
export function provenanceCards(tiles: SkyTile[], options: WcsMosaicOptions) {
  const cards: Array<{ keyword: string; value: string | number; comment?: string }> = [
    { keyword: 'NINPUTS', value: tiles.length, comment: 'number of input tiles' },
    {
      keyword: 'COMBMETH',
      value: (options.combine ?? 'mean').toUpperCase(),
      comment: 'how overlaps combine',
    },
    {
      keyword: 'INTERP',
      value: (options.interpolation ?? 'bilinear').toUpperCase(),
      comment: 'reprojection',
    },
  ];
  tiles.forEach((_, i) => {
    const name = (options.names?.[i] ?? `tile ${i + 1}`).replace(/[^\x20-\x7e]/g, '?').slice(0, 60);
    cards.push({
      keyword: `SRC${String(i + 1).padStart(4, '0')}`,
      value: name,
      comment: 'input tile',
    });
  });
  for (const key of COMMON_KEYWORDS) {
    const values = tiles.map((t) => t.cards.find((c) => c.keyword === key)?.value);
    const first = values[0];
    if (
      (typeof first === 'string' || typeof first === 'number') &&
      values.every((v) => v === first)
    )
      cards.push({ keyword: key, value: first });
  }
  return cards;
}

/** Stretches the mosaic in place; uncovered (NaN) pixels take the background colour (black). */
function skyDisplay(plane: Plane, options: WcsMosaicOptions): DisplayPlanes {
  const values = stretchPlane(plane.data, options, plane.data);
  const colour = options.background ? parseHexColor(options.background) : [0, 0, 0];
  const grey = colour[0] === colour[1] && colour[1] === colour[2];
  const planes = grey ? [values] : [values, values.slice(), values.slice()];
  planes.forEach((out, k) => {
    for (let i = 0; i < out.length; i += 1) if (out[i] !== out[i]) out[i] = colour[k];
  });
  return { width: plane.width, height: plane.height, planes };
}
