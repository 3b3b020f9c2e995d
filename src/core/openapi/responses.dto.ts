/**
 * Response shapes of API.md as classes, for the OpenAPI document only (the swagger plugin reads
 * their fields; the app answers with the interfaces they mirror). Keep in step with API.md.
 */
import { ErrorCode } from '../errors/error-code';
import { JobState } from '../jobs/job.model';

export class ErrorDetailDto {
  /** Path of the offending field, e.g. `channels.0.assetId`. */
  field: string;
  problem: string;
}

/** Every error body (API.md "Errors"). */
export class ErrorBodyDto {
  statusCode: number;
  code: ErrorCode;
  message: string;
  details?: ErrorDetailDto[];
}

export class AcceptedLinksDto {
  self: string;
  result: string;
}

/** `202` of every export: the job was accepted (see the `Location` header). */
export class AcceptedDto {
  jobId: string;
  state: JobState;
  links: AcceptedLinksDto;
}

export class JobErrorDto {
  code: string;
  message: string;
  retryable: boolean;
}

/** `{ kind: "blob", … downloadUrl }` | `{ kind: "asset", assetId }` | `{ kind: "thumbnails", assetIds }`. */
export class JobResultDto {
  kind: 'blob' | 'asset' | 'thumbnails';
  filename?: string;
  contentType?: string;
  bytes?: number;
  sha256?: string;
  /** Signed, expiring link usable without a header. */
  downloadUrl?: string;
  assetId?: string;
  assetIds?: string[];
}

export class JobMessageDto {
  at: string;
  text: string;
}

export class JobHistoryEntryDto {
  at: string;
  event: string;
  attempt: number;
  /** The process that ran the attempt (stable per process). */
  node: string;
  reason?: string;
}

/** The `Job` snapshot (API.md "Jobs"). */
export class JobDto {
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
  error?: JobErrorDto;
  createdAt: string;
  startedAt?: string;
  updatedAt: string;
  finishedAt?: string;
  expiresAt?: string;
  result?: JobResultDto;
  /** Admins only. */
  owner?: string;
  /** `GET /api/jobs/:id` only: the last 50 log lines. */
  messages?: JobMessageDto[];
  /** `GET /api/jobs/:id` only: every run of the job. */
  history?: JobHistoryEntryDto[];
}

export class JobPageDto {
  items: JobDto[];
  nextCursor: string | null;
}

export class SkyPointDto {
  ra: number;
  dec: number;
}

export class WcsDto {
  projection: string;
  center: SkyPointDto;
  corners: SkyPointDto[];
  pixelScaleArcsec: number;
  rotationDeg: number;
  frame: string;
}

/** The `Asset` (API.md "Assets"). */
export class AssetDto {
  id: string;
  name: string;
  format: 'fits' | 'png' | 'jpeg' | 'tiff' | 'webp';
  width: number;
  height: number;
  channels: number;
  bitDepth: number;
  bytes: number;
  createdAt: string;
  /** Signed, expiring link. */
  contentUrl: string;
  thumbnailUrl: string | null;
  thumbnailJobId: string | null;
  wcs: WcsDto | null;
}

export class AssetPageDto {
  items: AssetDto[];
  nextCursor: string | null;
}

export class StateCountsDto {
  queued: number;
  running: number;
  completed: number;
  failed: number;
  cancelled: number;
}

export class CapacityDto {
  limit: number;
  waiting: number;
}

export class ThroughputDto {
  completedLastMinute: number;
  failedLastMinute: number;
}

/** `GET /api/jobs/stats/overview` (own jobs; admins: system). Maps are keyed by job type. */
export class StatsOverviewDto {
  counts: StateCountsDto;
  byType: Record<string, StateCountsDto>;
  capacity: CapacityDto;
  workers: Record<string, { busy: number; total: number }>;
  paused: boolean;
  throughput: ThroughputDto;
  durations: Record<string, { p50Ms: number; p95Ms: number }>;
}

export class PausedDto {
  paused: boolean;
}

/** `multipart/form-data` body of `POST /api/assets`. */
export class UploadBodyDto {
  /** The image: FITS (optionally compressed), PNG, JPEG, TIFF or WebP. */
  file: string;
  /** Display name (default: the file name). */
  name?: string;
}

export class HealthDto {
  status: string;
}
