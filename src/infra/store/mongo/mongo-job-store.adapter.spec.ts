import { createConnection } from 'mongoose';
import { describeJobStoreContract } from '../../../../test/contracts/job-store.contract';
import { describeWithMongo, freshDatabase } from '../../../../test/support/mongo';
import { JobDocument } from './job.schema';
import { MongoJobStore } from './mongo-job-store.adapter';

/** A store on a fresh database; closing it drops the database. */
async function openStore() {
  const db = await freshDatabase();
  const store = MongoJobStore.fromConnection(db.connection);
  await store.init();
  return { store, connection: db.connection, name: db.connection.name, drop: () => db.drop() };
}

// Runs only when MONGO_URL is set (a replica set); otherwise the run says once why it skipped.
describeWithMongo('MongoDB', () => {
  describeJobStoreContract(
    'MongoDB',
    async () => {
      const { store, drop } = await openStore();
      return Object.assign(store, { close: drop });
    },
    async () => {
      // Two processes: a second connection of its own to the same database.
      const first = await openStore();
      const connection = await createConnection(process.env.MONGO_URL as string, {
        dbName: first.name,
        serverSelectionTimeoutMS: 10_000,
      }).asPromise();
      const second = MongoJobStore.fromConnection(connection);
      await second.init();
      return [
        Object.assign(first.store, { close: first.drop }),
        Object.assign(second, { close: () => connection.close() }),
      ];
    },
  );

  describe(MongoJobStore.name, () => {
    describe('init', () => {
      it('should build the indexes each query uses, the TTL backstop included', async () => {
        const { connection, drop } = await openStore();
        const indexes = await connection.model(JobDocument.name).collection.indexes();
        const names = indexes.map((i) => i.name);
        expect(names).toEqual(
          expect.arrayContaining(['claim', 'leases', 'owner_createdAt_id', 'idempotency', 'node']),
        );
        expect(indexes.find((i) => i.name === 'purge_ttl')?.expireAfterSeconds).toBe(0);
        await drop();
      });
    });
  });
});
