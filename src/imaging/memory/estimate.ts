/**
 * Peak-memory estimates of imaging jobs, made from asset records (sizes only, no pixel read)
 * before a job is queued. An estimate has a part that does not shrink when the work grid is
 * downscaled (input bytes, full-resolution decode of a FITS input, fixed overhead) and a part
 * that scales with the area of the work grid; a downscale factor `s` (linear, 0 < s ≤ 1) costs
 * `fixedMB + scalableMB × s²`.
 *
 * The terms count every buffer alive at the worst moment; they were checked against the peak RSS
 * of the server (`node bench/memory-budget.mjs`): a 16000² RGB PNG composite peaks at 3635 MB
 * above the idle server, the model says 4275 MB; downscaled to fit 2048 MB it peaks at ~1300 MB.
 * {@link SAFETY} covers what the garbage collector keeps a little longer than the code does.
 */

const MB = 1024 * 1024;
/** Thread stacks, sharp/libvips caches, encoder state: measured ~40 MB above an idle worker. */
const OVERHEAD_MB = 64;
/** Headroom for buffers the GC has not yet returned when the next one is allocated. */
const SAFETY = 1.15;

/** What an estimate needs to know of one input (an `Asset` record carries all of it). */
export interface InputFootprint {
  format: 'fits' | 'png' | 'jpeg' | 'tiff' | 'webp';
  width: number;
  height: number;
  /** Colour channels (alpha included); FITS 1. */
  channels: number;
  /** Bits per sample; FITS |BITPIX|. */
  bitDepth: number;
  /** Size of the stored file (compressed FITS: the compressed size). */
  bytes: number;
}

/** A peak-memory estimate in MB: `fixedMB + scalableMB × s²` at downscale factor `s`. */
export interface MemoryEstimate {
  fixedMB: number;
  scalableMB: number;
  /** The estimate at full size (`s = 1`). */
  totalMB: number;
}

/** Output options that change the estimate. */
export interface OutputFootprint {
  format?: 'png' | 'jpeg' | 'fits';
  bitDepth?: 8 | 16;
  /** Composite only: `wcs` reprojects channels 2..n onto the first grid (the caller resolves the default). */
  align?: 'wcs' | 'pixel';
  /** Composite only: every channel is decoded and handed on as a float32 copy first. */
  backgroundNeutralize?: boolean;
}

/** Bytes alive at one moment of a job: `fixed + scalable × s²` at downscale factor `s`. */
export interface Moment {
  fixed: number;
  scalable: number;
}

/**
 * The worse of two moments as one `fixed + scalable × s²`: exact at s = 1 and never below
 * either moment for s < 1 (fixed is the larger fixed part, scalable makes up the larger total).
 */
export function worseMoment(a: Moment, b: Moment): Moment {
  const fixed = Math.max(a.fixed, b.fixed);
  return { fixed, scalable: Math.max(a.fixed + a.scalable, b.fixed + b.scalable) - fixed };
}

function estimate(fixedBytes: number, scalableBytes: number): MemoryEstimate {
  const fixedMB = OVERHEAD_MB + (fixedBytes * SAFETY) / MB;
  const scalableMB = (scalableBytes * SAFETY) / MB;
  return { fixedMB, scalableMB, totalMB: fixedMB + scalableMB };
}

/**
 * Bytes alive while one input is decoded to a float32 plane of its own size (then resampled to
 * the work grid, which the caller counts). Rasters: sharp's raw samples plus one float plane per
 * colour channel (both shrink with a downscale: sharp resizes while it decodes). FITS: the raw or
 * inflated samples plus the float plane, always full size.
 */
export function decodeBytes(input: InputFootprint): { fixed: number; scalable: number } {
  const pixels = input.width * input.height;
  if (input.format === 'fits') return { fixed: pixels * (4 + input.bitDepth / 8), scalable: 0 };
  const sample = pixels * input.channels * Math.max(1, input.bitDepth / 8);
  const planes = pixels * 4 * (input.channels >= 3 ? 3 : 1);
  return { fixed: 0, scalable: sample + planes };
}

function inputBytes(inputs: readonly InputFootprint[]): number {
  return inputs.reduce((sum, i) => sum + i.bytes, 0);
}

/** Encoded output: the interleaved samples plus the encoder's result (at most as large). */
function rasterOutputBytes(pixels: number, output: OutputFootprint): number {
  const sample = output.format !== 'jpeg' && output.bitDepth === 16 ? 2 : 1;
  return 2 * pixels * 3 * sample;
}

/**
 * Peak memory of a colour composite of `inputs` (channel order) on the first channel's grid: the
 * worst of three moments. Aligning (`align: "wcs"` or `backgroundNeutralize`): the float32
 * channel copies, see {@link alignMoment}. Decoding a channel: the planes of the channels before
 * it (FITS output: the three sums plus the copies not yet decoded), the channel's decode and its
 * resampled plane. Encoding: PNG/JPEG one stretched float plane per channel plus the samples and
 * the encoded file; FITS three float sums plus the output cube written twice. In a worker the
 * copies are decoded in place, so they are the channel planes of the later moments.
 */
