import { DecodeOptions, decodeLuminance, sharesMemory } from '../decode/decode-planes';
import { DecodeLimits, probeImage } from '../decode/probe';
import { EncodeOptions, encodeDisplay, encodeRaster, rasterSixteen } from '../encode/encode-image';
import { InvalidImagingOptionsError } from '../errors';
import { StretchParams, stretchPlane } from '../stretch/stretch-plane';
import { EncodedImage, Plane, ProgressFn } from '../types';
import { Rgb, parseHexColor } from './color';
import { resampleBilinear } from './resample';

/** One channel of a colour composite: how its input is stretched, coloured and weighted. */
export interface CompositeChannel extends StretchParams {
  /** `#rrggbb` colour the stretched channel is painted with. */
  color: string;
  /** Multiplier 0..2 (1). */
  weight?: number;
}

/** Options of a colour composite; `channels[i]` describes input `i`. */
export interface CompositeOptions extends EncodeOptions, DecodeLimits {
  channels: CompositeChannel[];
  /** Work-grid downscale (0 < scale ≤ 1) that keeps the job within its memory budget. */
  scale?: number;
  /** The downscaled work grid when the first input is already a downscaled copy (aligning). */
  workSize?: { width: number; height: number };
}

/** Accumulated RGB sums in FITS orientation, on the first channel's grid. */
export interface RgbAccumulator {
  width: number;
  height: number;
  planes: [Float32Array, Float32Array, Float32Array];
}

/**
 * Builds a colour composite from encoded inputs (FITS, PNG, …; colour rasters count as their
 * luminance). FITS output: channels are decoded one at a time and added to float RGB sums, so
 * peak memory is the sums plus one channel. PNG/JPEG output: each channel is decoded and
 * stretched in place, then the sums are formed row by row straight into the 8/16-bit samples
 * (same float32 arithmetic as the sums, so the same pixels) — no full-size sums at all.
 * With `consume` the caller gives up `inputs` (a worker's own copies): float32 FITS inputs are
 * decoded where they lie and each entry is dropped from the array once decoded.
 */
export async function compositeImages(
  inputs: Uint8Array[],
  options: CompositeOptions,
  onProgress?: ProgressFn,
  consume = false,
): Promise<EncodedImage> {
  if (inputs.length !== options.channels.length || inputs.length === 0) {
    throw new InvalidImagingOptionsError('composite needs one input per channel (at least one)');
  }
  // Stretched planes cost one plane per channel; without `consume` they come on top of the
  // caller's inputs, so beyond three channels the three sums are cheaper.
  const decode = await decodeOptions(inputs[0], options);
  if (options.format !== 'fits' && (consume || inputs.length <= 3)) {
    return compositeRaster(inputs, options, decode, onProgress, consume);
  }
  let acc: RgbAccumulator | undefined;
  for (let i = 0; i < inputs.length; i += 1) {
    onProgress?.('decode', (i / inputs.length) * 0.8);
    const plane = await decodeLuminance(inputs[i], decode, consume && !sharesMemory(inputs, i));
    if (consume) inputs[i] = EMPTY;
    onProgress?.('stretch', ((i + 0.5) / inputs.length) * 0.8);
    acc = addChannel(acc, plane, options.channels[i]);
  }
  const rgb = acc as RgbAccumulator;
  clampPlanes(rgb.planes);
  onProgress?.('encode', 0.8);
  const result = await encodeDisplay(rgb, options);
  onProgress?.('encode', 1);
  return result;
}

const EMPTY = new Uint8Array(0);

/** Decode limits; with a downscale, every channel is decoded straight to the scaled grid. */
async function decodeOptions(first: Uint8Array, options: CompositeOptions): Promise<DecodeOptions> {
  const limits = { maxPixels: options.maxPixels };
  if (options.workSize) return { ...limits, resizeTo: options.workSize };
  if (options.scale === undefined || options.scale >= 1) return limits;
  const { width, height } = await probeImage(first, limits);
  return { ...limits, resizeTo: scaledSize(width, height, options.scale) };
}

/** A size multiplied by a downscale factor, at least one pixel each way. */
export function scaledSize(width: number, height: number, scale: number) {
  return {
    width: Math.max(1, Math.round(width * scale)),
    height: Math.max(1, Math.round(height * scale)),
  };
}

/** A stretched channel on the output grid and its colour × weight. */
export interface PaintedChannel {
  values: Float32Array;
  rgb: Rgb;
}

