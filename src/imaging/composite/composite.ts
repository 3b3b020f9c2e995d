import { decodeLuminance } from '../decode/decode-planes';
import { DecodeLimits } from '../decode/probe';
import { EncodeOptions, encodeDisplay } from '../encode/encode-image';
import { InvalidImagingOptionsError } from '../errors';
import { StretchParams, stretchPlane } from '../stretch/stretch-plane';
import { EncodedImage, Plane, ProgressFn } from '../types';
import { parseHexColor } from './color';
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
}

/** Accumulated RGB sums in FITS orientation, on the first channel's grid. */
export interface RgbAccumulator {
  width: number;
  height: number;
  planes: [Float32Array, Float32Array, Float32Array];
}

/**
 * Builds a colour composite from encoded inputs (FITS, PNG, …; colour rasters count as their
 * luminance). Channels are decoded one at a time and dropped once added, so peak memory is the
 * RGB sums plus one channel. Output: PNG/JPEG flipped for display, or a FITS NAXIS3 = 3 cube.
 */
export async function compositeImages(
  inputs: Uint8Array[],
  options: CompositeOptions,
  onProgress?: ProgressFn,
): Promise<EncodedImage> {
  if (inputs.length !== options.channels.length || inputs.length === 0) {
    throw new InvalidImagingOptionsError('composite needs one input per channel (at least one)');
  }
  let acc: RgbAccumulator | undefined;
  for (let i = 0; i < inputs.length; i += 1) {
    onProgress?.('decode', (i / inputs.length) * 0.8);
    const plane = await decodeLuminance(inputs[i], options);
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
  const weight = channel.weight ?? 1;
  const [r, g, b] = parseHexColor(channel.color).map((c) => c * weight);
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
