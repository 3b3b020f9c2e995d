import { Inject, Injectable, Logger } from '@nestjs/common';
import { Principal } from '../../core/auth/principal';
import { AppError } from '../../core/errors/app-error';
import { ErrorCode } from '../../core/errors/error-code';
import { UnrecoverableJobError } from '../../core/jobs/job-errors';
import { JobsService } from '../../core/jobs/jobs.service';
import {
  BLOB_STORE,
  BlobNotFoundError,
  BlobStore,
  PutResult,
} from '../../core/storage/blob-store.port';
import { EncodedImage, ImageInfo } from '../../imaging';
import { AssetReferenceError } from './asset-errors';
import {
  CONTENT_TYPES,
  DEFAULT_THUMBNAIL,
  THUMBNAIL_JOB,
  ThumbnailPayload,
  originalKey,
  thumbnailKey,
} from './asset-keys';
import { ASSET_STORE, AssetRecord, AssetStore } from './asset-store.port';
import { readBlobBytes } from './blob-bytes';

/** A reference to an asset from a request body, with the field to blame when it is missing. */
export interface AssetRef {
  field: string;
  id: string;
}

/** An input loaded for a job: its record and its original bytes. */
export interface LoadedAsset {
  asset: AssetRecord;
  bytes: Buffer;
}

/** Facts of a stored original, from which a record is made. */
export interface NewAsset {
  id: string;
  owner: string;
  name: string;
  info: ImageInfo;
  stored: PutResult;
}

/** What every imaging domain needs from assets: registering, referencing, loading, thumbnails. */
@Injectable()
export class AssetLibrary {
  private readonly logger = new Logger(AssetLibrary.name);
  /** Creation times are strictly increasing here so "newest first" is exact within a node. */
  private lastCreatedAt = 0;

  constructor(
    @Inject(ASSET_STORE) private readonly store: AssetStore,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    private readonly jobs: JobsService,
  ) {}

  /** Records a stored original and queues its default thumbnail (low priority). */
  async register(input: NewAsset): Promise<AssetRecord> {
    const { info, stored } = input;
    const record: AssetRecord = {
      id: input.id,
      owner: input.owner,
      name: input.name,
      format: info.format,
      width: info.width,
      height: info.height,
      channels: info.channels,
      bitDepth: info.bitDepth,
      bytes: stored.bytes,
      sha256: stored.sha256,
      createdAt: (this.lastCreatedAt = Math.max(Date.now(), this.lastCreatedAt + 1)),
      thumbnailJobId: null,
      thumbnails: [],
      ...(info.wcs ? { wcs: info.wcs } : {}),
    };
    await this.store.insert(record);
    const jobId = await this.queueThumbnail(record);
    if (jobId && (await this.store.setThumbnailJob(record.id, jobId)))
      record.thumbnailJobId = jobId;
    return record;
  }

  /** Stores an image made by a job as a new asset of `owner` (e.g. a saved mosaic). */
  async createFromBuffer(
    owner: string,
    id: string,
    name: string,
    image: EncodedImage,
    info: ImageInfo,
  ): Promise<AssetRecord> {
    const stored = await this.blobs.put(originalKey(id), image.buffer, image.contentType);
    return this.register({ id, owner, name, info, stored });
  }

  get(id: string): Promise<AssetRecord | null> {
    return this.store.get(id);
  }

  /** The asset when the user may see it (theirs, or any for an admin); else null. */
  async visibleTo(user: Principal, id: string): Promise<AssetRecord | null> {
    const asset = await this.store.get(id);
    return isVisible(user, asset) ? asset : null;
  }

  /** Every referenced asset must exist and be visible to the user; else 422 naming the fields. */
  async requireAll(user: Principal, refs: AssetRef[]): Promise<AssetRecord[]> {
    const found = await Promise.all(refs.map((ref) => this.store.get(ref.id)));
    const details = refs
      .filter((_, i) => !isVisible(user, found[i]))
      .map((ref) => ({ field: ref.field, problem: `asset ${ref.id} not found` }));
    if (details.length > 0) throw new AssetReferenceError(details);
    return found as AssetRecord[];
  }

  /** Loads a job input; a missing or deleted asset fails the job at once (`asset_not_found`). */
  async loadInput(id: string): Promise<LoadedAsset> {
    const asset = await this.store.get(id);
    if (!asset) throw assetNotFound(id);
    try {
      return { asset, bytes: await readBlobBytes(this.blobs, originalKey(id), asset.bytes) };
    } catch (err) {
      if (err instanceof BlobNotFoundError) throw assetNotFound(id);
      throw err;
    }
  }

  /** Stores a rendered thumbnail variant; removes it again when the asset was deleted meanwhile. */
  async storeThumbnail(id: string, variant: string, image: EncodedImage): Promise<boolean> {
    const key = thumbnailKey(id, variant);
    await this.blobs.put(key, image.buffer, CONTENT_TYPES[image.extension as 'webp']);
    if (await this.store.addThumbnail(id, variant)) return true;
    await this.blobs.delete(key);
    return false;
  }

  private async queueThumbnail(record: AssetRecord): Promise<string | null> {
    const payload: ThumbnailPayload = { assetIds: [record.id], ...DEFAULT_THUMBNAIL };
    const owner: Principal = { userId: record.owner, admin: false };
    try {
      return (await this.jobs.submit(owner, THUMBNAIL_JOB, payload, { priority: -1, system: true }))
        .jobId;
    } catch (err) {
      // A full queue must not lose the upload: the thumbnail can be asked for later.
      if (!(err instanceof AppError)) throw err;
      this.logger.warn(
        { assetId: record.id, userId: record.owner, err: err.message },
        'thumbnail not queued',
      );
      return null;
    }
  }
}

function assetNotFound(id: string): UnrecoverableJobError {
  return new UnrecoverableJobError(ErrorCode.asset_not_found, `asset ${id} not found (deleted?)`);
}

function isVisible(user: Principal, asset: AssetRecord | null): asset is AssetRecord {
  return asset !== null && (user.admin || asset.owner === user.userId);
}
