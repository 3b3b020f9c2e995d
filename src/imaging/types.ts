/**
 * One channel of floating-point pixels, row-major. Row 0 is the bottom row (FITS orientation:
 * FITS row 1 first); rasters are flipped on decode so every plane shares that convention.
 * Non-finite values (NaN) mean "no data".
 */
export interface Plane {
  width: number;
  height: number;
  data: Float32Array;
}

/** Output formats of composites and mosaics. */
export type OutputFormat = 'png' | 'jpeg' | 'fits';

/** Output formats of thumbnails. */
export type ThumbnailFormat = 'webp' | 'png' | 'jpeg';

/** An encoded image ready to be stored or streamed. */
export interface EncodedImage {
  buffer: Buffer;
  contentType: string;
  /** File extension without the dot, e.g. `png`, `fits`. */
  extension: string;
  width: number;
  height: number;
}

/** Reports progress of one task: `fraction` in [0, 1] over the whole task. */
export type ProgressFn = (stage: string, fraction: number) => void;
