import type { Model } from 'mongoose';
import type {
  AssetListQuery,
  AssetRecord,
  AssetStore,
} from '../../../modules/assets/asset-store.port';
import {
  addThumbnailUpdate,
  ASSET_LIST_SORT,
  assetListFilter,
  fromAssetDocument,
  setThumbnailJobUpdate,
  toAssetDocument,
} from './asset-queries';
import type { AssetDocument } from './asset.schema';

/**
 * AssetStore on MongoDB (production mode): one document per asset, every write a single
 * atomic operation, lists served by the schema's two compound indexes.
 */
export class MongoAssetStore implements AssetStore {
  constructor(private readonly model: Model<AssetDocument>) {}

  /** Builds the indexes the queries need (idempotent). */
  async init(): Promise<void> {
    await this.model.createIndexes();
  }

  async insert(record: AssetRecord): Promise<void> {
    await this.model.create(toAssetDocument(record));
  }

  async get(id: string): Promise<AssetRecord | null> {
    const doc = await this.model.findById(id).lean<AssetDocument>().exec();
    return doc ? fromAssetDocument(doc) : null;
  }

  async list(query: AssetListQuery): Promise<AssetRecord[]> {
    const docs = await this.model
      .find(assetListFilter(query))
      .sort(ASSET_LIST_SORT)
      .limit(query.limit)
      .lean<AssetDocument[]>()
      .exec();
    return docs.map(fromAssetDocument);
  }

  async setThumbnailJob(id: string, jobId: string): Promise<boolean> {
    const result = await this.model.updateOne({ _id: id }, setThumbnailJobUpdate(jobId)).exec();
    return result.matchedCount > 0;
  }

  async addThumbnail(id: string, variant: string): Promise<boolean> {
    const result = await this.model.updateOne({ _id: id }, addThumbnailUpdate(variant)).exec();
    return result.matchedCount > 0;
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.model.deleteOne({ _id: id }).exec();
    return result.deletedCount > 0;
  }

  /** The connection belongs to the Mongoose module, which closes it. */
  close(): Promise<void> {
    return Promise.resolve();
  }
}
