import { Inject } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { JobContext, JobHandler, RegisterJobHandler } from '../../core/jobs/job-handler';
import { AssetResult, BlobResult } from '../../core/jobs/job.model';
import {
  EncodedImage,
  ImagingPool,
  MosaicOptions,
  WcsMosaicOptions,
  estimateMosaicMB,
  planLayout,
  readFitsHeader,
  readWcs,
} from '../../imaging';
import { AssetLibrary } from '../assets/asset-library.service';
import {
  DescribeProgress,
  inputRecords,
  itemAt,
  loadInputs,
  runPoolTask,
} from '../imaging-pool/imaging-job-steps';
import { MemoryBudget, MemoryPlan } from '../imaging-pool/memory-budget';
import type { MosaicPayload } from './mosaic.dto';
import { estimateWcsMosaic, wcsGridOf } from './wcs-plan';
import { JobType } from '../job-types';

export const MOSAIC_JOB = JobType.mosaic;

/** The pool reports decode per tile over 70 % of the task, then stretch and encode. */
function describeMosaic(n: number, format: string): DescribeProgress {
  return (stage, fraction) => {
    if (stage === 'decode') return ['combine', `adding tile ${itemAt(fraction, 0.7, n)} of ${n}`];
    if (stage === 'stretch')
      return ['stretch', format === 'fits' ? 'keeping linear values' : 'stretching the mosaic'];
    return ['encode', `encoding ${format}`];
  };
}

/** Mosaic of asset tiles: a PNG/JPEG/FITS file, or (with `saveAs`) a new FITS asset. */
@RegisterJobHandler()
export class MosaicHandler implements JobHandler<MosaicPayload> {
  readonly type = MOSAIC_JOB;
  readonly policy = { concurrency: 1, timeoutMs: 600_000, maxAttempts: 2 };

  constructor(
    private readonly library: AssetLibrary,
    private readonly pool: ImagingPool,
    private readonly budget: MemoryBudget,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Holds the job's memory estimate (at the scale planned at submission) while it runs. */
  async run(ctx: JobContext<MosaicPayload>): Promise<BlobResult | AssetResult> {
    const { payload } = ctx;
    const records = await inputRecords(
      this.library,
      payload.tiles.map((t) => t.assetId),
    );
    const estimate =
      payload.layout === 'wcs'
        ? estimateWcsMosaic(records, wcsGridOf(records, payload), payload)
        : estimateMosaicMB(
            records,
            planLayout(records, { ...payload, layout: payload.layout, tiles: payload.tiles }),
            payload,
          );
    const plan = this.budget.plan(estimate, payload.downscale);
    if (plan.scale < 1) ctx.log(`downscaled to ${plan.scale} to fit the memory budget`);
    return this.budget.hold(ctx, plan.mb, () => this.mosaic(ctx, plan));
  }

  private async mosaic(
    ctx: JobContext<MosaicPayload>,
    plan: MemoryPlan,
  ): Promise<BlobResult | AssetResult> {
    const { tiles, saveAs, ...rest } = ctx.payload;
    const ids = tiles.map((tile) => tile.assetId);
    const inputs = await loadInputs(ctx, this.library, ids, 'tile');
    const common = {
      format: saveAs !== undefined ? ('fits' as const) : rest.format,
      maxPixels: this.config.maxPixels,
      scale: plan.scale,
    };
    const options: MosaicOptions | WcsMosaicOptions =
      rest.layout === 'wcs'
        ? { ...rest, ...common, layout: 'wcs', names: inputs.map((i) => i.asset.name) }
        : { ...rest, ...common, layout: rest.layout, tiles: tiles.map(({ x, y }) => ({ x, y })) };
    const format = options.format ?? 'png';
    const image = await runPoolTask(
      ctx,
      `mosaic ${format}`,
      describeMosaic(ids.length, format),
      (run) =>
        this.pool.mosaic(
          inputs.map((i) => i.bytes),
          options,
          run,
        ),
    );
    if (saveAs === undefined)
      return ctx.storeResult(`mosaic.${image.extension}`, image.buffer, image.contentType);
    return this.saveAsset(ctx, saveAs, image);
  }

  /** The new asset takes the job's id, so a retry after a crash finds it instead of duplicating. */
  private async saveAsset(
    ctx: JobContext<MosaicPayload>,
    name: string,
    image: EncodedImage,
  ): Promise<AssetResult> {
    const existing = await this.library.get(ctx.id);
    if (!existing) {
      const info = {
        format: 'fits' as const,
        width: image.width,
        height: image.height,
        wcs: readWcs(readFitsHeader(image.buffer).cards),
      };
      await this.library.createFromBuffer(ctx.owner, ctx.id, name, image, {
        ...info,
        channels: 1,
        bitDepth: 32,
      });
      ctx.log(`saved as asset ${ctx.id} (${name})`);
    }
    return { kind: 'asset', assetId: ctx.id };
  }
}
