import type { ThumbnailPayload } from './assets/asset-keys';
import type { CompositePayload } from './composite/composite.dto';
import type { DiagnosticPayload } from './diagnostics/diagnostics.dto';
import type { MosaicPayload } from './mosaic/mosaic.dto';

/**
 * Every job type Darkroom runs, in one place (the way Immich names its jobs). The engine in
 * `src/core/jobs` treats a type as an opaque string; the domains name theirs from here.
 */
export enum JobType {
  composite = 'composite',
  mosaic = 'mosaic',
  thumbnail = 'thumbnail',
  diagnostic = 'diagnostic',
}

/** The payload each job type's handler receives. */
export interface JobPayloads {
  [JobType.composite]: CompositePayload;
  [JobType.mosaic]: MosaicPayload;
  [JobType.thumbnail]: ThumbnailPayload;
  [JobType.diagnostic]: DiagnosticPayload;
}

/** One submission: a type with its own payload (a discriminated union over JobType). */
export type JobSubmission = { [T in JobType]: { type: T; payload: JobPayloads[T] } }[JobType];