async function compositeRaster(
  inputs: Uint8Array[],
  options: CompositeOptions,
  decode: DecodeOptions,
  onProgress: ProgressFn | undefined,
  consume: boolean,
): Promise<EncodedImage> {
  const painted: PaintedChannel[] = [];
  let width = 0;
  let height = 0;
  for (let i = 0; i < inputs.length; i += 1) {
    onProgress?.('decode', (i / inputs.length) * 0.8);
    const plane = await decodeLuminance(inputs[i], decode, consume && !sharesMemory(inputs, i));
    if (consume) inputs[i] = EMPTY;
    if (i === 0) ({ width, height } = plane);
    onProgress?.('stretch', ((i + 0.5) / inputs.length) * 0.8);
    painted.push(paintChannel(plane, options.channels[i], width, height));
  }
  onProgress?.('encode', 0.8);
  const raw = interleaveSums(painted, width, height, rasterSixteen(options));
  painted.length = 0; // let the planes go while the encoder runs
  const result = await encodeRaster({ width, height, channels: 3, raw }, options);
  onProgress?.('encode', 1);
  return result;
}

/** Resamples a channel to width × height (if needed) and stretches it in place. */
export function paintChannel(
  plane: Plane,
  channel: CompositeChannel,
  width: number,
  height: number,
): PaintedChannel {
  const grid = resampleBilinear(plane, width, height);
  const values = stretchPlane(grid.data, channel, grid.data);
  return { values, rgb: channelRgb(channel) };
}

function channelRgb(channel: CompositeChannel): Rgb {
  const weight = channel.weight ?? 1;
  return parseHexColor(channel.color).map((c) => c * weight) as Rgb;
}

/**
 * The RGB sums of painted channels, clipped to [0, 1] and quantised like
 * `interleaveFlipped`: interleaved, top row first. Sums are formed one row at a time in
 * float32, adding channels in order and skipping NaN — bit for bit what {@link addChannel},
 * {@link clampPlanes} and `interleaveFlipped` give, without full-size sum planes.
 */
export function interleaveSums(
  painted: PaintedChannel[],
  width: number,
  height: number,
  sixteen: boolean,
): Uint8Array | Uint16Array {
  const max = sixteen ? 65535 : 255;
  const out = sixteen ? new Uint16Array(width * height * 3) : new Uint8Array(width * height * 3);
  const R = new Float32Array(width);
  const G = new Float32Array(width);
  const B = new Float32Array(width);
  for (let y = 0; y < height; y += 1) {
    const from = (height - 1 - y) * width;
    R.fill(0);
    G.fill(0);
    B.fill(0);
    for (const { values, rgb } of painted) {
      // Adding v × 0 never changes a sum (stretched v is finite or NaN), so zero components of
      // the colour are skipped: a pure red channel costs one add per pixel instead of three.
      if (rgb[0] !== 0) addRow(R, values, from, rgb[0]);
      if (rgb[1] !== 0) addRow(G, values, from, rgb[1]);
      if (rgb[2] !== 0) addRow(B, values, from, rgb[2]);
    }
    let to = y * width * 3;
    for (let x = 0; x < width; x += 1, to += 3) {
      out[to] = quantise(R[x], max);
      out[to + 1] = quantise(G[x], max);
      out[to + 2] = quantise(B[x], max);
    }
  }
  return out;
}

/** sums[x] += values[from + x] × k in float32, skipping NaN (as {@link addChannel} does). */
function addRow(sums: Float32Array, values: Float32Array, from: number, k: number): void {
  for (let x = 0; x < sums.length; x += 1) {
    const v = values[from + x];
    if (v === v) sums[x] += v * k;
  }
}

/** Clip to [0, 1] then scale and round (the typed-array store truncates). */
function quantise(v: number, max: number): number {
  return v > 0 ? (v < 1 ? v * max + 0.5 : max) : 0;
}

/**
 * Stretches one channel (in place), resampled to the accumulator's grid, and adds
 * colour × weight × value to the RGB sums. NaN adds nothing. Creates the sums on first use.
 */
export function addChannel(
  acc: RgbAccumulator | undefined,
  plane: Plane,
  channel: CompositeChannel,
): RgbAccumulator {
  const target = acc ?? emptyAccumulator(plane.width, plane.height);
  const grid = resampleBilinear(plane, target.width, target.height);
  const values = stretchPlane(grid.data, channel, grid.data);
  const [r, g, b] = channelRgb(channel);
  const [R, G, B] = target.planes;
  for (let i = 0; i < values.length; i += 1) {
    const v = values[i];
    if (v !== v) continue;
    R[i] += v * r;
    G[i] += v * g;
    B[i] += v * b;
  }
  return target;
}

function emptyAccumulator(width: number, height: number): RgbAccumulator {
  const n = width * height;
  return { width, height, planes: [new Float32Array(n), new Float32Array(n), new Float32Array(n)] };
}

/** Clips sums to [0, 1] in place (the FITS output is documented as [0, 1]). */
export function clampPlanes(planes: Float32Array[]): void {
  for (const p of planes) {
    for (let i = 0; i < p.length; i += 1) p[i] = p[i] > 1 ? 1 : p[i] < 0 ? 0 : p[i];
  }
}
