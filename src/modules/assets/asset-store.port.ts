import type { CelestialWcs, ImageFormat } from '../../imaging';

export const ASSET_STORE = Symbol('ASSET_STORE');

/** A stored input image: its facts (read from content at upload) and where its blobs live. */
export interface AssetRecord {
  id: string;
  owner: string;
  name: string;
  format: ImageFormat;
  width: number;
  height: number;
  channels: number;
  bitDepth: number;
  /** Size of the original file in bytes. */
  bytes: number;
  sha256: string;
  /** Epoch milliseconds. */
  createdAt: number;
  /** The job rendering the default thumbnail, when one was queued. */
  thumbnailJobId: string | null;
  /** Rendered thumbnail variants, e.g. `256.webp` (see asset-thumbnails.ts). */
  thumbnails: string[];
  /** FITS: the image's celestial WCS read at upload (plain JSON); absent or null when none. */
  wcs?: CelestialWcs | null;
}

/** Page query: newest first; `cursor` is the last record of the previous page. */
export interface AssetListQuery {
  /** Only this owner's assets; absent = everyone's (admins). */
  owner?: string;
  limit: number;
  cursor?: { createdAt: number; id: string };
}

/**
 * Persistence port of asset records (the blobs themselves live in the BlobStore).
 * Every adapter must pass `test/contracts/asset-store.contract.ts`.
 */
export interface AssetStore {
  insert(record: AssetRecord): Promise<void>;
  /** The record, or null when absent. */
  get(id: string): Promise<AssetRecord | null>;
  /** Newest first (createdAt, then id, descending), after `cursor` when given. */
  list(query: AssetListQuery): Promise<AssetRecord[]>;
  /** Records the thumbnail job; returns false when the asset is gone. */
  setThumbnailJob(id: string, jobId: string): Promise<boolean>;
  /** Adds a rendered variant (idempotent); returns false when the asset is gone. */
  addThumbnail(id: string, variant: string): Promise<boolean>;
  /** Removes the record; returns false when it was already gone. */
  delete(id: string): Promise<boolean>;
  close(): Promise<void>;
}
