import type { Readable } from 'node:stream';

export const BLOB_STORE = Symbol('BLOB_STORE');

export interface BlobInfo {
  key: string;
  bytes: number;
  contentType?: string;
}

export interface PutResult {
  bytes: number;
  sha256: string;
}

/** Inclusive byte range, as in HTTP Range. */
export interface ByteRange {
  start: number;
  end: number;
}

/** How a direct download link should present the blob. */
export interface DirectLinkOptions {
  /** Link lifetime in seconds. */
  expiresInS: number;
  contentType?: string;
  /** `Content-Disposition` the storage should answer with. */
  disposition?: string;
}

/**
 * Blob storage port: results and assets live here as opaque keys (`jobs/<id>/file.png`).
 * Streams only: no adapter may hold a whole blob in memory.
 */
export interface BlobStore {
  /** Stores a stream under `key`; returns its size and SHA-256 (hex). */
  put(key: string, body: Readable | Buffer, contentType?: string): Promise<PutResult>;
  /** Opens a stream over the blob (or a byte range of it). Rejects with BlobNotFoundError. */
  get(key: string, range?: ByteRange): Promise<Readable>;
  /** Size and type, or null when absent. */
  head(key: string): Promise<BlobInfo | null>;
  delete(key: string): Promise<void>;
  /** Deletes every blob whose key starts with `prefix` (a folder such as `jobs/<id>/`). */
  deletePrefix(prefix: string): Promise<void>;
  /**
   * A time-limited URL that serves the blob straight from the storage (e.g. a presigned S3 GET),
   * or null when this store has none or direct links are turned off.
   */
  directUrl(key: string, options: DirectLinkOptions): Promise<string | null>;
  /** Cheap reachability probe for readiness. */
  ping(): Promise<void>;
  /** Releases connections (after the app's last write). */
  close(): Promise<void>;
}

export class BlobNotFoundError extends Error {
  constructor(key: string) {
    super(`blob not found: ${key}`);
  }
}

export class InvalidBlobKeyError extends Error {
  constructor(key: string) {
    super(`invalid blob key: ${key}`);
  }
}

/** Keys are relative, slash-separated, without `..`, empty or hidden segments. */
export function assertValidKey(key: string): void {
  const segments = key.split('/');
  const bad = segments.some(
    (s) => s === '' || s === '.' || s === '..' || s.includes('\\') || s.includes('\0'),
  );
  if (bad || key.length > 1024) throw new InvalidBlobKeyError(key);
}
