import { LoggerService } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import mongoose from 'mongoose';
import { FakeMongod } from '../../../../test/support/fake-mongod';
import { loadConfig } from '../../../config/app-config';
import { AssetDocument } from './asset.schema';
import { MONGO_ASSET_MODEL, MongoStoreModule } from './mongo-store.module';
import { NotAReplicaSetError } from './replica-set';

const silent: LoggerService = {
  log: () => undefined,
  error: () => undefined,
  warn: () => undefined,
};

describe(MongoStoreModule.name, () => {
  describe('forRoot', () => {
    it('should add nothing in embedded mode (MONGO_URL unset)', () => {
      expect(MongoStoreModule.forRoot(loadConfig({})).imports).toBeUndefined();
    });

    it('should refuse to boot against a server that is not a replica set, saying why', async () => {
      await expect(boot()).rejects.toThrow(NotAReplicaSetError);
    });

    it('should connect to a replica set member and provide the asset model', async () => {
      const app = await boot('rs0');
      expect(app.get(MONGO_ASSET_MODEL)).toHaveProperty('modelName', AssetDocument.name);
      await app.close();
    });
  });
});

/** Boots the module against a fake mongod (a replica set member when `setName` is given). */
async function boot(setName?: string): Promise<TestingModule> {
  const mongod = await FakeMongod.start(setName);
  try {
    const config = loadConfig({ MONGO_URL: mongod.url });
    const builder = Test.createTestingModule({ imports: [MongoStoreModule.forRoot(config)] });
    return await builder.setLogger(silent).compile();
  } catch (err) {
    // A refused connection stays open (a real boot exits): close it here.
    await Promise.all(mongoose.connections.map((c) => c.close()));
    throw err;
  } finally {
    await mongod.close();
  }
}
