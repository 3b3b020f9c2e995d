import { Inject } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { JobContext, JobHandler, RegisterJobHandler } from '../../core/jobs/job-handler';
import { BlobResult } from '../../core/jobs/job.model';
import { CompositeOptions, ImagingPool, estimateCompositeMB } from '../../imaging';
import { AssetLibrary } from '../assets/asset-library.service';
import {
  DescribeProgress,
  inputRecords,
  itemAt,
  loadInputs,
  runPoolTask,
} from '../imaging-pool/imaging-job-steps';
import { MemoryBudget, MemoryPlan } from '../imaging-pool/memory-budget';
import type { CompositePayload } from './composite.dto';
import { JobType } from '../job-types';

export const COMPOSITE_JOB = JobType.composite;

/** The pool reports decode/stretch per channel over 80 % of the task, then encode. */
function describeComposite(n: number, format: string): DescribeProgress {
  return (stage, fraction) => {
    const k = itemAt(fraction, 0.8, n);
    if (stage === 'decode') return ['stretch', `decoding and stretching channel ${k} of ${n}`];
    if (stage === 'stretch') return ['combine', `adding channel ${k} of ${n}`];
    return ['encode', `encoding ${format}`];
  };
}

/** Colour composite: loads each channel's asset, composites in a worker, stores the file. */
@RegisterJobHandler()
export class CompositeHandler implements JobHandler<CompositePayload> {
  readonly type = COMPOSITE_JOB;
  readonly policy = { concurrency: 1, timeoutMs: 600_000, maxAttempts: 2 };

  constructor(
    private readonly library: AssetLibrary,
    private readonly pool: ImagingPool,
    private readonly budget: MemoryBudget,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Holds the job's memory estimate (at the scale planned at submission) while it runs. */
  async run(ctx: JobContext<CompositePayload>): Promise<BlobResult> {
    const ids = ctx.payload.channels.map((c) => c.assetId);
    const estimate = estimateCompositeMB(await inputRecords(this.library, ids), ctx.payload);
    const plan = this.budget.plan(estimate, ctx.payload.downscale);
    if (plan.scale < 1) ctx.log(`downscaled to ${plan.scale} to fit the memory budget`);
    return this.budget.hold(ctx, plan.mb, () => this.composite(ctx, plan));
  }

  private async composite(
    ctx: JobContext<CompositePayload>,
    plan: MemoryPlan,
  ): Promise<BlobResult> {
    const { channels, ...output } = ctx.payload;
    const inputs = await loadInputs(
      ctx,
      this.library,
      channels.map((c) => c.assetId),
      'channel',
    );
    const options: CompositeOptions = {
      ...output,
      channels: channels.map(({ assetId: _id, ...channel }) => channel),
      maxPixels: this.config.maxPixels,
      scale: plan.scale,
    };
    const format = options.format ?? 'png';
    const image = await runPoolTask(
      ctx,
      `composite ${format}`,
      describeComposite(channels.length, format),
      (run) =>
        this.pool.composite(
          inputs.map((i) => i.bytes),
          options,
          run,
        ),
    );
    return ctx.storeResult(`composite.${image.extension}`, image.buffer, image.contentType);
  }
}
