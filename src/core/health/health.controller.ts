import { Controller, Get, Inject } from '@nestjs/common';
import { UnavailableError } from '../errors/app-error';
import { Public } from '../auth/auth.decorators';
import { JOB_STORE, JobStore } from '../jobs/job-store.port';
import { BLOB_STORE, BlobStore } from '../storage/blob-store.port';

@Controller('health')
@Public()
export class HealthController {
  constructor(
    @Inject(JOB_STORE) private readonly store: JobStore,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
  ) {}

  @Get('live')
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready() {
    try {
      await Promise.all([this.store.ping(), this.blobs.ping()]);
    } catch {
      throw new UnavailableError('store or blob storage unreachable');
    }
    return { status: 'ok' };
  }
}
