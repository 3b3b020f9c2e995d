import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';
import type {
  JobError,
  JobHistoryEntry,
  JobLogLine,
  JobResult,
  JobState,
} from '../../../core/jobs/job.model';

/** Collections of the job store in production mode. */
export const JOB_COLLECTION = 'jobs';
export const JOB_COUNTER_COLLECTION = 'job_counters';
export const JOB_CHANGE_COLLECTION = 'job_changes';

/** Finished jobs the reaper missed are dropped by the TTL index this long after `expiresAt`. */
export const JOB_PURGE_MARGIN_MS = 24 * 60 * 60 * 1000;
/** Change-feed entries the pruner missed are dropped by the TTL index after this long. */
export const JOB_CHANGE_TTL_SECONDS = 60 * 60;

const Mixed = MongooseSchema.Types.Mixed;

/** One job as stored (see JobRecord; `id` lives in `_id`, plus the store's own fields). */
@Schema({ collection: JOB_COLLECTION, versionKey: false, _id: false, minimize: false })
export class JobDocument {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: String, required: true })
  type: string;

  @Prop({ type: String, required: true })
  owner: string;

  @Prop({ type: String, required: true })
  state: JobState;

  @Prop({ type: Number })
  priority: number;

  @Prop({ type: Mixed })
  payload: unknown;

  @Prop({ type: Number })
  progress: number;

  @Prop({ type: String })
  stage: string;

  @Prop({ type: String })
  message: string;

  @Prop({ type: Number })
  seq: number;

  @Prop({ type: Number })
  attempt: number;

  @Prop({ type: Number })
  run: number;

  @Prop({ type: Number })
  maxAttempts: number;

  @Prop({ type: Number })
  stalls: number;

  @Prop({ type: Boolean })
  cancelRequested: boolean;

  @Prop({ type: Number })
  runAfter: number;

  @Prop({ type: String, default: null })
  leaseToken: string | null;

  @Prop({ type: Number, default: null })
  leaseExpiresAt: number | null;

  @Prop({ type: Mixed, default: null })
  error: JobError | null;

  @Prop({ type: Mixed, default: null })
  result: JobResult | null;

  @Prop({ type: Mixed, default: [] })
  messages: JobLogLine[];

  @Prop({ type: String, default: null })
  idempotencyKey: string | null;

  @Prop({ type: String, default: null })
  requestHash: string | null;

  @Prop({ type: Boolean })
  system: boolean;

  @Prop({ type: String, default: null })
  node: string | null;

  @Prop({ type: Mixed, default: [] })
  history: JobHistoryEntry[];

  @Prop({ type: Number })
  createdAt: number;

  @Prop({ type: Number, default: null })
  startedAt: number | null;

  @Prop({ type: Number })
  updatedAt: number;

  @Prop({ type: Number, default: null })
  finishedAt: number | null;

  @Prop({ type: Number, default: null })
  expiresAt: number | null;

  /** Claim order among equal priorities: the owner's waiting jobs when this one (re)entered. */
  @Prop({ type: Number, default: 0 })
  fairRank: number;

  /** `expiresAt` + margin as a Date, for the TTL index (TTL needs a Date; null never expires). */
  @Prop({ type: Date, default: null })
  purgeAt: Date | null;
}

export const JobSchema = SchemaFactory.createForClass(JobDocument);
// claim(): equality on type and state, then the claim sort; only queued jobs are indexed.
JobSchema.index(
  { type: 1, state: 1, priority: -1, fairRank: 1, createdAt: 1 },
  { name: 'claim', partialFilterExpression: { state: 'queued' } },
);
// recoverExpired(): running jobs by lease expiry.
JobSchema.index({ state: 1, leaseExpiresAt: 1 }, { name: 'leases' });
// list(): one owner's newest first, and everyone's (admins), with the id tie-break.
JobSchema.index({ owner: 1, createdAt: -1, _id: -1 }, { name: 'owner_createdAt_id' });
JobSchema.index({ createdAt: -1, _id: -1 }, { name: 'createdAt_id' });
// insert(): one key per owner (jobs without a key are not indexed).
JobSchema.index(
  { owner: 1, idempotencyKey: 1 },
  {
    name: 'idempotency',
    unique: true,
    partialFilterExpression: { idempotencyKey: { $type: 'string' } },
  },
);
// releaseNode(): the jobs a node holds.
JobSchema.index({ node: 1, state: 1 }, { name: 'node' });
// findExpired() (the reaper) and a TTL backstop behind it.
JobSchema.index({ expiresAt: 1 }, { name: 'expires' });
JobSchema.index({ purgeAt: 1 }, { name: 'purge_ttl', expireAfterSeconds: 0 });

/**
 * Counters: the waiting room (`_id` = `waiting:` + owner, and `waiting:` for everyone) and the
 * change feed's position sequence (`_id` = `changes`).
 */
@Schema({ collection: JOB_COUNTER_COLLECTION, versionKey: false, _id: false })
export class JobCounterDocument {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: Number, default: 0 })
  n: number;
}

export const JobCounterSchema = SchemaFactory.createForClass(JobCounterDocument);

/** One change-feed entry; `_id` is its position. */
@Schema({ collection: JOB_CHANGE_COLLECTION, versionKey: false, _id: false })
export class JobChangeDocument {
  @Prop({ type: Number, required: true })
  _id: number;

  @Prop({ type: String, required: true })
  jobId: string;

  @Prop({ type: String, required: true })
  owner: string;

  @Prop({ type: String, required: true })
  node: string;

  @Prop({ type: String, required: true })
  kind: 'state' | 'progress' | 'deleted';

  /** The writer's clock (epoch ms): what pruneChanges compares. */
  @Prop({ type: Number, required: true })
  at: number;

  /** Wall-clock time of the write: gap detection and the TTL backstop. */
  @Prop({ type: Date, required: true })
  writtenAt: Date;
}

export const JobChangeSchema = SchemaFactory.createForClass(JobChangeDocument);
JobChangeSchema.index({ at: 1 }, { name: 'at' });
JobChangeSchema.index(
  { writtenAt: 1 },
  { name: 'written_ttl', expireAfterSeconds: JOB_CHANGE_TTL_SECONDS },
);
