import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { Principal } from '../../core/auth/principal';
import { AppError } from '../../core/errors/app-error';
import { ErrorCode } from '../../core/errors/error-code';
import { Accepted, JobsService } from '../../core/jobs/jobs.service';
import { estimateCompositeMB } from '../../imaging';
import { AssetLibrary } from '../assets/asset-library.service';
import { AssetRecord } from '../assets/asset-store.port';
import { MemoryBudget } from '../imaging-pool/memory-budget';
import { COMPOSITE_JOB } from './composite.handler';
import { CompositeExportDto, CompositePayload } from './composite.dto';
import { assertNoProblems, assertOutputPixels, stretchPointProblems } from './export-checks';

/** Checks a composite request against the assets it names, then queues the job. */
@Injectable()
export class CompositeService {
  constructor(
    private readonly jobs: JobsService,
    private readonly library: AssetLibrary,
    private readonly budget: MemoryBudget,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async submit(
    user: Principal,
    body: CompositeExportDto,
    idempotencyKey?: string,
  ): Promise<Accepted> {
    const { priority, ...payload } = body;
    assertNoProblems(body.channels.flatMap((c, i) => stretchPointProblems(c, `channels.${i}`)));
    const refs = body.channels.map((c, i) => ({ field: `channels.${i}.assetId`, id: c.assetId }));
    const assets = await this.library.requireAll(user, refs);
    assertOutputPixels(assets[0].width, assets[0].height, body, this.config.maxPixels);
    const align = resolveAlign(assets, body.align);
    this.budget.plan(estimateCompositeMB(assets, { ...body, align }), body.downscale);
    return this.jobs.submit(user, COMPOSITE_JOB, plain({ ...payload, align }), {
      idempotencyKey,
      priority,
    });
  }
}

/** The DTO instances as plain JSON (what the store keeps and the idempotency hash sees). */
function plain(payload: CompositePayload): CompositePayload {
  return JSON.parse(JSON.stringify(payload)) as CompositePayload;
}

/** `wcs` by default when every channel has a celestial WCS; asked for, every channel needs one. */
function resolveAlign(assets: AssetRecord[], align: 'wcs' | 'pixel' | undefined): 'wcs' | 'pixel' {
  const missing = assets.flatMap((a, i) => (a.wcs ? [] : [i]));
  if (align === 'wcs' && missing.length > 0) {
    throw new AppError(
      422,
      ErrorCode.unsupported_image,
      'align "wcs" needs a celestial WCS in every channel',
      missing.map((i) => ({ field: `channels.${i}.assetId`, problem: 'has no celestial WCS' })),
    );
  }
  return align ?? (missing.length === 0 ? 'wcs' : 'pixel');
}
