import { makeAsset } from '../../../../test/contracts/asset-store.contract';
import {
  addThumbnailUpdate,
  ASSET_LIST_SORT,
  assetListFilter,
  fromAssetDocument,
  setThumbnailJobUpdate,
  toAssetDocument,
} from './asset-queries';
import { Mongoose } from 'mongoose';
import { AssetDocument, AssetSchema } from './asset.schema';

describe('asset queries', () => {
  describe(assetListFilter.name, () => {
    it('should match everything for an admin first page', () => {
      expect(assetListFilter({ limit: 10 })).toEqual({});
    });

    it('should filter by owner and start strictly after the cursor', () => {
      const filter = assetListFilter({
        owner: 'alice',
        limit: 10,
        cursor: { createdAt: 1700, id: 'a3' },
      });
      expect(filter).toEqual({
        owner: 'alice',
        $or: [{ createdAt: { $lt: 1700 } }, { createdAt: 1700, _id: { $lt: 'a3' } }],
      });
    });
  });

  it('should sort newest first with the id as tie-break, as the indexes hold', () => {
    expect(ASSET_LIST_SORT).toEqual({ createdAt: -1, _id: -1 });
    const keys = AssetSchema.indexes().map(([fields]) => fields);
    expect(keys).toEqual([
      { owner: 1, createdAt: -1, _id: -1 },
      { createdAt: -1, _id: -1 },
    ]);
  });

  it('should build single-operator updates, never a whole-document replace', () => {
    expect(setThumbnailJobUpdate('job-7')).toEqual({ $set: { thumbnailJobId: 'job-7' } });
    expect(addThumbnailUpdate('256.webp')).toEqual({ $addToSet: { thumbnails: '256.webp' } });
  });

  it('should cast against the schema unchanged (no connection needed to check a filter)', () => {
    const model = new Mongoose().model<AssetDocument>(AssetDocument.name, AssetSchema);
    const filter = assetListFilter({ owner: 'bob', limit: 5, cursor: { createdAt: 9, id: 'z' } });
    expect(model.find(filter).cast(model)).toEqual(filter);
    const doc = new model(toAssetDocument(makeAsset({ id: 'a1' })));
    expect(doc.validateSync()).toBeUndefined();
    const wrong = { createdAt: { $lt: 'yesterday' } };
    expect(() => model.find().cast(model, wrong)).toThrow(/Cast/);
  });

  describe(toAssetDocument.name, () => {
    it('should store the id as _id and round-trip every field', () => {
      const record = makeAsset({ id: 'x1', thumbnailJobId: 'j', thumbnails: ['64.png'] });
      const { id, ...rest } = record;
      expect(toAssetDocument(record)).toEqual({ _id: id, ...rest });
      expect(fromAssetDocument(toAssetDocument(record))).toEqual(record);
    });
  });
});