export function estimateCompositeMB(
  inputs: readonly InputFootprint[],
  output: OutputFootprint = {},
): MemoryEstimate {
  if (inputs.length === 0) return estimate(0, 0);
  const plane = inputs[0].width * inputs[0].height * 4;
  const n = inputs.length;
  const decodes = inputs.map(decodeBytes);
  const worstFixed = Math.max(...decodes.map((d) => d.fixed));
  const worstScalable = Math.max(...decodes.map((d) => d.scalable));
  const fits = output.format === 'fits';
  const copies = channelCopies(inputs, output);
  const later = copies.slice(1).reduce((sum, c) => sum + c, 0);
  const held = fits ? 3 * plane + later : Math.max((n - 1) * plane, later);
  // Later channels of another size are resampled: one more plane while they are.
  const decoding = held + worstScalable + (n > 1 ? plane : 0);
  const encoding = fits ? 9 * plane : n * plane + rasterOutputBytes(plane / 4, output);
  const files = inputBytes(inputs);
  const composite = { fixed: files + worstFixed, scalable: Math.max(decoding, encoding) };
  const aligning = alignMoment(inputs, copies, output);
  const worst = aligning
    ? worseMoment(composite, { ...aligning, fixed: files + aligning.fixed })
    : composite;
  return estimate(worst.fixed, worst.scalable);
}

/** Rows of output coordinates `reprojectPlane` maps at once (x and y as float64). */
const MAP_ROWS = 64;

/**
 * Full-size bytes of the float32 copy `alignedComposite` hands on for each channel (0 when the
 * channel is passed as it is): reprojected channels (2..n with `align: "wcs"`) on the first
 * grid, background-neutralised ones at their own size. Copies scale with a downscale.
 */
export function channelCopies(
  inputs: readonly InputFootprint[],
  output: OutputFootprint,
): number[] {
  const [first] = inputs;
  return inputs.map((input, i) => {
    const grid =
      output.align === 'wcs' && i > 0 ? first : output.backgroundNeutralize ? input : null;
    return grid ? grid.width * grid.height * 4 : 0;
  });
}

/**
 * Peak of the aligning step, or undefined when nothing is copied. While channel k is made, the
 * copies before it are held, plus its decode, its new float32 plane and (reprojected) the
 * coordinate strip; then its plane and the FITS copy written from it.
 */
export function alignMoment(
  inputs: readonly InputFootprint[],
  copies: readonly number[],
  output: OutputFootprint,
): Moment | undefined {
  let worst: Moment | undefined;
  let prior = 0;
  copies.forEach((copy, k) => {
    if (copy === 0) return;
    const decode = decodeBytes(inputs[k]);
    const reprojected = output.align === 'wcs' && k > 0;
    const maps = reprojected ? 16 * inputs[0].width * Math.min(MAP_ROWS, inputs[0].height) : 0;
    const working = { fixed: decode.fixed + maps, scalable: prior + copy + decode.scalable };
    const writing = { fixed: 0, scalable: prior + 2 * copy };
    const moment = worseMoment(working, writing);
    worst = worst ? worseMoment(worst, moment) : moment;
    prior += copy;
  });
  return worst;
}

/** How a mosaic's output grid is built, for {@link estimateMosaicMB}. */
export interface MosaicGrid {
  /** Output grid (canvas) size in pixels at full size. */
  width: number;
  height: number;
  /**
   * Float32 planes of output-grid size held while tiles are added: the sum (1) plus a coverage
   * or weight plane (1) when tiles overlap. Defaults to 2. A WCS coadd that also keeps a
   * coverage count passes 3.
   */
  canvasPlanes?: number;
  /**
   * Extra bytes per tile pixel while a tile is added (e.g. a reprojected copy of the tile and
   * its footprint weights, 8 per pixel): counted on the largest tile, scaled with the grid.
   */
  perTilePixelBytes?: number;
}

/**
 * Peak memory of a mosaic of `tiles` onto `grid`: the input files, the canvas planes, the
 * largest tile being decoded (and reprojected), then the stretch and encoded output. Used for
 * grid/offset collages and, with `canvasPlanes`/`perTilePixelBytes`, for WCS mosaics and the
 * footprint route's `estimateMB`.
 */
export function estimateMosaicMB(
  tiles: readonly InputFootprint[],
  grid: MosaicGrid,
  output: OutputFootprint = {},
): MemoryEstimate {
  const pixels = grid.width * grid.height;
  const canvas = pixels * 4 * (grid.canvasPlanes ?? 2);
  const decodes = tiles.map(decodeBytes);
  const largestTile = Math.max(0, ...tiles.map((t) => t.width * t.height));
  const perTile = largestTile * (grid.perTilePixelBytes ?? 4);
  const worstFixed = Math.max(0, ...decodes.map((d) => d.fixed));
  const worstScalable = Math.max(0, ...decodes.map((d) => d.scalable));
  const encode =
    output.format === 'fits' ? pixels * 4 * 2 : pixels * 4 + rasterOutputBytes(pixels, output);
  const work = Math.max(canvas + worstScalable + perTile, canvas + encode);
  return estimate(inputBytes(tiles) + worstFixed, work);
}

/** The estimate at downscale factor `s`. */
export function estimateAt(e: MemoryEstimate, s: number): number {
  return e.fixedMB + e.scalableMB * s * s;
}

/**
 * Largest downscale factor (≤ 1, rounded down to 0.01) whose estimate fits `budgetMB`: 1 when
 * it fits already, `null` when even a tiny output would not (the fixed part is over budget).
 */
export function scaleToFit(e: MemoryEstimate, budgetMB: number): number | null {
  if (e.totalMB <= budgetMB) return 1;
  const room = budgetMB - e.fixedMB;
  if (room <= 0 || e.scalableMB <= 0) return null;
  const s = Math.floor(Math.sqrt(room / e.scalableMB) * 100) / 100;
  return s >= 0.01 ? s : null;
}

/** The `too_large` problem text of API.md's error details. */
export function describeOverBudget(e: MemoryEstimate, budgetMB: number): string {
  const s = scaleToFit(e, budgetMB);
  const needs = `needs ~${Math.ceil(e.totalMB)} MB, budget ${budgetMB} MB`;
  if (s === null) return `${needs}: too large even downscaled`;
  return `${needs}: downscale to ${s.toFixed(2)} or below`;
}
