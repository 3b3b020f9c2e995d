import sharp, { Sharp } from 'sharp';
import { decodeLuminance } from '../decode/decode-planes';
import { DecodeLimits, probeImage } from '../decode/probe';
import { interleaveFlipped } from '../encode/encode-image';
import { ImageDecodeError } from '../errors';
import { stretchPlane } from '../stretch/stretch-plane';
import { EncodedImage, ThumbnailFormat } from '../types';

/** Thumbnail options: the image fits inside size × size (256), WebP by default. */
export interface ThumbnailOptions extends DecodeLimits {
  size?: number;
  format?: ThumbnailFormat;
  /** WebP/JPEG quality (80). */
  quality?: number;
}

const CONTENT_TYPES: Record<ThumbnailFormat, string> = {
  webp: 'image/webp',
  png: 'image/png',
  jpeg: 'image/jpeg',
};

/**
 * Renders a thumbnail whose longer side is `size` (enlarging small images too). FITS and float
 * TIFF are auto-stretched with zscale and flipped (FITS row 1 at the bottom); 8/16-bit rasters
 * are resized by sharp as they are (EXIF orientation applied).
 */
export async function thumbnailImage(
  input: Uint8Array,
  options: ThumbnailOptions = {},
): Promise<EncodedImage> {
  const info = await probeImage(input, options);
  const size = options.size ?? 256;
  const format = options.format ?? 'webp';
  const source =
    info.format === 'fits' || info.bitDepth > 16
      ? await stretchedGrey(input, options)
      : sharp(input, { autoOrient: true, limitInputPixels: false });
  const pipeline = source.resize(size, size, { fit: 'inside' });
  const quality = options.quality ?? 80;
  const encoded =
    format === 'png'
      ? pipeline.png()
      : format === 'jpeg'
        ? pipeline.jpeg({ quality })
        : pipeline.webp({ quality });
  const { data, info: out } = await encoded
    .toBuffer({ resolveWithObject: true })
    .catch((e: unknown) => {
      throw new ImageDecodeError(`cannot render thumbnail: ${(e as Error).message}`);
    });
  return {
    buffer: data,
    contentType: CONTENT_TYPES[format],
    extension: format,
    width: out.width,
    height: out.height,
  };
}

/** zscale-stretched 8-bit grey image, top row first, ready for sharp. */
async function stretchedGrey(input: Uint8Array, options: DecodeLimits): Promise<Sharp> {
  const plane = await decodeLuminance(input, options);
  stretchPlane(plane.data, { stretch: 'zscale' }, plane.data);
  const raw = interleaveFlipped(
    { width: plane.width, height: plane.height, planes: [plane.data] },
    false,
  );
  return sharp(raw, { raw: { width: plane.width, height: plane.height, channels: 1 } });
}
