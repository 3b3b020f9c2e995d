import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { join } from 'node:path';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { JOB_STORE, JobStore } from '../core/jobs/job-store.port';
import { BLOB_STORE, BlobStore } from '../core/storage/blob-store.port';
import { ASSET_STORE, AssetStore } from '../modules/assets/asset-store.port';
import { LocalBlobStore } from './blob/local/local-blob-store.adapter';
import { SqliteAssetStore } from './store/sqlite/sqlite-asset-store.adapter';
import { SqliteJobStore } from './store/sqlite/sqlite-job-store.adapter';

async function createJobStore(config: AppConfig): Promise<JobStore> {
  if (config.mongoUrl) {
    // TODO(#5): MongoDB adapter (production mode). Refuse rather than silently use SQLite.
    throw new Error('MONGO_URL is set but the MongoDB job store is not available in this build');
  }
  const store = new SqliteJobStore(join(config.dataDir, 'darkroom.sqlite'));
  await store.init();
  return store;
}

async function createAssetStore(config: AppConfig): Promise<AssetStore> {
  if (config.mongoUrl) {
    // TODO(#5): MongoDB adapter (production mode).
    throw new Error('MONGO_URL is set but the MongoDB asset store is not available in this build');
  }
  const store = new SqliteAssetStore(join(config.dataDir, 'darkroom.sqlite'));
  await store.init();
  return store;
}

function createBlobStore(config: AppConfig): BlobStore {
  if (config.s3) {
    // TODO(#5): S3 adapter (production mode).
    throw new Error('S3_BUCKET is set but the S3 blob store is not available in this build');
  }
  return new LocalBlobStore(join(config.dataDir, 'blobs'));
}

/** Closes the store after every other shutdown hook (runners release their leases first). */
@Injectable()
class StoreLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(JOB_STORE) private readonly store: JobStore,
    @Inject(ASSET_STORE) private readonly assets: AssetStore,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
    await this.assets.close();
  }
}

/** Chooses the drivers behind the ports from config. */
@Global()
@Module({
  providers: [
    { provide: JOB_STORE, inject: [APP_CONFIG], useFactory: createJobStore },
    { provide: ASSET_STORE, inject: [APP_CONFIG], useFactory: createAssetStore },
    { provide: BLOB_STORE, inject: [APP_CONFIG], useFactory: createBlobStore },
    StoreLifecycle,
  ],
  exports: [JOB_STORE, ASSET_STORE, BLOB_STORE],
})
export class InfraModule {}
