import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { BLOB_STORE, BlobStore } from '../storage/blob-store.port';
import { jobPrefix } from './job-attempt';
import { logFields } from './job.model';
import { JOB_STORE, JobStore } from './job-store.port';
import { JobTracker } from './job-tracker.service';

const BATCH = 500;

/**
 * Deletes expired finished jobs: their blobs first, the record only when that worked. Each pass
 * works in batches until nothing expired is left, so it keeps pace with any finish rate.
 */
@Injectable()
export class JobReaper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(JobReaper.name);
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    @Inject(JOB_STORE) private readonly store: JobStore,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tracker: JobTracker,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.reapOnce().catch((err: unknown) =>
        this.logger.warn(`reaper pass failed: ${String(err)}`),
      );
    }, this.config.jobs.reapIntervalMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** One pass (all batches); returns how many records were deleted. */
  async reapOnce(now = Date.now()): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    let removed = 0;
    try {
      const skipped = new Set<string>();
      for (;;) {
        const batch = (await this.store.findExpired(now, BATCH + skipped.size)).filter(
          (r) => !skipped.has(r.id),
        );
        if (batch.length === 0) break;
        for (const record of batch) {
          if (await this.reap(record.id, record)) removed++;
          else skipped.add(record.id);
        }
      }
    } finally {
      this.running = false;
    }
    return removed;
  }

  private async reap(id: string, record: Parameters<JobTracker['remove']>[0]): Promise<boolean> {
    try {
      await this.blobs.deletePrefix(jobPrefix(id));
      return await this.tracker.remove(record);
    } catch (err) {
      this.logger.warn(logFields(record, err), 'could not reap the job');
      return false;
    }
  }
}
