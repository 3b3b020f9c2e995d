import { decodeCursor, DEFAULT_PAGE_SIZE, Page, pageOf } from '../../core/http/paging';
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { Principal } from '../../core/auth/principal';
import { AppError, NotFoundError, ValidationError } from '../../core/errors/app-error';
import { ErrorCode } from '../../core/errors/error-code';
import { BLOB_STORE, BlobStore } from '../../core/storage/blob-store.port';
import { ImagingPool } from '../../imaging';
import { AssetLibrary } from './asset-library.service';
import {
  CONTENT_TYPES,
  DEFAULT_THUMBNAIL,
  assetPrefix,
  originalKey,
  thumbnailKey,
  thumbnailVariant,
} from './asset-keys';
import { ASSET_STORE, AssetRecord, AssetStore } from './asset-store.port';
import { AssetView, AssetViewMapper } from './asset-view';
import { ListAssetsQuery, MAX_NAME_LENGTH, ThumbnailQuery } from './assets.dto';
import { MultipartFile, receiveMultipartFile } from './multipart-upload';
import { probeStoredImage } from './upload-probe';

/** A file to stream back with its headers, or a direct storage URL to send the client to. */
export type AssetDownload =
  { stream: Readable; headers: Record<string, string> } | { redirect: string };

/** Lifetime of a presigned storage URL: the client follows the redirect at once. */
const DIRECT_LINK_TTL_S = 300;

/** The assets REST API: upload, list, read, download, delete; ownership rules applied. */
@Injectable()
export class AssetsService {
  constructor(
    @Inject(ASSET_STORE) private readonly store: AssetStore,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly pool: ImagingPool,
    private readonly library: AssetLibrary,
    private readonly views: AssetViewMapper,
  ) {}

  /** Streams a multipart upload to the blob store, probes it, records it, queues its thumbnail. */
  async upload(
    user: Principal,
    req: Readable & { headers: IncomingHttpHeaders },
  ): Promise<AssetView> {
    const id = randomUUID();
    const key = originalKey(id);
    const file = await receiveMultipartFile(req, {
      field: 'file',
      maxBytes: this.config.maxUploadBytes,
      store: (body) => this.blobs.put(key, body, 'application/octet-stream'),
    }).catch((err: unknown) => this.discard(id, err));
    try {
      const name = uploadName(file);
      const info = await probeStoredImage(this.blobs, this.pool, key, file.stored.bytes, {
        maxPixels: this.config.maxPixels,
      });
      const record = await this.library.register({
        id,
        owner: user.userId,
        name,
        info,
        stored: file.stored,
      });
      return this.views.toView(record);
    } catch (err) {
      return this.discard(id, err);
    }
  }

  async list(user: Principal, query: ListAssetsQuery): Promise<Page<AssetView>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const records = await this.store.list({
      owner: user.admin && query.all ? undefined : user.userId,
      limit: limit + 1,
      cursor: decodeCursor(query.cursor),
    });
    return pageOf(records, limit, (r) => this.views.toView(r));
  }

  async view(user: Principal, id: string): Promise<AssetView> {
    return this.views.toView(await this.owned(user, id));
  }

  /** The original bytes, streamed, with the type detected at upload. */
  async content(user: Principal, id: string): Promise<AssetDownload> {
    const asset = await this.owned(user, id, `/api/assets/${id}/content`);
    const headers = {
      'Content-Type': CONTENT_TYPES[asset.format],
      'Content-Length': String(asset.bytes),
      'Content-Disposition': `inline; filename="${asset.name.replace(/[^\x20-\x7e]|["\\]/g, '_')}"`,
      ETag: `"${asset.sha256}"`,
      'Cache-Control': 'private, max-age=3600',
    };
    const direct = await this.directLink(user, originalKey(id), headers);
    if (direct) return direct;
    return { stream: await this.blobs.get(originalKey(id)), headers };
  }

  /** Signed links may be served straight by the storage (S3_PRESIGNED_DOWNLOADS). */
  private async directLink(
    user: Principal,
    key: string,
    headers: Record<string, string>,
  ): Promise<AssetDownload | null> {
    if (user.signedPath === undefined) return null;
    const url = await this.blobs.directUrl(key, {
      expiresInS: DIRECT_LINK_TTL_S,
      contentType: headers['Content-Type'],
      disposition: headers['Content-Disposition'],
    });
    return url ? { redirect: url } : null;
  }

  /** A rendered thumbnail (default 256 px WebP); `404 thumbnail_pending` until it exists. */
  async thumbnail(user: Principal, id: string, query: ThumbnailQuery): Promise<AssetDownload> {
    const asset = await this.owned(user, id, `/api/assets/${id}/thumbnail`);
    const format = query.format ?? DEFAULT_THUMBNAIL.format;
    const variant = thumbnailVariant(query.size ?? DEFAULT_THUMBNAIL.size, format);
    const info = asset.thumbnails.includes(variant)
      ? await this.blobs.head(thumbnailKey(id, variant))
      : null;
    if (!info)
      throw new AppError(404, ErrorCode.thumbnail_pending, 'the thumbnail is not ready yet');
    const headers = {
      'Content-Type': CONTENT_TYPES[format],
      'Content-Length': String(info.bytes),
      'Cache-Control': 'private, max-age=3600',
    };
    const direct = await this.directLink(user, thumbnailKey(id, variant), headers);
    if (direct) return direct;
    return { stream: await this.blobs.get(thumbnailKey(id, variant)), headers };
  }

  /** Deletes the blobs first, then the record (a failure leaves a record, never orphan blobs). */
  async remove(user: Principal, id: string): Promise<void> {
    await this.owned(user, id);
    await this.blobs.deletePrefix(assetPrefix(id));
    await this.store.delete(id);
  }

  /** An asset the caller may see (or that a signed link names); anyone else's is 404. */
  private async owned(user: Principal, id: string, signedPath?: string): Promise<AssetRecord> {
    const asset = await this.store.get(id);
    const allowed =
      asset !== null &&
      (user.signedPath !== undefined
        ? user.signedPath === signedPath
        : user.admin || asset.owner === user.userId);
    if (!allowed) throw new NotFoundError('asset');
    return asset;
  }

  /** Drops whatever an upload left in the blob store, then rethrows. */
  private async discard(id: string, err: unknown): Promise<never> {
    await this.blobs.deletePrefix(assetPrefix(id)).catch(() => undefined);
    throw err;
  }
}

/** The `name` field, else the file's own name, else `untitled`. */
function uploadName(file: MultipartFile): string {
  const name = (file.fields.name ?? '').trim() || (file.filename ?? '').trim() || 'untitled';
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  if (/[\u0000-\u001f\u007f]/.test(name)) {
    throw new ValidationError([{ field: 'name', problem: 'must not contain control characters' }]);
  }
  if (name.length > MAX_NAME_LENGTH) {
    throw new ValidationError([
      { field: 'name', problem: `must be at most ${MAX_NAME_LENGTH} characters` },
    ]);
  }
  return name;
}
