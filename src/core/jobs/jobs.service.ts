import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { Principal } from '../auth/principal';
import { decodeCursor, DEFAULT_PAGE_SIZE, Page, pageOf } from '../http/paging';
import {
  AppError,
  ConflictError,
  NotFoundError,
  ResultExpiredError,
  ValidationError,
} from '../errors/app-error';
import { BLOB_STORE, BlobStore } from '../storage/blob-store.port';
import { jobPrefix } from './job-attempt';
import { JobRecord, JobState } from './job.model';
import { JobRunner } from './job-runner.service';
import { JOB_STORE, JobStore } from './job-store.port';
import { JobTracker } from './job-tracker.service';
import { JobView, JobViewMapper } from './job-view';
import { ListJobsQuery } from './jobs.dto';
import { parseRange } from './range';
import { ErrorCode } from '../errors/error-code';

/** The 202 answer of every export submission. */
export interface Accepted {
  jobId: string;
  state: JobState;
  links: { self: string; result: string };
}

export interface SubmitOptions {
  idempotencyKey?: string;
  priority?: number;
  /** Work the system queues on its own (automatic thumbnails): no quota slot is taken. */
  system?: boolean;
}

export type ResultDownload =
  | { kind: 'redirect'; location: string }
  | { kind: 'not-modified'; etag: string }
  | { kind: 'file'; status: 200 | 206; stream: Readable; headers: Record<string, string> };

/** What the jobs REST API and the domains' submissions do, with ownership rules applied. */
@Injectable()
export class JobsService {
  constructor(
    @Inject(JOB_STORE) private readonly store: JobStore,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tracker: JobTracker,
    private readonly runner: JobRunner,
    private readonly views: JobViewMapper,
  ) {}

  /** Persists and queues a job of a registered type; same Idempotency-Key + body → same job. */
  async submit(
    user: Principal,
    type: string,
    payload: unknown,
    options: SubmitOptions = {},
  ): Promise<Accepted> {
    const policy = this.runner.policyOf(type);
    if (!policy) throw new NotFoundError(`job type ${type}`);
    if ((options.priority ?? 0) > 0 && !user.admin && !options.system) {
      throw new ValidationError([
        { field: 'priority', problem: 'only admins may use a priority above 0' },
      ]);
    }
    const key = options.idempotencyKey;
    if (key !== undefined && (key.length === 0 || key.length > 200)) {
      throw new ValidationError([
        { field: 'Idempotency-Key', problem: 'must be 1 to 200 characters' },
      ]);
    }
    const requestHash = key
      ? createHash('sha256')
          .update(`${type}\n${JSON.stringify(payload)}`)
          .digest('hex')
      : undefined;
    const { job } = await this.tracker.create({
      type,
      owner: user.userId,
      payload,
      maxAttempts: policy.maxAttempts,
      priority: options.priority,
      idempotencyKey: key,
      requestHash,
      system: options.system,
    });
    return {
      jobId: job.id,
      state: job.state,
      links: { self: `/api/jobs/${job.id}`, result: `/api/jobs/${job.id}/result` },
    };
  }

  /** A job the user may see; anyone else's is 404 (no existence leak). */
  async owned(user: Principal, id: string): Promise<JobRecord> {
    const record = await this.tracker.get(id);
    if (!record || (!user.admin && record.owner !== user.userId)) throw new NotFoundError('job');
    return record;
  }

  async view(user: Principal, id: string): Promise<JobView> {
    return this.views.toView(await this.owned(user, id), user, true);
  }

