import type { QueryFilter, SortOrder, UpdateQuery } from 'mongoose';
import type { AssetListQuery, AssetRecord } from '../../../modules/assets/asset-store.port';
import type { AssetDocument } from './asset.schema';

/** The stored document of a record: the id becomes `_id`, every other field is kept as is. */
export function toAssetDocument(record: AssetRecord): AssetDocument {
  const { id, ...rest } = record;
  return { _id: id, ...rest };
}

/** The record of a stored document (a lean read). */
export function fromAssetDocument(doc: AssetDocument): AssetRecord {
  const { _id, ...rest } = doc;
  return {
    id: _id,
    owner: rest.owner,
    name: rest.name,
    format: rest.format,
    width: rest.width,
    height: rest.height,
    channels: rest.channels,
    bitDepth: rest.bitDepth,
    bytes: rest.bytes,
    sha256: rest.sha256,
    createdAt: rest.createdAt,
    thumbnailJobId: rest.thumbnailJobId ?? null,
    thumbnails: rest.thumbnails ?? [],
    ...(rest.wcs ? { wcs: rest.wcs } : {}),
  };
}

/** Filter of a list page: the owner when given, and keys strictly after the cursor (newest first). */
export function assetListFilter(query: AssetListQuery): QueryFilter<AssetDocument> {
  const filter: QueryFilter<AssetDocument> = {};
  if (query.owner !== undefined) filter.owner = query.owner;
  if (query.cursor) {
    const { createdAt, id } = query.cursor;
    filter.$or = [{ createdAt: { $lt: createdAt } }, { createdAt, _id: { $lt: id } }];
  }
  return filter;
}

/** Newest first, then id descending: the order both indexes hold. */
export const ASSET_LIST_SORT: Record<string, SortOrder> = { createdAt: -1, _id: -1 };

/** Records the thumbnail job. */
export function setThumbnailJobUpdate(jobId: string): UpdateQuery<AssetDocument> {
  return { $set: { thumbnailJobId: jobId } };
}

/** Appends a rendered variant unless present (order of first rendering is kept). */
export function addThumbnailUpdate(variant: string): UpdateQuery<AssetDocument> {
  return { $addToSet: { thumbnails: variant } };
}
