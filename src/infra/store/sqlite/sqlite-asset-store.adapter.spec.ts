import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  describeAssetStoreContract,
  makeAsset,
} from '../../../../test/contracts/asset-store.contract';
import { by, makeRecord, ROOMY } from '../../../../test/contracts/job-store.contract';
import { SqliteAssetStore } from './sqlite-asset-store.adapter';
import { SqliteDatabase } from './sqlite-database';
import { SqliteJobStore } from './sqlite-job-store.adapter';

describeAssetStoreContract('sqlite (memory)', async () => {
  const store = new SqliteAssetStore(':memory:');
  await store.init();
  return store;
});

describe(SqliteAssetStore.name, () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'darkroom-assets-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  describe('init', () => {
    it('should share the job store file and keep records across reopen', async () => {
      const file = join(dir, 'darkroom.sqlite');
      const first = new SqliteDatabase(file);
      const assets = new SqliteAssetStore(first);
      await assets.init();
      const asset = makeAsset();
      await assets.insert(asset);
      await first.close();
      const second = new SqliteDatabase(file);
      const reopened = new SqliteAssetStore(second);
      const jobs = new SqliteJobStore(second);
      await reopened.init();
      await jobs.init();
      expect(await reopened.get(asset.id)).toEqual(asset);
      const job = makeRecord();
      await jobs.insert(job, ROOMY, by());
      expect(await jobs.get(job.id)).toEqual(job);
      await second.close();
    });
  });

  describe('insert', () => {
    it('should join the job store group commit on the shared connection', async () => {
      const database = new SqliteDatabase(join(dir, 'darkroom.sqlite'));
      const jobs = new SqliteJobStore(database);
      const assets = new SqliteAssetStore(database);
      await jobs.init();
      await assets.init();
      const jobWrite = jobs.insert(makeRecord(), ROOMY, by()); // opens the turn's transaction
      const asset = makeAsset();
      await Promise.all([assets.insert(asset), jobWrite]);
      expect(await assets.get(asset.id)).toEqual(asset);
      await database.close();
    });
  });
});
