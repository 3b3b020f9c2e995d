import { LoggerService } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import mongoose from 'mongoose';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeMongod } from '../../../../test/support/fake-mongod';
import { loadConfig } from '../../../config/app-config';
import { ConfigModule } from '../../../config/config.module';
import { JOB_STORE } from '../../../core/jobs/job-store.port';
import { InfraModule } from '../../infra.module';
import { SqliteJobStore } from '../sqlite/sqlite-job-store.adapter';
import { MongoJobStore } from './mongo-job-store.adapter';
import { MongoStoreModule } from './mongo-store.module';

const silent: LoggerService = {
  log: () => undefined,
  error: () => undefined,
  warn: () => undefined,
};

/** The JobStore the infra module picks for `env` (a fake mongod answers every command `ok`). */
async function jobStoreFor(env: Record<string, string>): Promise<unknown> {
  const dataDir = await mkdtemp(join(tmpdir(), 'darkroom-wiring-'));
  const config = loadConfig({ DATA_DIR: dataDir, ...env });
  const app = await Test.createTestingModule({
    imports: [ConfigModule.forRoot(config), MongoStoreModule.forRoot(config), InfraModule],
  })
    .setLogger(silent)
    .compile();
  const store = app.get<unknown>(JOB_STORE);
  await app.close();
  await Promise.all(mongoose.connections.map((c) => c.close()));
  await rm(dataDir, { recursive: true, force: true });
  return store;
}

describe('JOB_STORE selection', () => {
  it('should pick the MongoDB job store when MONGO_URL is set', async () => {
    const mongod = await FakeMongod.start('rs0');
    try {
      expect(await jobStoreFor({ MONGO_URL: mongod.url })).toBeInstanceOf(MongoJobStore);
    } finally {
      await mongod.close();
    }
  });

  it('should keep SQLite in embedded mode', async () => {
    expect(await jobStoreFor({})).toBeInstanceOf(SqliteJobStore);
  });
});
