import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { Principal } from '../../core/auth/principal';
import { NotFoundError } from '../../core/errors/app-error';
import { BLOB_STORE, BlobNotFoundError, BlobStore } from '../../core/storage/blob-store.port';
import { ImagingError, ImagingPool, estimateCompositeMB } from '../../imaging';
import { MemoryBudget } from '../imaging-pool/memory-budget';
import { uploadImagingError } from './asset-errors';
import { AssetHistogramDto } from './asset-histogram.dto';
import { originalKey } from './asset-keys';
import { AssetLibrary } from './asset-library.service';
import { AssetRecord } from './asset-store.port';
import { readBlobBytes } from './blob-bytes';

/** Histograms kept per node (an asset never changes: no invalidation but eviction). */
const CACHE_ENTRIES = 64;

/**
 * Histograms of an asset's raw values, decoded in the imaging pool as a composite channel is.
 * A decode costs what a one-channel composite's does: it is refused (`422 too_large`) beyond the
 * imaging memory budget, and a node decodes one histogram at a time. Answers are remembered
 * (least recently used first out), and concurrent asks for the same one share a decode.
 */
@Injectable()
export class AssetHistogramService {
  private readonly cache = new Map<string, Promise<AssetHistogramDto>>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly library: AssetLibrary,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    private readonly pool: ImagingPool,
    private readonly budget: MemoryBudget,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Another user's asset and a missing one are `404 not_found`. */
  async histogram(user: Principal, id: string, bins: number): Promise<AssetHistogramDto> {
    const asset = await this.library.visibleTo(user, id);
    if (!asset) throw new NotFoundError('asset');
    const key = `${id}:${bins}`;
    let answer = this.cache.get(key);
    if (answer) {
      this.cache.delete(key); // re-inserted below: now the most recently used
    } else {
      this.budget.plan(estimateCompositeMB([asset])); // 422 too_large beyond the budget
      answer = this.compute(asset, bins);
    }
    this.cache.set(key, answer);
    if (this.cache.size > CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
    void answer.catch(() => this.cache.get(key) === answer && this.cache.delete(key));
    return answer;
  }

  /** One decode at a time on this node. */
  private compute(asset: AssetRecord, bins: number): Promise<AssetHistogramDto> {
    const run = this.queue.then(() => this.decode(asset, bins));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async decode(asset: AssetRecord, bins: number): Promise<AssetHistogramDto> {
    const bytes = await readBlobBytes(this.blobs, originalKey(asset.id), asset.bytes).catch(
      (err: unknown) => {
        throw err instanceof BlobNotFoundError ? new NotFoundError('asset') : err;
      },
    );
    try {
      const histogram = await this.pool.histogram(bytes, {
        bins,
        maxPixels: this.config.maxPixels,
      });
      return { assetId: asset.id, ...histogram };
    } catch (err) {
      throw err instanceof ImagingError ? uploadImagingError(err, true) : err;
    }
  }
}
