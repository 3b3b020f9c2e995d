import { DynamicModule, Global, Module } from '@nestjs/common';
import { getModelToken, MongooseModule } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import type { AppConfig } from '../../../config/app-config';
import { AssetDocument, AssetSchema } from './asset.schema';
import { checkReplicaSet } from './replica-set';

/** Injection token of the asset model (present only when MONGO_URL is set). */
export const MONGO_ASSET_MODEL = getModelToken(AssetDocument.name);

/**
 * The MongoDB connection and models of production mode, when MONGO_URL is set (else empty).
 * Boot fails with a clear message when the server is not a replica set member.
 */
@Global()
@Module({})
export class MongoStoreModule {
  static forRoot(config: AppConfig): DynamicModule {
    if (!config.mongoUrl) return { module: MongoStoreModule };
    return {
      module: MongoStoreModule,
      imports: [
        MongooseModule.forRoot(config.mongoUrl, {
          // The driver already waits for a server (serverSelectionTimeoutMS); a wrong setup stays wrong.
          retryAttempts: 0,
          connectionFactory: async (connection: Connection) => {
            await checkReplicaSet(connection);
            return connection;
          },
        }),
        MongooseModule.forFeature([{ name: AssetDocument.name, schema: AssetSchema }]),
      ],
      exports: [MongooseModule],
    };
  }
}
