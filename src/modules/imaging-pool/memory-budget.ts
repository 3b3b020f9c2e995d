import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { AppError } from '../../core/errors/app-error';
import { ErrorCode } from '../../core/errors/error-code';
import { JobContext } from '../../core/jobs/job-handler';
import {
  MemoryEstimate,
  MemorySemaphore,
  describeOverBudget,
  estimateAt,
  scaleToFit,
} from '../../imaging';

/** How an imaging job runs within the budget: at `scale`, holding `mb` while it runs. */
export interface MemoryPlan {
  /** Work-grid downscale factor, 1 = full size. */
  scale: number;
  /** The estimate at that scale, in MB. */
  mb: number;
}

/**
 * A node's imaging memory budget (`IMAGING_MEMORY_MB`): submissions whose estimate is over it are
 * refused (`422 too_large`) or downscaled when asked, and running jobs hold their estimate in a
 * semaphore so that concurrent jobs stay within the budget together (they wait, never fail).
 */
@Injectable()
export class MemoryBudget {
  private readonly semaphore: MemorySemaphore;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.semaphore = new MemorySemaphore(config.imagingMemoryMB);
  }

  get budgetMB(): number {
    return this.semaphore.budgetMB;
  }

  /**
   * The plan for an estimate: full size when it fits, the largest fitting scale when `downscale`
   * is asked; otherwise (or when nothing fits) throws `422 too_large` giving the estimate.
   */
  plan(estimate: MemoryEstimate, downscale = false): MemoryPlan {
    const scale = scaleToFit(estimate, this.budgetMB);
    if (scale === 1) return { scale, mb: estimate.totalMB };
    if (downscale && scale !== null) return { scale, mb: estimateAt(estimate, scale) };
    throw new AppError(
      422,
      ErrorCode.too_large,
      `the job would need about ${Math.ceil(estimate.totalMB)} MB of memory, over the ${this.budgetMB} MB budget`,
      [{ field: 'memory', problem: describeOverBudget(estimate, this.budgetMB) }],
    );
  }

  /** Runs `work` while holding `mb` of the budget; waits (logging why) until they are free. */
  async hold<T>(ctx: JobContext, mb: number, work: () => Promise<T>): Promise<T> {
    const want = Math.ceil(mb);
    if (this.semaphore.heldMB + want > this.budgetMB || this.semaphore.waiting > 0) {
      ctx.log(`waiting for ${want} MB of the ${this.budgetMB} MB imaging memory budget`);
    }
    const release = await this.semaphore.acquire(want, ctx.signal);
    try {
      return await work();
    } finally {
      release();
    }
  }
}
