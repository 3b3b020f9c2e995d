import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  describeAssetStoreContract,
  makeAsset,
} from '../../../../test/contracts/asset-store.contract';
import { makeRecord } from '../../../../test/contracts/job-store.contract';
import { SqliteAssetStore } from './sqlite-asset-store.adapter';
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
      const jobs = new SqliteJobStore(file);
      await jobs.init();
      const first = new SqliteAssetStore(file);
      await first.init();
      const asset = makeAsset();
      await first.insert(asset);
      await first.close();
      const second = new SqliteAssetStore(file);
      await second.init();
      expect(await second.get(asset.id)).toEqual(asset);
      const job = makeRecord();
      await jobs.insert(job);
      expect(await jobs.get(job.id)).toEqual(job);
      await second.close();
      await jobs.close();
    });
  });

  describe('insert', () => {
    it('should wait for a job-store write transaction instead of failing or blocking', async () => {
      const file = join(dir, 'darkroom.sqlite');
      const jobs = new SqliteJobStore(file);
      await jobs.init();
      const assets = new SqliteAssetStore(file);
      await assets.init();
      const jobWrite = jobs.insert(makeRecord()); // opens BEGIN IMMEDIATE until setImmediate
      const asset = makeAsset();
      await Promise.all([assets.insert(asset), jobWrite]);
      expect(await assets.get(asset.id)).toEqual(asset);
      await assets.close();
      await jobs.close();
    });
  });
});
