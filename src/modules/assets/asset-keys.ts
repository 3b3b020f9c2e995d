import type { ImageFormat, ThumbnailFormat } from '../../imaging';
import { JobType } from '../job-types';

/** Job type of thumbnail rendering (queued for every new asset, and by `POST /api/thumbnails`). */
export const THUMBNAIL_JOB = JobType.thumbnail;

/** Payload of a thumbnail job. */
export interface ThumbnailPayload {
  assetIds: string[];
  size: number;
  format: ThumbnailFormat;
}

/** The thumbnail every asset gets on upload; `thumbnailUrl` points at it. */
export const DEFAULT_THUMBNAIL = { size: 256, format: 'webp' } as const;

/** Name of a rendered thumbnail variant, e.g. `256.webp`. */
export function thumbnailVariant(size: number, format: ThumbnailFormat): string {
  return `${size}.${format}`;
}

export const DEFAULT_VARIANT = thumbnailVariant(DEFAULT_THUMBNAIL.size, DEFAULT_THUMBNAIL.format);

/** Folder of every blob of an asset. */
export const assetPrefix = (id: string): string => `assets/${id}/`;
/** The original upload, byte for byte. */
export const originalKey = (id: string): string => `assets/${id}/original`;
/** One thumbnail variant. */
export const thumbnailKey = (id: string, variant: string): string =>
  `assets/${id}/thumbnail-${variant}`;

/** Content types of asset formats and thumbnail formats. */
export const CONTENT_TYPES: Record<ImageFormat | ThumbnailFormat, string> = {
  fits: 'application/fits',
  png: 'image/png',
  jpeg: 'image/jpeg',
  tiff: 'image/tiff',
  webp: 'image/webp',
};
