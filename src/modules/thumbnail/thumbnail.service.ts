import { Injectable } from '@nestjs/common';
import { Principal } from '../../core/auth/principal';
import { Accepted, JobsService } from '../../core/jobs/jobs.service';
import { AssetLibrary } from '../assets/asset-library.service';
import { DEFAULT_THUMBNAIL, THUMBNAIL_JOB, ThumbnailPayload } from '../assets/asset-keys';
import { ThumbnailsDto } from './thumbnail.dto';

/** Checks the referenced assets, then queues one thumbnail job for all of them. */
@Injectable()
export class ThumbnailService {
  constructor(
    private readonly jobs: JobsService,
    private readonly library: AssetLibrary,
  ) {}

  async submit(user: Principal, body: ThumbnailsDto, idempotencyKey?: string): Promise<Accepted> {
    const refs = body.assetIds.map((id, i) => ({ field: `assetIds.${i}`, id }));
    await this.library.requireAll(user, refs);
    const payload: ThumbnailPayload = {
      assetIds: body.assetIds,
      size: body.size ?? DEFAULT_THUMBNAIL.size,
      format: body.format ?? DEFAULT_THUMBNAIL.format,
    };
    return this.jobs.submit(user, THUMBNAIL_JOB, payload, {
      idempotencyKey,
      priority: body.priority,
    });
  }
}
