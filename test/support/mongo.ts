import { randomUUID } from 'node:crypto';
import { Connection, createConnection } from 'mongoose';
import { mongoSkipReason } from './mongo-skip';

/** `describe` when MONGO_URL is set, else `describe.skip` (the run prints the reason once). */
export const describeWithMongo: jest.Describe =
  mongoSkipReason() === null ? describe : describe.skip;

/** A connection to a fresh, uniquely named database on MONGO_URL; `drop()` removes it. */
export async function freshDatabase(): Promise<{ connection: Connection; drop(): Promise<void> }> {
  const dbName = `darkroom_test_${randomUUID().slice(0, 8)}`;
  const connection = await createConnection(process.env.MONGO_URL as string, {
    dbName,
    serverSelectionTimeoutMS: 10_000,
  }).asPromise();
  return {
    connection,
    drop: async () => {
      await connection.dropDatabase();
      await connection.close();
    },
  };
}