  async list(user: Principal, query: ListJobsQuery): Promise<Page<JobView>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const owner = user.admin && query.all ? undefined : user.userId;
    const records = await this.store.list({
      owner,
      state: query.state,
      type: query.type,
      limit: limit + 1,
      cursor: decodeCursor(query.cursor),
    });
    return pageOf(records, limit, (r) =>
      this.views.toView(this.tracker.liveRecord(r.id) ?? r, user),
    );
  }

  async cancel(user: Principal, id: string): Promise<{ status: 200 | 202; job: JobView }> {
    await this.owned(user, id);
    const record = await this.tracker.requestCancel(id);
    return {
      status: record.state === JobState.cancelled ? 200 : 202,
      job: this.views.toView(record, user),
    };
  }

  async retry(user: Principal, id: string): Promise<JobView> {
    const current = await this.owned(user, id);
    const record = await this.tracker.retry(id);
    if (!record)
      throw new ConflictError(
        ErrorCode.job_not_retryable,
        `a ${current.state} job cannot be retried`,
      );
    return this.views.toView(record, user);
  }

  /** Cancels if needed, deletes the blobs, then the record. */
  async remove(user: Principal, id: string): Promise<void> {
    const record = await this.owned(user, id);
    await this.blobs.deletePrefix(jobPrefix(id));
    await this.tracker.remove(record);
  }

  async result(
    user: Principal,
    id: string,
    rangeHeader?: string,
    ifNoneMatch?: string,
  ): Promise<ResultDownload> {
    const record =
      user.signedPath === `/api/jobs/${id}/result`
        ? await this.signedRecord(id)
        : await this.owned(user, id);
    if (record.state !== JobState.completed)
      throw new ConflictError(ErrorCode.job_not_completed, `the job is ${record.state}`);
    const result = record.result;
    if (!result) throw new AppError(404, ErrorCode.no_result, 'the job produced no result file');
    if (result.kind === 'asset')
      return { kind: 'redirect', location: `/api/assets/${result.assetId}` };
    if (result.kind === 'thumbnails')
      return { kind: 'redirect', location: `/api/assets/${result.assetIds[0]}/thumbnail` };
    if (record.expiresAt !== null && record.expiresAt < Date.now()) throw new ResultExpiredError();
    const info = await this.blobs.head(result.key);
    if (!info) throw new ResultExpiredError();
    const disposition = `attachment; filename="${result.filename.replace(/["\\\r\n]/g, '_')}"`;
    if (user.signedPath) {
      // A signed link may go straight to the object store (S3_PRESIGNED_DOWNLOADS).
      const options = { expiresInS: 300, contentType: result.contentType, disposition };
      const location = await this.blobs.directUrl(result.key, options);
      if (location) return { kind: 'redirect', location };
    }
    const etag = `"${result.sha256}"`;
    if (ifNoneMatch === etag) return { kind: 'not-modified', etag };
    const range = parseRange(rangeHeader, info.bytes);
    const headers: Record<string, string> = {
      'Content-Type': result.contentType,
      ETag: etag,
      'Accept-Ranges': 'bytes',
      'Content-Disposition': disposition,
      'Content-Length': String(range ? range.end - range.start + 1 : info.bytes),
    };
    if (range) headers['Content-Range'] = `bytes ${range.start}-${range.end}/${info.bytes}`;
    const stream = await this.blobs.get(result.key, range ?? undefined);
    return { kind: 'file', status: range ? 206 : 200, stream, headers };
  }

  private async signedRecord(id: string): Promise<JobRecord> {
    const record = await this.tracker.get(id);
    if (!record) throw new NotFoundError('job');
    return record;
  }

  async stats(user: Principal): Promise<Record<string, unknown>> {
    const rows = await this.store.countByTypeAndState(user.admin ? undefined : user.userId);
    const counts = emptyCounts();
    const byType: Record<string, Record<JobState, number>> = {};
    for (const { type, state, count } of rows) {
      counts[state] += count;
      (byType[type] ??= emptyCounts())[state] += count;
    }
    return {
      counts,
      byType,
      capacity: { limit: this.config.queueCapacity, waiting: await this.store.countWaiting() },
      workers: this.runner.workerLoad(),
      paused: this.runner.isPaused,
      throughput: this.runner.stats.throughput(),
      durations: this.runner.stats.percentiles(),
    };
  }

  setPaused(paused: boolean): { paused: boolean } {
    this.runner.setPaused(paused);
    return { paused };
  }
}

function emptyCounts(): Record<JobState, number> {
  return { queued: 0, running: 0, completed: 0, failed: 0, cancelled: 0 };
}
