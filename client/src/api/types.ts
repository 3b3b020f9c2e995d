/** Hand-typed shapes of the public contract (shared/docs/API.md); checked against /api/docs-json by test/browser/openapi-client.e2e-spec.ts. */

export type ImageFormat = 'fits' | 'png' | 'jpeg' | 'tiff' | 'webp';

export interface SkyPoint {
  ra: number;
  dec: number;
}

export interface Wcs {
  projection: string;
  center: SkyPoint;
  corners: SkyPoint[];
  pixelScaleArcsec: number;
  rotationDeg: number;
  frame: string;
}

export interface Asset {
  id: string;
  name: string;
  format: ImageFormat;
  width: number;
  height: number;
  channels: number;
  bitDepth: number;
  bytes: number;
  createdAt: string;
  contentUrl: string;
  thumbnailUrl: string | null;
  thumbnailJobId: string | null;
  wcs?: Wcs | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface FitsHeader {
  hdu: number;
  cards: { key: string; value: unknown; comment?: string }[];
}

/** Counts of an asset's raw values (`GET /api/assets/:id/histogram`). */
export interface AssetHistogram {
  assetId: string;
  values: 'physical' | 'samples' | 'luminance';
  min: number | null;
  max: number | null;
  binWidth: number;
  counts: number[];
  count: number;
  nanCount: number;
}

export const JOB_STATES = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;
export type JobState = (typeof JOB_STATES)[number];
export const TERMINAL_STATES: readonly JobState[] = ['completed', 'failed', 'cancelled'];
export const JOB_TYPES = ['composite', 'mosaic', 'thumbnail', 'diagnostic'] as const;

export type JobResult =
  | {
      kind: 'blob';
      filename: string;
      contentType: string;
      bytes: number;
      sha256: string;
      downloadUrl: string;
    }
  | { kind: 'asset'; assetId: string }
  | { kind: 'thumbnails'; assetIds: string[] };

export interface JobError {
  code: string;
  message: string;
  retryable: boolean;
}

export interface Job {
  id: string;
  type: string;
  state: JobState;
  progress: number;
  stage: string;
  message: string;
  seq: number;
  attempt: number;
  maxAttempts: number;
  priority: number;
  cancelRequested: boolean;
  queuePosition?: number;
  runAfter?: string;
  error?: JobError;
  createdAt: string;
  startedAt?: string;
  updatedAt: string;
  finishedAt?: string;
  expiresAt?: string;
  result?: JobResult;
  owner?: string;
}

export interface JobHistoryEntry {
  at: string;
  event: string;
  attempt: number;
  node: string;
  reason?: string;
}

export interface JobDetail extends Job {
  messages?: { at: string; text: string }[];
  history?: JobHistoryEntry[];
}

/** `job:progress`: a partial update. */
export interface JobProgressEvent {
  jobId: string;
  state: JobState;
  progress: number;
  stage: string;
  message: string;
  seq: number;
  updatedAt: string;
}

export type StateCounts = Record<JobState, number>;

export interface StatsOverview {
  counts: StateCounts;
  byType: Record<string, StateCounts>;
  capacity: { limit: number; waiting: number };
  workers: Record<string, { busy: number; total: number }>;
  paused: boolean;
  throughput: { completedLastMinute: number; failedLastMinute: number };
  durations: Record<string, { p50Ms: number; p95Ms: number }>;
}

export interface Accepted {
  jobId: string;
  state: JobState;
  links: { self: string; result: string };
}

export type Stretch = 'linear' | 'sqrt' | 'log' | 'asinh' | 'zscale' | 'histeq';
export const STRETCHES: readonly Stretch[] = ['linear', 'sqrt', 'log', 'asinh', 'zscale', 'histeq'];
export type OutputFormat = 'png' | 'jpeg' | 'fits';

export interface StretchOptions {
  stretch?: Stretch;
  blackPoint?: number;
  whitePoint?: number;
  gamma?: number;
  asinhA?: number;
}

export interface CompositeChannel extends StretchOptions {
  assetId: string;
  color: string;
  weight?: number;
}

export interface OutputOptions {
  format?: OutputFormat;
  quality?: number;
  width?: number;
  height?: number;
  priority?: number;
}

export interface CompositeBody extends OutputOptions {
  channels: CompositeChannel[];
  bitDepth?: 8 | 16;
  align?: 'wcs' | 'pixel';
  backgroundNeutralize?: boolean;
  downscale?: boolean;
}

export type MosaicCombine = 'first' | 'last' | 'mean' | 'sum' | 'min' | 'max';
export type MosaicLayout = 'grid' | 'offsets' | 'wcs';

export interface MosaicBody extends OutputOptions, StretchOptions {
  tiles: { assetId: string; x?: number; y?: number }[];
  layout?: MosaicLayout;
  columns?: number;
  gap?: number;
  background?: string;
  combine?: MosaicCombine;
  downscale?: boolean;
  /** WCS layout: output pixel scale (default: the finest input's). */
  pixelScaleArcsec?: number;
  /** WCS layout: fit additive offsets between overlapping tiles. */
  backgroundMatch?: boolean;
}

export interface DiagnosticBody {
  durationMs: number;
  steps?: number;
  failAttempts?: number;
  resultBytes?: number;
  cpu?: boolean;
}

/** Every error body of the API. */
export interface ApiErrorBody {
  statusCode: number;
  code: string;
  message: string;
  details?: { field: string; problem: string }[];
}
