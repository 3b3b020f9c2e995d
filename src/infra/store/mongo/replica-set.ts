import type { Connection } from 'mongoose';

/** Why production mode needs a replica set, told to whoever starts the app against a lone mongod. */
export class NotAReplicaSetError extends Error {
  constructor() {
    super(
      'MONGO_URL points at a MongoDB server that is not a replica set member (`hello` has no ' +
        'setName). Darkroom needs a replica set for change streams: start mongod with ' +
        '--replSet rs0 and run rs.initiate() once (a one-node replica set is enough).',
    );
  }
}

/** The part of the `hello` answer this check reads. */
export interface HelloAnswer {
  setName?: string;
}

/** Throws NotAReplicaSetError unless the `hello` answer names a replica set. */
export function assertReplicaSet(hello: HelloAnswer): string {
  if (typeof hello.setName !== 'string' || hello.setName === '') throw new NotAReplicaSetError();
  return hello.setName;
}

/** Asks the server `hello` and checks that it is a replica set member; returns the set's name. */
export async function checkReplicaSet(connection: Connection): Promise<string> {
  const db = connection.db;
  if (!db) throw new Error('MongoDB connection is not open');
  const hello = await db.admin().command({ hello: 1 });
  return assertReplicaSet(hello);
}
