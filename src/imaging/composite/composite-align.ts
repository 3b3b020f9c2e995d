import { decodeLuminance } from '../decode/decode-planes';
import { detectFormat } from '../decode/detect-format';
import { readFitsHeader } from '../fits/fits-header';
import { writeFits } from '../fits/fits-writer';
import { skyLevel } from '../stretch/sky-level';
import { EncodedImage, Plane, ProgressFn } from '../types';
import { readWcs } from '../wcs/celestial-wcs';
import { SkyImage } from '../wcs/output-grid';
import { reprojectPlane } from '../wcs/reproject';
import { DecodeLimits, probeImage } from '../decode/probe';
import { scaleWcs } from '../wcs/wcs-cards';
import { CompositeOptions, compositeImages, scaledSize } from './composite';

/** How channels are brought onto one grid before they are composited. */
export interface CompositeAlignOptions {
  /** `wcs`: reproject every channel onto the first channel's grid (default when all have one). */
  align?: 'wcs' | 'pixel';
  /** Subtract each channel's sigma-clipped sky level (values below it clip to 0). */
  backgroundNeutralize?: boolean;
}

/** The celestial grid of an encoded input, or undefined (not FITS, or no celestial WCS). */
export function skyImageOf(input: Uint8Array): SkyImage | undefined {
  if (input.length === 0 || detectFormat(input) !== 'fits') return undefined;
  const info = readFitsHeader(input);
  const wcs = readWcs(info.cards);
  return wcs ? { wcs, width: info.width, height: info.height } : undefined;
}

/**
 * A composite whose channels are first aligned on the sky (reprojected, bilinear, onto the first
 * channel's grid) and/or background-neutralised. Changed channels are handed on as float32 FITS
 * (a copy without scaling costs one memcpy to decode). FITS output carries the first grid's WCS.
 */
export async function alignedComposite(
  inputs: Uint8Array[],
  options: CompositeOptions & CompositeAlignOptions,
  onProgress?: ProgressFn,
  consume = false,
): Promise<EncodedImage> {
  const grids = inputs.map(skyImageOf);
  const reference = grids[0];
  const align = (options.align ?? (grids.every(Boolean) ? 'wcs' : 'pixel')) === 'wcs';
  if (!align && !options.backgroundNeutralize) {
    return compositeImages(inputs, { ...options, sky: reference }, onProgress, consume);
  }
  const work = await workGrid(inputs[0], reference, options.scale, options);
  const ready: Uint8Array[] = [];
  for (let i = 0; i < inputs.length; i += 1) {
    const grid = grids[i];
    const reproject = align && i > 0 && reference && grid;
    if (!reproject && !options.backgroundNeutralize) {
      ready.push(inputs[i]);
      continue;
    }
    const decode = { maxPixels: options.maxPixels, resizeTo: reproject ? undefined : work?.size };
    let plane = await decodeLuminance(inputs[i], decode, false);
    if (reproject) plane = onGrid(plane, grid, work?.sky ?? reference);
    if (options.backgroundNeutralize) neutralize(plane.data);
    ready.push(writeFits(plane));
  }
  const composite = { ...options, sky: reference, workSize: work?.size };
  return compositeImages(ready, composite, onProgress, consume);
}

/**
 * The downscaled work grid (`scale` < 1) that channels are reprojected onto, so that their
 * copies shrink with the downscale as the memory estimate counts; undefined at full size.
 */
async function workGrid(
  first: Uint8Array,
  reference: SkyImage | undefined,
  scale: number | undefined,
  limits: DecodeLimits,
): Promise<{ size: { width: number; height: number }; sky?: SkyImage } | undefined> {
  if (scale === undefined || scale >= 1) return undefined;
  const full = reference ?? (await probeImage(first, limits));
  const size = scaledSize(full.width, full.height, scale);
  if (!reference) return { size };
  const wcs = scaleWcs(
    reference.wcs,
    [reference.width, reference.height],
    [size.width, size.height],
  );
  return { size, sky: { wcs, ...size } };
}

function onGrid(plane: Plane, from: SkyImage, to: SkyImage): Plane {
  const box = { x0: 0, y0: 0, x1: to.width - 1, y1: to.height - 1 };
  return reprojectPlane(plane, from.wcs, to.wcs, box, 'bilinear');
}

/** Subtracts the sky level in place; what lies below it becomes 0 (the neutral black). */
function neutralize(data: Float32Array): void {
  const sky = skyLevel(data);
  if (Number.isNaN(sky)) return;
  for (let i = 0; i < data.length; i += 1) {
    const v = data[i] - sky;
    data[i] = v < 0 ? 0 : v;
  }
}
