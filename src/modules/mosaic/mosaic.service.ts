import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { Principal } from '../../core/auth/principal';
import { AppError } from '../../core/errors/app-error';
import { ErrorCode } from '../../core/errors/error-code';
import { Accepted, JobsService } from '../../core/jobs/jobs.service';
import { estimateMosaicMB, planLayout } from '../../imaging';
import { AssetRecord } from '../assets/asset-store.port';
import { AssetLibrary } from '../assets/asset-library.service';
import { MemoryBudget } from '../imaging-pool/memory-budget';
import {
  assertNoProblems,
  assertOutputPixels,
  stretchPointProblems,
} from '../composite/export-checks';
import { MOSAIC_JOB } from './mosaic.handler';
import {
  MosaicExportDto,
  MosaicFootprint,
  MosaicFootprintDto,
  MosaicPayload,
  MosaicSaveDto,
} from './mosaic.dto';
import { estimateWcsMosaic, mosaicFootprint, resolveLayout, wcsGridOf } from './wcs-plan';

type MosaicLayoutName = 'grid' | 'offsets' | 'wcs';

/** Checks a mosaic request (assets, canvas size) and queues the job, as a file or a new asset. */
@Injectable()
export class MosaicService {
  constructor(
    private readonly jobs: JobsService,
    private readonly library: AssetLibrary,
    private readonly budget: MemoryBudget,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async export(user: Principal, body: MosaicExportDto, idempotencyKey?: string): Promise<Accepted> {
    const { priority, ...payload } = body;
    const layout = await this.check(user, body);
    return this.jobs.submit(user, MOSAIC_JOB, plain({ ...payload, layout }), {
      idempotencyKey,
      priority,
    });
  }

  async save(user: Principal, body: MosaicSaveDto, idempotencyKey?: string): Promise<Accepted> {
    const { priority, name, ...rest } = body;
    const layout = await this.check(user, body);
    const payload: MosaicPayload = { ...plain(rest), layout, format: 'fits', saveAs: name.trim() };
    return this.jobs.submit(user, MOSAIC_JOB, payload, { idempotencyKey, priority });
  }

  /** Footprints of the tiles and the output grid a WCS mosaic of them would have. */
  async footprint(user: Principal, body: MosaicFootprintDto): Promise<MosaicFootprint> {
    const refs = body.tiles.map((tile, i) => ({ field: `tiles.${i}.assetId`, id: tile.assetId }));
    return mosaicFootprint(await this.library.requireAll(user, refs));
  }

  /** Checks the request; answers the layout to run (`wcs` by default when every tile has one). */
  private async check(user: Principal, body: MosaicExportDto): Promise<MosaicLayoutName> {
    assertNoProblems(stretchPointProblems(body, ''));
    const refs = body.tiles.map((tile, i) => ({ field: `tiles.${i}.assetId`, id: tile.assetId }));
    const assets = await this.library.requireAll(user, refs);
    const layout = resolveLayout(assets, body);
    if (layout === 'wcs') {
      const grid = wcsGridOf(assets, body);
      this.assertCanvas(grid);
      this.budget.plan(estimateWcsMosaic(assets, grid, body), body.downscale);
      return layout;
    }
    const canvas = this.canvasSize(assets, body);
    assertOutputPixels(canvas.width, canvas.height, body, this.config.maxPixels);
    this.budget.plan(estimateMosaicMB(assets, canvas, body), body.downscale);
    return layout;
  }

  /** The canvas the layout needs, from the sizes recorded at upload; refused over the limit. */
  private canvasSize(assets: AssetRecord[], body: MosaicExportDto) {
    const layout = planLayout(assets, {
      ...body,
      layout: body.layout as 'grid',
      tiles: body.tiles,
    });
    this.assertCanvas(layout);
    return layout;
  }

  private assertCanvas(layout: { width: number; height: number }): void {
    if (layout.width * layout.height > this.config.maxPixels) {
      throw new AppError(
        422,
        ErrorCode.image_too_large,
        `the mosaic canvas would be ${layout.width}×${layout.height}, over the pixel limit of ${this.config.maxPixels}`,
      );
    }
  }
}

/** DTO instances as plain JSON (what the store keeps and the idempotency hash sees). */
function plain<T>(payload: T): T {
  return JSON.parse(JSON.stringify(payload)) as T;
}
