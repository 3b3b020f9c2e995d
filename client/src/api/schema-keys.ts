import type {
  Asset,
  CompositeBody,
  CompositeChannel,
  DiagnosticBody,
  Job,
  MosaicBody,
  StatsOverview,
} from './types';

/**
 * The hand-typed shapes' keys at run time (true = always present), so that a test can hold
 * them against the OpenAPI document; `satisfies` keeps each list in step with its type.
 */
export const JOB_KEYS = {
  id: true,
  type: true,
  state: true,
  progress: true,
  stage: true,
  message: true,
  seq: true,
  attempt: true,
  maxAttempts: true,
  priority: true,
  cancelRequested: true,
  queuePosition: false,
  runAfter: false,
  error: false,
  createdAt: true,
  startedAt: false,
  updatedAt: true,
  finishedAt: false,
  expiresAt: false,
  result: false,
  owner: false,
} satisfies Record<keyof Job, boolean>;

export const ASSET_KEYS = {
  id: true,
  name: true,
  format: true,
  width: true,
  height: true,
  channels: true,
  bitDepth: true,
  bytes: true,
  createdAt: true,
  contentUrl: true,
  thumbnailUrl: true,
  thumbnailJobId: true,
  wcs: false,
} satisfies Record<keyof Asset, boolean>;

export const STATS_KEYS = {
  counts: true,
  byType: true,
  capacity: true,
  workers: true,
  paused: true,
  throughput: true,
  durations: true,
} satisfies Record<keyof StatsOverview, boolean>;

const OUTPUT = { format: false, quality: false, width: false, height: false, priority: false };
const STRETCH = {
  stretch: false,
  blackPoint: false,
  whitePoint: false,
  gamma: false,
  asinhA: false,
};

export const COMPOSITE_BODY_KEYS = {
  ...OUTPUT,
  channels: true,
  bitDepth: false,
  align: false,
  backgroundNeutralize: false,
  downscale: false,
} satisfies Record<keyof CompositeBody, boolean>;

export const COMPOSITE_CHANNEL_KEYS = {
  ...STRETCH,
  assetId: true,
  color: true,
  weight: false,
} satisfies Record<keyof CompositeChannel, boolean>;

export const MOSAIC_BODY_KEYS = {
  ...OUTPUT,
  ...STRETCH,
  tiles: true,
  layout: false,
  columns: false,
  gap: false,
  background: false,
  combine: false,
  downscale: false,
  pixelScaleArcsec: false,
  backgroundMatch: false,
} satisfies Record<keyof MosaicBody, boolean>;

export const DIAGNOSTIC_BODY_KEYS = {
  durationMs: true,
  steps: false,
  failAttempts: false,
  resultBytes: false,
  cpu: false,
} satisfies Record<keyof DiagnosticBody, boolean>;
