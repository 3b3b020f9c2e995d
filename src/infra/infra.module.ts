import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection, Model } from 'mongoose';
import { join } from 'node:path';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { JOB_STORE, JobStore } from '../core/jobs/job-store.port';
import { BLOB_STORE, BlobStore } from '../core/storage/blob-store.port';
import { ASSET_STORE, AssetStore } from '../modules/assets/asset-store.port';
import { LocalBlobStore } from './blob/local/local-blob-store.adapter';
import { S3BlobStore } from './blob/s3/s3-blob-store.adapter';
import { createS3Client } from './blob/s3/s3-client';
import { AssetDocument } from './store/mongo/asset.schema';
import { MongoAssetStore } from './store/mongo/mongo-asset-store.adapter';
import { MongoJobStore } from './store/mongo/mongo-job-store.adapter';
import { MONGO_ASSET_MODEL } from './store/mongo/mongo-store.module';
import { SqliteAssetStore } from './store/sqlite/sqlite-asset-store.adapter';
import { SqliteDatabase } from './store/sqlite/sqlite-database';
import { SqliteJobStore } from './store/sqlite/sqlite-job-store.adapter';

/** The embedded database (null in production mode); one connection for every SQLite adapter. */
const SQLITE_DATABASE = Symbol('SQLITE_DATABASE');

function openSqlite(config: AppConfig): SqliteDatabase | null {
  return config.mongoUrl ? null : new SqliteDatabase(join(config.dataDir, 'darkroom.sqlite'));
}

function refuseMongo(what: string): never {
  // TODO(#5): MongoDB adapters (production mode). Refuse rather than silently use SQLite.
  throw new Error(`MONGO_URL is set but the MongoDB ${what} is not available in this build`);
}

async function createJobStore(
  database: SqliteDatabase | null,
  mongo: Connection | undefined,
): Promise<JobStore> {
  const store = mongo
    ? MongoJobStore.fromConnection(mongo)
    : database && new SqliteJobStore(database);
  if (!store) refuseMongo('job store');
  await store.init();
  return store;
}

async function createAssetStore(
  database: SqliteDatabase | null,
  mongoAssets: Model<AssetDocument> | undefined,
): Promise<AssetStore> {
  const store = mongoAssets
    ? new MongoAssetStore(mongoAssets)
    : database && new SqliteAssetStore(database);
  if (!store) refuseMongo('asset store');
  await store.init();
  return store;
}

function createBlobStore(config: AppConfig): BlobStore {
  if (config.s3) {
    const { bucket, prefix, presignedDownloads } = config.s3;
    return new S3BlobStore(createS3Client(config.s3), { bucket, prefix, presignedDownloads });
  }
  return new LocalBlobStore(join(config.dataDir, 'blobs'));
}

/** Closes the stores after every other shutdown hook (runners release their leases first). */
@Injectable()
class StoreLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(JOB_STORE) private readonly store: JobStore,
    @Inject(ASSET_STORE) private readonly assets: AssetStore,
    @Inject(SQLITE_DATABASE) private readonly sqlite: SqliteDatabase | null,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
    await this.assets.close();
    await this.sqlite?.close();
    await this.blobs.close();
  }
}

/** Chooses the drivers behind the ports from config. */
@Global()
@Module({
  providers: [
    { provide: SQLITE_DATABASE, inject: [APP_CONFIG], useFactory: openSqlite },
    {
      provide: JOB_STORE,
      inject: [SQLITE_DATABASE, { token: getConnectionToken(), optional: true }],
      useFactory: createJobStore,
    },
    {
      provide: ASSET_STORE,
      inject: [SQLITE_DATABASE, { token: MONGO_ASSET_MODEL, optional: true }],
      useFactory: createAssetStore,
    },
    { provide: BLOB_STORE, inject: [APP_CONFIG], useFactory: createBlobStore },
    StoreLifecycle,
  ],
  exports: [JOB_STORE, ASSET_STORE, BLOB_STORE],
})
export class InfraModule {}
