import { Inject } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { JobContext, JobHandler, RegisterJobHandler } from '../../core/jobs/job-handler';
import { ThumbnailsResult } from '../../core/jobs/job.model';
import { ImagingPool } from '../../imaging';
import { AssetLibrary } from '../assets/asset-library.service';
import { THUMBNAIL_JOB, ThumbnailPayload, thumbnailVariant } from '../assets/asset-keys';
import { imagingStep } from '../imaging-pool/imaging-job-errors';

/** Renders thumbnails of assets, one after the other, with progress per asset. */
@RegisterJobHandler()
export class ThumbnailHandler implements JobHandler<ThumbnailPayload> {
  readonly type = THUMBNAIL_JOB;
  readonly policy = { concurrency: 2, timeoutMs: 900_000, maxAttempts: 2 };

  constructor(
    private readonly library: AssetLibrary,
    private readonly pool: ImagingPool,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async run(ctx: JobContext<ThumbnailPayload>): Promise<ThumbnailsResult> {
    const { assetIds } = ctx.payload;
    for (let i = 0; i < assetIds.length; i += 1) await this.renderOne(ctx, i);
    ctx.progress(100, 'store', `${assetIds.length} thumbnail(s) ready`);
    return { kind: 'thumbnails', assetIds };
  }

  private async renderOne(ctx: JobContext<ThumbnailPayload>, i: number): Promise<void> {
    const { assetIds, size, format } = ctx.payload;
    const n = assetIds.length;
    const at = (fraction: number): number => ((i + fraction) / n) * 100;
    ctx.progress(at(0), 'load', `asset ${i + 1} of ${n}`);
    const { asset, bytes } = await this.library.loadInput(assetIds[i]);
    ctx.progress(at(0.2), 'encode', `rendering ${asset.name} (${i + 1} of ${n})`);
    const started = Date.now();
    const image = await imagingStep(() =>
      this.pool.thumbnail(
        bytes,
        { size, format, maxPixels: this.config.maxPixels },
        { signal: ctx.signal },
      ),
    );
    ctx.progress(at(0.9), 'store', `storing thumbnail ${i + 1} of ${n}`);
    await this.library.storeThumbnail(asset.id, thumbnailVariant(size, format), image);
    ctx.log(
      `${asset.name}: ${image.width}×${image.height} ${format} thumbnail in ${Date.now() - started} ms`,
    );
  }
}
