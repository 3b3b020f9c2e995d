import { decodeLuminance } from '../decode/decode-planes';
import { DecodeLimits, ImageInfo, probeImage } from '../decode/probe';
import { InvalidImagingOptionsError } from '../errors';
import { ValueHistogram, valueHistogram } from './value-histogram';

/** Fewest and most bins a histogram may have. */
export const HISTOGRAM_BINS = { min: 16, max: 4096, default: 256 } as const;

/**
 * What a channel histogram counts: FITS physical values (BZERO/BSCALE applied, first plane of a
 * cube); a grey raster's stored samples (0..255, 0..65535, float TIFF as is); a colour raster's
 * Rec. 709 luma of its stored samples, in sample units (what a composite stretches, unscaled).
 */
export type HistogramValues = 'physical' | 'samples' | 'luminance';

export interface ChannelHistogramOptions extends DecodeLimits {
  bins: number;
}

/** A histogram of the values a composite channel is made from. */
export interface ChannelHistogram extends ValueHistogram {
  values: HistogramValues;
}

/**
 * Decodes an input as a composite channel (the same luminance plane) and counts its raw values.
 * Rasters are decoded scaled to [0, 1]: their values are brought back to sample units, and grey
 * 8/16-bit samples rounded back to the integers stored. With `consume`, `input` may be decoded in
 * place.
 */
export async function channelHistogram(
  input: Uint8Array,
  options: ChannelHistogramOptions,
  consume = false,
): Promise<ChannelHistogram> {
  const { bins } = options;
  if (!Number.isInteger(bins) || bins < HISTOGRAM_BINS.min || bins > HISTOGRAM_BINS.max) {
    throw new InvalidImagingOptionsError(
      `bins must be an integer in ${HISTOGRAM_BINS.min}..${HISTOGRAM_BINS.max}`,
    );
  }
  const limits = { maxPixels: options.maxPixels };
  const info = await probeImage(input, limits);
  const plane = await decodeLuminance(input, limits, consume);
  const values = valuesOf(info);
  toSampleUnits(plane.data, info, values);
  return { values, ...valueHistogram(plane.data, bins) };
}

function valuesOf(info: ImageInfo): HistogramValues {
  if (info.format === 'fits') return 'physical';
  return info.channels >= 3 ? 'luminance' : 'samples';
}

/** Full-scale sample value of an integer raster (what the decoder divided by); 1 otherwise. */
function sampleScale(info: ImageInfo): number {
  if (info.format === 'fits') return 1;
  return info.bitDepth === 8 ? 255 : info.bitDepth === 16 ? 65535 : 1;
}

function toSampleUnits(data: Float32Array, info: ImageInfo, values: HistogramValues): void {
  const scale = sampleScale(info);
  if (scale === 1) return;
  if (values === 'samples') {
    for (let i = 0; i < data.length; i += 1) data[i] = Math.round(data[i] * scale);
  } else {
    for (let i = 0; i < data.length; i += 1) data[i] *= scale;
  }
}
