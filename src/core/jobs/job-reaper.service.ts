import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { BLOB_STORE, BlobStore } from '../storage/blob-store.port';
import { JOB_STORE, JobStore } from './job-store.port';
import { JobTracker } from './job-tracker.service';

/** Deletes expired finished jobs: their blobs first, the record only when that worked. */
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
    this.timer = setInterval(() => void this.reapOnce(), this.config.jobs.reapIntervalMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** One pass; returns how many records were deleted. */
  async reapOnce(now = Date.now()): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    let removed = 0;
    try {
      for (const record of await this.store.findExpired(now, 500)) {
        try {
          await this.blobs.deletePrefix(`jobs/${record.id}/`);
          if (await this.tracker.remove(record)) removed++;
        } catch (err) {
          this.logger.warn(`could not reap job ${record.id}: ${String(err)}`);
        }
      }
    } finally {
      this.running = false;
    }
    return removed;
  }
}
