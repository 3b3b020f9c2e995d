import { describeAssetStoreContract } from '../../../../test/contracts/asset-store.contract';
import { describeWithMongo, freshDatabase } from '../../../../test/support/mongo';
import { AssetDocument, AssetSchema } from './asset.schema';
import { MongoAssetStore } from './mongo-asset-store.adapter';
import { checkReplicaSet } from './replica-set';

// Runs only when MONGO_URL is set (a replica set); otherwise the run says once why it skipped.
describeWithMongo('MongoDB', () => {
  describeAssetStoreContract('MongoDB', async () => {
    const db = await freshDatabase();
    const store = new MongoAssetStore(
      db.connection.model<AssetDocument>(AssetDocument.name, AssetSchema),
    );
    await store.init();
    return Object.assign(store, { close: () => db.drop() });
  });

  describe(MongoAssetStore.name, () => {
    describe('init', () => {
      it('should build the indexes the list queries use', async () => {
        const db = await freshDatabase();
        const model = db.connection.model<AssetDocument>(AssetDocument.name, AssetSchema);
        await new MongoAssetStore(model).init();
        const names = (await model.collection.indexes()).map((i) => i.name);
        expect(names).toEqual(expect.arrayContaining(['owner_createdAt_id', 'createdAt_id']));
        await db.drop();
      });
    });
  });

  describe(checkReplicaSet.name, () => {
    it('should name the replica set of MONGO_URL', async () => {
      const db = await freshDatabase();
      await expect(checkReplicaSet(db.connection)).resolves.toEqual(expect.any(String));
      await db.drop();
    });
  });
});
